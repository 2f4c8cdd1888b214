"""`forbidden_overlap`: two things that may not happen at once, or back to back.

Two shapes, chosen by params:
- `events` + `min_gap` (CH-03): for one subject, a measure of those kinds that starts less
  than `min_gap` after the previous one ended is `violated` at its start (连续传唤);
- `events` + `same_officer: true`: one officer may not be in two of those events (e.g. two
  questionings) at the same time, in this case or another. Overlaps are found per (officer,
  day) bucket — the patrol hands each case the other cases' events of its officers on the
  same days (`Timeline.others`), never a self-join of everything. The later-starting event
  is `violated` at its start; an event without `end` counts as an instant.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from fazhi.core.catalog.model import ControlPoint
from fazhi.core.legaltime import HolidayCalendar, Unit, parse_period
from fazhi.core.records import Event
from fazhi.core.rules.base import (
    Finding,
    Timeline,
    applies,
    find,
    in_force_for,
    local_day,
    matches_of,
    violated,
)


def evaluate(
    point: ControlPoint, timeline: Timeline, as_of: datetime, calendar: HolidayCalendar
) -> list[Finding]:
    specs = matches_of(point, "events") or ((point.starts_at,) if point.starts_at else ())
    events = [
        e for e in find(timeline, specs) if in_force_for(point, e) and applies(point, timeline, e)
    ]
    if point.params.get("same_officer"):
        kinds = {s.kind for s in specs}
        others = [e for e in timeline.others if e.kind in kinds]
        return _officer_overlaps(point, timeline, events, others, as_of)
    gap_spec = point.params.get("min_gap")
    if not gap_spec:
        return []
    gap = parse_period(gap_spec)
    min_gap = timedelta(hours=gap.amount) if gap.unit is Unit.HOURS else timedelta(days=gap.amount)
    findings: list[Finding] = []
    by_subject: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if event.subject is not None:
            by_subject[event.subject].append(event)
    for subject in sorted(by_subject):
        previous: Event | None = None
        for event in by_subject[subject]:
            if previous is not None and previous.end is not None and previous.end <= as_of:
                if event.at - previous.end < min_gap:
                    findings.append(violated(point, timeline, subject, event.at, [event, previous]))
            previous = event
    return findings


def span(event: Event, as_of: datetime) -> tuple[datetime, datetime]:
    end = event.end if event.end is not None and event.end <= as_of else None
    if end is None:
        end = as_of if event.end is not None else event.at
    return event.at, max(end, event.at)


def days_touched(start: datetime, end: datetime) -> list[date]:
    first, last = local_day(start), local_day(end)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def officer_buckets(events: list[Event], as_of: datetime) -> dict[tuple[str, date], list[Event]]:
    """(officer, day) → events of that officer touching that day."""
    buckets: dict[tuple[str, date], list[Event]] = defaultdict(list)
    for event in events:
        start, end = span(event, as_of)
        for officer in dict.fromkeys(event.officers):
            for day in days_touched(start, end):
                buckets[(officer, day)].append(event)
    return buckets


def _officer_overlaps(
    point: ControlPoint,
    timeline: Timeline,
    events: list[Event],
    others: list[Event],
    as_of: datetime,
) -> list[Finding]:
    buckets = officer_buckets([*events, *others], as_of)
    findings: list[Finding] = []
    for event in events:
        start, end = span(event, as_of)
        clash: Event | None = None
        for officer in dict.fromkeys(event.officers):
            for day in days_touched(start, end):
                for other in buckets[(officer, day)]:
                    if other.id == event.id and other.case == event.case:
                        continue
                    o_start, o_end = span(other, as_of)
                    overlap = start < o_end and o_start < end or start == o_start
                    earlier = (o_start, other.case, other.id) < (start, event.case, event.id)
                    if overlap and earlier:
                        clash = other
                        break
                if clash:
                    break
            if clash:
                break
        if clash is not None:
            findings.append(violated(point, timeline, event.subject, event.at, [event, clash]))
    return findings
