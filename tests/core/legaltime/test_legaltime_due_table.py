"""Due times quoted from the law, exact to the second.

The counting rules every case below relies on:
【刑诉法§105】「期间以时、日、月计算。」「期间开始的时和日不算在期间以内。」「期间的最后一日为节假日的，
以节假日后的第一日为期满日期，但犯罪嫌疑人、被告人或者罪犯在押期间，应当至期满之日为止，不得因节假日而延长。」
【公安行政规定§35】「期间以时、日、月、年计算，期间开始之时或者日不计算在内。……期间的最后一日是节假日的，
以节假日后的第一日为期满日期，但违法行为人被限制人身自由的期间，应当至期满之日为止，不得因节假日而延长。」
【行政处罚法§85】「本法中“二日”“三日”“五日”“七日”的规定是指工作日，不含法定节假日。」
Holidays: 国务院办公厅关于2026年部分节假日安排的通知 (shared/law/holiday-2026.md).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from fazhi.core.legaltime import (
    SHANGHAI,
    Exclusion,
    ExtendBy,
    ExtendTo,
    Extension,
    HolidayCalendar,
    Period,
    Unit,
    compute_due,
    days_before_expiry,
)

CALENDAR = HolidayCalendar()


def bj(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=SHANGHAI)


def hours(n: int) -> Period:
    return Period(Unit.HOURS, n)


def days(n: int) -> Period:
    return Period(Unit.DAYS, n)


def months(n: int) -> Period:
    return Period(Unit.MONTHS, n)


def working_days(n: int) -> Period:
    return Period(Unit.WORKING_DAYS, n)


@dataclass(frozen=True)
class Case:
    basis: str  # the law quoted, shown when the case fails
    start: datetime
    period: Period
    holiday_shift: bool
    expected: datetime
    extensions: tuple[Extension, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()


def run(case: Case) -> datetime:
    due = compute_due(
        case.start,
        case.period,
        holiday_shift=case.holiday_shift,
        calendar=CALENDAR,
        extensions=case.extensions,
        exclusions=case.exclusions,
    )
    assert due.steps[-1].due_at == due.due_at
    assert not due.provisional
    return due.due_at


HOUR_CASES = {
    "JL-02 24h hand-over, exact elapsed time (C1)": Case(
        "【刑诉法§85】「拘留后，应当立即将被拘留人送看守所羁押，至迟不得超过二十四小时」",
        start=bj(2026, 3, 1, 10),
        period=hours(24),
        holiday_shift=False,
        expected=bj(2026, 3, 2, 10),
    ),
    "CH-01 summons 12h across midnight, to the second": Case(
        "【刑诉法§119】「传唤、拘传持续的时间不得超过十二小时」",
        start=bj(2026, 3, 1, 22, 30, 15),
        period=hours(12),
        holiday_shift=False,
        expected=bj(2026, 3, 2, 10, 30, 15),
    ),
    "QT-03 48h across National Day: an hour period never moves, even for a police duty": Case(
        "【公安刑事规定§367】「应当在四十八小时以内层报省级公安机关」",
        start=bj(2026, 9, 30, 20),
        period=hours(48),
        holiday_shift=True,
        expected=bj(2026, 10, 2, 20),
    ),
    "CH-01 summons extended to 24h": Case(
        "【刑诉法§119】「案情特别重大、复杂，需要采取拘留、逮捕措施的，传唤、拘传持续的时间不得超过二十四小时」",
        start=bj(2026, 3, 1, 10, 25),
        period=hours(12),
        holiday_shift=False,
        expected=bj(2026, 3, 2, 10, 25),
        extensions=(ExtendTo(hours(24)),),
    ),
    "CH-07 continued questioning 12 -> 24 -> 48h over the Spring Festival": Case(
        "【公安行政规定§57】「继续盘问的时限一般为十二小时；……可以延长至二十四小时；……可以延长至四十八小时」",
        start=bj(2026, 2, 14, 9),
        period=hours(12),
        holiday_shift=True,
        expected=bj(2026, 2, 16, 9),
        extensions=(ExtendTo(hours(24)), ExtendTo(hours(48))),
    ),
}

DAY_CASES = {
    "JL-01 arrest request 3 days, in custody": Case(
        "【刑诉法§91】「应当在拘留后的三日以内，提请人民检察院审查批准」",
        start=bj(2026, 3, 1, 10),
        period=days(3),
        holiday_shift=False,
        expected=bj(2026, 3, 4, 23, 59, 59),
    ),
    "JL-01 extended to 7 days ends on a Sunday, not moved (in custody)": Case(
        "【刑诉法§91】「在特殊情况下，提请审查批准的时间可以延长一日至四日」",
        start=bj(2026, 3, 1, 10),
        period=days(3),
        holiday_shift=False,
        expected=bj(2026, 3, 8, 23, 59, 59),
        extensions=(ExtendTo(days(7), "县级以上公安机关负责人批准"),),
    ),
    "JL-01 extended to 30 days": Case(
        "【刑诉法§91】「对于流窜作案、多次作案、结伙作案的重大嫌疑分子，提请审查批准的时间可以延长至三十日」",
        start=bj(2026, 3, 1, 10),
        period=days(3),
        holiday_shift=False,
        expected=bj(2026, 3, 31, 23, 59, 59),
        extensions=(ExtendTo(days(30)),),
    ),
    "JL-01 ending on National Day, in custody: not extended": Case(
        "【刑诉法§105】「但犯罪嫌疑人、被告人或者罪犯在押期间，应当至期满之日为止，不得因节假日而延长」",
        start=bj(2026, 9, 28, 18),
        period=days(3),
        holiday_shift=False,
        expected=bj(2026, 10, 1, 23, 59, 59),
    ),
    "LA-01 filing review ends Saturday -> Monday": Case(
        "【受案立案意见】「刑事案件立案审查期限原则上不超过3日」",
        start=bj(2026, 3, 11, 9),
        period=days(3),
        holiday_shift=True,
        expected=bj(2026, 3, 16, 23, 59, 59),
    ),
    "LA-01 filing review extended to 30 days (C4, shift once at the end)": Case(
        "【受案立案意见】「重大疑难复杂案件,经县级以上公安机关负责人批准,立案审查期限可以延长至30日」",
        start=bj(2026, 3, 11, 9),
        period=days(3),
        holiday_shift=True,
        expected=bj(2026, 4, 10, 23, 59, 59),
        extensions=(ExtendTo(days(30)),),
    ),
    "LA-06 ends 10-03 (Saturday in National Day) -> 10-08": Case(
        "【公安刑事规定§178】「决定不予立案的，……并在三日以内送达控告人」",
        start=bj(2026, 9, 30, 15),
        period=days(3),
        holiday_shift=True,
        expected=bj(2026, 10, 8, 23, 59, 59),
    ),
    "LA-06 ends 10-07 (last day of National Day) -> 10-08": Case(
        "【刑诉法§105】「以节假日后的第一日为期满日期」",
        start=bj(2026, 10, 4, 15),
        period=days(3),
        holiday_shift=True,
        expected=bj(2026, 10, 8, 23, 59, 59),
    ),
    "LA-06 ends 10-10, a Saturday declared a working day: not moved": Case(
        "【2026年节假日安排】「9月20日（周日）、10月10日（周六）上班」",
        start=bj(2026, 10, 7, 15),
        period=days(3),
        holiday_shift=True,
        expected=bj(2026, 10, 10, 23, 59, 59),
    ),
    "LA-06 ends 09-20, a Sunday declared a working day: not moved": Case(
        "【2026年节假日安排】「9月20日（周日）、10月10日（周六）上班」",
        start=bj(2026, 9, 17, 15),
        period=days(3),
        holiday_shift=True,
        expected=bj(2026, 9, 20, 23, 59, 59),
    ),
    "ends 02-15, first day of the Spring Festival -> 02-24": Case(
        "【2026年节假日安排】「2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休」",
        start=bj(2026, 2, 12, 8),
        period=days(3),
        holiday_shift=True,
        expected=bj(2026, 2, 24, 23, 59, 59),
    ),
    "ends 02-14, a Saturday working day before the Spring Festival: not moved": Case(
        "【2026年节假日安排】「2月14日（周六）、2月28日（周六）上班」",
        start=bj(2026, 2, 11, 8),
        period=days(3),
        holiday_shift=True,
        expected=bj(2026, 2, 14, 23, 59, 59),
    ),
    "ends 02-28, a Saturday working day after the Spring Festival: not moved": Case(
        "【2026年节假日安排】「2月14日（周六）、2月28日（周六）上班」",
        start=bj(2026, 2, 25, 8),
        period=days(3),
        holiday_shift=True,
        expected=bj(2026, 2, 28, 23, 59, 59),
    ),
    "ends 01-04, the Sunday working day after New Year: not moved": Case(
        "【2026年节假日安排】「1月4日（周日）上班」",
        start=bj(2026, 1, 1, 8),
        period=days(3),
        holiday_shift=True,
        expected=bj(2026, 1, 4, 23, 59, 59),
    ),
    "ends 05-09, the Saturday working day after Labour Day: not moved": Case(
        "【2026年节假日安排】「5月9日（周六）上班」",
        start=bj(2026, 5, 6, 8),
        period=days(3),
        holiday_shift=True,
        expected=bj(2026, 5, 9, 23, 59, 59),
    ),
    "XZ-01 public-order case 30 days ending in National Day -> 10-08": Case(
        "【治安法2025§118】「公安机关办理治安案件的期限，自立案之日起不得超过三十日」",
        start=bj(2026, 9, 4, 10),
        period=days(30),
        holiday_shift=True,
        expected=bj(2026, 10, 8, 23, 59, 59),
    ),
    "XZ-01 + 30 days runs from the raw expiry 10-04, not from 10-08 (C4)": Case(
        "【治安法2025§118】「案情重大、复杂的，经上一级公安机关批准，可以延长三十日」",
        start=bj(2026, 9, 4, 10),
        period=days(30),
        holiday_shift=True,
        expected=bj(2026, 11, 3, 23, 59, 59),
        extensions=(ExtendBy(days(30), "上一级公安机关批准"),),
    ),
    "XZ-01 extended twice under the 2025 law": Case(
        "【治安法2025§118】「期限延长以二次为限」",
        start=bj(2026, 9, 4, 10),
        period=days(30),
        holiday_shift=True,
        expected=bj(2026, 12, 3, 23, 59, 59),
        extensions=(ExtendBy(days(30)), ExtendBy(days(30))),
    ),
    "LA-07 reconsideration 30 + 30 days": Case(
        "【公安刑事规定§179】「公安机关应当在收到复议申请后三十日以内作出决定」「延长时限不得超过三十日」",
        start=bj(2026, 1, 5, 10),
        period=days(30),
        holiday_shift=True,
        expected=bj(2026, 3, 6, 23, 59, 59),
        extensions=(ExtendBy(days(30)),),
    ),
}

MONTH_CASES = {
    "YJ-01 two months ends on Labour Day, in custody: not moved": Case(
        "【刑诉法§156】「对犯罪嫌疑人逮捕后的侦查羁押期限不得超过二个月」",
        start=bj(2026, 3, 1, 10),
        period=months(2),
        holiday_shift=False,
        expected=bj(2026, 5, 1, 23, 59, 59),
    ),
    "BC-01 one month ends on Labour Day, suspect not in custody -> 05-06": Case(
        "【刑诉法§175】「对于补充侦查的案件，应当在一个月以内补充侦查完毕」",
        start=bj(2026, 4, 1, 10),
        period=months(1),
        holiday_shift=True,
        expected=bj(2026, 5, 6, 23, 59, 59),
    ),
    "2026-01-31 + 1 month -> 02-28": Case(
        "【高法解释§202】「期限起算日为本月最后一日的，至下月最后一日为一个月」",
        start=bj(2026, 1, 31, 10),
        period=months(1),
        holiday_shift=False,
        expected=bj(2026, 2, 28, 23, 59, 59),
    ),
    "2024-01-31 + 1 month -> 2024-02-29 (leap year)": Case(
        "【高法解释§202】「期限起算日为本月最后一日的，至下月最后一日为一个月」",
        start=bj(2024, 1, 31, 10),
        period=months(1),
        holiday_shift=False,
        expected=bj(2024, 2, 29, 23, 59, 59),
    ),
    "2024-02-29 + 12 months -> 2025-02-28": Case(
        "【高法解释§202】「期限起算日为本月最后一日的，至下月最后一日为一个月」",
        start=bj(2024, 2, 29, 10),
        period=months(12),
        holiday_shift=False,
        expected=bj(2025, 2, 28, 23, 59, 59),
    ),
    "YJ-03 chained 2 + 1 months counted from the start: 03-30, not 03-31 (C3)": Case(
        "【刑诉法§156】「可以经上一级人民检察院批准延长一个月」",
        start=bj(2025, 12, 30, 10),
        period=months(2),
        holiday_shift=False,
        expected=bj(2026, 3, 30, 23, 59, 59),
        extensions=(ExtendBy(months(1), "上一级人民检察院批准"),),
    ),
    "YJ-05 2 + 1 + 2 + 2 months = 7 months from the arrest": Case(
        "【刑诉法§158】「可以延长二个月」【刑诉法§159】「可以再延长二个月」",
        start=bj(2025, 12, 30, 10),
        period=months(2),
        holiday_shift=False,
        expected=bj(2026, 7, 30, 23, 59, 59),
        extensions=(ExtendBy(months(1)), ExtendBy(months(2)), ExtendBy(months(2))),
    ),
    "CW-06 securities freeze 2 years from 2024-02-29 ends 2026-02-28, a working Saturday": Case(
        "【公安刑事规定§244】「冻结债券、股票、基金份额等证券的期限为二年」",
        start=bj(2024, 2, 29, 10),
        period=Period(Unit.YEARS, 2),
        holiday_shift=True,
        expected=bj(2026, 2, 28, 23, 59, 59),
    ),
}

WORKING_DAY_CASES = {
    "XZ-06 service in 7 working days across the Spring Festival": Case(
        "【行政处罚法§61】「行政机关应当在七日内……将行政处罚决定书送达当事人」",
        start=bj(2026, 2, 12, 10),
        period=working_days(7),
        holiday_shift=True,
        expected=bj(2026, 2, 28, 23, 59, 59),
    ),
    "XZ-18 second mediation within 7 working days across National Day": Case(
        "【公安行政规定§183】「并应当在第一次调解后的七个工作日内完成」",
        start=bj(2026, 9, 28, 10),
        period=working_days(7),
        holiday_shift=True,
        expected=bj(2026, 10, 13, 23, 59, 59),
    ),
    "XZ-05 hearing request 5 working days across Labour Day": Case(
        "【行政处罚法§64】「当事人要求听证的，应当在行政机关告知后五日内提出」",
        start=bj(2026, 4, 30, 10),
        period=working_days(5),
        holiday_shift=True,
        expected=bj(2026, 5, 11, 23, 59, 59),
    ),
}

EXCLUSION_CASES = {
    "YJ-08 psychiatric appraisal of 41 days moves custody from 05-01 to 06-11": Case(
        "【刑诉法§149】「对犯罪嫌疑人作精神病鉴定的期间不计入办案期限」",
        start=bj(2026, 3, 1, 10),
        period=months(2),
        holiday_shift=False,
        expected=bj(2026, 6, 11, 23, 59, 59),
        exclusions=(Exclusion(bj(2026, 3, 10, 9), bj(2026, 4, 20, 17), "精神病鉴定"),),
    ),
    "XZ-01 overlapping appraisal and hearing count once (15 days)": Case(
        "【治安法2025§118】「为了查明案情进行鉴定的期间、听证的期间，不计入办理治安案件的期限」",
        start=bj(2026, 3, 2, 10),
        period=days(30),
        holiday_shift=True,
        expected=bj(2026, 4, 16, 23, 59, 59),
        exclusions=(
            Exclusion(bj(2026, 3, 5, 9), bj(2026, 3, 15, 17), "鉴定"),
            Exclusion(bj(2026, 3, 12, 9), bj(2026, 3, 20, 12), "听证"),
        ),
    ),
    "XZ-01 a hearing after the expiry does not count": Case(
        "【治安法2025§118】「听证的期间，不计入办理治安案件的期限」",
        start=bj(2026, 3, 2, 10),
        period=days(30),
        holiday_shift=True,
        expected=bj(2026, 4, 1, 23, 59, 59),
        exclusions=(Exclusion(bj(2026, 4, 2, 9), bj(2026, 4, 9, 9), "听证"),),
    ),
    "XZ-01 a hearing counts when an earlier appraisal kept the period running": Case(
        "【治安法2025§118】「鉴定的期间、听证的期间，不计入」",
        start=bj(2026, 3, 2, 10),
        period=days(30),
        holiday_shift=True,
        expected=bj(2026, 4, 16, 23, 59, 59),
        exclusions=(
            Exclusion(bj(2026, 4, 2, 9), bj(2026, 4, 9, 9), "听证"),
            Exclusion(bj(2026, 3, 5, 9), bj(2026, 3, 13, 9), "鉴定"),
        ),
    ),
    "CW-04 seizure 30 days + 30, appraisal not counted, shift once": Case(
        "【公安行政规定§112】「鉴定期间不计入扣押、扣留、查封期间」",
        start=bj(2026, 8, 1, 10),
        period=days(30),
        holiday_shift=True,
        expected=bj(2026, 10, 8, 23, 59, 59),
        extensions=(ExtendBy(days(30)),),
        exclusions=(Exclusion(bj(2026, 8, 10, 9), bj(2026, 8, 14, 18), "鉴定"),),
    ),
}


def _cases(table: dict[str, Case]) -> list[object]:
    return [pytest.param(case, id=name) for name, case in table.items()]


@pytest.mark.parametrize("case", _cases(HOUR_CASES))
def test_hour_periods(case: Case) -> None:
    assert run(case) == case.expected, case.basis


@pytest.mark.parametrize("case", _cases(DAY_CASES))
def test_day_periods(case: Case) -> None:
    assert run(case) == case.expected, case.basis


@pytest.mark.parametrize("case", _cases(MONTH_CASES))
def test_month_periods(case: Case) -> None:
    assert run(case) == case.expected, case.basis


@pytest.mark.parametrize("case", _cases(WORKING_DAY_CASES))
def test_working_day_periods(case: Case) -> None:
    assert run(case) == case.expected, case.basis


@pytest.mark.parametrize("case", _cases(EXCLUSION_CASES))
def test_excluded_spans(case: Case) -> None:
    assert run(case) == case.expected, case.basis


def test_days_before_expiry_yj02_seven_days_before_custody_expiry() -> None:
    # 【公安刑事规定§148】「在期限届满七日前送请同级人民检察院转报上一级人民检察院批准延长一个月」
    custody = compute_due(bj(2026, 3, 1, 10), months(2), holiday_shift=False, calendar=CALENDAR)
    request_by = days_before_expiry(custody, 7)
    assert request_by.due_at == bj(2026, 4, 24, 23, 59, 59)
    assert request_by.steps[-1].due_at == request_by.due_at
    assert "届满7日前" in request_by.steps[-1].description


def test_days_before_expiry_qb03_fifteen_days_before_bail_expiry_in_2027() -> None:
    # 【取保规定§26】「移送案件的机关应当在期限届满十五日前书面通知受案机关」
    # A bail term is a measure on a person (C2): no holiday rule, so 2027 is not provisional.
    bail = compute_due(bj(2026, 3, 1, 10), months(12), holiday_shift=False, calendar=CALENDAR)
    notice_by = days_before_expiry(bail, 15)
    assert bail.due_at == bj(2027, 3, 1, 23, 59, 59)
    assert notice_by.due_at == bj(2027, 2, 14, 23, 59, 59)
    assert not notice_by.provisional


@pytest.mark.parametrize("bad", [0, -1, True])
def test_days_before_expiry_needs_a_positive_count(bad: int) -> None:
    due = compute_due(bj(2026, 3, 1), days(3), holiday_shift=False, calendar=CALENDAR)
    with pytest.raises(ValueError):
        days_before_expiry(due, bad)


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        compute_due(datetime(2026, 3, 1, 10), days(3), holiday_shift=False, calendar=CALENDAR)


def test_a_naive_exclusion_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Exclusion(datetime(2026, 3, 1), bj(2026, 3, 2), "鉴定")


def test_an_exclusion_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        Exclusion(bj(2026, 3, 2), bj(2026, 3, 1), "鉴定")


def test_an_aware_start_in_another_zone_is_counted_on_the_beijing_day() -> None:
    # 2026-02-28 16:30 UTC is 2026-03-01 00:30 in Beijing: the start day is 03-01.
    due = compute_due(
        datetime(2026, 2, 28, 16, 30, tzinfo=UTC), days(3), holiday_shift=False, calendar=CALENDAR
    )
    assert due.due_at == bj(2026, 3, 4, 23, 59, 59)
    assert due.due_at.tzinfo is SHANGHAI


def test_due_at_is_inclusive_to_the_second() -> None:
    due = compute_due(bj(2026, 3, 1, 10), days(3), holiday_shift=False, calendar=CALENDAR)
    assert due.is_on_time(bj(2026, 3, 4, 23, 59, 59))
    assert due.is_on_time(bj(2026, 3, 4, 23, 59, 59).replace(microsecond=999_999))
    assert not due.is_on_time(bj(2026, 3, 5))
    with pytest.raises(ValueError):
        due.is_on_time(datetime(2026, 3, 4, 12))


def test_an_extension_in_another_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot extend"):
        compute_due(
            bj(2026, 3, 1),
            months(2),
            holiday_shift=False,
            calendar=CALENDAR,
            extensions=(ExtendBy(days(30)),),
        )


def test_years_and_months_extend_each_other() -> None:
    due = compute_due(
        bj(2026, 3, 1),
        Period(Unit.YEARS, 1),
        holiday_shift=False,
        calendar=CALENDAR,
        extensions=(ExtendBy(months(6)),),
    )
    assert due.due_at == bj(2027, 9, 1, 23, 59, 59)


def test_an_extension_to_a_shorter_total_is_refused() -> None:
    # A record "extended to 7 days" after "extended to 30 days" contradicts itself.
    with pytest.raises(ValueError, match="may not shorten"):
        compute_due(
            bj(2026, 3, 1),
            days(3),
            holiday_shift=False,
            calendar=CALENDAR,
            extensions=(ExtendTo(days(30)), ExtendTo(days(7))),
        )


@pytest.mark.parametrize("period", [hours(24), working_days(7)])
def test_exclusions_apply_only_to_day_and_month_periods(period: Period) -> None:
    with pytest.raises(ValueError, match="no law excludes"):
        compute_due(
            bj(2026, 3, 1),
            period,
            holiday_shift=False,
            calendar=CALENDAR,
            exclusions=(Exclusion(bj(2026, 3, 1, 12), bj(2026, 3, 1, 14), "鉴定"),),
        )


def test_an_exclusion_before_the_start_is_ignored() -> None:
    due = compute_due(
        bj(2026, 3, 10, 10),
        days(3),
        holiday_shift=False,
        calendar=CALENDAR,
        exclusions=(Exclusion(bj(2026, 3, 1), bj(2026, 3, 10, 9), "鉴定"),),
    )
    assert due.due_at == bj(2026, 3, 13, 23, 59, 59)


def test_an_exclusion_running_at_the_start_counts_from_the_start() -> None:
    # Appraisal 03-01..03-20, period starts 03-10: only 03-10..03-20 (10 days) is excluded.
    due = compute_due(
        bj(2026, 3, 10, 10),
        days(3),
        holiday_shift=False,
        calendar=CALENDAR,
        exclusions=(Exclusion(bj(2026, 3, 1), bj(2026, 3, 20, 9), "精神病鉴定"),),
    )
    assert due.due_at == bj(2026, 3, 23, 23, 59, 59)


@pytest.mark.parametrize("last_day", range(1, 8))
def test_every_national_day_holiday_moves_to_10_08(last_day: int) -> None:
    # 【2026年节假日安排】「10月1日（周四）至7日（周三）放假调休，共7天」
    start = bj(2026, 10, last_day, 9) - timedelta(days=3)
    due = compute_due(start, days(3), holiday_shift=True, calendar=CALENDAR)
    assert due.steps[1].due_at == bj(2026, 10, last_day, 23, 59, 59)
    assert due.due_at == bj(2026, 10, 8, 23, 59, 59)
    assert not due.provisional
