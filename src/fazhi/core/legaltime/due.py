"""Due times of legal periods (期间计算).

The rules (quoted in the tests):
- 刑诉法§105 / 公安行政规定§35: the start hour and day are not counted; a last day that is a
  节假日 moves to the first day after the holidays, except while the person is in custody or
  restricted in liberty.
- C1: an hour period is exact elapsed time, start + N hours.
- Days: 23:59:59 of start day + N. Months: 高法解释§202 (see `periods.add_months`).
- Working days (only where a text says so, 行政处罚法§85, 行政强制法§69, 公安行政规定§183):
  23:59:59 of the N-th working day after the start day.
- C2: whether the holiday rule applies is the caller's decision (`holiday_shift`), made per
  control point; it never applies to hour periods.
- C3/C4: extensions count from the original start; exclusions then move the last day; the
  holiday rule is applied once, to the final last day.
- C5: "届满 X 日前" is `days_before_expiry`.
Nothing here reads a clock: "now" is the caller's business.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from fazhi.core.legaltime.exclusions import Exclusion, merge
from fazhi.core.legaltime.extensions import Extension, extended_total
from fazhi.core.legaltime.holidays import CalendarDay, HolidayCalendar, uncovered_years
from fazhi.core.legaltime.instants import SHANGHAI, end_of_day, in_shanghai
from fazhi.core.legaltime.periods import MonthRule, Period, Unit, add_months, month_rule
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

# Units whose period has a "last day" that exclusions move and the holiday rule may shift: an
# hour period has none, and a working-day period ends on a working day by construction.
_LAST_DAY_UNITS = (Unit.DAYS, Unit.MONTHS)


@dataclass(frozen=True)
class Due:
    """A computed due time with the steps that explain it.

    `provisional` is True when a day that decided the result lies in a year whose holidays
    are not known (weekends only were used); the result may change once they are.
    """

    due_at: datetime
    provisional: bool
    steps: tuple[Step, ...]

    def is_on_time(self, act_at: datetime) -> bool:
        """An act at or before `due_at` meets the duty; times are compared to the second."""
        return in_shanghai(act_at, field="act_at").replace(microsecond=0) <= self.due_at


@dataclass(frozen=True)
class _Count:
    """The raw end of a period of `total` units: before exclusions and the holiday rule."""

    due_at: datetime
    month_rule: MonthRule | None = None
    consulted: tuple[CalendarDay, ...] = ()


def compute_due(
    start: datetime,
    period: Period,
    *,
    holiday_shift: bool,
    calendar: HolidayCalendar,
    extensions: Sequence[Extension] = (),
    exclusions: Sequence[Exclusion] = (),
    start_label: str = "",
) -> Due:
    """The due time of `period` started at `start` (an aware datetime).

    `holiday_shift` must be stated by the caller: True only for a duty the police perform
    while the subject is not in custody (C2). `start_label` names the start event for users,
    e.g. "拘留时间".
    """
    start = in_shanghai(start, field="start")
    unit = period.unit.counted_as
    if exclusions and unit not in _LAST_DAY_UNITS:
        raise ValueError(f"no law excludes time from a {period.unit.value} period")
    count = _count(start, unit, period.counted_amount, calendar)
    steps: list[Step] = [
        Start(start, period.unit, start_label),
        Limit(count.due_at, period, count.month_rule, count.consulted),
    ]
    total = period.counted_amount
    for extension in extensions:
        total = extended_total(total, unit, extension)
        previous = count.due_at
        count = _count(start, unit, total, calendar)
        steps.append(Extended(count.due_at, extension, _total(period.unit, total), previous))
    due_at = count.due_at
    consulted = count.consulted
    if unit in _LAST_DAY_UNITS:
        due_at = _exclude(start, due_at, exclusions, steps)
        due_at, consulted = _holiday_rule(due_at, holiday_shift, calendar, steps)
    years = uncovered_years(consulted)
    if years:
        steps.append(Provisional(due_at, years))
    return Due(due_at, bool(years), tuple(steps))


def days_before_expiry(due: Due, days: int) -> Due:
    """C5 "届满 X 日前": 23:59:59 of the expiry date minus `days`, that day included.

    E.g. 公安刑事规定§148 「在期限届满七日前」. The expiry is `due.due_at`'s date as computed
    (holiday rule included where it applied). No holiday rule is applied to the result. It can
    fall before the period's start when the period is shorter than `days`.
    """
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError(f"days must be a positive int, got {days!r}")
    expiry = due.due_at.date()
    due_at = end_of_day(expiry - timedelta(days=days))
    return replace(due, due_at=due_at, steps=(*due.steps, DaysBefore(due_at, days, expiry)))


def _count(start: datetime, unit: Unit, total: int, calendar: HolidayCalendar) -> _Count:
    start_day = start.date()
    if unit is Unit.HOURS:
        return _Count((start.astimezone(UTC) + timedelta(hours=total)).astimezone(SHANGHAI))
    if unit is Unit.DAYS:
        return _Count(end_of_day(start_day + timedelta(days=total)))
    if unit is Unit.MONTHS:
        return _Count(end_of_day(add_months(start_day, total)), month_rule(start_day, total))
    consulted = calendar.working_days_after(start_day, total)
    return _Count(end_of_day(consulted[-1].day), consulted=consulted)


def _exclude(
    start: datetime, due_at: datetime, exclusions: Sequence[Exclusion], steps: list[Step]
) -> datetime:
    """Move the last day later by each merged span that began while the period ran."""
    for span in merge(exclusions):
        if span.end <= start:
            continue
        counted = span.start <= due_at
        days = span.days_after(start) if counted else 0
        due_at += timedelta(days=days)
        steps.append(Excluded(due_at, span, days, counted))
    return due_at


def _holiday_rule(
    due_at: datetime, holiday_shift: bool, calendar: HolidayCalendar, steps: list[Step]
) -> tuple[datetime, tuple[CalendarDay, ...]]:
    """Apply (or record the refusal of) the holiday rule to the final last day."""
    if not holiday_shift:
        steps.append(NoHolidayShift(due_at))
        return due_at, ()
    consulted = calendar.days_until_working(due_at.date())
    shifted = end_of_day(consulted[-1].day)
    steps.append(HolidayShift(shifted, consulted))
    return shifted, consulted


def _total(unit: Unit, total: int) -> Period:
    """The extended total in the period's own unit where it divides evenly (years), else in
    the counting unit."""
    if unit is Unit.YEARS and total % 12 == 0:
        return Period(Unit.YEARS, total // 12)
    return Period(unit.counted_as, total)
