"""The explanation of a due time: steps as data, with Chinese descriptions for the UI."""

from datetime import datetime

from fazhi.core.legaltime import (
    SHANGHAI,
    Excluded,
    Exclusion,
    ExtendBy,
    Extended,
    HolidayCalendar,
    HolidayShift,
    Limit,
    NoHolidayShift,
    Period,
    Start,
    Step,
    Unit,
    compute_due,
)

CALENDAR = HolidayCalendar()


def bj(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SHANGHAI)


def descriptions(steps: tuple[Step, ...]) -> list[str]:
    return [step.description for step in steps]


def test_custody_days_are_explained_step_by_step() -> None:
    due = compute_due(
        bj(2026, 3, 1, 10),
        Period(Unit.DAYS, 3),
        holiday_shift=False,
        calendar=CALENDAR,
        start_label="拘留时间",
    )
    assert [type(s) for s in due.steps] == [Start, Limit, NoHolidayShift]
    assert descriptions(due.steps) == [
        "起算：2026-03-01 10:00（拘留时间），期间不计开始之日",
        "期限：3日，最后一日为2026-03-04（周三）",
        "不因节假日延长：本期限至期满之日2026-03-04（周三）为止（在押、限制人身自由或人身强制措施期间）",
    ]


def test_a_holiday_shift_lists_the_holidays_skipped() -> None:
    due = compute_due(
        bj(2026, 9, 30, 15), Period(Unit.DAYS, 3), holiday_shift=True, calendar=CALENDAR
    )
    shift = due.steps[-1]
    assert isinstance(shift, HolidayShift)
    assert [d.day.day for d in shift.consulted] == [3, 4, 5, 6, 7, 8]
    assert shift.description == (
        "节假日顺延：最后一日2026-10-03（周六）为节假日，以节假日后的第一日2026-10-08（周四）为期满日期；"
        "跳过：2026-10-03（周六）国庆节、2026-10-04（周日）国庆节、2026-10-05（周一）国庆节、"
        "2026-10-06（周二）国庆节、2026-10-07（周三）国庆节"
    )


def test_a_working_last_day_is_said_not_to_move() -> None:
    due = compute_due(
        bj(2026, 10, 7, 15), Period(Unit.DAYS, 3), holiday_shift=True, calendar=CALENDAR
    )
    assert (
        due.steps[-1].description
        == "节假日：最后一日2026-10-10（周六）调休上班日（国庆节），不顺延"
    )


def test_hour_periods_state_exact_elapsed_time() -> None:
    due = compute_due(
        bj(2026, 3, 1, 10, 25), Period(Unit.HOURS, 24), holiday_shift=False, calendar=CALENDAR
    )
    assert descriptions(due.steps) == [
        "起算：2026-03-01 10:25，以时计算，按实际经过时间计算",
        "期限：24小时，至2026-03-02 10:25",
    ]


def test_month_periods_cite_the_rule_that_fixed_the_last_day() -> None:
    due = compute_due(
        bj(2025, 12, 30, 10),
        Period(Unit.MONTHS, 2),
        holiday_shift=False,
        calendar=CALENDAR,
        extensions=(ExtendBy(Period(Unit.MONTHS, 1), "上一级人民检察院批准"),),
    )
    limit, extended = due.steps[1], due.steps[2]
    assert isinstance(limit, Limit) and isinstance(extended, Extended)
    assert limit.description == (
        "期限：2个月，最后一日为2026-02-28（周六）；"
        "依高法解释§202「下月同日不存在的，自本月某日至下月最后一日为一个月」"
    )
    assert extended.description == (
        "延长：延长1个月（上一级人民检察院批准），自起算时连续计算，共3个月，最后一日为2026-03-30（周一）"
    )


def test_a_day_extension_says_it_runs_from_the_raw_expiry() -> None:
    due = compute_due(
        bj(2026, 9, 4, 10),
        Period(Unit.DAYS, 30),
        holiday_shift=True,
        calendar=CALENDAR,
        extensions=(ExtendBy(Period(Unit.DAYS, 30), "上一级公安机关批准"),),
    )
    assert due.steps[2].description == (
        "延长：延长30日（上一级公安机关批准），自原期满日2026-10-04（周日）起算，共60日，"
        "最后一日为2026-11-03（周二）"
    )


def test_working_days_list_the_days_not_counted() -> None:
    due = compute_due(
        bj(2026, 4, 30, 10), Period(Unit.WORKING_DAYS, 5), holiday_shift=True, calendar=CALENDAR
    )
    limit = due.steps[-1]
    assert isinstance(limit, Limit)
    assert limit.description.startswith(
        "期限：5个工作日（不含法定节假日），第5个工作日为2026-05-11（周一）工作日；不计：2026-05-01（周五）劳动节"
    )
    assert "2026-05-10（周日）休息日" in limit.description
    assert "2026-05-09" not in limit.description  # a 调休 Saturday is counted, not skipped


def test_exclusions_show_days_and_merged_labels() -> None:
    due = compute_due(
        bj(2026, 3, 2, 10),
        Period(Unit.DAYS, 30),
        holiday_shift=True,
        calendar=CALENDAR,
        exclusions=(
            Exclusion(bj(2026, 3, 5, 9), bj(2026, 3, 15, 17), "鉴定"),
            Exclusion(bj(2026, 3, 12, 9), bj(2026, 3, 20, 12), "听证"),
            Exclusion(bj(2026, 6, 1, 9), bj(2026, 6, 2, 9), "听证"),
        ),
    )
    merged, late = (s for s in due.steps if isinstance(s, Excluded))
    assert merged.description == (
        "不计入期间：鉴定、听证（2026-03-05 09:00至2026-03-20 12:00），计15日，重叠部分只计一次，"
        "最后一日后移至2026-04-16（周四）"
    )
    assert not late.counted
    assert "开始于期满之后，不影响期限" in late.description
