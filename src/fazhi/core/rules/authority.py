"""`authority`: a decision reserved to a higher organ, or needing a prior permission.

- `station_max_fine` / `station_may_detain` (XZ-22 派出所处罚权限): a `penalty_decided`
  whose deciding unit (`decided_by`, default the case's unit) is a 派出所 (`station`) and
  that fines more than the maximum or detains;
- `nth_extension` + `months` (YJ-03/YJ-04): the subject's n-th `custody_extended` must extend
  by exactly that many months (the approver differs by step);
- `measures` + `required_before` (QT-02 人大代表): each listed measure on a subject with the
  point's subject flags needs the permission event at or before it; a 刑事拘留 may instead be
  followed by `flagrante_report` (现行犯拘留后报告).
"""

from __future__ import annotations

from datetime import datetime

from fazhi.core.catalog.model import ControlPoint
from fazhi.core.legaltime import HolidayCalendar
from fazhi.core.rules.base import (
    Finding,
    Timeline,
    applies,
    attrs_of,
    find,
    in_force_for,
    matches_of,
    same_party,
    violated,
)


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return value


def evaluate(
    point: ControlPoint, timeline: Timeline, as_of: datetime, calendar: HolidayCalendar
) -> list[Finding]:
    params = point.params
    if "measures" in params:
        return _permission(point, timeline)
    assert point.starts_at is not None
    findings: list[Finding] = []
    nth: dict[str | None, int] = {}
    for event in find(timeline, [point.starts_at]):
        nth[event.subject] = nth.get(event.subject, 0) + 1
        if not in_force_for(point, event) or not applies(point, timeline, event):
            continue
        attrs = attrs_of(event)
        broken = False
        if "station_max_fine" in params:
            unit_id = attrs.get("decided_by") or timeline.case.unit
            unit = timeline.units.get(unit_id)
            if unit is not None and unit.kind == "station":
                if _number(attrs.get("fine")) > _number(params["station_max_fine"]):
                    broken = True
                if (
                    not params.get("station_may_detain", False)
                    and _number(attrs.get("detention_days")) > 0
                ):
                    broken = True
        if "nth_extension" in params and nth[event.subject] == int(params["nth_extension"]):
            if attrs.get("months") != params.get("months"):
                broken = True
        if broken:
            findings.append(violated(point, timeline, event.subject, event.at, [event]))
    return findings


def _permission(point: ControlPoint, timeline: Timeline) -> list[Finding]:
    params = point.params
    permission = str(params["required_before"])
    report = params.get("flagrante_report")
    findings = []
    for event in find(timeline, matches_of(point, "measures")):
        if event.subject is None:
            continue
        if not in_force_for(point, event) or not applies(point, timeline, event):
            continue
        if any(
            e.at <= event.at and same_party(event.subject, e) for e in timeline.of_kind(permission)
        ):
            continue
        if (
            report
            and event.kind == "criminal_detention"
            and any(
                e.at >= event.at and same_party(event.subject, e)
                for e in timeline.of_kind(str(report))
            )
        ):
            continue
        findings.append(violated(point, timeline, event.subject, event.at, [event]))
    return findings
