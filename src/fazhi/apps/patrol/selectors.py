"""Reads of the patrol store for the pages and the API: the warning list, the rates and the
三清 figures with the duties behind each, the 首页 figures, and one case's duties.

Every read starts from the scope layer (`visible_obligations`, `visible_warnings`), then
narrows; a figure and its drill-down share one query, so the number shown is the number of
rows the drill-down lists.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from fazhi.apps.accounts.scope import AnyUser, visible_obligations, visible_warnings
from fazhi.apps.figures import Counted, counted
from fazhi.apps.org.models import Unit
from fazhi.apps.org.selectors import subtree
from fazhi.apps.patrol.models import (
    ACTIVE_STATUSES,
    OPEN_STATES,
    Finding,
    Level,
    Obligation,
    ObligationState,
    Warning,
    WarningStatus,
)

# --- the warning list ---------------------------------------------------------------------

ACTIVE = "active"  # the status filter meaning 待处理 or 已签收

# Column → order_by fields. `level_rank` orders 严重 first; `pk` makes every order total.
WARNING_SORTS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "at": ("at", "pk"),
        "due_at": ("due_at", "pk"),
        "level": ("level_rank", "at", "pk"),
        "control_point": ("control_point", "at", "pk"),
        "unit": ("unit__name", "at", "pk"),
        "status": ("status", "at", "pk"),
        "escalation": ("escalation", "at", "pk"),
    }
)
LEVEL_ORDER = (Level.CRITICAL, Level.HIGH, Level.MEDIUM, Level.LOW)


@dataclass(frozen=True)
class WarningFilters:
    """What the 风险预警 list is narrowed by; empty fields do not narrow."""

    unit: str | None = None  # the unit and its subtree
    control_point: str | None = None
    area: str | None = None
    level: str | None = None
    finding: str | None = None
    status: str | None = None  # a WarningStatus value, or ACTIVE
    handler: str | None = None  # 主办民警: person id or part of the name
    at_from: date | None = None  # 预警时间点, local days, both inclusive
    at_to: date | None = None
    order_by: tuple[str, ...] = ("-at", "-pk")


def local_day_start(day: date) -> datetime:
    """Midnight of a local (Asia/Shanghai) day: periods and filters mean the bureau's days."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def with_level_rank(rows: QuerySet[Any]) -> QuerySet[Any]:
    return rows.annotate(
        level_rank=Case(
            *(When(level=level, then=Value(rank)) for rank, level in enumerate(LEVEL_ORDER)),
            default=Value(len(LEVEL_ORDER)),
            output_field=IntegerField(),
        )
    )


def warning_list(user: AnyUser, filters: WarningFilters) -> QuerySet[Warning]:
    """The user's warnings, filtered and ordered. Each filter is an equality or range on the
    warning's own columns (the (unit, status, at) and (status, finding, at) indexes serve the
    usual list: one unit's active warnings, newest first)."""
    rows = visible_warnings(user)
    f = filters
    if f.unit:
        rows = rows.filter(unit__in=subtree(f.unit))
    if f.status == ACTIVE:
        rows = rows.filter(status__in=ACTIVE_STATUSES)
    elif f.status:
        rows = rows.filter(status=f.status)
    exact = {
        "control_point": f.control_point,
        "area": f.area,
        "level": f.level,
        "finding": f.finding,
    }
    rows = rows.filter(**{name: value for name, value in exact.items() if value})
    if f.handler:
        who = f.handler.strip()
        rows = rows.filter(Q(person_id=who) | Q(person__name__contains=who))
    if f.at_from:
        rows = rows.filter(at__gte=local_day_start(f.at_from))
    if f.at_to:
        rows = rows.filter(at__lt=local_day_start(f.at_to + timedelta(days=1)))
    if any(name.lstrip("-") == "level_rank" for name in f.order_by):
        rows = with_level_rank(rows)
    return rows.select_related("unit", "person").order_by(*f.order_by)


# --- rates and 三清 --------------------------------------------------------------------------

# 及时受立案率: the duties to decide on intake and filing within the review period —
# LA-01 刑事案件立案审查期限, LA-02 行政案件受案审查期限, LA-03 紧急处置后补登记,
# LA-08 行政执法机关移送案件的审查, LA-10 检察院通知立案后立案. The other filing points are
# notices, transfers, reviews or a limitation check, not the intake/filing decision itself.
FILING_CODES = ("LA-01", "LA-02", "LA-03", "LA-08", "LA-10")
# 强制措施按期解除率: the duties to end a coercive measure on time — JL-05 不批准逮捕后释放,
# JL-07 刑事拘留羁押上限, QB-01 取保候审最长十二个月, QB-02 不应追究时解除取保/监视居住,
# JS-01 监视居住最长六个月.
RELEASE_CODES = ("JL-05", "JL-07", "QB-01", "QB-02", "JS-01")
# 超期羁押: custody held past its lawful term — JL-05 (held after arrest was refused),
# JL-07 (刑事拘留 past its cap), YJ-01 (侦查羁押 past its term).
CUSTODY_CODES = ("JL-05", "JL-07", "YJ-01")
# 首页 "overdue custody first": warnings of the detention, arrest and custody areas (JL/DB/YJ).
CUSTODY_AREAS = ("detention", "arrest", "custody")

ENDED_STATES = (ObligationState.MET, ObligationState.LATE, ObligationState.VIOLATED)
_NOT_OWED = (ObligationState.EXCUSED, ObligationState.WITHDRAWN)


@dataclass(frozen=True)
class Frame:
    """A unit's subtree (None: everything the user sees) over local days `start`..`end`
    (inclusive), as of `now`."""

    user: AnyUser
    unit: str | None
    start: date
    end: date
    now: datetime

    @property
    def begins(self) -> datetime:
        return local_day_start(self.start)

    @property
    def ends(self) -> datetime:
        """The first instant after the period (exclusive bound)."""
        return local_day_start(self.end + timedelta(days=1))

    def obligations(self) -> QuerySet[Obligation]:
        rows = visible_obligations(self.user)
        return rows.filter(unit__in=subtree(self.unit)) if self.unit else rows

    def warnings(self) -> QuerySet[Warning]:
        rows = visible_warnings(self.user)
        return rows.filter(unit__in=subtree(self.unit)) if self.unit else rows


def frame(
    user: AnyUser, unit: str | None, start: date, end: date, now: datetime | None = None
) -> Frame:
    return Frame(user, unit, start, end, now or timezone.now())


def _ended_in_period(fr: Frame, codes: tuple[str, ...]) -> QuerySet[Obligation]:
    return fr.obligations().filter(
        control_point__in=codes,
        state__in=ENDED_STATES,
        ended_at__gte=fr.begins,
        ended_at__lt=fr.ends,
    )


def filing_duties(fr: Frame) -> QuerySet[Obligation]:
    """Denominator of 及时受立案率: FILING_CODES duties that ended (met, late or violated)
    within the period; the numerator is those of them met on time."""
    return _ended_in_period(fr, FILING_CODES)


def release_duties(fr: Frame) -> QuerySet[Obligation]:
    """Denominator of 强制措施按期解除率: RELEASE_CODES duties ended within the period."""
    return _ended_in_period(fr, RELEASE_CODES)


def _past_due_during(fr: Frame) -> Q:
    """Duties that were past due without the act at some instant of the period: still open
    and due before its end, or done late after its start."""
    open_past_due = Q(state__in=OPEN_STATES, due_at__lt=min(fr.ends, fr.now))
    done_late = Q(state=ObligationState.LATE, due_at__lt=fr.ends, ended_at__gte=fr.begins)
    return open_past_due | done_late


def custody_overdue(fr: Frame) -> QuerySet[Obligation]:
    """超期羁押: CUSTODY_CODES duties past due without the release (or transfer) at some
    instant of the period — still overdue, or ended late within the period."""
    return fr.obligations().filter(_past_due_during(fr), control_point__in=CUSTODY_CODES)


def late_duties(fr: Frame, code: str | None = None) -> QuerySet[Obligation]:
    """逾期履行: duties done after their due time, the act falling within the period."""
    rows = fr.obligations().filter(
        state=ObligationState.LATE, ended_at__gte=fr.begins, ended_at__lt=fr.ends
    )
    return rows.filter(control_point=code) if code else rows


def overdue_duties(fr: Frame, code: str | None = None) -> QuerySet[Obligation]:
    """超期未办: duties still open (as of now) whose due time passed before the period's end."""
    rows = fr.obligations().filter(state__in=OPEN_STATES, due_at__lt=min(fr.ends, fr.now))
    return rows.filter(control_point=code) if code else rows


def clear_day(fr: Frame) -> date:
    """The day 受立案日清零 is judged on: the period's last day, or today if that is later."""
    return min(fr.end, timezone.localdate(fr.now))


def daily_clear(fr: Frame) -> QuerySet[Obligation]:
    """受立案日清零: FILING_CODES duties started before the clear day and still open at the
    end of that day (not ended by then: open now, or ended after it). Zero means cleared."""
    day = clear_day(fr)
    day_end = min(local_day_start(day + timedelta(days=1)), fr.now)
    still_open = Q(state__in=OPEN_STATES) | Q(state__in=ENDED_STATES, ended_at__gt=day_end)
    return fr.obligations().filter(
        still_open, control_point__in=FILING_CODES, started_at__lt=local_day_start(day)
    )


def month_cutoff(fr: Frame) -> datetime:
    """The end of the month of the period's last day, or now if that is earlier."""
    first = fr.end.replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    return min(local_day_start(next_month), fr.now)


def monthly_clear(fr: Frame) -> QuerySet[Obligation]:
    """案件办理月清仓: the duties past due without the act at the month's end (month of the
    period's last day, or now if earlier). The figure is the number of distinct cases."""
    cutoff = month_cutoff(fr)
    open_past_due = Q(state__in=OPEN_STATES, due_at__lt=cutoff)
    done_after = Q(state=ObligationState.LATE, due_at__lt=cutoff, ended_at__gt=cutoff)
    return fr.obligations().filter(open_past_due | done_after)


def quarter_of(day: date) -> tuple[date, date]:
    """The first and last day of the calendar quarter containing `day`."""
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    after = date(first.year + (first.month + 3 > 12), (first.month + 2) % 12 + 1, 1)
    return first, after - timedelta(days=1)


def quarterly_clear(fr: Frame) -> QuerySet[Warning]:
    """案件问题季清底: violation warnings (违规) of the quarter of the period's last day that
    are not yet resolved (整改) or closed (核销)."""
    first, last = quarter_of(fr.end)
    return fr.warnings().filter(
        finding=Finding.VIOLATED,
        status__in=ACTIVE_STATUSES,
        at__gte=local_day_start(first),
        at__lt=local_day_start(last + timedelta(days=1)),
    )


@dataclass(frozen=True)
class Figure:
    """One figure of the rates page: what it is, its value, and the drill-down's key."""

    key: str
    label: str
    value: int
    definition: str  # Chinese, shown beside the figure
    ratio: tuple[int, int] | None = None  # (on time, all ended) for a rate

    @property
    def percent(self) -> str:
        if self.ratio is None:
            return ""
        met, ended = self.ratio
        return "—" if ended == 0 else f"{100 * met / ended:.1f}%"


@dataclass(frozen=True)
class PointCounts:
    code: str
    late: int
    overdue: int


@dataclass(frozen=True)
class Rates:
    frame: Frame
    figures: tuple[Figure, ...]
    by_point: tuple[PointCounts, ...] = field(default=())

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def _codes(codes: tuple[str, ...]) -> str:
    return "、".join(codes)


DEFINITIONS: Mapping[str, str] = MappingProxyType(
    {
        "filing": (
            f"统计期内办结的受立案审查义务（控制点 {_codes(FILING_CODES)}）中按期办结的比例："
            "按期办结数 ÷（按期 + 逾期办结 + 违规）数。尚未办结的不计入分母，见“超期未办”。"
        ),
        "release": (
            f"统计期内办结的强制措施解除义务（控制点 {_codes(RELEASE_CODES)}：不批准逮捕后释放、"
            "刑事拘留期限届满、取保候审和监视居住期限届满或不应追究时解除）中按期办结的比例。"
        ),
        "custody": (
            f"统计期内任一时刻处于超期羁押状态的义务数（控制点 {_codes(CUSTODY_CODES)}）："
            "至今仍超期未办的，以及在统计期内逾期才办结的。"
        ),
        "daily": (
            f"截至统计期最后一日（不晚于今日）日终，前一日及更早开始、仍未办结的受立案审查义务数"
            f"（控制点 {_codes(FILING_CODES)}）。为 0 即“日清零”。"
        ),
        "monthly": (
            "统计期最后一日所在月的月末（不晚于当前时间），仍有任一义务超期未办的案件数。"
            "为 0 即“月清仓”。"
        ),
        "quarterly": (
            "统计期最后一日所在季度内发现的违规类预警中，尚未整改完成、也未核销的预警数。"
            "为 0 即“季清底”。"
        ),
        "late": "统计期内逾期才办结的义务数（办理行为发生在统计期内）。",
        "overdue": "截至统计期末（不晚于当前时间）已过到期时间、至今仍未办理的义务数。",
    }
)

# Figure key → the rows behind it (obligations, or warnings for 季清底).
DRILLDOWNS: Mapping[str, Callable[[Frame], QuerySet[Any]]] = MappingProxyType(
    {
        "filing": filing_duties,
        "release": release_duties,
        "custody": custody_overdue,
        "daily": daily_clear,
        "monthly": monthly_clear,
        "quarterly": quarterly_clear,
        "late": late_duties,
        "overdue": overdue_duties,
    }
)
LABELS: Mapping[str, str] = MappingProxyType(
    {
        "filing": "及时受立案率",
        "release": "强制措施按期解除率",
        "custody": "超期羁押",
        "daily": "受立案日清零",
        "monthly": "案件办理月清仓",
        "quarterly": "案件问题季清底",
        "late": "逾期履行",
        "overdue": "超期未办",
    }
)


def _ratio(rows: QuerySet[Obligation]) -> tuple[int, int]:
    counts = rows.aggregate(ended=Count("pk"), met=Count("pk", filter=Q(state="met")))
    return counts["met"], counts["ended"]


def rates(
    user: AnyUser, unit: str | None, start: date, end: date, now: datetime | None = None
) -> Rates:
    """The rates and 三清 figures of `unit`'s subtree (None: all the user sees) for the local
    days `start`..`end`, each with the definition the page shows and a drill-down in
    `DRILLDOWNS` whose rows are exactly what was counted."""
    fr = frame(user, unit, start, end, now)
    filing, release = _ratio(filing_duties(fr)), _ratio(release_duties(fr))

    def figure(key: str, value: int, ratio: tuple[int, int] | None = None) -> Figure:
        return Figure(key, LABELS[key], value, DEFINITIONS[key], ratio)

    figures = (
        figure("filing", filing[0], filing),
        figure("release", release[0], release),
        figure("custody", custody_overdue(fr).count()),
        figure("daily", daily_clear(fr).count()),
        figure("monthly", monthly_clear(fr).values("case_id").distinct().count()),
        figure("quarterly", quarterly_clear(fr).count()),
        figure("late", late_duties(fr).count()),
        figure("overdue", overdue_duties(fr).count()),
    )
    return Rates(fr, figures, point_counts(fr))


def point_counts(fr: Frame) -> tuple[PointCounts, ...]:
    """逾期履行 and 超期未办 counts per control point (points with neither are left out)."""
    late: dict[str, int] = dict(
        late_duties(fr).values_list("control_point").annotate(n=Count("pk")).order_by()
    )
    overdue: dict[str, int] = dict(
        overdue_duties(fr).values_list("control_point").annotate(n=Count("pk")).order_by()
    )
    return tuple(
        PointCounts(code, late.get(code, 0), overdue.get(code, 0))
        for code in sorted(late.keys() | overdue.keys())
    )


# --- 首页 -----------------------------------------------------------------------------------

TREND_DAYS = 30
UNITS_SHOWN = 10


@dataclass(frozen=True)
class MonthFigures:
    """首页's counted part: this month's rates and 三清, and warnings opened per day over the
    last 30 days."""

    start: date  # the first day of the month counted
    figures: tuple[Figure, ...]
    trend: Mapping[str, list[Any]]  # {"days": [...], "opened": [...]} for the chart

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def month_figures(user: AnyUser, now: datetime | None = None) -> MonthFigures:
    now = now or timezone.now()
    today = timezone.localdate(now)
    month = rates(user, None, today.replace(day=1), today, now)
    return MonthFigures(month.frame.start, month.figures, _trend(user, today))


@dataclass(frozen=True)
class Dashboard:
    by_level: tuple[tuple[str, str, int], ...]  # (level, 中文, active warnings), 严重 first
    by_unit: tuple[tuple[str, str, int], ...]  # (unit id, name, active warnings), most first
    custody: tuple[Warning, ...]  # overdue custody warnings still active, longest overdue first
    month: Counted[MonthFigures]  # kept per scope for a few minutes (fazhi.apps.figures)


def dashboard(user: AnyUser) -> Dashboard:
    """首页: the active warnings, live — by level and unit, overdue custody first — and the
    month's figures as last counted for the user's scope."""
    active = visible_warnings(user).filter(status__in=ACTIVE_STATUSES)
    levels = dict(active.values_list("level").annotate(n=Count("pk")).order_by())
    by_level = tuple(
        (level.value, level.label, levels.get(level.value, 0)) for level in LEVEL_ORDER
    )
    units = list(
        active.values_list("unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit_id")[:UNITS_SHOWN]
    )
    names = dict(Unit.objects.filter(pk__in=[u for u, _ in units]).values_list("pk", "name"))
    custody = active.filter(finding=Finding.OVERDUE, area__in=CUSTODY_AREAS)
    return Dashboard(
        by_level=by_level,
        by_unit=tuple((u, names.get(u, u), n) for u, n in units),
        custody=tuple(custody.select_related("unit", "person").order_by("at", "pk")[:20]),
        month=counted(month_figures, user),
    )


def _trend(user: AnyUser, today: date) -> dict[str, list[Any]]:
    first = today - timedelta(days=TREND_DAYS - 1)
    counts = {
        row["day"]: row["n"]
        for row in visible_warnings(user)
        .filter(opened_at__gte=local_day_start(first))
        .annotate(day=TruncDate("opened_at", tzinfo=timezone.get_default_timezone()))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    }
    days = [first + timedelta(days=i) for i in range(TREND_DAYS)]
    return {
        "days": [d.strftime("%m-%d") for d in days],
        "opened": [counts.get(d, 0) for d in days],
    }


# --- one case ------------------------------------------------------------------------------


def case_obligations(user: AnyUser, case_id: str) -> list[Obligation]:
    """The duties of one case the user sees, with their warnings, in order of due time."""
    rows = visible_obligations(user).filter(case_id=case_id).select_related("warning")
    return sorted(rows, key=lambda o: (o.due_at or o.ended_at or o.started_at, o.pk))


def warning_of(ob: Obligation) -> Warning | None:
    """The obligation's warning, None when it raised none (the reverse one-to-one raises)."""
    try:
        return ob.warning
    except Warning.DoesNotExist:
        return None


PERSON_WARNINGS_SHOWN = 50


@dataclass(frozen=True)
class PersonWarnings:
    by_status: tuple[tuple[str, str, int], ...]  # (status, 中文, warnings as lead handler)
    active: tuple[Warning, ...]  # the unsettled ones, oldest first (at most 50)


def person_warnings(user: AnyUser, person_id: str) -> PersonWarnings:
    """The warnings of the cases a person leads (主办), as far as the user sees them."""
    rows = visible_warnings(user).filter(person_id=person_id)
    counts = dict(rows.values_list("status").annotate(n=Count("pk")).order_by())
    active = rows.filter(status__in=ACTIVE_STATUSES).select_related("unit").order_by("at", "pk")
    return PersonWarnings(
        tuple((s.value, s.label, counts.get(s.value, 0)) for s in WarningStatus),
        tuple(active[:PERSON_WARNINGS_SHOWN]),
    )
