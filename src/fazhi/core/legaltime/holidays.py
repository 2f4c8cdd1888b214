"""Which days are 节假日 and which are 工作日 (choice C6).

A 节假日 is a statutory holiday or an ordinary Saturday or Sunday; a weekend day the State
Council declares a working day (调休上班) is a 工作日. The data come from `chinese_calendar`
(a maintained library), and a bureau can correct or extend them with an override table — the
notice for next year appears in November, and a library release may lag behind it.

A year that neither the library nor the bureau covers is computed with weekends only; every
day classified that way is marked provisional so the due date built on it is flagged too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from types import MappingProxyType

import chinese_calendar  # type: ignore[import-untyped]

from fazhi.core.legaltime.instants import format_day

# A run of rest days longer than this means the override table is broken (every holiday in
# the notices is at most nine days, a weekend included).
_MAX_REST_RUN = 60


class DayStatus(Enum):
    """Whether a day is a working day or a 节假日."""

    WORKING = "working"
    REST = "rest"


class DaySource(Enum):
    """Where a day's status came from."""

    LIBRARY = "library"
    BUREAU = "bureau"
    WEEKENDS_ONLY = "weekends_only"


@dataclass(frozen=True)
class DayOverride:
    """One entry of a bureau's table: the status of a day, and its name for explanations."""

    status: DayStatus
    name: str = ""


@dataclass(frozen=True)
class CalendarDay:
    """A classified day: what it is, why, and whether that is certain."""

    day: date
    status: DayStatus
    name: str
    source: DaySource

    @property
    def is_working(self) -> bool:
        return self.status is DayStatus.WORKING

    @property
    def provisional(self) -> bool:
        """True when the year's holiday data were missing and only weekends were used."""
        return self.source is DaySource.WEEKENDS_ONLY

    @property
    def description(self) -> str:
        """E.g. `2026-10-03（周六）国庆节`."""
        return f"{format_day(self.day)}{self.name}"


def _library_names(table: Mapping[date, str]) -> Mapping[date, str]:
    """The library keys holidays by English name; explanations need the Chinese one."""
    return {day: chinese_calendar.Holiday(english).chinese for day, english in table.items()}


_LIBRARY_REST: Mapping[date, str] = MappingProxyType(_library_names(chinese_calendar.holidays))
_LIBRARY_WORKING: Mapping[date, str] = MappingProxyType(_library_names(chinese_calendar.workdays))
LIBRARY_YEARS: range = range(min(_LIBRARY_REST).year, max(_LIBRARY_REST).year + 1)


@dataclass(frozen=True)
class HolidayCalendar:
    """The library calendar, corrected and extended by a bureau's override table.

    `overrides` win over the library for their dates. `complete_years` lists years for which
    the bureau has entered the whole State Council notice, so they count as covered even where
    the library has no data.
    """

    overrides: Mapping[date, DayOverride] = field(default_factory=dict)
    complete_years: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        # Freeze a private copy: a calendar shared between computations must not change.
        object.__setattr__(self, "overrides", MappingProxyType(dict(self.overrides)))
        object.__setattr__(self, "complete_years", frozenset(self.complete_years))

    def covers(self, year: int) -> bool:
        """Whether the holidays of `year` are known (library or a complete bureau table)."""
        return year in LIBRARY_YEARS or year in self.complete_years

    def day(self, day: date) -> CalendarDay:
        """Classify one day: override, then library, then weekends only (provisional)."""
        override = self.overrides.get(day)
        if override is not None:
            return _from_override(day, override)
        if day.year in LIBRARY_YEARS:
            return _from_library(day)
        source = DaySource.BUREAU if self.covers(day.year) else DaySource.WEEKENDS_ONLY
        return _weekday_rule(day, source)

    def is_working_day(self, day: date) -> bool:
        return self.day(day).is_working

    def days_until_working(self, day: date) -> tuple[CalendarDay, ...]:
        """`day` and the following days up to and including the first working day.

        Used for the holiday shift: the last element is the new last day, the others are the
        节假日 that were skipped.
        """
        consulted = [self.day(day)]
        while not consulted[-1].is_working:
            if len(consulted) > _MAX_REST_RUN:
                raise ValueError(f"no working day within {_MAX_REST_RUN} days after {day}")
            consulted.append(self.day(consulted[-1].day + timedelta(days=1)))
        return tuple(consulted)

    def working_days_after(self, day: date, count: int) -> tuple[CalendarDay, ...]:
        """The days after `day` up to and including its `count`-th working day.

        `day` itself is not counted (刑诉法§105: 「期间开始的时和日不算在期间以内」).
        """
        consulted: list[CalendarDay] = []
        current = day
        found = 0
        while found < count:
            current += timedelta(days=1)
            classified = self.day(current)
            consulted.append(classified)
            if classified.is_working:
                found += 1
        return tuple(consulted)


def uncovered_years(days: Iterable[CalendarDay]) -> tuple[int, ...]:
    """Sorted years of the provisional days among `days`."""
    return tuple(sorted({d.day.year for d in days if d.provisional}))


def _from_override(day: date, override: DayOverride) -> CalendarDay:
    default = "工作日" if override.status is DayStatus.WORKING else "节假日"
    return CalendarDay(
        day, override.status, f"{override.name or default}（本局调整）", DaySource.BUREAU
    )


def _from_library(day: date) -> CalendarDay:
    if day in _LIBRARY_WORKING:
        name = f"调休上班日（{_LIBRARY_WORKING[day]}）"
        return CalendarDay(day, DayStatus.WORKING, name, DaySource.LIBRARY)
    if day in _LIBRARY_REST:
        return CalendarDay(day, DayStatus.REST, _LIBRARY_REST[day], DaySource.LIBRARY)
    return _weekday_rule(day, DaySource.LIBRARY)


def _weekday_rule(day: date, source: DaySource) -> CalendarDay:
    if day.weekday() >= 5:
        return CalendarDay(day, DayStatus.REST, "休息日", source)
    return CalendarDay(day, DayStatus.WORKING, "工作日", source)
