"""What the patrol and the pages read of the bureau's settings."""

from __future__ import annotations

from fazhi.apps.bureau.models import CompleteYear, HolidayOverride, InternalStandard
from fazhi.core.legaltime import DayOverride, DayStatus, HolidayCalendar


def holiday_calendar() -> HolidayCalendar:
    """The library calendar with the bureau's overrides and complete years applied."""
    overrides = {
        day: DayOverride(DayStatus.WORKING if workday else DayStatus.REST, note)
        for day, workday, note in HolidayOverride.objects.values_list("day", "workday", "note")
    }
    years = frozenset(CompleteYear.objects.values_list("year", flat=True))
    return HolidayCalendar(overrides=overrides, complete_years=years)


def internal_standards() -> dict[str, int]:
    """{control point code: hours} for the points the bureau has set a threshold for."""
    return dict(InternalStandard.objects.values_list("control_point", "hours"))
