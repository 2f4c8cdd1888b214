"""Shared engine of the two timed kinds: `deadline` and `duration_limit`.

A duty starts at each start event (per subject of that event, per case when it has none)
whose day lies in the entry's `in_force` range and that its `applies_to` admits. Its due time
comes from `legaltime.compute_due`: the period (or the first matching `params.tiers`),
`extended_by` approvals on record up to as_of, `excluded_by` spans (one still running counts
up to as_of), the entry's holiday rule, and C5 `due_rule.days_before_expiry`. The duty ends
at the first `met_by` event at or after the start for the same subject or the whole case
(for a duration limit also at the start event's own `end`), or is excused by a
`superseded_by` event. States as of `as_of`: late (ended after due_at), overdue (open past
due_at), due_soon (open, not yet due, within lead_time); `params.findings` keeps a subset.

Other params read here (all data, no code per point):
- `also_starts_at`: more start kinds (QT-03); `also_reasons`: the start event with other
  `reason` values (QB-02 终止侦查);
- `subjects` (QB-02): a whole-case start concerns the subjects then under 取保候审/监视居住;
- `derived_from` (LA-02): without the x_ start event, the case's CEIF alarms start the duty;
- `restarted_by` {event, date_attr} (YJ-01): the period runs again from that date;
- `second_stage` {event, period} (JL-07): an `event` on time moves the limit to `period`
  from that event;
- `already_met` {event, until} (DB-02): an earlier `event` still in effect meets the duty;
- `exempt_unless` (XZ-10): no duty for a person 治安法2025§23 exempts from 行政拘留 unless
  the named exception is recorded;
- `applies_after` (QB-03): only once that event has happened for the subject;
- `max_extensions`, `max_days_each` (XZ-01): extensions beyond the legal count/size are not
  counted.
A `superseded_by` event after due_at still makes the duty late (the excuse came late).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta

from fazhi.core.catalog.model import ControlPoint, EventMatch, ExtensionMode, PointKind, State
from fazhi.core.ceif import EVENT_KINDS
from fazhi.core.legaltime import (
    SHANGHAI,
    Due,
    Exclusion,
    ExtendBy,
    ExtendTo,
    Extension,
    HolidayCalendar,
    Period,
    Unit,
    compute_due,
    days_before_expiry,
    parse_period,
)
from fazhi.core.records import Event
from fazhi.core.rules.base import (
    Duty,
    Finding,
    Timeline,
    applies,
    attrs_of,
    detention_exempt,
    event_key,
    find,
    in_force_for,
    matches,
    matches_of,
    same_party,
)

_TIME_STATES = frozenset({State.DUE_SOON, State.OVERDUE, State.LATE})


def event_name(kind: str) -> str:
    """The Chinese name of an event kind, for the counting steps users read."""
    spec = EVENT_KINDS.get(kind)
    return spec.name_zh if spec is not None else kind


def start_matches(point: ControlPoint) -> list[EventMatch]:
    """`starts_at` plus the params that widen it: `also_starts_at` (more event kinds) and
    `also_reasons` (the same event with other `reason` values, QB-02 终止侦查)."""
    return point.memo("start_matches", lambda: _start_matches(point))


def _start_matches(point: ControlPoint) -> list[EventMatch]:
    assert point.starts_at is not None
    out = [point.starts_at, *matches_of(point, "also_starts_at")]
    for reason in point.params.get("also_reasons", ()):
        out.append(EventMatch(point.starts_at.kind, {**point.starts_at.attrs, "reason": reason}))
    return out


def start_events(point: ControlPoint, timeline: Timeline) -> list[Event]:
    starts = find(timeline, start_matches(point))
    if not starts and point.params.get("derived_from") and timeline.alarms:
        # LA-02: the x_alarm_received start is the CEIF alarm linked to the case.
        assert point.starts_at is not None
        starts = [
            Event(id=f"alarm:{a.id}", case=timeline.case.id, kind=point.starts_at.kind, at=a.at)
            for a in sorted(timeline.alarms, key=lambda a: (a.at, a.id))
        ]
    return starts


def lead(point: ControlPoint) -> timedelta:
    period = point.lead_time
    if period is None:
        return timedelta(0)
    if period.unit is Unit.HOURS:
        return timedelta(hours=period.amount)
    if period.unit in (Unit.DAYS, Unit.WORKING_DAYS):
        return timedelta(days=period.amount)
    return timedelta(days=30 * period.counted_amount)


def tier(point: ControlPoint, timeline: Timeline, start: Event) -> tuple[Period, bool, str]:
    """The period and holiday rule for this start: the first matching tier, else the point's."""
    if "tiers" not in point.params:
        assert point.period is not None
        return point.period, bool(point.holiday_shift), ""
    case_flags = set(timeline.case.flags)
    subject_flags = timeline.subject_flags(start.subject)
    attrs = attrs_of(start)
    for item in point.params.get("tiers", ()):
        when = item.get("when") or {}
        if (
            set(when.get("case_flags", ())) <= case_flags
            and set(when.get("subject_flags", ())) <= subject_flags
            and all(attrs.get(k) == v for k, v in (when.get("start_attrs") or {}).items())
        ):
            shift = item.get("holiday_shift", point.holiday_shift)
            return parse_period(item["period"]), bool(shift), str(item.get("label", ""))
    assert point.period is not None
    return point.period, bool(point.holiday_shift), ""


def extensions(
    point: ControlPoint, timeline: Timeline, start: Event, subject: str | None, as_of: datetime
) -> tuple[list[Extension], list[Event]]:
    found: list[tuple[tuple[datetime, str], Extension, Event]] = []
    for rule in point.extended_by:
        if rule.event == start.kind:
            sources: list[Event] = [start]
        else:
            sources = [
                e
                for e in timeline.of_kind(rule.event)
                if e.at >= start.at and same_party(subject, e)
            ]
        for event in sources:
            value = attrs_of(event).get(rule.attr)
            if value in (None, False):
                continue
            if rule.period is not None:
                ext: Extension = ExtendTo(rule.period, rule.event)
            else:
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    continue
                assert rule.unit is not None
                cls = ExtendBy if rule.mode is ExtensionMode.BY else ExtendTo
                ext = cls(Period(rule.unit, value), rule.event)
            found.append((event_key(event), ext, event))
    found.sort(key=lambda item: item[0])
    limit = point.params.get("max_extensions")
    each = point.params.get("max_days_each")
    kept: list[tuple[tuple[datetime, str], Extension, Event]] = []
    for item in found:
        if isinstance(limit, int) and len(kept) >= limit:
            break
        ext = item[1]
        if isinstance(each, int) and ext.period.amount > each:
            ext = type(ext)(Period(ext.period.unit, each), ext.basis)
        kept.append((item[0], ext, item[2]))
    return [k[1] for k in kept], [k[2] for k in kept]


def exclusions(
    point: ControlPoint, timeline: Timeline, subject: str | None, as_of: datetime
) -> list[Exclusion]:
    """Spans the period does not count; one still running at as_of counts up to as_of
    (its Exclusion then ends exactly at as_of: see `compute`)."""
    out = []
    for match in point.excluded_by:
        for event in timeline.of_kind(match.kind):
            if not matches(match, event) or not same_party(subject, event):
                continue
            end = event.end if event.end is not None and event.end <= as_of else as_of
            if end < event.at:
                continue
            out.append(Exclusion(event.at, end, event.kind))
    return out


def _restart(point: ControlPoint, timeline: Timeline, start: Event, subject: str | None):
    rule = point.params.get("restarted_by")
    if not rule:
        return start.at, None
    restart = None
    for event in timeline.of_kind(rule["event"]):
        if event.at >= start.at and same_party(subject, event):
            day = attrs_of(event).get(rule["date_attr"])
            if day is not None:
                restart = event, datetime.combine(day, time(0), SHANGHAI)
    if restart is None:
        return start.at, None
    return restart[1], restart[0]


def compute(
    point: ControlPoint,
    timeline: Timeline,
    start: Event,
    subject: str | None,
    as_of: datetime,
    calendar: HolidayCalendar,
) -> tuple[Due, list[Event], bool]:
    """The due time of the duty started by `start`, the events that shaped it, and whether
    it floats (an exclusion still running at as_of: the due time moves on with time)."""
    if "second_stage" in point.params:
        due, shaping = _two_stage_due(point, timeline, start, subject, as_of, calendar)
        return due, shaping, False
    period, shift, label = tier(point, timeline, start)
    begin, restarted = _restart(point, timeline, start, subject)
    exts, ext_events = extensions(point, timeline, start, subject, as_of)
    excl = (
        exclusions(point, timeline, subject, as_of)
        if period.unit in (Unit.DAYS, Unit.MONTHS, Unit.YEARS)
        else []
    )
    try:
        due = compute_due(
            begin,
            period,
            holiday_shift=shift,
            calendar=calendar,
            extensions=exts,
            exclusions=excl,
            start_label=label or event_name(start.kind),
        )
    except ValueError:  # an inconsistent extension on record: judge by the plain period
        due = compute_due(begin, period, holiday_shift=shift, calendar=calendar)
        ext_events = []
    before = (point.params.get("due_rule") or {}).get("days_before_expiry")
    if before:
        due = days_before_expiry(due, int(before))
    shaping = [*ext_events, *([restarted] if restarted is not None else [])]
    floating = any(span.end == as_of for span in excl)
    return due, shaping, floating


def _two_stage_due(
    point: ControlPoint,
    timeline: Timeline,
    start: Event,
    subject: str | None,
    as_of: datetime,
    calendar: HolidayCalendar,
) -> tuple[Due, list[Event]]:
    """`params.second_stage` {event, period}: a limit in two stages (JL-07 羁押上限). When
    `event` happens on time within the first period, the limit becomes `period` counted from
    that event (刑诉法§91 ¶3: the procuratorate decides within seven days of the request);
    otherwise the first period is the limit."""
    assert point.period is not None
    rule = point.params["second_stage"]
    exts, ext_events = extensions(point, timeline, start, subject, as_of)
    first = compute_due(
        start.at,
        point.period,
        holiday_shift=bool(point.holiday_shift),
        calendar=calendar,
        extensions=exts,
        start_label=event_name(start.kind),
    )
    for event in timeline.of_kind(str(rule["event"])):
        if event.at >= start.at and same_party(subject, event):
            if first.is_on_time(event.at):
                due = compute_due(
                    event.at,
                    parse_period(rule["period"]),
                    holiday_shift=bool(point.holiday_shift),
                    calendar=calendar,
                    start_label=event_name(event.kind),
                )
                return due, [*ext_events, event]
            break
    return first, ext_events


def _subjects(point: ControlPoint, timeline: Timeline, start: Event) -> list[str | None]:
    """Whom the duty concerns: the start event's subject (or the case), or for QB-02 the
    subjects under 取保候审/监视居住 when the case was closed."""
    if "subjects" not in point.params or start.subject is not None:
        return [start.subject]
    holders: dict[str, bool] = {}
    on = ("bail", "residential_surveillance")
    off = (
        "bail_lifted",
        "residential_surveillance_lifted",
        "criminal_detention",
        "arrest_executed",
        "released",
    )
    for event in timeline.events:
        if event.at > start.at:
            break
        if event.subject is None:
            continue
        if event.kind in on:
            holders[event.subject] = True
        elif event.kind in off:
            holders[event.subject] = False
    return [s for s, holding in sorted(holders.items()) if holding]


def _end(
    point: ControlPoint, timeline: Timeline, start: Event, subject: str | None, as_of: datetime
) -> tuple[datetime | None, Event | None, bool]:
    """When the duty ended (met or excused), the event that ended it, and whether excused."""
    best: tuple[datetime, str] | None = None
    best_event: Event | None = None
    excused = False
    earlier = _already_met(point, timeline, start, subject)
    if earlier is not None:
        return start.at, earlier, False
    if point.kind is PointKind.DURATION_LIMIT and start.end is not None and start.end <= as_of:
        best, best_event = (start.end, start.id), start
    for group, is_excuse in ((point.met_by, False), (point.superseded_by, True)):
        for match in group:
            for event in timeline.of_kind(match.kind):
                if event.id == start.id or event.at < start.at:
                    continue
                if not same_party(subject, event) or not matches(match, event):
                    continue
                if best is None or event_key(event) < best:
                    best, best_event, excused = event_key(event), event, is_excuse
                break
    return (best[0] if best else None), best_event, excused


def _already_met(
    point: ControlPoint, timeline: Timeline, start: Event, subject: str | None
) -> Event | None:
    """`params.already_met` {event, until}: the duty was met before it arose, by an `event`
    still in effect (no `until` event since) — DB-02: 拘留后已送看守所, 逮捕时无须再送."""
    rule = point.params.get("already_met")
    if not rule:
        return None
    found: Event | None = None
    until = set(rule.get("until", ()))
    for event in timeline.events:
        if event.at > start.at:
            break
        if event.id == start.id or not same_party(subject, event):
            continue
        if event.kind == rule["event"]:
            found = event
        elif event.kind in until:
            found = None
    return found


def duties(
    point: ControlPoint, timeline: Timeline, as_of: datetime, calendar: HolidayCalendar
) -> list[Duty]:
    """Every duty of one timed point on one case as of `as_of`, ended or not."""
    if point.starts_at is None or point.period is None:
        return []
    reported, after, exempt, soon = point.memo("timed", lambda: _constants(point))
    found: list[Duty] = []
    for start in start_events(point, timeline):
        if start.at > as_of or not in_force_for(point, start):
            continue
        if not applies(point, timeline, start):
            continue
        for subject in _subjects(point, timeline, start):
            if exempt and detention_exempt(timeline, replace(start, subject=subject), exempt):
                continue
            if after and not any(same_party(subject, e) for e in timeline.of_kind(after)):
                continue
            due, shaping, floating = compute(point, timeline, start, subject, as_of, calendar)
            ended_at, ender, excused = _end(point, timeline, start, subject, as_of)
            ids = [start.id, *(e.id for e in shaping)]
            if ender is not None and ender.id != start.id:
                ids.append(ender.id)
            found.append(
                Duty(
                    case=timeline.case.id,
                    subject=subject,
                    control_point=point.code,
                    version=point.version,
                    start=start.id,
                    started_at=start.at,
                    due_at=due.due_at,
                    due_soon_at=due.due_at - soon,
                    ended_at=ended_at,
                    end_event=ender.id if ender is not None else None,
                    excused=excused,
                    steps=due.steps,
                    events=tuple(ids),
                    reported=reported,
                    provisional=due.provisional,
                    floating=floating and ended_at is None,
                )
            )
    return found


def _constants(point: ControlPoint) -> tuple[frozenset[State], str | None, str | None, timedelta]:
    """What `duties` reads of the point's parameters: reported findings, `applies_after`,
    `exempt_unless` and the due-soon lead."""
    reported = frozenset(State(s) for s in point.params.get("findings", ())) or _TIME_STATES
    after = point.params.get("applies_after")
    return reported, (str(after) if after else None), point.params.get("exempt_unless"), lead(point)


def evaluate(
    point: ControlPoint, timeline: Timeline, as_of: datetime, calendar: HolidayCalendar
) -> list[Finding]:
    """All findings of one timed point on one case as of `as_of`."""
    findings = (duty.finding(as_of) for duty in duties(point, timeline, as_of, calendar))
    return [f for f in findings if f is not None]
