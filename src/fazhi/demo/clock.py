"""Local time as integer seconds, for speed and exact deadline arithmetic.

Every instant is counted in seconds since 1970-01-01 00:00 Asia/Shanghai wall time. China has
had no daylight saving since 1991, so this is a fixed +08:00 offset: arithmetic stays integer,
and formatting uses a per-day cache instead of strftime (the generator formats millions).
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date

MINUTE = 60
HOUR = 3600
DAY = 86400

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_day_prefix: dict[int, str] = {}


def day_of(t: int) -> int:
    return t // DAY


def day_number(d: date) -> int:
    return d.toordinal() - _EPOCH_ORDINAL


def day_start(d: date) -> int:
    return day_number(d) * DAY


def to_date(day: int) -> date:
    return date.fromordinal(day + _EPOCH_ORDINAL)


def end_of_day(day: int) -> int:
    """23:59:59 of a day: the inclusive end of a day-counted duty."""
    return day * DAY + DAY - 1


def add_months(day: int, months: int) -> int:
    """Month arithmetic of 高法解释§202: same day of month, clamped; a month end stays one."""
    d = to_date(day)
    y, m = divmod(d.month - 1 + months, 12)
    y, m = d.year + y, m + 1
    last = monthrange(y, m)[1]
    at_month_end = d.day == monthrange(d.year, d.month)[1]
    return day_number(date(y, m, last if at_month_end else min(d.day, last)))


def iso(t: int) -> str:
    day, sec = divmod(t, DAY)
    prefix = _day_prefix.get(day)
    if prefix is None:
        prefix = _day_prefix[day] = to_date(day).isoformat() + "T"
    h, rem = divmod(sec, HOUR)
    m, s = divmod(rem, MINUTE)
    return f"{prefix}{h:02d}:{m:02d}:{s:02d}+08:00"
