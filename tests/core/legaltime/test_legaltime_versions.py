"""Effective-dated law versions.

【治安法2025§144】「本法自2026年1月1日起施行。」 The 2012 amendment (in force from 2013-01-01)
applies before that day. Example value: how many times a public-order case period may be
extended — 【治安法2012§99】「可以延长三十日」 (once) vs 【治安法2025§118】「期限延长以二次为限」.
"""

from datetime import UTC, date, datetime

import pytest

from fazhi.core.legaltime import SHANGHAI, Version, VersionTable

PUBLIC_ORDER_EXTENSIONS = VersionTable(
    [
        Version(date(2026, 1, 1), None, 2),
        Version(date(2013, 1, 1), date(2026, 1, 1), 1),
    ]
)


def test_the_2012_text_applies_through_2025_12_31() -> None:
    assert PUBLIC_ORDER_EXTENSIONS.in_force(date(2025, 12, 31)) == 1
    assert PUBLIC_ORDER_EXTENSIONS.in_force(date(2013, 1, 1)) == 1


def test_the_2025_text_applies_from_2026_01_01() -> None:
    assert PUBLIC_ORDER_EXTENSIONS.in_force(date(2026, 1, 1)) == 2
    assert PUBLIC_ORDER_EXTENSIONS.in_force(date(2040, 6, 1)) == 2


def test_an_instant_is_judged_on_its_beijing_day() -> None:
    # 2025-12-31 16:30 UTC is 2026-01-01 00:30 in Beijing.
    assert PUBLIC_ORDER_EXTENSIONS.in_force(datetime(2025, 12, 31, 16, 30, tzinfo=UTC)) == 2
    assert PUBLIC_ORDER_EXTENSIONS.in_force(datetime(2025, 12, 31, 23, 59, tzinfo=SHANGHAI)) == 1


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        PUBLIC_ORDER_EXTENSIONS.in_force(datetime(2026, 1, 1))


def test_a_day_before_the_first_version_has_no_law() -> None:
    with pytest.raises(LookupError, match="no version in force on 2012-12-31"):
        PUBLIC_ORDER_EXTENSIONS.in_force(date(2012, 12, 31))


def test_a_day_after_a_closed_table_has_no_law() -> None:
    table = VersionTable([Version(date(2013, 1, 1), date(2026, 1, 1), "2012")])
    with pytest.raises(LookupError):
        table.in_force(date(2026, 1, 1))


def test_a_gap_is_refused() -> None:
    with pytest.raises(ValueError, match="gap"):
        VersionTable(
            [
                Version(date(2013, 1, 1), date(2025, 12, 31), "2012"),
                Version(date(2026, 1, 1), None, "2025"),
            ]
        )


@pytest.mark.parametrize(
    "versions",
    [
        [
            Version(date(2013, 1, 1), date(2026, 1, 2), "2012"),
            Version(date(2026, 1, 1), None, "2025"),
        ],
        [Version(date(2013, 1, 1), None, "2012"), Version(date(2026, 1, 1), None, "2025")],
        [Version(date(2026, 1, 1), None, "a"), Version(date(2026, 1, 1), None, "b")],
    ],
)
def test_an_overlap_is_refused(versions: list[Version[str]]) -> None:
    with pytest.raises(ValueError, match="overlap"):
        VersionTable(versions)


def test_an_empty_table_is_refused() -> None:
    with pytest.raises(ValueError):
        VersionTable([])


def test_a_version_must_end_after_it_starts() -> None:
    with pytest.raises(ValueError):
        Version(date(2026, 1, 1), date(2026, 1, 1), "x")


def test_version_bounds_are_dates_not_datetimes() -> None:
    with pytest.raises(ValueError):
        Version(datetime(2026, 1, 1, tzinfo=SHANGHAI), None, "x")
