"""Invariants of legal time arithmetic, checked on generated inputs (hypothesis).

Dates run from 2005 to 2028, so both years the library covers and years it does not (2027+)
are drawn; calendars carry random bureau overrides.
"""

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.core.legaltime import (
    SHANGHAI,
    DayOverride,
    DayStatus,
    Exclusion,
    ExtendBy,
    ExtendTo,
    Extension,
    HolidayCalendar,
    Period,
    Unit,
    add_months,
    compute_due,
    days_before_expiry,
    end_of_day,
)

# No example database: these tests must not leave files in the working tree.
PROPERTY = settings(max_examples=300, deadline=None, database=None)
LIBRARY = HolidayCalendar()
FIRST, LAST = datetime(2005, 1, 1), datetime(2028, 12, 31)

starts = st.datetimes(min_value=FIRST, max_value=LAST, timezones=st.just(SHANGHAI))
days_in_range = st.dates(min_value=FIRST.date(), max_value=LAST.date())
AMOUNTS = {
    Unit.HOURS: st.integers(1, 2000),
    Unit.DAYS: st.integers(1, 400),
    Unit.WORKING_DAYS: st.integers(1, 40),
    Unit.MONTHS: st.integers(1, 36),
    Unit.YEARS: st.integers(1, 3),
}


def periods(*units: Unit) -> st.SearchStrategy[Period]:
    return st.sampled_from(units or tuple(Unit)).flatmap(
        lambda unit: AMOUNTS[unit].map(lambda amount: Period(unit, amount))
    )


calendars = st.dictionaries(
    days_in_range, st.sampled_from(DayStatus).map(DayOverride), max_size=30
).map(HolidayCalendar)

DAY = 24 * 3600


def exclusions_near(start: datetime) -> st.SearchStrategy[list[Exclusion]]:
    """Up to four spans from a month before `start` to well after it, so that most overlap
    the period, some overlap each other, and some come too late to count."""
    return st.lists(
        st.tuples(
            st.integers(-30 * DAY, 400 * DAY),
            st.integers(0, 90 * DAY),
            st.sampled_from(["鉴定", "听证", "精神病鉴定"]),
        ).map(
            lambda t: Exclusion(
                start + timedelta(seconds=t[0]), start + timedelta(seconds=t[0] + t[1]), t[2]
            )
        ),
        max_size=4,
    )


DAY_LIKE = (Unit.DAYS, Unit.MONTHS, Unit.YEARS)


def growth(unit: Unit, total: int) -> st.SearchStrategy[Extension]:
    """An extension legal for a limit of `total` units: by any amount, or to a total not
    below it."""
    unit = unit.counted_as
    return st.one_of(
        AMOUNTS[unit].map(lambda n: ExtendBy(Period(unit, n))),
        AMOUNTS[unit].map(lambda n: ExtendTo(Period(unit, total + n - 1))),
    )


def draw_extensions(data: st.DataObject, period: Period, count: int) -> list[Extension]:
    """A chain of legal extensions: each one grows the running total or keeps it."""
    chain: list[Extension] = []
    total = period.counted_amount
    for _ in range(count):
        extension = data.draw(growth(period.unit, total))
        amount = extension.period.counted_amount
        total = total + amount if isinstance(extension, ExtendBy) else amount
        chain.append(extension)
    return chain


@PROPERTY
@given(data=st.data(), start=starts, period=periods(), shift=st.booleans(), calendar=calendars)
def test_an_extension_never_shortens_a_period(
    data: st.DataObject, start: datetime, period: Period, shift: bool, calendar: HolidayCalendar
) -> None:
    extension = data.draw(growth(period.unit, period.counted_amount))
    exclusions = data.draw(exclusions_near(start)) if period.unit in DAY_LIKE else []

    def due_at(extensions: list[Extension]) -> datetime:
        return compute_due(
            start,
            period,
            holiday_shift=shift,
            calendar=calendar,
            extensions=extensions,
            exclusions=exclusions,
        ).due_at

    assert due_at([extension]) >= due_at([])


@PROPERTY
@given(
    start=starts,
    period=periods(Unit.HOURS, *DAY_LIKE),
    shift=st.booleans(),
    calendar=calendars,
)
def test_hours_and_custody_never_move_for_holidays(
    start: datetime, period: Period, shift: bool, calendar: HolidayCalendar
) -> None:
    holiday_shift = shift and period.unit is Unit.HOURS  # custody: False for day-like units
    with_holidays = compute_due(start, period, holiday_shift=holiday_shift, calendar=calendar)
    plain = compute_due(start, period, holiday_shift=holiday_shift, calendar=LIBRARY)
    assert with_holidays.due_at == plain.due_at
    assert not with_holidays.provisional
    local = start.astimezone(SHANGHAI)
    if period.unit is Unit.HOURS:
        assert with_holidays.due_at == local + timedelta(hours=period.amount)
    elif period.unit is Unit.DAYS:
        assert with_holidays.due_at == end_of_day(local.date() + timedelta(days=period.amount))
    else:
        assert with_holidays.due_at == end_of_day(add_months(local.date(), period.counted_amount))


@PROPERTY
@given(start=starts, period=periods(*DAY_LIKE), calendar=calendars)
def test_a_shifted_due_is_the_first_working_day_not_before_the_raw_one(
    start: datetime, period: Period, calendar: HolidayCalendar
) -> None:
    raw = compute_due(start, period, holiday_shift=False, calendar=calendar).due_at
    shifted = compute_due(start, period, holiday_shift=True, calendar=calendar).due_at
    assert shifted >= raw
    assert calendar.is_working_day(shifted.date())
    day = raw.date()
    while day < shifted.date():
        assert not calendar.is_working_day(day)
        day += timedelta(days=1)


@PROPERTY
@given(start=starts, period=periods(Unit.WORKING_DAYS), calendar=calendars)
def test_a_working_day_period_ends_on_its_nth_working_day(
    start: datetime, period: Period, calendar: HolidayCalendar
) -> None:
    due = compute_due(start, period, holiday_shift=True, calendar=calendar)
    first = start.astimezone(SHANGHAI).date() + timedelta(days=1)
    span = [first + timedelta(days=i) for i in range((due.due_at.date() - first).days + 1)]
    assert sum(calendar.is_working_day(d) for d in span) == period.amount
    assert calendar.is_working_day(due.due_at.date())


@settings(PROPERTY, max_examples=500)
@given(a=days_in_range, b=days_in_range, months=st.integers(0, 60))
def test_month_arithmetic_is_monotonic(a: date, b: date, months: int) -> None:
    early, late = min(a, b), max(a, b)
    assert add_months(early, months) <= add_months(late, months)
    assert add_months(early, months) <= add_months(early, months + 1)
    assert add_months(early, 0) == early


@PROPERTY
@given(
    data=st.data(),
    start=starts,
    period=periods(*DAY_LIKE),
    shift=st.booleans(),
    calendar=calendars,
)
def test_exclusions_never_shorten_and_count_once(
    data: st.DataObject,
    start: datetime,
    period: Period,
    shift: bool,
    calendar: HolidayCalendar,
) -> None:
    exclusions = data.draw(exclusions_near(start))
    plain = compute_due(start, period, holiday_shift=shift, calendar=calendar)
    excluded = compute_due(
        start, period, holiday_shift=shift, calendar=calendar, exclusions=exclusions
    )
    assert excluded.due_at >= plain.due_at
    doubled = compute_due(
        start, period, holiday_shift=shift, calendar=calendar, exclusions=exclusions * 2
    )
    reordered = compute_due(
        start, period, holiday_shift=shift, calendar=calendar, exclusions=exclusions[::-1]
    )
    assert doubled.due_at == excluded.due_at == reordered.due_at


@PROPERTY
@given(
    data=st.data(),
    start=starts,
    period=periods(),
    shift=st.booleans(),
    calendar=calendars,
    before=st.none() | st.integers(1, 30),
)
def test_the_steps_end_at_the_returned_due_at(
    data: st.DataObject,
    start: datetime,
    period: Period,
    shift: bool,
    calendar: HolidayCalendar,
    before: int | None,
) -> None:
    extensions = draw_extensions(data, period, data.draw(st.integers(0, 3)))
    exclusions = data.draw(exclusions_near(start)) if period.unit in DAY_LIKE else []
    due = compute_due(
        start,
        period,
        holiday_shift=shift,
        calendar=calendar,
        extensions=extensions,
        exclusions=exclusions,
        start_label="起算事件",
    )
    if before is not None:
        due = days_before_expiry(due, before)
    assert due.steps[-1].due_at == due.due_at
    assert due.steps[0].due_at == start
    assert all(isinstance(s.description, str) and s.description for s in due.steps)
    assert due.due_at.tzinfo is SHANGHAI
    if period.unit is not Unit.HOURS:
        assert (due.due_at.hour, due.due_at.minute, due.due_at.second) == (23, 59, 59)
