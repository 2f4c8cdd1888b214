"""What every rule kind shares: the case timeline, findings, and the matching helpers.

Pure: no framework, no clock, no I/O. A rule reads a `Timeline` (one case, its subjects, its
events up to `as_of`, the persons and units it references) and returns `Finding`s.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from types import MappingProxyType
from typing import Any

from fazhi.core.catalog.model import Applicability, ControlPoint, EventMatch, State
from fazhi.core.ceif import NON_PUBLIC_ORDER_ADMIN_CATEGORIES
from fazhi.core.legaltime import SHANGHAI, Step
from fazhi.core.records import Alarm, Case, Event, Person, Subject, Unit

NON_PUBLIC_ORDER_CATEGORIES = NON_PUBLIC_ORDER_ADMIN_CATEGORIES


@dataclass(frozen=True)
class Finding:
    """One patrol finding (CEIF patrol contract).

    `due_at` for the time states (due_soon, overdue, late), `at` for `violated`. `steps`
    explain the due time (legaltime `Due.steps`); `events` are the ids of the events that
    triggered the finding (start event first, then those that shaped or ended the duty).
    `provisional`: the due time rests on a year whose holidays are not yet published (C6).
    `version` is the catalogue version that judged it (`control_point` is the bare code).
    """

    case: str
    subject: str | None
    control_point: str
    state: State
    due_at: datetime | None = None
    at: datetime | None = None
    steps: tuple[Step, ...] = ()
    events: tuple[str, ...] = ()
    version: str | None = None
    provisional: bool = False

    @property
    def time(self) -> datetime:
        value = self.due_at if self.due_at is not None else self.at
        assert value is not None
        return value

    def sort_key(self) -> tuple[str, str, str, str, datetime, str]:
        return (
            self.case,
            self.subject or "",
            self.control_point,
            self.state.value,
            self.time,
            ",".join(self.events),
        )

    def to_json(self) -> dict[str, Any]:
        """The object of the CEIF patrol contract."""
        out: dict[str, Any] = {
            "case": self.case,
            "subject": self.subject,
            "control_point": self.control_point,
            "state": self.state.value,
        }
        key = "at" if self.state is State.VIOLATED else "due_at"
        out[key] = self.time.astimezone(SHANGHAI).replace(microsecond=0).isoformat()
        return out


class DutyState(Enum):
    """Where a duty stands as of a time. The last four are final: the duty has ended."""

    PENDING = "pending"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"
    LATE = "late"
    EXCUSED = "excused"
    VIOLATED = "violated"


_FINDING_OF = {
    DutyState.DUE_SOON: State.DUE_SOON,
    DutyState.OVERDUE: State.OVERDUE,
    DutyState.LATE: State.LATE,
    DutyState.VIOLATED: State.VIOLATED,
}


@dataclass(frozen=True)
class Duty:
    """One legal duty of a case (an obligation), as the patrol derives it from the events.

    A timed duty runs from `started_at` (its `start` event) to `due_at`; it ends at
    `ended_at` by `end_event` (met, or `excused` by a superseding act). A violation is an
    instant duty: `due_at` is None and `ended_at` is when it happened. `reported` are the
    finding states the point reports (`params.findings`); `floating`: the due time moves
    with as_of (an exclusion span still running), so it must be recomputed as time passes.
    """

    case: str
    subject: str | None
    control_point: str
    version: str | None
    start: str
    started_at: datetime
    due_at: datetime | None
    due_soon_at: datetime | None
    ended_at: datetime | None = None
    end_event: str | None = None
    excused: bool = False
    steps: tuple[Step, ...] = ()
    events: tuple[str, ...] = ()
    reported: frozenset[State] = frozenset(State)
    provisional: bool = False
    floating: bool = False

    @property
    def key(self) -> str:
        """Stable identity across re-evaluations: case, subject, entry, start (and, for a
        violation, its time: one act may break the same rule twice)."""
        code = f"{self.control_point}@{self.version}" if self.version else self.control_point
        tail = "" if self.due_at is not None else f"|{self.ended_at.isoformat()}"  # type: ignore[union-attr]
        return f"{self.case}|{self.subject or ''}|{code}|{self.start}{tail}"

    def state(self, as_of: datetime) -> DutyState:
        if self.due_at is None:
            return DutyState.VIOLATED
        if self.ended_at is not None and self.ended_at <= as_of:
            if self.ended_at > self.due_at:
                return DutyState.LATE
            return DutyState.EXCUSED if self.excused else DutyState.MET
        if as_of > self.due_at:
            return DutyState.OVERDUE
        if self.due_soon_at is not None and as_of >= self.due_soon_at:
            return DutyState.DUE_SOON
        return DutyState.PENDING

    def finding(self, as_of: datetime) -> Finding | None:
        """The CEIF finding this duty raises as of `as_of`, if any."""
        state = _FINDING_OF.get(self.state(as_of))
        if state is None or state not in self.reported:
            return None
        return Finding(
            case=self.case,
            subject=self.subject,
            control_point=self.control_point,
            state=state,
            due_at=self.due_at,
            at=self.ended_at if state is State.VIOLATED else None,
            steps=self.steps,
            events=self.events,
            version=self.version,
            provisional=self.provisional,
        )

    @classmethod
    def of_violation(cls, finding: Finding) -> Duty:
        assert finding.state is State.VIOLATED and finding.at is not None
        return cls(
            case=finding.case,
            subject=finding.subject,
            control_point=finding.control_point,
            version=finding.version,
            start=finding.events[0] if finding.events else "",
            started_at=finding.at,
            due_at=None,
            due_soon_at=None,
            ended_at=finding.at,
            events=finding.events,
        )


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if isinstance(mapping, MappingProxyType):  # already read-only: share it (persons, units)
        return mapping
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Timeline:
    """One case as the rules see it. `events` are sorted by (at, id) and already cut at
    `as_of` by whoever built the timeline (`patrol.build_timeline`). `others` holds events of
    other cases a cross-case rule may need (questioning by the same officers, same days)."""

    case: Case
    subjects: Mapping[str, Subject] = field(default_factory=dict)
    events: tuple[Event, ...] = ()
    persons: Mapping[str, Person] = field(default_factory=dict)
    units: Mapping[str, Unit] = field(default_factory=dict)
    alarms: tuple[Alarm, ...] = ()
    others: tuple[Event, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "subjects", _frozen(self.subjects))
        object.__setattr__(self, "persons", _frozen(self.persons))
        object.__setattr__(self, "units", _frozen(self.units))
        by_kind: dict[str, list[Event]] = {}
        for event in self.events:
            by_kind.setdefault(event.kind, []).append(event)
        object.__setattr__(self, "_by_kind", {k: tuple(v) for k, v in by_kind.items()})

    def of_kind(self, kind: str) -> tuple[Event, ...]:
        """Events of one kind, in time order (indexed once per timeline)."""
        return self._by_kind.get(kind, ())  # type: ignore[attr-defined]

    def kinds(self) -> frozenset[str]:
        return frozenset(self._by_kind)  # type: ignore[attr-defined]

    @property
    def public_order(self) -> bool:
        return self.case.kind == "administrative" and (
            self.case.category not in NON_PUBLIC_ORDER_CATEGORIES
        )

    def subject_flags(self, subject: str | None) -> frozenset[str]:
        record = self.subjects.get(subject) if subject else None
        return frozenset(record.flags) if record else frozenset()

    def birth_date(self, subject: str | None) -> date | None:
        record = self.subjects.get(subject) if subject else None
        return record.birth_date if record else None


# --- helpers ------------------------------------------------------------------------------


def attrs_of(event: Event) -> Mapping[str, Any]:
    return event.attrs or {}


def matches(match: EventMatch, event: Event) -> bool:
    if event.kind != match.kind:
        return False
    if not match.attrs:
        return True
    attrs = event.attrs or {}
    return all(attrs.get(name) == value for name, value in match.attrs.items())


def match_from(spec: Any) -> EventMatch:
    """An EventMatch from a params entry: a kind name or {event: kind, attrs: {...}}."""
    if isinstance(spec, EventMatch):
        return spec
    if isinstance(spec, str):
        return EventMatch(spec)
    return EventMatch(str(spec["event"]), dict(spec.get("attrs") or {}))


def matches_of(point: ControlPoint, param: str) -> tuple[EventMatch, ...]:
    """The event matches listed in `params[param]` (kind names or {event, attrs}), built once
    per entry."""
    return point.memo(
        f"matches:{param}", lambda: tuple(match_from(s) for s in point.params.get(param) or ())
    )


def find(timeline: Timeline, match_list: Iterable[EventMatch]) -> list[Event]:
    """Events matching any of `match_list`, time order."""
    out: list[Event] = []
    sources = 0
    for match in match_list:
        events = timeline.of_kind(match.kind)
        if events:
            out.extend(events if not match.attrs else (e for e in events if matches(match, e)))
            sources += 1
    if sources > 1:  # each kind's events are already in time order
        out.sort(key=event_key)
    return out


def event_key(event: Event) -> tuple[datetime, str]:
    return (event.at, event.id)


def same_party(duty_subject: str | None, event: Event) -> bool:
    """An event concerns a duty when it is about the same subject or about the whole case;
    a whole-case duty is concerned by every event."""
    return duty_subject is None or event.subject is None or event.subject == duty_subject


def local_day(instant: datetime) -> date:
    if instant.tzinfo is SHANGHAI:
        return instant.date()
    return instant.astimezone(SHANGHAI).date()


def age_on(birth: date, day: date) -> int:
    """Completed years (周岁) on `day`: the birthday itself completes the year."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def in_force_for(point: ControlPoint, start: Event) -> bool:
    return point.in_force.covers_instant(start.at)


def applies(
    point: ControlPoint,
    timeline: Timeline,
    start: Event | None,
    *,
    ignore_case_flags: bool = False,
) -> bool:
    """The point's `applies_to` for this case, the start event's subject and attributes."""
    rule: Applicability = point.applies_to
    case = timeline.case
    if rule.case_kind is not None and case.kind != rule.case_kind:
        return False
    if rule.public_order is not None and timeline.public_order != rule.public_order:
        return False
    if not ignore_case_flags and rule.case_flags and not set(rule.case_flags) <= set(case.flags):
        return False
    subject = start.subject if start is not None else None
    if rule.subject_flags and not set(rule.subject_flags) <= timeline.subject_flags(subject):
        return False
    if not (rule.start_attrs or rule.start_attrs_min):
        return True
    attrs = attrs_of(start) if start is not None else {}
    if any(attrs.get(k) != v for k, v in rule.start_attrs.items()):
        return False
    for name, bound in rule.start_attrs_min.items():
        value = attrs.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < bound:
            return False
    return True


def violated(
    point: ControlPoint,
    timeline: Timeline,
    subject: str | None,
    at: datetime,
    events: Sequence[Event],
) -> Finding:
    return Finding(
        case=timeline.case.id,
        subject=subject,
        control_point=point.code,
        state=State.VIOLATED,
        at=at,
        events=tuple(e.id for e in events),
        version=point.version,
    )


def detention_exempt(timeline: Timeline, event: Event, exception: str) -> bool:
    """治安法2025§23 ¶1: 行政拘留 is not executed for a person aged 14–16, 16–18 at a first
    offence (subject flag `first_offence`), 70 or more, or pregnant or nursing an infant under
    one — unless the ¶2 exception is recorded (`exception`, an x_ event or attribute).
    Age is taken on the case's act_date, else on the day of the latest detention decision.
    """
    subject = event.subject
    if exception and (
        attrs_of(event).get(exception)
        or any(
            e.subject in (None, subject) and e.at <= event.at for e in timeline.of_kind(exception)
        )
    ):
        return False
    flags = timeline.subject_flags(subject)
    if "pregnant_or_nursing" in flags:
        return True
    birth = timeline.birth_date(subject)
    if birth is None:
        return False
    decided = [
        e
        for e in timeline.of_kind("penalty_decided")
        if e.at <= event.at and e.subject in (None, subject)
    ]
    day = timeline.case.act_date or (local_day(decided[-1].at) if decided else local_day(event.at))
    age = age_on(birth, day)
    return 14 <= age < 16 or (16 <= age < 18 and "first_offence" in flags) or age >= 70
