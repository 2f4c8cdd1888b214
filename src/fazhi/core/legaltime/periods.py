"""Periods as data, and the month arithmetic of 高法解释§202.

A control point states its limit as a small mapping (`{"days": 3}`); keeping the unit beside
the amount matters because each unit is counted by a different rule (刑诉法§105: 「期间以时、日、
月计算」; 公安行政规定§35 adds 年; 行政处罚法§85 and 行政强制法§69 make some days working days).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum


class Unit(Enum):
    """The unit a period is written in."""

    HOURS = "hours"
    DAYS = "days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"
    YEARS = "years"

    @property
    def counted_as(self) -> Unit:
        """The unit the arithmetic uses: a year is counted as twelve months (§202 applied
        to years), every other unit as itself. Extensions must share this unit."""
        return Unit.MONTHS if self is Unit.YEARS else self

    @property
    def label(self) -> str:
        """Chinese unit word shown after a number, e.g. 3日, 24小时, 2个月."""
        return _UNIT_LABELS[self]


_UNIT_LABELS: Mapping[Unit, str] = {
    Unit.HOURS: "小时",
    Unit.DAYS: "日",
    Unit.WORKING_DAYS: "个工作日",
    Unit.MONTHS: "个月",
    Unit.YEARS: "年",
}


@dataclass(frozen=True)
class Period:
    """A legal period: a positive whole number of one unit."""

    unit: Unit
    amount: int

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise ValueError(f"period amount must be an int, got {self.amount!r}")
        if self.amount < 1:
            raise ValueError(f"period amount must be at least 1, got {self.amount}")

    @property
    def counted_amount(self) -> int:
        """The amount in `unit.counted_as` (years become months)."""
        return self.amount * 12 if self.unit is Unit.YEARS else self.amount

    @property
    def description(self) -> str:
        """Chinese text of the period, e.g. `3日`."""
        return f"{self.amount}{self.unit.label}"


def parse_period(spec: Mapping[str, object]) -> Period:
    """Read a catalogue period spec such as `{"days": 3}` (exactly one unit, a positive int).

    Catalogue files are data written by people; a spec with two units or a float is refused
    instead of being half-read.
    """
    if len(spec) != 1:
        raise ValueError(f"a period spec has exactly one unit, got {dict(spec)!r}")
    ((key, amount),) = spec.items()
    try:
        unit = Unit(key)
    except ValueError:
        known = ", ".join(u.value for u in Unit)
        raise ValueError(f"unknown period unit {key!r} (known: {known})") from None
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError(f"period amount for {key!r} must be an int, got {amount!r}")
    return Period(unit, amount)


class MonthRule(Enum):
    """Which sentence of 高法解释§202 ¶1 decided a month period's last day."""

    SAME_DAY = "自本月某日至下月同日为一个月"
    START_AT_MONTH_END = "期限起算日为本月最后一日的，至下月最后一日为一个月"
    NO_SAME_DAY = "下月同日不存在的，自本月某日至下月最后一日为一个月"


def add_months(day: date, months: int) -> date:
    """The last day of a period of `months` months counted from `day` (高法解释§202 ¶1).

    The same day of the target month; the target month's last day when `day` is the last day
    of its month or when the target month has no such day. Never the sentence rule of ¶2
    ("至下月同日的前一日"), which counts the first day and applies to sentences only.
    """
    year, month = _shift_month(day.year, day.month, months)
    last = calendar.monthrange(year, month)[1]
    if month_rule(day, months) is MonthRule.SAME_DAY:
        return day.replace(year=year, month=month)
    return day.replace(year=year, month=month, day=last)


def month_rule(day: date, months: int) -> MonthRule:
    """Which rule of 高法解释§202 ¶1 applies to `months` months from `day` (for explanations)."""
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return MonthRule.START_AT_MONTH_END
    year, month = _shift_month(day.year, day.month, months)
    if day.day > calendar.monthrange(year, month)[1]:
        return MonthRule.NO_SAME_DAY
    return MonthRule.SAME_DAY


def _shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    """(year, month) `months` months after the given month."""
    shifted_year, month_index = divmod(year * 12 + month - 1 + months, 12)
    return shifted_year, month_index + 1
