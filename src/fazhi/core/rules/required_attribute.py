"""`required_attribute`: an event must carry a fact (录音录像, 二名侦查人员, 监护人在场 …).

The checked events are `params.events` (kinds or {event, attrs}) or else `starts_at`. An event
that lacks a required fact is `violated` at the event's time. What the params mean:
- `required_attrs`: every attribute must have the given value;
- `min_officers` (+ `auxiliary_counts: false`): police officers present; 辅警 (roles
  containing `auxiliary`) do not count; `single_officer_allowed_when`: attribute values under
  which one officer suffices. An event that lists no officers at all is not judged (the
  source did not send who was present; CEIF `officers` is optional);
- `must_record_categories`: the check applies only to cases of these categories;
- `minor_at`: only for subjects under 18 on the event's day (birth_date);
- `subject_flags_any`: only for subjects with one of these flags;
- `after` / `until`: only events after the subject's `after` event and before an `until` one;
- `only_if` (CW-08): only when the case holds seized property not yet returned;
- `attribute` + `forbidden_value(s)`: the attribute may not have that value;
- `age_at` + `exception_recorded` (XZ-11), `limitation` (LA-12), `required: end` +
  `checked_at` (YJ-08): see those functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from fazhi.core.catalog.model import ControlPoint
from fazhi.core.legaltime import HolidayCalendar, Unit, add_months, parse_period
from fazhi.core.records import Event
from fazhi.core.rules.base import (
    Finding,
    Timeline,
    age_on,
    applies,
    attrs_of,
    detention_exempt,
    find,
    in_force_for,
    local_day,
    matches_of,
    violated,
)

# x_ attributes that record a lawful exception to a required fact.
_EXCEPTIONS = {"guardian_present": "x_guardian_absence_noted"}


def police_count(timeline: Timeline, officers: tuple[str, ...]) -> int:
    """Officers present who are police: a person whose roles contain `auxiliary` is a 辅警
    and does not count; an id without a person record counts (nothing says otherwise)."""
    count = 0
    for pid in dict.fromkeys(officers):
        person = timeline.persons.get(pid)
        if person is None or not person.is_auxiliary:
            count += 1
    return count


def _checked_events(point: ControlPoint, timeline: Timeline) -> list[Event]:
    specs = matches_of(point, "events")
    if specs:
        return find(timeline, specs)
    assert point.starts_at is not None
    return find(timeline, [point.starts_at])


def _broken(point: ControlPoint, timeline: Timeline, event: Event) -> bool:
    params = point.params
    attrs = attrs_of(event)
    day = local_day(event.at)
    categories = params.get("must_record_categories")
    if categories is not None and timeline.case.category not in categories:
        return False
    if "minor_at" in params:
        birth = timeline.birth_date(event.subject)
        if birth is None or age_on(birth, day) >= 18:
            return False
    flags_any = params.get("subject_flags_any")
    if flags_any and not set(flags_any) & timeline.subject_flags(event.subject):
        return False
    if "after" in params and not _in_window(timeline, event, params["after"], params.get("until")):
        return False
    if "only_if" in params and not _property_held(timeline, event.at):
        return False
    broken = False
    required: Mapping[str, Any] = params.get("required_attrs") or {}
    for name, value in required.items():
        if attrs.get(name) != value and not attrs.get(_EXCEPTIONS.get(name, "")):
            broken = True
    if "min_officers" in params and event.officers:
        needed = int(params["min_officers"])
        allowed = params.get("single_officer_allowed_when")
        if allowed and all(attrs.get(k) == v for k, v in allowed.items()):
            needed = 1
        counted = (
            police_count(timeline, event.officers)
            if params.get("auxiliary_counts") is False
            else len(set(event.officers))
        )
        if counted < needed:
            broken = True
    if "attribute" in params:
        value = attrs.get(params["attribute"])
        forbidden = list(params.get("forbidden_values", ()))
        if "forbidden_value" in params:
            forbidden.append(params["forbidden_value"])
        if value is not None and value in forbidden:
            broken = True
    return broken


def _in_window(timeline: Timeline, event: Event, after: str, until: Any) -> bool:
    """Whether `event` falls after the subject's latest `after` event with no `until` event
    in between (XW-08: 送看守所后、释放或变更措施前)."""
    opened: datetime | None = None
    for e in timeline.events:
        if e.at > event.at:
            break
        if e.subject not in (None, event.subject):
            continue
        if e.kind == after:
            opened = e.at
        elif until and e.kind in until and opened is not None:
            opened = None
    return opened is not None and opened <= event.at


def _property_held(timeline: Timeline, at: datetime) -> bool:
    seized = sum(1 for e in timeline.of_kind("property_seized") if e.at <= at)
    returned = sum(1 for e in timeline.of_kind("property_returned") if e.at <= at)
    return seized > returned


def _xz11(point: ControlPoint, timeline: Timeline, event: Event) -> bool:
    """治安法2025§23 ¶1: not executed for 14–16, 16–18 first offence, 70+, pregnant or nursing,
    unless the ¶2 exception is recorded."""
    return detention_exempt(timeline, event, str(point.params.get("exception_recorded", "")))


def _la12(point: ControlPoint, timeline: Timeline, event: Event) -> bool:
    """治安法2025§25 / 行政处罚法§36: discovered (first intake) after the limitation period."""
    act = timeline.case.act_end_date or timeline.case.act_date
    intakes = timeline.of_kind("intake")
    if act is None or not intakes:
        return False
    limits = point.params["limitation"]
    period = parse_period(limits["public_order" if timeline.public_order else "other"])
    if period.unit in (Unit.MONTHS, Unit.YEARS):
        last = add_months(act, period.counted_amount)  # 高法解释§202, years as 12 months
    else:
        last = act + timedelta(days=period.amount)
    return local_day(intakes[0].at) > last


def evaluate(
    point: ControlPoint, timeline: Timeline, as_of: datetime, calendar: HolidayCalendar
) -> list[Finding]:
    params = point.params
    findings: list[Finding] = []
    if params.get("required") == "end":
        return _yj08(point, timeline)
    for event in _checked_events(point, timeline):
        if not in_force_for(point, event) or not applies(point, timeline, event):
            continue
        if "limitation" in params:
            if _la12(point, timeline, event):
                findings.append(violated(point, timeline, None, event.at, [event]))
            continue
        if "age_at" in params:
            broken = _xz11(point, timeline, event)
        else:
            broken = _broken(point, timeline, event)
        if broken:
            subject = None if params.get("only_if") else event.subject
            findings.append(violated(point, timeline, subject, event.at, [event]))
    return findings


def _yj08(point: ControlPoint, timeline: Timeline) -> list[Finding]:
    """YJ-08: at 移送审查起诉, every 精神病鉴定 of the case must have its end recorded."""
    assert point.starts_at is not None
    checked = timeline.of_kind(str(point.params.get("checked_at")))
    findings = []
    for appraisal in find(timeline, [point.starts_at]):
        if not in_force_for(point, appraisal) or not applies(point, timeline, appraisal):
            continue
        for event in checked:
            if event.at >= appraisal.at and appraisal.end is None:
                findings.append(
                    violated(point, timeline, appraisal.subject, event.at, [event, appraisal])
                )
                break
    return findings
