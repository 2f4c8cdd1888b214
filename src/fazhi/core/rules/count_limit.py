"""`count_limit`: something may happen at most N times, or sum to at most N.

- `max_count` (+ `per: case`, else per subject): the (N+1)-th event is `violated`
  (BC-02 补充侦查以二次为限); with `max_total_months`, also the event that makes the sum of
  `months` exceed it (YJ-05 延长侦查羁押);
- `sum_attr` + `max_total`: the event that makes the subject's sum exceed the total
  (XZ-13 行政拘留合并执行不超过二十日);
- `credit_from` (XZ-12 折抵): days executed (`x_days_executed`) beyond the decided days less
  the days already spent in `credit_from` custody before the decision.
"""

from __future__ import annotations

from datetime import datetime

from fazhi.core.catalog.model import ControlPoint
from fazhi.core.legaltime import HolidayCalendar
from fazhi.core.records import Event
from fazhi.core.rules.base import (
    Finding,
    Timeline,
    applies,
    attrs_of,
    find,
    in_force_for,
    local_day,
    violated,
)


def _number(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return int(value)


def evaluate(
    point: ControlPoint, timeline: Timeline, as_of: datetime, calendar: HolidayCalendar
) -> list[Finding]:
    assert point.starts_at is not None
    params = point.params
    events = [
        e
        for e in find(timeline, [point.starts_at])
        if in_force_for(point, e) and applies(point, timeline, e)
    ]
    if "credit_from" in params:
        return _credit(point, timeline, events)
    per_case = params.get("per") == "case"
    groups: dict[str | None, list[Event]] = {}
    for event in events:
        groups.setdefault(None if per_case else event.subject, []).append(event)
    findings: list[Finding] = []
    for key in sorted(groups, key=lambda k: k or ""):
        count = 0
        total = 0
        for event in groups[key]:
            count += 1
            if "max_count" in params and count > int(params["max_count"]):
                findings.append(violated(point, timeline, key, event.at, [event]))
                break
            if "max_total_months" in params:
                total += _number(attrs_of(event).get("months"))
                if total > int(params["max_total_months"]):
                    findings.append(violated(point, timeline, key, event.at, [event]))
                    break
            if "sum_attr" in params:
                total += _number(attrs_of(event).get(str(params["sum_attr"])))
                if total > int(params["max_total"]):
                    findings.append(violated(point, timeline, key, event.at, [event]))
                    break
    return findings


def _credit(point: ControlPoint, timeline: Timeline, events: list[Event]) -> list[Finding]:
    kinds = tuple(point.params["credit_from"])
    findings = []
    for executed in events:
        done = attrs_of(executed).get("x_days_executed")
        if done is None:
            continue
        decisions = [
            e
            for e in timeline.of_kind("penalty_decided")
            if e.at <= executed.at and e.subject in (None, executed.subject)
        ]
        if not decisions:
            continue
        decision = decisions[-1]
        decided = _number(attrs_of(decision).get("detention_days"))
        credited = 0
        for kind in kinds:
            for start in timeline.of_kind(kind):
                if start.subject != executed.subject or start.at > decision.at:
                    continue
                release = next(
                    (
                        e
                        for e in timeline.events
                        if e.at >= start.at
                        and e.subject == executed.subject
                        and e.kind in ("released", "bail", "residential_surveillance")
                    ),
                    None,
                )
                end = release.at if release is not None else decision.at
                credited += (local_day(end) - local_day(start.at)).days
        if _number(done) > decided - credited:
            findings.append(
                violated(point, timeline, executed.subject, executed.at, [executed, decision])
            )
    return findings
