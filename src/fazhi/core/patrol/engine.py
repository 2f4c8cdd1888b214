"""Per-case evaluation and the whole-file patrol."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from types import MappingProxyType
from typing import Any

from fazhi.core.catalog.model import Catalogue, ControlPoint, Example
from fazhi.core.legaltime import SHANGHAI, HolidayCalendar, in_shanghai
from fazhi.core.records import Alarm, Case, Event, Person, Record, Subject, Unit
from fazhi.core.rules import DUTIES
from fazhi.core.rules.base import Duty, Finding, Timeline, local_day
from fazhi.core.rules.forbidden_overlap import days_touched, officer_buckets, span


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Contract order: case, subject (whole-case findings first), control point; then state,
    time and triggering events so that the order is total and deterministic."""
    return sorted(findings, key=Finding.sort_key)


def _cut(event: Event, as_of: datetime) -> Event:
    """An event as known at `as_of`: an end recorded after `as_of` is not yet known."""
    if event.end is not None and event.end > as_of:
        return replace(event, end=None)
    return event


def evaluate_case(
    timeline: Timeline,
    catalogue: Catalogue,
    as_of: datetime,
    calendar: HolidayCalendar,
    *,
    supplied: frozenset[str] | None = None,
) -> list[Finding]:
    """All findings on one case as of `as_of`, sorted: the duties of `case_duties` that
    raise a finding at that time."""
    as_of = in_shanghai(as_of, field="as_of")
    duties = case_duties(timeline, catalogue, as_of, calendar, supplied=supplied)
    return sort_findings(f for d in duties if (f := d.finding(as_of)) is not None)


def case_duties(
    timeline: Timeline,
    catalogue: Catalogue,
    as_of: datetime,
    calendar: HolidayCalendar,
    *,
    supplied: frozenset[str] | None = None,
) -> list[Duty]:
    """Every duty of one case as of `as_of` (open, ended or violated), in catalogue order.
    The timeline's events after `as_of` are dropped here too, so a caller may hand over the
    case as stored.

    `supplied` is the set of bureau extension names (`x_` event kinds and attributes) the
    data source carries (`supplied_names`). A `needs_data` point raises nothing until one of
    the `x_` names it relies on is supplied; `None` treats every such point as supplied
    (catalogue examples, or a caller that knows its data carries them)."""
    as_of = in_shanghai(as_of, field="as_of")
    if any(e.at > as_of or (e.end is not None and e.end > as_of) for e in timeline.events):
        timeline = replace(
            timeline,
            events=tuple(_cut(e, as_of) for e in timeline.events if e.at <= as_of),
            alarms=tuple(a for a in timeline.alarms if a.at <= as_of),
            others=tuple(_cut(e, as_of) for e in timeline.others if e.at <= as_of),
        )
    duties: list[Duty] = []
    for entry in _plan(catalogue).candidates(timeline):
        point = entry.point
        if entry.case_kind is not None and entry.case_kind != timeline.case.kind:
            continue
        if supplied is not None and point.needs_data and not (entry.needs & supplied):
            continue
        duties.extend(DUTIES[point.kind](point, timeline, as_of, calendar))
    return duties


@dataclass(frozen=True)
class _Entry:
    """A catalogue entry with what the cheap pre-filter needs, computed once per catalogue."""

    point: ControlPoint
    triggers: frozenset[str]
    needs: frozenset[str]
    case_kind: str | None
    derived: bool


@dataclass(frozen=True)
class _Plan:
    """A catalogue's entries indexed by the event kinds that can trigger them."""

    entries: tuple[_Entry, ...]
    always: tuple[int, ...]  # entries without triggers
    derived: tuple[int, ...]  # entries an alarm can start
    by_kind: Mapping[str, tuple[int, ...]]

    @classmethod
    def of(cls, catalogue: Catalogue) -> _Plan:
        entries = tuple(
            _Entry(
                point=p,
                triggers=_triggers(p),
                needs=needs_names(p),
                case_kind=p.applies_to.case_kind,
                derived=bool(p.params.get("derived_from")),
            )
            for p in catalogue.points
        )
        by_kind: dict[str, list[int]] = defaultdict(list)
        for index, entry in enumerate(entries):
            for kind in entry.triggers:
                by_kind[kind].append(index)
        return cls(
            entries,
            always=tuple(i for i, e in enumerate(entries) if not e.triggers),
            derived=tuple(i for i, e in enumerate(entries) if e.derived),
            by_kind={k: tuple(v) for k, v in by_kind.items()},
        )

    def candidates(self, timeline: Timeline) -> list[_Entry]:
        """The entries that may fire on the case, in catalogue order: those without
        triggers, those one of its event kinds triggers, and with alarms the derived ones."""
        chosen = set(self.always)
        for kind in timeline.kinds():
            chosen.update(self.by_kind.get(kind, ()))
        if timeline.alarms:
            chosen.update(self.derived)
        return [self.entries[i] for i in sorted(chosen)]


# A few compiled catalogues, each kept with a strong reference to its catalogue so that the
# id used as key cannot be reused by another object while the entry lives.
_PLANS: dict[int, tuple[Catalogue, _Plan]] = {}


def _plan(catalogue: Catalogue) -> _Plan:
    cached = _PLANS.get(id(catalogue))
    if cached is not None and cached[0] is catalogue:
        return cached[1]
    plan = _Plan.of(catalogue)
    if len(_PLANS) >= 8:
        _PLANS.clear()
    _PLANS[id(catalogue)] = (catalogue, plan)
    return plan


def _triggers(point: ControlPoint) -> frozenset[str]:
    """Event kinds without which the point cannot fire on a case (empty: always evaluate)."""
    kinds: set[str] = set()
    if point.starts_at is not None:
        kinds.add(point.starts_at.kind)
    params = point.params
    for key in ("also_starts_at", "measures", "first_of", "events"):
        for spec in params.get(key, ()):
            kinds.add(spec if isinstance(spec, str) else str(spec.get("event")))
    return frozenset(kinds)


_X_NAME = re.compile(r"\bx_[a-z0-9_]+")


def needs_names(point: ControlPoint) -> frozenset[str]:
    """The `x_` event kinds and attributes a point relies on: named in its `needs_data`
    reason and anywhere in its matches and params."""
    names: set[str] = set(_X_NAME.findall(point.needs_data or ""))

    def walk(value: Any) -> None:
        if isinstance(value, str):
            if value.startswith("x_"):
                names.add(value)
        elif isinstance(value, Mapping):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif isinstance(value, list | tuple | set | frozenset):
            for item in value:
                walk(item)

    for match in (point.starts_at, *point.met_by, *point.superseded_by, *point.excluded_by):
        if match is not None:
            walk(match.kind)
            walk(match.attrs)
    for rule in point.extended_by:
        walk(rule.event)
        walk(rule.attr)
    walk(point.applies_to.start_attrs)
    walk(point.params)
    return frozenset(names)


def supplied_names(records: Iterable[Record]) -> frozenset[str]:
    """Bureau extension names present in the data: `x_` event kinds and `x_` attributes."""
    names: set[str] = set()
    for record in records:
        if isinstance(record, Event):
            if record.kind.startswith("x_"):
                names.add(record.kind)
            if record.attrs:
                names.update(k for k in record.attrs if k.startswith("x_"))
    return frozenset(names)


def overlap_kinds(catalogue: Catalogue) -> frozenset[str]:
    return catalogue.overlap_kinds


def build_timelines(
    records: Iterable[Record], as_of: datetime, catalogue: Catalogue | None = None
) -> list[Timeline]:
    """Group CEIF records by case into timelines, dropping what lies after `as_of`.

    Persons and units are shared by every timeline (they are few). For cross-case overlap
    points, each case gets the other cases' events of the same officers on the same days.
    """
    cases: dict[str, Case] = {}
    subjects: dict[str, dict[str, Subject]] = defaultdict(dict)
    events: dict[str, list[Event]] = defaultdict(list)
    alarms: dict[str, list[Alarm]] = defaultdict(list)
    persons: dict[str, Person] = {}
    units: dict[str, Unit] = {}
    for record in records:
        if isinstance(record, Event):
            if record.at <= as_of:
                events[record.case].append(_cut(record, as_of))
        elif isinstance(record, Case):
            if record.opened_at <= as_of:
                cases[record.id] = record
        elif isinstance(record, Subject):
            subjects[record.case][record.id] = record
        elif isinstance(record, Alarm):
            if record.case is not None and record.at <= as_of:
                alarms[record.case].append(record)
        elif isinstance(record, Person):
            persons[record.id] = record
        elif isinstance(record, Unit):
            units[record.id] = record
    overlap = overlap_kinds(catalogue) if catalogue is not None else frozenset()
    buckets = (
        officer_buckets([e for evs in events.values() for e in evs if e.kind in overlap], as_of)
        if overlap
        else {}
    )
    shared_persons, shared_units = MappingProxyType(persons), MappingProxyType(units)
    timelines = []
    for case_id in sorted(cases):
        own = sorted(events.get(case_id, ()), key=lambda e: (e.at, e.id))
        timelines.append(
            Timeline(
                case=cases[case_id],
                subjects=subjects.get(case_id, {}),
                events=tuple(own),
                persons=shared_persons,
                units=shared_units,
                alarms=tuple(sorted(alarms.get(case_id, ()), key=lambda a: (a.at, a.id))),
                others=others_of(case_id, own, buckets, overlap, as_of),
            )
        )
    return timelines


def others_of(
    case_id: str,
    own: Sequence[Event],
    buckets: Mapping[tuple[str, date], list[Event]],
    overlap: frozenset[str],
    as_of: datetime,
) -> tuple[Event, ...]:
    """Events of other cases sharing an (officer, day) bucket with one of the case's events
    of an overlap kind: what a cross-case overlap rule needs to see."""
    others: dict[tuple[str, str], Event] = {}
    if buckets:
        for event in own:
            if event.kind not in overlap:
                continue
            for bucket in _event_buckets(event, buckets, as_of):
                for other in bucket:
                    if other.case != case_id:
                        others[(other.case, other.id)] = other
    return tuple(others.values())


def _event_buckets(
    event: Event, buckets: Mapping[tuple[str, date], list[Event]], as_of: datetime
) -> list[list[Event]]:
    """The (officer, day) buckets an event falls in."""
    start, end = span(event, as_of)
    return [
        buckets[(officer, day)]
        for officer in dict.fromkeys(event.officers)
        for day in days_touched(start, end)
        if (officer, day) in buckets
    ]


_INFER: Any = object()


def patrol(
    records: Iterable[Record],
    catalogue: Catalogue,
    as_of: datetime,
    calendar: HolidayCalendar,
    *,
    supplied: frozenset[str] | None = _INFER,
) -> list[Finding]:
    """Every finding on every case of `records` as of `as_of`, in contract order.

    `needs_data` points are active when the records carry one of their `x_` names (see
    `evaluate_case`); pass `supplied` to decide otherwise (None: all active)."""
    as_of = in_shanghai(as_of, field="as_of")
    records = list(records)
    if supplied is _INFER:
        supplied = supplied_names(records)
    findings: list[Finding] = []
    for timeline in build_timelines(records, as_of, catalogue):
        findings.extend(evaluate_case(timeline, catalogue, as_of, calendar, supplied=supplied))
    return sort_findings(findings)


# --- catalogue examples as timelines -------------------------------------------------------


def _instant(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)
    if isinstance(value, date):
        return datetime.combine(value, time(0), SHANGHAI)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=SHANGHAI)


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return local_day(value)
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def example_records(point: ControlPoint, example: Example, case_id: str = "C1") -> list[Record]:
    """The CEIF records an example describes (defaults: a case of the point's case kind,
    opened at the first event, in unit U0; officers and subjects as named)."""
    spec = dict(example.case)
    rule = point.applies_to
    kind = spec.get("kind") or rule.case_kind or "criminal"
    category = spec.get("category")
    if category is None and kind == "administrative" and rule.public_order is False:
        category = "other_admin"
    times = [_instant(e["at"]) for e in example.events] or [_instant(example.as_of)]
    first = min(times)
    unit_specs = {u["id"]: u for u in example.units}
    records: list[Record] = [
        Unit(id=uid, name=uid, kind=str(u.get("kind", "station"))) for uid, u in unit_specs.items()
    ]
    if "U0" not in unit_specs:
        records.append(Unit(id="U0", name="U0", kind="station"))
    records.append(
        Case(
            id=case_id,
            kind=str(kind),
            unit=str(spec.get("unit", "U0")),
            opened_at=min(first, _instant(example.as_of)),
            category=category,
            flags=tuple(spec.get("flags", ())),
            act_date=_day(spec.get("act_date")),
            act_end_date=_day(spec.get("act_end_date")),
        )
    )
    named = {s["id"]: s for s in example.subjects}
    for event in example.events:
        sid = event.get("subject")
        if sid and sid not in named:
            named[sid] = {"id": sid}
    for sid, s in named.items():
        records.append(
            Subject(
                id=sid,
                case=case_id,
                birth_date=_day(s.get("birth_date")),
                flags=tuple(s.get("flags", ())),
            )
        )
    people = {p["id"]: p for p in example.persons}
    for event in example.events:
        for pid in event.get("officers") or ():
            people.setdefault(pid, {"id": pid, "roles": ["officer"]})
    for pid, p in people.items():
        records.append(Person(id=pid, name=pid, unit="U0", roles=tuple(p.get("roles", ()))))
    for n, event in enumerate(example.events, start=1):
        attrs = dict(event.get("attrs") or {})
        records.append(
            Event(
                id=str(event.get("id", f"E{n:02d}")),
                case=case_id,
                kind=str(event["kind"]),
                at=_instant(event["at"]),
                subject=event.get("subject"),
                end=_instant(event["end"]) if event.get("end") is not None else None,
                officers=tuple(event.get("officers") or ()),
                attrs=attrs or None,
            )
        )
    return records


def timeline_from_example(point: ControlPoint, example: Example) -> Timeline:
    """The one case of a catalogue example, as of the example's `as_of`."""
    as_of = _instant(example.as_of)
    records = example_records(point, example)
    case = next(r for r in records if isinstance(r, Case))
    # An example's case exists from its first event even if as_of were earlier.
    timelines = build_timelines(records, max(as_of, case.opened_at))
    return timelines[0]


def findings_for(point_code: str, findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.control_point == point_code]
