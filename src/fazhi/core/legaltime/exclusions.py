"""Spans not counted in a period.

The texts: 刑诉法§149 「对犯罪嫌疑人作精神病鉴定的期间不计入办案期限」 (only psychiatric
appraisal: 公安刑事规定§257 「其他鉴定时间都应当计入办案期限」); 治安法2025§118 ¶2
「为了查明案情进行鉴定的期间、听证的期间，不计入办理治安案件的期限」; 公安行政规定§112 ¶2
(鉴定期间 not counted in 扣押、扣留、查封) and §165 ¶2.

How a span moves the due date (the texts do not say; the platform's reading):
- a span is measured in days the way §105 measures any day period: the day it began is not
  counted, so a span from 03-10 09:00 to 04-20 17:00 is 41 days, and one that begins and ends
  on the same day is 0 days;
- the period's last day moves later by that many days, after the month arithmetic and the
  extensions, and before the holiday rule (which is applied once, to the final last day);
- overlapping or touching spans are merged first, so a day is never excluded twice;
- a span counts only if it began while the period was still running (on or before the last
  day, as already moved by earlier spans); the part before the period's start is cut off.
Only day, month and year periods can have exclusions: no text excludes time from an hour or a
working-day period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from fazhi.core.legaltime.instants import in_shanghai


@dataclass(frozen=True)
class Exclusion:
    """A span not counted, e.g. a 精神病鉴定 from its start to its end. `label` is shown to
    users (e.g. "精神病鉴定", "听证")."""

    start: datetime
    end: datetime
    label: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", in_shanghai(self.start, field="exclusion start"))
        object.__setattr__(self, "end", in_shanghai(self.end, field="exclusion end"))
        if self.end < self.start:
            raise ValueError(f"exclusion {self.label!r} ends before it starts")


@dataclass(frozen=True)
class MergedSpan:
    """One or more overlapping exclusions, counted once."""

    start: datetime
    end: datetime
    labels: tuple[str, ...]

    def days_after(self, period_start: datetime) -> int:
        """Days excluded from a period that started at `period_start` (start day of the
        span not counted; any part before `period_start` cut off)."""
        counted_from = max(self.start, period_start)
        return max(0, (self.end.date() - counted_from.date()).days)


def merge(exclusions: Iterable[Exclusion]) -> tuple[MergedSpan, ...]:
    """Sort exclusions and merge those that overlap or touch."""
    merged: list[MergedSpan] = []
    for item in sorted(exclusions, key=lambda e: (e.start, e.end)):
        if merged and item.start <= merged[-1].end:
            last = merged[-1]
            labels = last.labels if item.label in last.labels else (*last.labels, item.label)
            merged[-1] = MergedSpan(last.start, max(last.end, item.end), labels)
        else:
            merged.append(MergedSpan(item.start, item.end, (item.label,)))
    return tuple(merged)
