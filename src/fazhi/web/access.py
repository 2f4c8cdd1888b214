"""Which pages a role may use, in one table, and the decorator every page view carries.

What a user sees *on* a page is the scope layer's business (`fazhi.apps.accounts.scope`:
out of scope reads as absent, 404). This table decides only whether a page is theirs at all:
a signed-in user without the role gets 403, an anonymous one goes to sign-in.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from fazhi.apps.accounts.models import UNIT_SCOPE_ROLES, Grant, Role
from fazhi.apps.assessment.imports import INPUT_ROLES
from fazhi.apps.bureau.services import SETTINGS_ROLES

BUSINESS_ROLES = frozenset(UNIT_SCOPE_ROLES | {Role.OFFICER})


class Page(Enum):
    CASES = "cases"  # 案件 (and 风险预警 for the lead's pages)
    PEOPLE = "people"  # 人员: people of the user's units; an officer's scope has none
    IMPORTS = "imports"  # 数据导入: the data's owner and the administrator who runs imports
    AUDIT = "audit"  # 审计: the auditor alone (三员分立)
    ACCOUNTS = "accounts"  # 用户与授权: the security administrator
    SETTINGS = "settings"  # editing holidays and 立即/及时 thresholds: the legal department
    SYSTEM = "system"  # 系统管理 in the navigation: whoever administers or owns something there
    ASSESSMENT_INPUTS = "assessment_inputs"  # 考评数据: legal department, unit heads


PAGE_ROLES: dict[Page, frozenset[str]] = {
    Page.CASES: BUSINESS_ROLES,
    Page.PEOPLE: frozenset(UNIT_SCOPE_ROLES),
    Page.IMPORTS: frozenset({Role.LEGAL_DEPARTMENT, Role.SYSTEM_ADMIN}),
    Page.AUDIT: frozenset({Role.AUDITOR}),
    Page.ACCOUNTS: frozenset({Role.SECURITY_ADMIN}),
    Page.SETTINGS: frozenset(SETTINGS_ROLES),
    Page.ASSESSMENT_INPUTS: INPUT_ROLES,
    Page.SYSTEM: frozenset(
        {Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN, Role.LEGAL_DEPARTMENT, Role.BUREAU_LEADER}
    ),
}

_ROLES_ATTR = "_fazhi_roles"


def roles_of(request: HttpRequest) -> frozenset[str]:
    """The roles the signed-in user holds anywhere, read once per request."""
    cached = getattr(request, _ROLES_ATTR, None)
    if cached is None:
        user = request.user
        cached = (
            frozenset(Grant.objects.filter(user_id=user.pk).values_list("role", flat=True))
            if user.is_authenticated
            else frozenset()
        )
        setattr(request, _ROLES_ATTR, cached)
    return cached


def may_use(request: HttpRequest, page: Page) -> bool:
    return bool(roles_of(request) & PAGE_ROLES[page])


def page_for(page: Page) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Sign-in required; then 403 unless the user holds one of the page's roles."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not may_use(request, page):
                raise PermissionDenied("您没有使用此页面的权限。")
            return view(request, *args, **kwargs)

        return login_required(guarded)

    return decorate
