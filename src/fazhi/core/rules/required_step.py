"""`required_step`: an act that must precede (or accompany) another.

The checked event is `starts_at`; `violated` at its time when:
- `required_before`: no such event at or before it, for the same subject or the whole case
  (XZ-03 处罚前告知, XZ-04 听证告知, XZ-17 法制审核 — `also_when: hearing` widens XZ-17 to
  cases that held a hearing); with `requested_by`, only once that request was made, and the
  required event must follow the request (LS-06 听取律师意见);
- `first_of` + `required_before_or_at` + `grace`: the subject's first event of those kinds
  must be followed within `grace` by the required one (XW-09 告知诉讼权利); judged once the
  grace has run out at as_of;
- `open_items` (CW-09): the case still holds seized property not returned at the decision
  (a return recorded at the same instant counts as handled by the decision);
- `report_within` + `from_attr` (YJ-06): the event is later than the period counted from
  the date in that attribute.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from fazhi.core.catalog.model import ControlPoint
from fazhi.core.legaltime import SHANGHAI, HolidayCalendar, compute_due, parse_period
from fazhi.core.records import Event
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


def evaluate(
    point: ControlPoint, timeline: Timeline, as_of: datetime, calendar: HolidayCalendar
) -> list[Finding]:
    params = point.params
    if "first_of" in params:
        return _first_of(point, timeline, as_of)
    assert point.starts_at is not None
    findings: list[Finding] = []
    for event in find(timeline, [point.starts_at]):
        if not in_force_for(point, event):
            continue
        widened = bool(params.get("also_when")) and bool(timeline.of_kind("hearing"))
        if not applies(point, timeline, event, ignore_case_flags=widened):
            continue
        if _broken(point, timeline, event, calendar):
            findings.append(violated(point, timeline, event.subject, event.at, [event]))
    return findings


def _before(timeline: Timeline, kind: str, event: Event, since: datetime | None = None) -> bool:
    return any(
        e.at <= event.at and same_party(event.subject, e) and (since is None or e.at >= since)
        for e in timeline.of_kind(kind)
    )


def _broken(
    point: ControlPoint, timeline: Timeline, event: Event, calendar: HolidayCalendar
) -> bool:
    params = point.params
    if "requested_by" in params:
        requests = [
            e
            for e in timeline.of_kind(str(params["requested_by"]))
            if e.at <= event.at and same_party(event.subject, e)
        ]
        if not requests:
            return False
        return not _before(timeline, str(params["required_before"]), event, requests[0].at)
    if "required_before" in params:
        return not _before(timeline, str(params["required_before"]), event)
    if "open_items" in params:
        seized = sum(1 for e in timeline.of_kind("property_seized") if e.at <= event.at)
        returned = sum(1 for e in timeline.of_kind("property_returned") if e.at <= event.at)
        return seized > returned
    if "report_within" in params:
        day = attrs_of(event).get(str(params.get("from_attr")))
        if day is None:
            return False
        due = compute_due(
            datetime.combine(day, time(0), SHANGHAI),
            parse_period(params["report_within"]),
            holiday_shift=bool(params.get("holiday_shift", False)),
            calendar=calendar,
        )
        return not due.is_on_time(event.at)
    return False


def _first_of(point: ControlPoint, timeline: Timeline, as_of: datetime) -> list[Finding]:
    params = point.params
    grace = parse_period(params.get("grace") or {"hours": 0})
    span = (
        timedelta(hours=grace.amount)
        if grace.unit.value == "hours"
        else timedelta(days=grace.amount)
    )
    required = str(params["required_before_or_at"])
    firsts: dict[str | None, Event] = {}
    for event in find(timeline, matches_of(point, "first_of")):
        firsts.setdefault(event.subject, event)
    findings: list[Finding] = []
    for subject, first in sorted(firsts.items(), key=lambda kv: kv[0] or ""):
        if subject is None:
            continue
        if not in_force_for(point, first) or not applies(point, timeline, first):
            continue
        limit = first.at + span
        if as_of <= limit:
            continue
        if any(e.at <= limit and same_party(subject, e) for e in timeline.of_kind(required)):
            continue
        findings.append(violated(point, timeline, subject, first.at, [first]))
    return findings
