"""Typed control points and their examples, as read from `catalog/control_points/`.

Everything is frozen: a loaded catalogue is shared by every patrol run and must not change
under it. The loader (`load.py`) builds these objects only from files that passed its checks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import Enum
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from fazhi.core.legaltime import Period, Unit
from fazhi.core.legaltime.instants import SHANGHAI

T = TypeVar("T")


class PointKind(Enum):
    """What a control point checks; the patrol has one rule module per kind."""

    DEADLINE = "deadline"  # a duty to act within a period after a start event
    DURATION_LIMIT = "duration_limit"  # a measure on a person that may not last longer than
    REQUIRED_STEP = "required_step"  # an act that must precede (or accompany) another
    REQUIRED_ATTRIBUTE = "required_attribute"  # an event must carry a fact (recorded, 2 officers)
    FORBIDDEN_OVERLAP = "forbidden_overlap"  # two things that may not happen at once / back to back
    COUNT_LIMIT = "count_limit"  # something may happen at most N times / sum to at most N
    AUTHORITY = "authority"  # a decision reserved to a higher organ or a prior permission

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS: Mapping[PointKind, str] = MappingProxyType(
    {
        PointKind.DEADLINE: "办理期限",
        PointKind.DURATION_LIMIT: "持续时间上限",
        PointKind.REQUIRED_STEP: "必经程序",
        PointKind.REQUIRED_ATTRIBUTE: "必备要素",
        PointKind.FORBIDDEN_OVERLAP: "禁止情形",
        PointKind.COUNT_LIMIT: "次数/数额上限",
        PointKind.AUTHORITY: "审批权限",
    }
)


class Level(Enum):
    """Risk level of a finding (风险等级)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Role(Enum):
    """Who an overdue finding is escalated to (逐级推送)."""

    LEAD_HANDLER = "lead_handler"  # 主办民警
    LEGAL_OFFICER = "legal_officer"  # 法制员
    UNIT_HEAD = "unit_head"  # 所队长
    LEGAL_DEPARTMENT = "legal_department"  # 法制部门
    BUREAU_LEADER = "bureau_leader"  # 局领导


class State(Enum):
    """Finding states of the CEIF patrol contract."""

    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    LATE = "late"
    VIOLATED = "violated"


class ExtensionMode(Enum):
    """延长 N (the attribute is the amount added) or 延长至 N (the attribute is the new total)."""

    BY = "by"
    TO = "to"


@dataclass(frozen=True)
class Basis:
    """One legal text behind a point: short source name, law file, article, verbatim words."""

    source: str
    file: str
    article: str
    quote: str
    line: int = 0


@dataclass(frozen=True)
class InForce:
    """Days between which the point applies, both inclusive; `valid_to=None`: still in force.
    A case is judged by the entry in force on the day of its start event."""

    valid_from: date
    valid_to: date | None = None

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def covers_instant(self, at: datetime) -> bool:
        """`covers` of the Beijing day of `at`, without converting `at` (a hot path)."""
        first, after = self._bounds
        return first <= at and (after is None or at < after)

    @cached_property
    def _bounds(self) -> tuple[datetime, datetime | None]:
        first = datetime.combine(self.valid_from, time(0), SHANGHAI)
        if self.valid_to is None:
            return first, None
        return first, datetime.combine(self.valid_to + timedelta(days=1), time(0), SHANGHAI)

    def overlaps(self, other: InForce) -> bool:
        self_end = self.valid_to or date.max
        other_end = other.valid_to or date.max
        return self.valid_from <= other_end and other.valid_from <= self_end


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class EventMatch:
    """An event kind, optionally narrowed by attribute values (`family_notified{for: arrest}`)."""

    kind: str
    attrs: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "attrs", _frozen(self.attrs))

    def matches(self, event: Mapping[str, Any]) -> bool:
        if event.get("kind") != self.kind:
            return False
        attrs = event.get("attrs") or {}
        return all(attrs.get(name) == value for name, value in self.attrs.items())


@dataclass(frozen=True)
class ExtensionRule:
    """How a recorded approval lengthens the period.

    Either the attribute `attr` of `event` holds an amount of `unit` (added with mode `by`, or
    the new total with mode `to`), or, when `period` is set, a true `attr` makes `period` the
    new total (e.g. 传唤 `extended` → 24 小时). `event` may be the start event itself.
    """

    event: str
    attr: str
    mode: ExtensionMode
    unit: Unit | None = None
    period: Period | None = None


@dataclass(frozen=True)
class Escalation:
    """After `after` past due, the finding is pushed to `to`."""

    after: Period
    to: Role


@dataclass(frozen=True)
class Applicability:
    """Which cases, subjects and start events the point applies to (all conditions hold).

    `start_attrs` are exact values of the start event's attributes; `start_attrs_min` are
    numeric lower bounds (e.g. `detention_days: 1`: the decision includes 行政拘留).

    `public_order`: True for 治安案件 only, False for administrative cases of another field
    (CEIF: the case category is one of `ceif.NON_PUBLIC_ORDER_ADMIN_CATEGORIES`).
    """

    case_kind: str | None = None
    public_order: bool | None = None
    case_flags: tuple[str, ...] = ()
    subject_flags: tuple[str, ...] = ()
    start_attrs: Mapping[str, Any] = field(default_factory=dict)
    start_attrs_min: Mapping[str, int | float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "start_attrs", _frozen(self.start_attrs))
        object.__setattr__(self, "start_attrs_min", _frozen(self.start_attrs_min))


@dataclass(frozen=True)
class Expectation:
    """One finding an example must produce: `due_at` for time findings, `at` for violations."""

    subject: str | None
    state: State
    due_at: datetime | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class Example:
    """A CEIF-like timeline and the findings the patrol must produce on it as of `as_of`.
    An empty `expect` is a must-not-fire case."""

    name: str
    as_of: datetime
    events: tuple[Mapping[str, Any], ...]
    expect: tuple[Expectation, ...]
    case: Mapping[str, Any] = field(default_factory=dict)
    subjects: tuple[Mapping[str, Any], ...] = ()
    persons: tuple[Mapping[str, Any], ...] = ()
    units: tuple[Mapping[str, Any], ...] = ()
    line: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "case", _frozen(self.case))
        object.__setattr__(self, "persons", tuple(_frozen(p) for p in self.persons))
        object.__setattr__(self, "units", tuple(_frozen(u) for u in self.units))
        object.__setattr__(self, "events", tuple(_frozen(e) for e in self.events))
        object.__setattr__(self, "subjects", tuple(_frozen(s) for s in self.subjects))

    @property
    def must_fire(self) -> bool:
        return bool(self.expect)


@dataclass(frozen=True)
class ControlPoint:
    """One control point (风险控制点); see the package docstring for the file schema."""

    code: str
    name: str
    area: str
    kind: PointKind
    basis: tuple[Basis, ...]
    in_force: InForce
    level: Level
    path: Path
    version: str | None = None
    starts_at: EventMatch | None = None
    met_by: tuple[EventMatch, ...] = ()
    superseded_by: tuple[EventMatch, ...] = ()
    period: Period | None = None
    extended_by: tuple[ExtensionRule, ...] = ()
    excluded_by: tuple[EventMatch, ...] = ()
    holiday_shift: bool | None = None
    lead_time: Period | None = None
    escalation: tuple[Escalation, ...] = ()
    internal_standard: bool = False
    needs_data: str | None = None
    applies_to: Applicability = field(default_factory=Applicability)
    params: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""
    examples: tuple[Example, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", _frozen(self.params))

    def memo(self, name: str, build: Callable[[], T]) -> T:
        """`build()`, computed once per entry: what a rule derives from the entry's own
        parameters (its event matches), which every case would otherwise derive again."""
        cache: dict[str, Any] | None = self.__dict__.get("_memo")
        if cache is None:
            cache = {}
            object.__setattr__(self, "_memo", cache)
        if name not in cache:
            cache[name] = build()
        return cache[name]

    @property
    def key(self) -> str:
        """Code plus version: unique in a catalogue (`CH-04@2012`)."""
        return f"{self.code}@{self.version}" if self.version else self.code


@dataclass(frozen=True)
class Catalogue:
    """All control points of a catalogue directory, in code order."""

    points: tuple[ControlPoint, ...]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(p.code for p in self.points)

    # Computed once per catalogue (cached_property writes past the frozen __setattr__): every
    # re-evaluation of a case reads them, and a catalogue lives as long as its process.
    @cached_property
    def by_key(self) -> Mapping[tuple[str, str | None], ControlPoint]:
        """(code, version) → entry."""
        return {(p.code, p.version): p for p in self.points}

    @cached_property
    def overlap_kinds(self) -> frozenset[str]:
        """The event kinds one officer must not do two of at once (forbidden-overlap points
        about the same officer): the events other cases lend a case's timeline."""
        kinds: set[str] = set()
        for point in self.points:
            if point.kind is PointKind.FORBIDDEN_OVERLAP and point.params.get("same_officer"):
                for spec in point.params.get("events", ()):
                    kinds.add(spec if isinstance(spec, str) else str(spec.get("event")))
        return frozenset(kinds)

    def versions(self, code: str) -> tuple[ControlPoint, ...]:
        return tuple(p for p in self.points if p.code == code)

    def in_force(self, code: str, on: date) -> tuple[ControlPoint, ...]:
        """The entries of `code` that apply to a start event on day `on`: normally one; two
        when the versions split the cases between them (治安案件 / other administrative
        fields, see `Applicability.public_order`)."""
        return tuple(p for p in self.versions(code) if p.in_force.covers(on))
