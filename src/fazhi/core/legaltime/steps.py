"""The counting steps behind a due time, as data.

Users must be able to see why a duty is due when it is ("why is this overdue?" is the first
question a station chief asks). Every step carries `due_at`, the due time as counted after
that step, and a Chinese `description`; the last step's `due_at` is the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeAlias

from fazhi.core.legaltime.exclusions import MergedSpan
from fazhi.core.legaltime.extensions import ExtendBy, Extension
from fazhi.core.legaltime.holidays import CalendarDay
from fazhi.core.legaltime.instants import format_day, format_instant
from fazhi.core.legaltime.periods import MonthRule, Period, Unit


@dataclass(frozen=True)
class Start:
    """The start event. `due_at` is the start itself: nothing has been counted yet."""

    due_at: datetime
    unit: Unit
    label: str

    @property
    def description(self) -> str:
        label = f"（{self.label}）" if self.label else ""
        if self.unit is Unit.HOURS:
            rule = "以时计算，按实际经过时间计算"
        else:
            rule = "期间不计开始之日"
        return f"起算：{format_instant(self.due_at)}{label}，{rule}"


@dataclass(frozen=True)
class Limit:
    """The limit as first stated, and where it ends before any extension or shift.

    `month_rule` says which sentence of 高法解释§202 fixed a month period's last day;
    `counted` holds the days after the start day up to the last working day of a working-day
    period, so the 节假日 not counted can be shown.
    """

    due_at: datetime
    period: Period
    month_rule: MonthRule | None = None
    counted: tuple[CalendarDay, ...] = ()

    @property
    def description(self) -> str:
        text = f"期限：{self.period.description}"
        if self.period.unit is Unit.WORKING_DAYS:
            last = self.counted[-1].description
            text += f"（不含法定节假日），第{self.period.amount}个工作日为{last}"
            skipped = tuple(d for d in self.counted if not d.is_working)
            if skipped:
                text += f"；不计：{_days(skipped)}"
            return text
        text += f"，{_ends(self.period.unit, self.due_at)}"
        if self.month_rule is not None:
            text += f"；依高法解释§202「{self.month_rule.value}」"
        return text


@dataclass(frozen=True)
class Extended:
    """One extension applied; `total` is the limit after it, counted from the start."""

    due_at: datetime
    extension: Extension
    total: Period
    previous_due_at: datetime

    @property
    def description(self) -> str:
        basis = f"（{self.extension.basis}）" if self.extension.basis else ""
        unit = self.total.unit
        if not isinstance(self.extension, ExtendBy):
            what = f"期限延长至{self.extension.period.description}{basis}，自起算时计算"
        elif unit is Unit.DAYS:
            what = (
                f"延长{self.extension.period.description}{basis}，"
                f"自原期满日{format_day(self.previous_due_at.date())}起算，共{self.total.description}"
            )
        else:
            what = (
                f"延长{self.extension.period.description}{basis}，"
                f"自起算时连续计算，共{self.total.description}"
            )
        return f"延长：{what}，{_ends(unit, self.due_at)}"


@dataclass(frozen=True)
class Excluded:
    """A span not counted (精神病鉴定, 鉴定, 听证 …) and how many days it moved the end."""

    due_at: datetime
    span: MergedSpan
    days: int
    counted: bool

    @property
    def description(self) -> str:
        what = "、".join(self.span.labels)
        when = f"{format_instant(self.span.start)}至{format_instant(self.span.end)}"
        if not self.counted:
            return f"不计入期间：{what}（{when}）开始于期满之后，不影响期限"
        merged = "，重叠部分只计一次" if len(self.span.labels) > 1 else ""
        return (
            f"不计入期间：{what}（{when}），计{self.days}日{merged}，"
            f"最后一日后移至{format_day(self.due_at.date())}"
        )


@dataclass(frozen=True)
class HolidayShift:
    """The holiday rule applied: `consulted` is the last day and, when it was a 节假日, the
    days after it up to the first working day."""

    due_at: datetime
    consulted: tuple[CalendarDay, ...]

    @property
    def description(self) -> str:
        last = self.consulted[0]
        if len(self.consulted) == 1:
            return f"节假日：最后一日{last.description}，不顺延"
        new = self.consulted[-1]
        return (
            f"节假日顺延：最后一日{format_day(last.day)}为节假日，以节假日后的第一日"
            f"{format_day(new.day)}为期满日期；跳过：{_days(self.consulted[:-1])}"
        )


@dataclass(frozen=True)
class NoHolidayShift:
    """The caller ruled out the holiday rule (C2: measures on a person, subject in custody)."""

    due_at: datetime

    @property
    def description(self) -> str:
        return (
            f"不因节假日延长：本期限至期满之日{format_day(self.due_at.date())}为止"
            "（在押、限制人身自由或人身强制措施期间）"
        )


@dataclass(frozen=True)
class Provisional:
    """The result used weekends only for years whose holiday notice is not in the data."""

    due_at: datetime
    years: tuple[int, ...]

    @property
    def description(self) -> str:
        years = "、".join(f"{y}年" for y in self.years)
        return (
            f"暂定：{years}节假日安排尚未录入，暂按普通周六、周日计算；"
            "国务院通知公布并录入后应重新计算"
        )


@dataclass(frozen=True)
class DaysBefore:
    """C5 "届满 X 日前": the expiry date minus X days, inclusive."""

    due_at: datetime
    days: int
    expiry: date

    @property
    def description(self) -> str:
        return (
            f"届满{self.days}日前：期满日{format_day(self.expiry)}前{self.days}日为"
            f"{format_day(self.due_at.date())}，至当日23:59:59（含当日）"
        )


Step: TypeAlias = (
    Start | Limit | Extended | Excluded | HolidayShift | NoHolidayShift | Provisional | DaysBefore
)


def _ends(unit: Unit, due_at: datetime) -> str:
    if unit is Unit.HOURS:
        return f"至{format_instant(due_at)}"
    return f"最后一日为{format_day(due_at.date())}"


def _days(days: tuple[CalendarDay, ...]) -> str:
    return "、".join(d.description for d in days)
