"""The control-point catalogue and the law texts behind it, readable by every signed-in user:
the legal basis of a warning is something an officer must be able to read."""

from __future__ import annotations

import json
import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from fazhi import law
from fazhi.apps.bureau.selectors import internal_standards
from fazhi.core import ceif
from fazhi.core.catalog import AREAS, SOURCES, CatalogueInvalid, ControlPoint, EventMatch
from fazhi.core.catalog.lint import chinese_numeral
from fazhi.web import catalogue as catalog
from fazhi.web.labels import attr_label, attr_value, event_kind_label


def _match(match: EventMatch | None) -> str:
    if match is None:
        return ""
    words = event_kind_label(match.kind)
    if match.attrs:
        shown = "，".join(
            f"{attr_label(k)}：{attr_value(k, v, {})}" for k, v in match.attrs.items()
        )
        words += f"（{shown}）"
    return words


def _law_link(file: str, article: str) -> str | None:
    """The law page, at the article when it is a plain number (`91`, `105第二款` → 第一百零五条)."""
    text = next((t for t in law.documents() if t.file == file), None)
    if text is None:
        return None
    url = reverse("law_text", args=[text.slug])
    number = re.match(r"^(\d+)", article)
    if number and 0 < int(number.group(1)) < 1000:
        url += "#" + law.article_anchor(chinese_numeral(int(number.group(1))))
    return url


def _in_force(point: ControlPoint) -> str:
    start = point.in_force.valid_from.isoformat()
    return (
        f"{start} 起"
        if point.in_force.valid_to is None
        else f"{start} 至 {point.in_force.valid_to}"
    )


def _broken(request: HttpRequest, error: CatalogueInvalid) -> HttpResponse:
    return render(request, "fazhi/system/catalogue_broken.html", {"error": str(error)}, status=500)


@login_required
def catalogue_list(request: HttpRequest) -> HttpResponse:
    try:
        areas = catalog.by_area()
    except CatalogueInvalid as error:
        return _broken(request, error)
    rows = [
        {
            "area": area,
            "name": name,
            "points": [
                {
                    "point": p,
                    "kind": p.kind.label,
                    "level": catalog.LEVEL_LABELS[p.level],
                    "in_force": _in_force(p),
                    "period": p.period.description if p.period else "",
                }
                for p in points
            ],
        }
        for area, name, points in areas
    ]
    total = sum(len(r["points"]) for r in rows)
    codes = len({p["point"].code for r in rows for p in r["points"]})
    return render(
        request, "fazhi/system/catalogue.html", {"areas": rows, "total": total, "codes": codes}
    )


def _examples(point: ControlPoint) -> list[dict[str, Any]]:
    return [
        {
            "name": e.name,
            "as_of": e.as_of,
            "must_fire": e.must_fire,
            "events": [
                {
                    "kind": event_kind_label(str(ev.get("kind", ""))),
                    "subject": ev.get("subject") or "",
                    "at": ev.get("at"),
                    "end": ev.get("end"),
                    "attrs": "，".join(
                        f"{attr_label(k)}：{attr_value(k, v, {})}"
                        for k, v in (ev.get("attrs") or {}).items()
                    ),
                }
                for ev in e.events
            ],
            "expect": [
                {
                    "subject": x.subject or "（全案）",
                    "state": catalog.STATE_LABELS.get(x.state.value, x.state.value),
                    "due_at": x.due_at,
                    "at": x.at,
                }
                for x in e.expect
            ],
        }
        for e in point.examples
    ]


@login_required
def control_point(request: HttpRequest, key: str) -> HttpResponse:
    try:
        point = catalog.point(key)
    except CatalogueInvalid as error:
        return _broken(request, error)
    if point is None:
        raise Http404("没有这个控制点。")
    standard = internal_standards().get(point.code) if point.internal_standard else None
    context = {
        "point": point,
        "area": AREAS.get(point.area, point.area),
        "kind": point.kind.label,
        "level": catalog.LEVEL_LABELS[point.level],
        "in_force": _in_force(point),
        "versions": [p for p in catalog.catalogue().versions(point.code) if p.key != point.key],
        "basis": [
            {
                "basis": b,
                "title": SOURCES[b.source].title if b.source in SOURCES else b.source,
                "link": _law_link(b.file, b.article),
            }
            for b in point.basis
        ],
        "starts_at": _match(point.starts_at),
        "met_by": [_match(m) for m in point.met_by],
        "superseded_by": [_match(m) for m in point.superseded_by],
        "excluded_by": [_match(m) for m in point.excluded_by],
        "extended_by": [
            f"{event_kind_label(x.event)} 的 {attr_label(x.attr)}"
            + ("（延长至）" if x.mode.value == "to" else "（延长）")
            for x in point.extended_by
        ],
        "escalation": [
            {"after": e.after.description, "to": catalog.ROLE_LABELS.get(e.to.value, e.to.value)}
            for e in point.escalation
        ],
        "params": json.dumps(dict(point.params), ensure_ascii=False, indent=2, default=str)
        if point.params
        else "",
        "applies_to": _applies(point),
        "standard": standard,
        "examples": _examples(point),
    }
    return render(request, "fazhi/system/control_point.html", context)


def _applies(point: ControlPoint) -> list[str]:
    a = point.applies_to
    lines = []
    if a.case_kind:
        lines.append("案件类别：" + ceif.CASE_KINDS.get(a.case_kind, a.case_kind))
    if a.public_order is not None:
        lines.append("仅治安案件" if a.public_order else "仅治安以外的行政案件")
    if a.case_flags:
        lines.append("案件标记：" + "、".join(ceif.CASE_FLAGS.get(f, f) for f in a.case_flags))
    if a.subject_flags:
        lines.append(
            "涉案人员标记：" + "、".join(ceif.SUBJECT_FLAGS.get(f, f) for f in a.subject_flags)
        )
    for k, v in a.start_attrs.items():
        lines.append(f"起算事件 {attr_label(k)}：{attr_value(k, v, {})}")
    for k, v in a.start_attrs_min.items():
        lines.append(f"起算事件 {attr_label(k)} 不少于 {v}")
    return lines


@login_required
def law_list(request: HttpRequest) -> HttpResponse:
    return render(request, "fazhi/system/law_list.html", {"texts": law.documents()})


@login_required
def law_text(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        document = law.document(slug)
    except KeyError:
        raise Http404("没有这部法律文本。") from None
    return render(request, "fazhi/system/law_text.html", {"document": document})
