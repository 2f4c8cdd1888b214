"""The three ways a defect is injected into a generated, clean timeline.

Each helper returns the note for defects.jsonl, or None without changing anything when the
defect would not be visible by the cutoff (the late act would fall after it, or the missed
deadline would not yet have passed).
"""

from __future__ import annotations

from typing import Any

from fazhi.demo.clock import DAY, end_of_day
from fazhi.demo.timeline import Ev, Timeline

# A day-counted police duty whose last day is a holiday moves to the next working day (C2);
# the longest such move is the Spring Festival's, nine days. Late acts of such duties are put
# beyond this margin so that they are late whatever the calendar.
HOLIDAY_MARGIN = 10 * DAY


def day_due(start: int, days: int, holiday_shift: bool) -> int:
    """The latest instant a day-counted duty can be due, holidays included."""
    return end_of_day(start // DAY + days) + (HOLIDAY_MARGIN if holiday_shift else 0)


def delay(tl: Timeline, events: list[Ev], by: int, note: str) -> str | None:
    """Move acts later by `by` seconds (with their ends)."""
    if any(ev.at + by > tl.cutoff or (ev.end or 0) + by > tl.cutoff for ev in events):
        return None
    for ev in events:
        ev.at += by
        if ev.end is not None:
            ev.end += by
    return note


def drop(tl: Timeline, events: list[Ev], due: int, note: str) -> str | None:
    """Remove acts whose duty fell due by `due`."""
    if due > tl.cutoff:
        return None
    for ev in events:
        tl.events.remove(ev)
    return note


def alter(tl: Timeline, ev: Ev, note: str, officers: list[str] | None = None,
          end: int | None = None, **attrs: Any) -> str | None:
    """Change how an act was done: who was present, its attributes or when it ended."""
    if ev.at > tl.cutoff or (end or ev.end or 0) > tl.cutoff:
        return None
    if officers is not None:
        ev.officers = officers
    if end is not None:
        ev.end = end
    if attrs:
        ev.attrs = {**(ev.attrs or {}), **attrs}
    return note
