"""The calendar library against the State Council's 2026 notice (choice C6).

The notice is read twice — its prose and its machine-readable summary — and the two must agree
before the calendar is checked day by day for the whole year: every listed holiday is a
节假日, every listed 调休上班日 is a working day, every other weekend day is a 节假日 and every
other weekday a working day.
"""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from fazhi.core.legaltime import DaySource, HolidayCalendar

NOTICE = Path(__file__).resolve().parents[3].parent / "shared" / "law" / "holiday-2026.md"
YEAR = 2026
WEEKDAYS = "一二三四五六日"


@pytest.fixture(scope="module")
def notice() -> str:
    assert NOTICE.is_file(), f"the 2026 holiday notice is missing at {NOTICE}"
    return NOTICE.read_text(encoding="utf-8")


def _summary_line(text: str, label: str) -> str:
    match = re.search(rf"^- {label}[^：]*：(.+)$", text, re.MULTILINE)
    assert match, f"summary line {label!r} not found"
    return match.group(1)


def _summary(text: str) -> tuple[set[date], set[date]]:
    rest: set[date] = set()
    for item in _summary_line(text, "放假日").split(","):
        first, _, last = item.strip().partition("..")
        rest |= _span(_mmdd(first), _mmdd(last or first))
    working = {_mmdd(item.strip()) for item in _summary_line(text, "调休上班日").split(",")}
    return rest, working


def _mmdd(text: str) -> date:
    month, day = text.split("-")
    return date(YEAR, int(month), int(day))


def _span(first: date, last: date) -> set[date]:
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


HOLIDAY_SENTENCE = re.compile(
    r"(\d+)月(\d+)日（(?:[^）]*、)?周(.)）至(?:(\d+)月)?(\d+)日（(?:[^）]*、)?周(.)）放假[^，]*，共(\d+)天"
)
WORKDAY_SENTENCE = re.compile(r"((?:\d+月\d+日（周.）、?)+)上班")
WORKDAY_DATE = re.compile(r"(\d+)月(\d+)日（周(.)）")


def _prose(text: str) -> tuple[set[date], set[date]]:
    """Holidays and working weekend days from the notice's own sentences, checking the
    weekdays and day counts it states along the way."""
    rest: set[date] = set()
    for m in HOLIDAY_SENTENCE.finditer(text):
        first = date(YEAR, int(m[1]), int(m[2]))
        last = date(YEAR, int(m[4] or m[1]), int(m[5]))
        assert WEEKDAYS[first.weekday()] == m[3], m[0]
        assert WEEKDAYS[last.weekday()] == m[6], m[0]
        span = _span(first, last)
        assert len(span) == int(m[7]), m[0]
        rest |= span
    working: set[date] = set()
    for sentence in WORKDAY_SENTENCE.finditer(text):
        for m in WORKDAY_DATE.finditer(sentence[1]):
            day = date(YEAR, int(m[1]), int(m[2]))
            assert WEEKDAYS[day.weekday()] == m[3], m[0]
            working.add(day)
    return rest, working


def test_the_notice_prose_and_summary_agree(notice: str) -> None:
    prose_rest, prose_working = _prose(notice)
    summary_rest, summary_working = _summary(notice)
    assert len(prose_rest) == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert prose_rest == summary_rest
    assert prose_working == summary_working
    assert all(d.weekday() >= 5 for d in prose_working)


def test_every_listed_holiday_is_a_rest_day(notice: str) -> None:
    calendar = HolidayCalendar()
    rest, _ = _summary(notice)
    wrong = sorted(d for d in rest if calendar.is_working_day(d))
    assert wrong == []


def test_every_listed_adjusted_working_day_is_a_working_day(notice: str) -> None:
    calendar = HolidayCalendar()
    _, working = _summary(notice)
    assert sorted(d for d in working if not calendar.is_working_day(d)) == []
    assert all(calendar.day(d).name.startswith("调休上班日") for d in working)


def test_every_other_day_of_2026_follows_the_weekend_rule(notice: str) -> None:
    calendar = HolidayCalendar()
    rest, working = _summary(notice)
    for day in _span(date(YEAR, 1, 1), date(YEAR, 12, 31)):
        if day in rest or day in working:
            continue
        assert calendar.is_working_day(day) == (day.weekday() < 5), day


def test_2026_is_covered_by_the_library(notice: str) -> None:
    calendar = HolidayCalendar()
    assert calendar.covers(YEAR)
    assert calendar.day(date(YEAR, 10, 1)).source is DaySource.LIBRARY
    assert calendar.day(date(YEAR, 10, 1)).name == "国庆节"
