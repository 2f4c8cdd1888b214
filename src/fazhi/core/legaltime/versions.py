"""Picking the text in force on a date.

An act is judged by the law in force when its start event happened: the 2012 治安管理处罚法
before 2026-01-01, the 2025 text from that day. A table of versions must therefore cover its
range without gaps (a date with no law) or overlaps (a date with two); both are refused when
the table is built, not discovered when a case happens to fall in the hole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar

from fazhi.core.legaltime.instants import local_day

T = TypeVar("T")


@dataclass(frozen=True)
class Version(Generic[T]):
    """`value` is in force from `valid_from` (inclusive) until the day before `valid_before`;
    `valid_before=None` means still in force. E.g. the 2012 text: valid_from 2013-01-01,
    valid_before 2026-01-01."""

    valid_from: date
    valid_before: date | None
    value: T

    def __post_init__(self) -> None:
        for name in ("valid_from", "valid_before"):
            if isinstance(getattr(self, name), datetime):
                raise ValueError(f"Version.{name} must be a date, not a datetime")
        if self.valid_before is not None and self.valid_before <= self.valid_from:
            raise ValueError(
                f"version valid from {self.valid_from} must end after it starts "
                f"(valid_before {self.valid_before})"
            )

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_before is None or day < self.valid_before)


@dataclass(frozen=True)
class VersionTable(Generic[T]):
    """Versions of one thing (a law text, a limit) in date order, contiguous."""

    versions: tuple[Version[T], ...]

    def __init__(self, versions: Iterable[Version[T]]) -> None:
        ordered = tuple(sorted(versions, key=lambda v: v.valid_from))
        if not ordered:
            raise ValueError("a version table needs at least one version")
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            _check_adjacent(earlier, later)
        object.__setattr__(self, "versions", ordered)

    def in_force(self, on: date | datetime) -> T:
        """The value in force on a day, or at an aware instant (its Beijing day)."""
        day = local_day(on, field="on") if isinstance(on, datetime) else on
        for version in self.versions:
            if version.covers(day):
                return version.value
        first, last = self.versions[0], self.versions[-1]
        raise LookupError(
            f"no version in force on {day}: the table covers {first.valid_from} "
            f"to {'now' if last.valid_before is None else f'before {last.valid_before}'}"
        )


def _check_adjacent(earlier: Version[T], later: Version[T]) -> None:
    if earlier.valid_before is None or earlier.valid_before > later.valid_from:
        raise ValueError(
            f"versions overlap: one valid from {earlier.valid_from} "
            f"(before {earlier.valid_before}), the next from {later.valid_from}"
        )
    if earlier.valid_before < later.valid_from:
        raise ValueError(
            f"gap between versions: nothing in force from {earlier.valid_before} "
            f"to the day before {later.valid_from}"
        )
