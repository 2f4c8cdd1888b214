"""Periods as data and the month rule of 高法解释§202.

【高法解释§202】「以月计算的期间，自本月某日至下月同日为一个月;期限起算日为本月最后一日的，
至下月最后一日为一个月;下月同日不存在的，自本月某日至下月最后一日为一个月」
"""

from datetime import date

import pytest

from fazhi.core.legaltime import MonthRule, Period, Unit, add_months, parse_period
from fazhi.core.legaltime.periods import month_rule


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({"hours": 24}, Period(Unit.HOURS, 24)),
        ({"days": 3}, Period(Unit.DAYS, 3)),
        ({"months": 2}, Period(Unit.MONTHS, 2)),
        ({"years": 2}, Period(Unit.YEARS, 2)),
        ({"working_days": 7}, Period(Unit.WORKING_DAYS, 7)),
    ],
)
def test_it_parses_catalogue_period_specs(spec: dict[str, object], expected: Period) -> None:
    assert parse_period(spec) == expected


@pytest.mark.parametrize(
    "spec",
    [
        {},
        {"days": 3, "hours": 2},
        {"weeks": 1},
        {"days": 0},
        {"days": -1},
        {"days": 1.5},
        {"days": "3"},
        {"days": True},
    ],
)
def test_it_refuses_malformed_specs(spec: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        parse_period(spec)


def test_it_describes_periods_in_chinese() -> None:
    assert [Period(u, 2).description for u in Unit] == ["2小时", "2日", "2个工作日", "2个月", "2年"]


def test_a_year_is_counted_as_twelve_months() -> None:
    assert Period(Unit.YEARS, 2).counted_amount == 24
    assert Unit.YEARS.counted_as is Unit.MONTHS


@pytest.mark.parametrize(
    ("start", "months", "expected", "rule"),
    [
        # 「自本月某日至下月同日为一个月」
        (date(2026, 3, 1), 2, date(2026, 5, 1), MonthRule.SAME_DAY),
        (date(2026, 1, 15), 1, date(2026, 2, 15), MonthRule.SAME_DAY),
        (date(2026, 11, 29), 3, date(2027, 2, 28), MonthRule.NO_SAME_DAY),
        # 「下月同日不存在的，自本月某日至下月最后一日为一个月」
        (date(2025, 12, 30), 2, date(2026, 2, 28), MonthRule.NO_SAME_DAY),
        (date(2024, 1, 30), 1, date(2024, 2, 29), MonthRule.NO_SAME_DAY),
        # 「期限起算日为本月最后一日的，至下月最后一日为一个月」
        (date(2026, 1, 31), 1, date(2026, 2, 28), MonthRule.START_AT_MONTH_END),
        (date(2024, 1, 31), 1, date(2024, 2, 29), MonthRule.START_AT_MONTH_END),
        (date(2024, 2, 29), 12, date(2025, 2, 28), MonthRule.START_AT_MONTH_END),
        (date(2026, 2, 28), 1, date(2026, 3, 31), MonthRule.START_AT_MONTH_END),
        (date(2026, 4, 30), 1, date(2026, 5, 31), MonthRule.START_AT_MONTH_END),
        (date(2026, 12, 31), 14, date(2028, 2, 29), MonthRule.START_AT_MONTH_END),
    ],
)
def test_month_arithmetic_follows_spc_interpretation_202(
    start: date, months: int, expected: date, rule: MonthRule
) -> None:
    assert add_months(start, months) == expected
    assert month_rule(start, months) is rule


def test_the_sentence_rule_of_202_paragraph_2_is_not_used() -> None:
    # ¶2 counts sentences 「至下月同日的前一日」 because a sentence counts its first day; a
    # procedural period does not (刑诉法§105), so 03-01 + 1 month ends 04-01, not 03-31.
    assert add_months(date(2026, 3, 1), 1) == date(2026, 4, 1)
