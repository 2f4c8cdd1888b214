"""The bureau override table, covered years and provisional results (C6).

【刑诉法§105】「期间的最后一日为节假日的，以节假日后的第一日为期满日期」 — which days are 节假日
comes from the library, corrected or extended by the bureau; a year nobody covers is counted
with weekends only and the result is flagged provisional.
"""

from datetime import date, datetime, timedelta

import pytest

from fazhi.core.legaltime import (
    LIBRARY_YEARS,
    SHANGHAI,
    DayOverride,
    DaySource,
    DayStatus,
    HolidayCalendar,
    HolidayShift,
    Period,
    Provisional,
    Unit,
    compute_due,
)

REST = DayOverride(DayStatus.REST)
WORKING = DayOverride(DayStatus.WORKING)


def bj(y: int, mo: int, d: int, h: int = 0) -> datetime:
    return datetime(y, mo, d, h, tzinfo=SHANGHAI)


def last_second(y: int, mo: int, d: int) -> datetime:
    return datetime(y, mo, d, 23, 59, 59, tzinfo=SHANGHAI)


def filing_review(start: datetime, calendar: HolidayCalendar) -> datetime:
    # LA-01 【受案立案意见】「刑事案件立案审查期限原则上不超过3日」, a police duty (C2).
    return compute_due(start, Period(Unit.DAYS, 3), holiday_shift=True, calendar=calendar).due_at


def test_the_library_covers_2004_to_2026() -> None:
    assert LIBRARY_YEARS.start <= 2004 and 2026 in LIBRARY_YEARS
    calendar = HolidayCalendar()
    assert calendar.covers(2026)
    assert not calendar.covers(2027)
    assert not calendar.covers(2003)


def test_an_override_declaring_a_holiday_changes_the_result() -> None:
    start = bj(2026, 3, 11, 9)  # + 3 days = Saturday 03-14 → Monday 03-16
    assert filing_review(start, HolidayCalendar()) == last_second(2026, 3, 16)
    local_holiday = HolidayCalendar({date(2026, 3, 16): DayOverride(DayStatus.REST, "地方节日")})
    assert filing_review(start, local_holiday) == last_second(2026, 3, 17)


def test_an_override_declaring_a_working_day_changes_the_result() -> None:
    start = bj(2026, 3, 11, 9)
    calendar = HolidayCalendar({date(2026, 3, 14): WORKING})
    assert filing_review(start, calendar) == last_second(2026, 3, 14)


def test_an_override_wins_over_the_library() -> None:
    # Suppose the library were wrong about 2026-10-10 (listed as a working Saturday).
    calendar = HolidayCalendar({date(2026, 10, 10): REST})
    assert HolidayCalendar().is_working_day(date(2026, 10, 10))
    assert not calendar.is_working_day(date(2026, 10, 10))
    assert calendar.day(date(2026, 10, 10)).source is DaySource.BUREAU
    assert filing_review(bj(2026, 10, 7), calendar) == last_second(2026, 10, 12)


def test_the_override_table_is_copied_so_later_edits_do_not_leak_in() -> None:
    table = {date(2026, 3, 16): REST}
    calendar = HolidayCalendar(table)
    table[date(2026, 3, 17)] = REST
    assert calendar.is_working_day(date(2026, 3, 17))


def test_an_uncovered_year_is_counted_with_weekends_only_and_is_provisional() -> None:
    # 2026-12-29 + 3 days = Friday 2027-01-01: without the 2027 notice it is a working day.
    due = compute_due(
        bj(2026, 12, 29, 9), Period(Unit.DAYS, 3), holiday_shift=True, calendar=HolidayCalendar()
    )
    assert due.due_at == last_second(2027, 1, 1)
    assert due.provisional
    assert isinstance(due.steps[-1], Provisional)
    assert due.steps[-1].years == (2027,)
    assert "2027年节假日安排尚未录入" in due.steps[-1].description


def test_a_weekend_in_an_uncovered_year_still_moves() -> None:
    due = compute_due(
        bj(2026, 12, 30, 9), Period(Unit.DAYS, 3), holiday_shift=True, calendar=HolidayCalendar()
    )
    assert due.due_at == last_second(2027, 1, 4)
    assert due.provisional


def test_a_bureau_table_for_a_complete_year_settles_it() -> None:
    calendar = HolidayCalendar(
        {date(2027, 1, 1): DayOverride(DayStatus.REST, "元旦")}, complete_years=frozenset({2027})
    )
    due = compute_due(
        bj(2026, 12, 29, 9), Period(Unit.DAYS, 3), holiday_shift=True, calendar=calendar
    )
    assert due.due_at == last_second(2027, 1, 4)
    assert not due.provisional
    shift = due.steps[-1]
    assert isinstance(shift, HolidayShift)
    assert "元旦（本局调整）" in shift.description


def test_a_partial_bureau_table_leaves_the_year_provisional() -> None:
    # Only New Year's Day entered: the day itself is known, the rest of 2027 is not.
    calendar = HolidayCalendar({date(2027, 1, 1): REST})
    assert not calendar.covers(2027)
    due = compute_due(
        bj(2026, 12, 29, 9), Period(Unit.DAYS, 3), holiday_shift=True, calendar=calendar
    )
    assert due.due_at == last_second(2027, 1, 4)
    assert due.provisional  # 01-02 and 01-03 were judged by the weekend rule


def test_a_covered_year_is_not_provisional() -> None:
    due = compute_due(
        bj(2026, 9, 30, 9), Period(Unit.DAYS, 3), holiday_shift=True, calendar=HolidayCalendar()
    )
    assert due.due_at == last_second(2026, 10, 8)
    assert not due.provisional


@pytest.mark.parametrize(
    ("period", "holiday_shift"),
    [
        (Period(Unit.HOURS, 48), True),
        (Period(Unit.DAYS, 3), False),
        (Period(Unit.MONTHS, 2), False),
    ],
)
def test_periods_that_never_look_at_holidays_are_never_provisional(
    period: Period, holiday_shift: bool
) -> None:
    due = compute_due(
        bj(2026, 12, 30, 9), period, holiday_shift=holiday_shift, calendar=HolidayCalendar()
    )
    assert not due.provisional


def test_working_days_into_an_uncovered_year_are_provisional() -> None:
    due = compute_due(
        bj(2026, 12, 28, 9),
        Period(Unit.WORKING_DAYS, 7),
        holiday_shift=True,
        calendar=HolidayCalendar(),
    )
    # 12-29, 12-30, 12-31 (2026), then 2027-01-01 (Fri, weekends only), 01-04 .. 01-06.
    assert due.due_at == last_second(2027, 1, 6)
    assert due.provisional


def test_a_table_without_any_working_day_in_sight_is_refused() -> None:
    endless = {date(2026, 3, 1) + timedelta(days=i): REST for i in range(90)}
    with pytest.raises(ValueError, match="no working day"):
        HolidayCalendar(endless).days_until_working(date(2026, 3, 1))


def test_day_descriptions_name_the_holiday() -> None:
    calendar = HolidayCalendar()
    assert calendar.day(date(2026, 10, 3)).description == "2026-10-03（周六）国庆节"
    assert calendar.day(date(2026, 10, 10)).description == "2026-10-10（周六）调休上班日（国庆节）"
    assert calendar.day(date(2026, 3, 14)).description == "2026-03-14（周六）休息日"
