"""What the patrol and the pages read of the bureau's settings.

The patrol asks for these on every re-evaluation of a case (a hot path, see
`fazhi.apps.patrol.timelines`), so they are read with plain SQL and the calendar is built
once per distinct table content."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from django.db import connection

from fazhi.apps.bureau.models import CompleteYear, HolidayOverride, InternalStandard
from fazhi.core.legaltime import DayOverride, DayStatus, HolidayCalendar


def _rows(sql: str) -> tuple[tuple[Any, ...], ...]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(tuple(row) for row in cursor.fetchall())


def holiday_calendar() -> HolidayCalendar:
    """The library calendar with the bureau's overrides and complete years applied."""
    overrides = _rows(
        f"SELECT day, workday, note FROM {HolidayOverride._meta.db_table} ORDER BY day"
    )
    years = _rows(f"SELECT year FROM {CompleteYear._meta.db_table} ORDER BY year")
    return _calendar(overrides, years)


@lru_cache(maxsize=8)
def _calendar(
    overrides: tuple[tuple[Any, ...], ...], years: tuple[tuple[Any, ...], ...]
) -> HolidayCalendar:
    return HolidayCalendar(
        overrides={
            _day(day): DayOverride(DayStatus.WORKING if workday else DayStatus.REST, note)
            for day, workday, note in overrides
        },
        complete_years=frozenset(int(year) for (year,) in years),
    )


def _day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def internal_standards() -> dict[str, int]:
    """{control point code: hours} for the points the bureau has set a threshold for."""
    table = InternalStandard._meta.db_table
    return {code: int(hours) for code, hours in _rows(f"SELECT control_point, hours FROM {table}")}
