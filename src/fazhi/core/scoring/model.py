"""Typed assessment schemes, as read from `catalog/schemes/` (frozen: shared by every run)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from fazhi.core.scoring.facts import Facts, PersonFact, Severity
from fazhi.core.scoring.periods import PeriodKind

RANK_GROUPS = ("sequence", "unit", "grid")


def frozen(mapping: Mapping[Any, Any] | None) -> Mapping[Any, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Source:
    """Where an item comes from: a seed file in `shared/seeds/` and words quoted from it."""

    seed: str
    quote: str


@dataclass(frozen=True)
class InForce:
    """Days between which a scheme version applies, both inclusive; `valid_to=None`: still."""

    valid_from: date
    valid_to: date | None = None

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Exposure:
    """Normalise an item per case handled: points × per_cases / max(cases handled, min_cases),
    so an officer who handles many cases is not ranked below one who handles few for the
    warnings that volume brings."""

    per_cases: int
    min_cases: int


@dataclass(frozen=True)
class Recovery:
    """回血反分: a deduction whose rectification is verified within `window_days` of the finding
    gets `share` of it back, at most `cap` points per person and period."""

    window_days: int
    share: Decimal
    cap: Decimal


@dataclass(frozen=True)
class Population:
    """Who is assessed: people in any of `sequences`, holding any of `roles`, in the subtree of
    any of `units` (each empty = no restriction)."""

    sequences: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    units: tuple[str, ...] = ()

    def includes(self, person: PersonFact) -> bool:
        in_sequence = not self.sequences or person.sequence in self.sequences
        in_role = not self.roles or bool(set(self.roles) & set(person.roles))
        path = set(person.unit_path or (person.unit,))
        in_units = not self.units or bool(set(self.units) & path)
        return in_sequence and in_role and in_units


@dataclass(frozen=True)
class Item:
    """One scored item: an automatic scorer `kind` with its `params`, or `manual` (inspections).
    `cap` and `floor` bound the item's total per person and period."""

    code: str
    name: str
    kind: str
    source: Source
    params: Mapping[str, Any] = field(default_factory=dict)
    dimension: str | None = None
    cap: Decimal | None = None
    floor: Decimal | None = None
    exposure: Exposure | None = None
    line: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", frozen(self.params))


@dataclass(frozen=True)
class Expectation:
    """What an example must produce for one person: score, and rank when given."""

    person: str
    score: Decimal
    rank: int | None = None
    items: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Example:
    """A small fact set and the scores and ranks the scheme must give on it."""

    name: str
    period: str
    facts: Facts
    expect: tuple[Expectation, ...]
    line: int = 0


@dataclass(frozen=True)
class Scheme:
    code: str
    version: str
    name: str
    in_force: InForce
    population: Population
    periods: tuple[PeriodKind, ...]
    items: tuple[Item, ...]
    source: Source
    rank_by: str = "sequence"
    dimensions: Mapping[str, str] = field(default_factory=dict)
    base: Decimal = Decimal(0)
    floor: Decimal | None = None
    cap: Decimal | None = None
    severities: Mapping[Severity, Decimal] = field(default_factory=dict)
    recovery: Recovery | None = None
    ties: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "dimensions", frozen(self.dimensions))
        object.__setattr__(self, "severities", frozen(self.severities))

    def item(self, code: str) -> Item:
        return next(i for i in self.items if i.code == code)
