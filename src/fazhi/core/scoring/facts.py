"""The facts scorers read: plain frozen records, filled from the store or from an examples file.

Scorers never query anything; the caller gathers the facts of a period once and passes them in,
so the same scheme scores a database, an examples file or a what-if draft alike. Every fact has
an `id` so that a ledger entry can link back to the record it came from (`<source>:<id>`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from enum import Enum
from types import MappingProxyType
from typing import Any


class Severity(Enum):
    """How grave a problem found by an inspection is (情节轻重)."""

    MINOR = "minor"
    GENERAL = "general"
    SERIOUS = "serious"
    GRAVE = "grave"

    @property
    def label(self) -> str:
        return {"minor": "轻微", "general": "一般", "serious": "较重", "grave": "严重"}[self.value]


class InspectionMethod(Enum):
    """How a middle manager's duty was checked (评查方式)."""

    PHONE = "phone"
    ONLINE = "online"
    VIDEO = "video"
    LEDGER = "ledger"

    @property
    def label(self) -> str:
        return {
            "phone": "电话询问",
            "online": "网上巡查",
            "video": "视频督察",
            "ledger": "台账抽查",
        }[self.value]


WARNING_LEVELS = ("low", "medium", "high", "critical")
WARNING_FINDINGS = ("due_soon", "overdue", "late", "violated")


@dataclass(frozen=True)
class PersonFact:
    """A person; `unit_path` is their unit and every unit above it (for unit subtrees)."""

    id: str
    name: str
    unit: str
    sequence: str | None = None
    roles: tuple[str, ...] = ()
    grids: tuple[str, ...] = ()
    unit_path: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseFact:
    """One case as seen by one handler: `role` is lead or assist; `closed_on` None = open."""

    id: str
    person: str
    role: str
    kind: str
    opened_on: date
    closed_on: date | None = None
    category: str | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class WarningFact:
    """A patrol finding on a case whose lead handler is `person`."""

    id: str
    person: str
    case: str
    level: str
    finding: str
    status: str
    day: date
    control_point: str = ""


@dataclass(frozen=True)
class InspectionFact:
    """A check of one assessment item of one person; `severity` None = no problem found.
    `rectified_on` is the day the rectification was verified (回血 needs it within a window)."""

    id: str
    person: str
    item: str
    method: InspectionMethod
    day: date
    severity: Severity | None = None
    finding: str = ""
    rectified_on: date | None = None


@dataclass(frozen=True)
class DutyShiftFact:
    id: str
    person: str
    day: date
    hall_hours: Decimal


@dataclass(frozen=True)
class ExamFact:
    id: str
    person: str
    day: date
    score: Decimal
    name: str = ""


@dataclass(frozen=True)
class StudyFact:
    id: str
    person: str
    day: date
    hours: Decimal


@dataclass(frozen=True)
class TaskFact:
    """One item of a monthly task list; `done_on` None = unfinished."""

    id: str
    person: str
    due_on: date
    title: str
    done_on: date | None = None
    grid: str | None = None


@dataclass(frozen=True)
class PatrolLogFact:
    """One patrol ride: who, which vehicle, when, how far."""

    id: str
    person: str
    vehicle: str
    day: date
    start: time
    end: time
    km: Decimal


@dataclass(frozen=True)
class QuotaFact:
    """The number of cases a person is to handle in `year` (年度办案任务)."""

    id: str
    person: str
    year: int
    cases: int


FACT_TYPES: Mapping[str, type] = MappingProxyType(
    {
        "cases": CaseFact,
        "warnings": WarningFact,
        "inspections": InspectionFact,
        "duty_shifts": DutyShiftFact,
        "exams": ExamFact,
        "studies": StudyFact,
        "tasks": TaskFact,
        "patrol_logs": PatrolLogFact,
        "quotas": QuotaFact,
    }
)


@dataclass(frozen=True)
class Facts:
    """Everything one scheme run reads, grouped by person on demand."""

    persons: tuple[PersonFact, ...]
    records: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.records) - set(FACT_TYPES)
        if unknown:
            raise ValueError(f"unknown fact kinds: {sorted(unknown)}")
        grouped: dict[str, dict[str, list[Any]]] = {kind: defaultdict(list) for kind in FACT_TYPES}
        for kind, items in self.records.items():
            for item in items:
                grouped[kind][item.person].append(item)
        object.__setattr__(self, "_by_person", grouped)

    def of(self, kind: str, person: str) -> list[Any]:
        """The facts of `kind` (a key of FACT_TYPES) about `person`."""
        return self._by_person[kind].get(person, [])  # type: ignore[attr-defined,no-any-return]


def facts(persons: Iterable[PersonFact], **records: Iterable[Any]) -> Facts:
    return Facts(tuple(persons), {kind: tuple(items) for kind, items in records.items()})
