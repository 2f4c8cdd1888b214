"""Periods as people write them, and the Chinese errors for what cannot be read."""

from __future__ import annotations

from datetime import date

import pytest

from fazhi.core.scoring import PeriodError, PeriodKind, parse_period, period_containing


@pytest.mark.parametrize(
    ("text", "start", "end", "kind"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31), PeriodKind.YEAR),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), PeriodKind.QUARTER),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30), PeriodKind.QUARTER),
        ("2026-q4", date(2026, 10, 1), date(2026, 12, 31), PeriodKind.QUARTER),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), PeriodKind.MONTH),
        ("2026-09", date(2026, 9, 1), date(2026, 9, 30), PeriodKind.MONTH),
        ("2026-09-15", date(2026, 9, 15), date(2026, 9, 15), PeriodKind.DAY),
    ],
)
def test_each_spelling_gives_its_days(text, start, end, kind):
    period = parse_period(text)
    assert (period.start, period.end, period.kind) == (start, end, kind)


def test_the_canonical_text_is_kept():
    assert parse_period(" 2026-q3 ").text == "2026-Q3"
    assert parse_period("2026-Q3").days == 92


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2026-13", "月份 13 无效"),
        ("2026-02-30", "不是存在的日期"),
        ("2026-Q5", "格式无效"),
        ("26", "格式无效"),
        ("", "格式无效"),
        ("2026/09", "应写作 2026（年）、2026-Q3（季度）"),
    ],
)
def test_unreadable_periods_are_refused_in_chinese(text, words):
    with pytest.raises(PeriodError) as error:
        parse_period(text)
    assert words in str(error.value)


def test_the_previous_period_is_of_the_same_kind():
    assert parse_period("2026-Q1").previous().text == "2025-Q4"
    assert parse_period("2026-03").previous().text == "2026-02"
    assert parse_period("2026-03-01").previous().text == "2026-02-28"
    assert parse_period("2026").previous().text == "2025"


def test_the_period_containing_a_day():
    day = date(2026, 8, 17)
    assert [period_containing(day, k).text for k in PeriodKind] == [
        "2026-08-17",
        "2026-08",
        "2026-Q3",
        "2026",
    ]
