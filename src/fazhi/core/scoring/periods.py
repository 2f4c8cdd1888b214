"""Assessment periods written as people write them: `2026`, `2026-Q3`, `2026-09`, `2026-09-15`.

A period is a closed range of calendar days. Parse errors are for people typing a period on a
command line or in a form, so they are in Chinese and say what was expected.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum


class PeriodKind(Enum):
    """How long an assessment period is; schemes say which kinds they are ranked over."""

    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    @property
    def label(self) -> str:
        return {"day": "日", "month": "月", "quarter": "季度", "year": "年度"}[self.value]


class PeriodError(ValueError):
    """A period text that cannot be read; the message is for the person who wrote it."""


_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True, order=True)
class AssessmentPeriod:
    """Days `start`..`end`, both inclusive; `text` is the canonical spelling."""

    start: date
    end: date
    kind: PeriodKind
    text: str

    def __str__(self) -> str:
        return self.text

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> AssessmentPeriod:
        """The period of the same kind just before this one (for movement in rankings)."""
        return period_containing(self.start - timedelta(days=1), self.kind)


def parse_period(text: str) -> AssessmentPeriod:
    """`2026` → the year, `2026-Q3` → July–September, `2026-09` → September, `2026-09-15` → a day."""
    value = text.strip() if isinstance(text, str) else ""
    if m := _YEAR.match(value):
        return _year(int(m[1]))
    if m := _QUARTER.match(value):
        return _quarter(int(m[1]), int(m[2]))
    if m := _MONTH.match(value):
        month = int(m[2])
        if not 1 <= month <= 12:
            raise PeriodError(f"期间 {text!r} 的月份 {m[2]} 无效（应为 01–12）")
        return _month(int(m[1]), month)
    if m := _DAY.match(value):
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise PeriodError(f"期间 {text!r} 不是存在的日期") from None
        return AssessmentPeriod(day, day, PeriodKind.DAY, day.isoformat())
    raise PeriodError(
        f"期间 {text!r} 格式无效：应写作 2026（年）、2026-Q3（季度）、2026-09（月）或 2026-09-15（日）"
    )


def period_containing(day: date, kind: PeriodKind) -> AssessmentPeriod:
    """The period of `kind` that contains `day`."""
    if kind is PeriodKind.DAY:
        return AssessmentPeriod(day, day, kind, day.isoformat())
    if kind is PeriodKind.MONTH:
        return _month(day.year, day.month)
    if kind is PeriodKind.QUARTER:
        return _quarter(day.year, (day.month - 1) // 3 + 1)
    return _year(day.year)


def _year(year: int) -> AssessmentPeriod:
    return AssessmentPeriod(date(year, 1, 1), date(year, 12, 31), PeriodKind.YEAR, f"{year:04d}")


def _quarter(year: int, quarter: int) -> AssessmentPeriod:
    first = 3 * quarter - 2
    end = date(year, first + 2, calendar.monthrange(year, first + 2)[1])
    return AssessmentPeriod(date(year, first, 1), end, PeriodKind.QUARTER, f"{year:04d}-Q{quarter}")


def _month(year: int, month: int) -> AssessmentPeriod:
    end = date(year, month, calendar.monthrange(year, month)[1])
    return AssessmentPeriod(date(year, month, 1), end, PeriodKind.MONTH, f"{year:04d}-{month:02d}")
