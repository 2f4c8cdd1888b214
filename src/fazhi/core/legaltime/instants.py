"""Instants and days in Beijing time.

Every legal period is counted on the calendar of the place where the bureau works, so all
arithmetic happens in Asia/Shanghai. A naive datetime is refused rather than guessed: a wrong
guess of eight hours moves the start day, and with it every day-based due date.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

_LAST_SECOND = time(23, 59, 59)
_WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def in_shanghai(instant: datetime, *, field: str = "datetime") -> datetime:
    """Return `instant` expressed in Asia/Shanghai; refuse naive values.

    `field` names the argument in the error so a caller can tell which input was wrong.
    """
    if instant.tzinfo is SHANGHAI:  # the common case, on every hot path
        return instant
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{field} must be timezone-aware (Asia/Shanghai), got naive {instant!r}")
    return instant.astimezone(SHANGHAI)


def local_day(instant: datetime, *, field: str = "datetime") -> date:
    """The Beijing calendar day of an instant (the day a period's counting starts from)."""
    return in_shanghai(instant, field=field).date()


def end_of_day(day: date) -> datetime:
    """23:59:59 of `day`: a day-based duty is met by an act at or before this second."""
    return datetime.combine(day, _LAST_SECOND, tzinfo=SHANGHAI)


def format_instant(instant: datetime) -> str:
    """Beijing time as shown to users; seconds only when they are not zero."""
    local = in_shanghai(instant)
    pattern = "%Y-%m-%d %H:%M:%S" if local.second or local.microsecond else "%Y-%m-%d %H:%M"
    return local.strftime(pattern)


def format_day(day: date) -> str:
    """A day with its weekday, e.g. `2026-03-14（周六）`, so users can check weekend logic."""
    return f"{day.isoformat()}（{weekday_name(day)}）"


def weekday_name(day: date) -> str:
    """Chinese weekday name of a day."""
    return _WEEKDAY_NAMES[day.weekday()]
