"""The navigation bar: the sections a user's roles may use, nothing else (a context
processor, so every page's layout has it)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from fazhi.web.access import Page, may_use

# (label, url name, page whose roles may use it; None: every signed-in user)
SECTIONS: tuple[tuple[str, str, Page | None], ...] = (
    ("首页", "home", None),
    ("风险预警", "warning_list", Page.CASES),
    ("案件", "case_list", Page.CASES),
    ("人员", "person_list", Page.PEOPLE),
    ("考评", "assessment_ranking", Page.CASES),  # an officer lands on their own file
    ("考评数据", "assessment_inputs", Page.ASSESSMENT_INPUTS),
    ("数据导入", "import_list", Page.IMPORTS),
    ("系统管理", "system_index", Page.SYSTEM),
    ("审计", "audit_log", Page.AUDIT),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"navigation": []}
    items = []
    for label, name, page in SECTIONS:
        if page is not None and not may_use(request, page):
            continue
        url = reverse(name)
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": label, "url": url, "current": current})
    # a section inside another's path (考评数据 under 考评) is the current one, not both
    deepest = max((i["url"] for i in items if i["current"]), key=len, default=None)
    for item in items:
        item["current"] = item["url"] == deepest
    return {"navigation": items}
