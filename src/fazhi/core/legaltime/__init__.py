"""Legal time arithmetic (期间计算): periods, holidays, extensions, exclusions, versions.

Pure: no framework, no settings, no clock. All instants are aware and counted in
Asia/Shanghai; the platform's choices C1–C6 (shared/control-points.md) are documented where
they are implemented.
"""

from fazhi.core.legaltime.due import Due, compute_due, days_before_expiry
from fazhi.core.legaltime.exclusions import Exclusion, MergedSpan
from fazhi.core.legaltime.extensions import ExtendBy, ExtendTo, Extension
from fazhi.core.legaltime.holidays import (
    LIBRARY_YEARS,
    CalendarDay,
    DayOverride,
    DaySource,
    DayStatus,
    HolidayCalendar,
)
from fazhi.core.legaltime.instants import SHANGHAI, end_of_day, in_shanghai
from fazhi.core.legaltime.periods import MonthRule, Period, Unit, add_months, parse_period
from fazhi.core.legaltime.steps import (
    DaysBefore,
    Excluded,
    Extended,
    HolidayShift,
    Limit,
    NoHolidayShift,
    Provisional,
    Start,
    Step,
)
from fazhi.core.legaltime.versions import Version, VersionTable

__all__ = [
    "LIBRARY_YEARS",
    "SHANGHAI",
    "CalendarDay",
    "DayOverride",
    "DaySource",
    "DayStatus",
    "DaysBefore",
    "Due",
    "Excluded",
    "Exclusion",
    "ExtendBy",
    "ExtendTo",
    "Extended",
    "Extension",
    "HolidayCalendar",
    "HolidayShift",
    "Limit",
    "MergedSpan",
    "MonthRule",
    "NoHolidayShift",
    "Period",
    "Provisional",
    "Start",
    "Step",
    "Unit",
    "Version",
    "VersionTable",
    "add_months",
    "compute_due",
    "days_before_expiry",
    "end_of_day",
    "in_shanghai",
    "parse_period",
]
