"""Item kinds as data: each kind is a named scorer with the parameters a scheme may set.

A scorer reads the facts of one person for one period and returns `Award`s — one per fact
that earns or costs points, each with a Chinese reason and the ids of its source records, so
every point on the ledger can be opened down to what produced it. The loader checks a
scheme's `params` against `KINDS[kind].params` before any scorer runs.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any

from fazhi.core import ceif
from fazhi.core.scoring.facts import (
    WARNING_FINDINGS,
    WARNING_LEVELS,
    CaseFact,
    Facts,
    PersonFact,
    Severity,
)
from fazhi.core.scoring.model import Item
from fazhi.core.scoring.periods import AssessmentPeriod

CENT = Decimal("0.01")
_LEVEL_LABELS = {"low": "低风险", "medium": "中风险", "high": "高风险", "critical": "严重风险"}
_FINDING_LABELS = {
    "due_soon": "临期提醒",
    "overdue": "超期未办",
    "late": "超期已办",
    "violated": "违规",
}


def points(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def num(value: Decimal) -> str:
    """`10`, `0.5`: a number as people write it (no exponent, no trailing zeros)."""
    return format(value.normalize(), "f")


def signed(value: Decimal) -> str:
    """`+3`, `-0.5`: how points read in a reason."""
    return num(value) if value < 0 else f"+{num(value)}"


@dataclass(frozen=True)
class Award:
    """Points for one person on one item, with why and from what. `key` identifies the award
    across recomputations (same facts → same key), so the ledger can post only what changed.
    `found_on`/`rectified_on` are set on inspection deductions, for 回血."""

    person: str
    item: str
    key: str
    points: Decimal
    reason: str
    sources: tuple[str, ...] = ()
    found_on: date | None = None
    rectified_on: date | None = None


@dataclass(frozen=True)
class Context:
    item: Item
    person: PersonFact
    facts: Facts
    period: AssessmentPeriod
    severities: Mapping[Severity, Decimal]

    def award(self, key: str, value: Decimal, reason: str, *sources: str, **extra: Any) -> Award:
        return Award(
            self.person.id,
            self.item.code,
            f"{self.item.code}:{key}",
            points(value),
            f"{reason}：{signed(points(value))}",
            tuple(sources),
            **extra,
        )


@dataclass(frozen=True)
class Param:
    """A parameter of a kind. `type`: number | int | map (of numbers, keys from `choices`, any
    keys when none are given) | list (of `choices`) | windows (["09:00-09:30", …])."""

    type: str
    required: bool = False
    choices: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Kind:
    """`reads`: the kinds of facts (keys of `FACT_TYPES`) the scorer looks at, so a run
    gathers only those from the store."""

    label: str
    score: Callable[[Context], list[Award]]
    params: Mapping[str, Param] = field(default_factory=dict)
    reads: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))


def _weight(weights: Mapping[str, Decimal], key: str | None) -> Decimal:
    return weights.get(key or "", Decimal(1))


def cases_handled(ctx: Context) -> list[Award]:
    """Quantity and difficulty: each case closed in the period, by role, kind, category (案由)
    and the hardest of its flags."""
    p = ctx.item.params
    by_role = {"lead": p["lead"], "assist": p.get("assist", Decimal(0))}
    awards = []
    for case in _closed_in(ctx, None):
        difficulty = max(
            (_weight(p.get("difficulty", {}), f) for f in case.flags), default=Decimal(1)
        )
        value = (
            by_role[case.role]
            * _weight(p.get("kind_weights", {}), case.kind)
            * _weight(p.get("category_weights", {}), case.category)
            * difficulty
        )
        if value == 0:
            continue
        hard = f"，难度 ×{num(difficulty)}" if difficulty != 1 else ""
        reason = (
            f"{ceif.HANDLER_ROLES[case.role]}案件 {case.id}"
            f"（{ceif.CASE_KINDS.get(case.kind, case.kind)}{hard}）{case.closed_on} 办结"
        )
        # keyed by role too: a person recorded as both lead and assist of a case earns both
        awards.append(ctx.award(f"case:{case.id}:{case.role}", value, reason, f"case:{case.id}"))
    return awards


def case_timeliness(ctx: Context) -> list[Award]:
    """Efficiency: lead cases closed in the period within `within_days` of intake."""
    p = ctx.item.params
    awards = []
    for case in _closed_in(ctx, "lead"):
        assert case.closed_on is not None
        days = (case.closed_on - case.opened_on).days
        if days <= p["within_days"]:
            reason = f"主办案件 {case.id} 受案后 {days} 日办结（{p['within_days']} 日内）"
            awards.append(ctx.award(f"case:{case.id}", p["points"], reason, f"case:{case.id}"))
    return awards


def warnings(ctx: Context) -> list[Award]:
    """Quality: patrol findings on the person's lead cases, by level; a finding closed by an
    approved exception (status closed) is not the person's fault and costs nothing."""
    p = ctx.item.params
    findings = p.get("findings", ("overdue", "late", "violated"))
    awards = []
    for w in sorted(ctx.facts.of("warnings", ctx.person.id), key=lambda w: (w.day, w.id)):
        if not ctx.period.covers(w.day) or w.finding not in findings or w.status == "closed":
            continue
        value = p["levels"].get(w.level, Decimal(0))
        if value == 0:
            continue
        reason = (
            f"案件 {w.case} 预警（{w.control_point} {_FINDING_LABELS[w.finding]}，"
            f"{_LEVEL_LABELS[w.level]}）{w.day}"
        )
        awards.append(ctx.award(f"warning:{w.id}", value, reason, f"warning:{w.id}"))
    return awards


def inspection(ctx: Context) -> list[Award]:
    """Manual items: each problem an inspection found on this item, by severity."""
    overrides = ctx.item.params.get("severity_points", {})
    awards = []
    for i in sorted(ctx.facts.of("inspections", ctx.person.id), key=lambda i: (i.day, i.id)):
        if i.item != ctx.item.code or not ctx.period.covers(i.day) or i.severity is None:
            continue
        value = overrides.get(i.severity.value, ctx.severities[i.severity])
        reason = (
            f"{i.day} {i.method.label}发现问题（{i.severity.label}）：{i.finding or ctx.item.name}"
        )
        awards.append(
            ctx.award(
                f"inspection:{i.id}",
                value,
                reason,
                f"inspection:{i.id}",
                found_on=i.day,
                rectified_on=i.rectified_on,
            )
        )
    return awards


def duty_hall_hours(ctx: Context) -> list[Award]:
    """值班坐堂: each duty day with fewer than `min_hours` in the dispatch hall."""
    p = ctx.item.params
    awards = []
    for s in sorted(ctx.facts.of("duty_shifts", ctx.person.id), key=lambda s: (s.day, s.id)):
        if not ctx.period.covers(s.day) or s.hall_hours >= p["min_hours"]:
            continue
        reason = f"{s.day} 值班坐堂 {num(s.hall_hours)} 小时，少于 {num(p['min_hours'])} 小时"
        awards.append(ctx.award(f"shift:{s.id}", p["points"], reason, f"duty_shift:{s.id}"))
    return awards


def exam_score(ctx: Context) -> list[Award]:
    """Exams: excellent, pass or fail by the marks the scheme sets."""
    p = ctx.item.params
    awards = []
    for e in sorted(ctx.facts.of("exams", ctx.person.id), key=lambda e: (e.day, e.id)):
        if not ctx.period.covers(e.day):
            continue
        if "excellent_mark" in p and e.score >= p["excellent_mark"]:
            value, grade = p["excellent_points"], "优秀"
        elif e.score >= p["pass_mark"]:
            value, grade = p["pass_points"], "合格"
        else:
            value, grade = p["fail_points"], "不合格"
        if value == 0:
            continue
        reason = f"{e.day} {e.name or '法律知识考试'} {num(e.score)} 分（{grade}）"
        awards.append(ctx.award(f"exam:{e.id}", value, reason, f"exam:{e.id}"))
    return awards


def study_hours(ctx: Context) -> list[Award]:
    """Study: points per hour of recorded law study."""
    per_hour = ctx.item.params["points_per_hour"]
    awards = []
    for s in sorted(ctx.facts.of("studies", ctx.person.id), key=lambda s: (s.day, s.id)):
        if ctx.period.covers(s.day):
            reason = f"{s.day} 学法 {num(s.hours)} 小时"
            awards.append(ctx.award(f"study:{s.id}", per_hour * s.hours, reason, f"study:{s.id}"))
    return awards


def task_completion(ctx: Context) -> list[Award]:
    """Task lists: each task due in the period and not done by its due day costs points."""
    p = ctx.item.params
    awards = []
    for t in sorted(ctx.facts.of("tasks", ctx.person.id), key=lambda t: (t.due_on, t.id)):
        if not ctx.period.covers(t.due_on):
            continue
        if t.done_on is None or t.done_on > t.due_on:
            reason = f"任务「{t.title}」（{t.due_on} 到期）未按期完成"
            awards.append(ctx.award(f"task:{t.id}", p["unfinished_points"], reason, f"task:{t.id}"))
        elif p.get("done_points", 0):
            reason = f"任务「{t.title}」{t.done_on} 完成"
            awards.append(ctx.award(f"task:{t.id}", p["done_points"], reason, f"task:{t.id}"))
    return awards


def patrol_mileage(ctx: Context) -> list[Award]:
    """每车每周: for each week (Monday in the period) and vehicle the person rode, fewer than
    `min_km` kilometres in that week costs points."""
    p = ctx.item.params
    rides: dict[tuple[date, str], list[Any]] = defaultdict(list)
    for log in ctx.facts.of("patrol_logs", ctx.person.id):
        monday = log.day - timedelta(days=log.day.weekday())
        if ctx.period.covers(monday):
            rides[monday, log.vehicle].append(log)
    awards = []
    for (monday, vehicle), logs in sorted(rides.items()):
        km = sum((log.km for log in logs), Decimal(0))
        if km >= p["min_km"]:
            continue
        reason = f"车辆 {vehicle} {monday} 起一周巡逻 {num(km)} 公里，少于 {num(p['min_km'])} 公里"
        sources = tuple(f"patrol_log:{log.id}" for log in sorted(logs, key=lambda g: g.id))
        awards.append(ctx.award(f"week:{monday}:{vehicle}", p["points"], reason, *sources))
    return awards


def reinforcement_windows(ctx: Context) -> list[Award]:
    """3 个半小时: on each patrol day, every window no ride covers whole costs points."""
    p = ctx.item.params
    days: dict[date, list[Any]] = defaultdict(list)
    for log in ctx.facts.of("patrol_logs", ctx.person.id):
        if ctx.period.covers(log.day):
            days[log.day].append(log)
    awards = []
    for day, logs in sorted(days.items()):
        for start, end in p["windows"]:
            if any(log.start <= start and log.end >= end for log in logs):
                continue
            window = f"{start:%H:%M}-{end:%H:%M}"
            reason = f"{day} {window} 时段未安排铁骑巡逻"
            sources = tuple(f"patrol_log:{log.id}" for log in sorted(logs, key=lambda g: g.id))
            awards.append(ctx.award(f"window:{day}:{window}", p["points"], reason, *sources))
    return awards


def case_quota(ctx: Context) -> list[Award]:
    """Annual case quota, pro rata to the period: met earns `met_points`; each case short
    costs `short_points`."""
    p = ctx.item.params
    year = ctx.period.start.year
    quota = next((q for q in ctx.facts.of("quotas", ctx.person.id) if q.year == year), None)
    if quota is None:
        return []
    year_days = (date(year, 12, 31) - date(year, 1, 1)).days + 1
    due = math.ceil(quota.cases * ctx.period.days / year_days)
    done = len({c.id for c in _closed_in(ctx, None)})
    share = "全年" if ctx.period.days == year_days else "本期应完成"
    reason = f"年度办案任务 {quota.cases} 件，{share} {due} 件，实际办结 {done} 件"
    if done >= due:
        value = p["met_points"]
    else:
        value = p["short_points"] * (due - done)
    if value == 0:
        return []
    return [ctx.award(f"quota:{quota.id}", value, reason, f"quota:{quota.id}")]


def _closed_in(ctx: Context, role: str | None) -> list[CaseFact]:
    cases = (
        c
        for c in ctx.facts.of("cases", ctx.person.id)
        if c.closed_on is not None
        and ctx.period.covers(c.closed_on)
        and (role is None or c.role == role)
    )
    return sorted(cases, key=lambda c: (c.closed_on, c.id))


def cases_handled_count(facts: Facts, person: str, period: AssessmentPeriod) -> int:
    """The exposure of a person: distinct cases handled that were opened or closed in the period."""
    return len(
        {
            c.id
            for c in facts.of("cases", person)
            if period.covers(c.opened_on) or (c.closed_on and period.covers(c.closed_on))
        }
    )


_NUM = Param("number", required=True)
_CASE_KINDS = tuple(ceif.CASE_KINDS)
_SEVERITIES = tuple(s.value for s in Severity)

KINDS: Mapping[str, Kind] = MappingProxyType(
    {
        "cases_handled": Kind(
            "办案数量与难度",
            cases_handled,
            {
                "lead": _NUM,
                "assist": Param("number"),
                "kind_weights": Param("map", choices=_CASE_KINDS),
                "category_weights": Param("map"),  # 案由 → weight; categories are the bureau's
                "difficulty": Param("map", choices=tuple(ceif.CASE_FLAGS)),
            },
            ("cases",),
        ),
        "case_timeliness": Kind(
            "办案效率",
            case_timeliness,
            {"within_days": Param("int", True), "points": _NUM},
            ("cases",),
        ),
        "warnings": Kind(
            "执法预警",
            warnings,
            {
                "levels": Param("map", True, WARNING_LEVELS),
                "findings": Param("list", choices=WARNING_FINDINGS),
            },
            ("warnings",),
        ),
        "manual": Kind(
            "人工评查",
            inspection,
            {"severity_points": Param("map", choices=_SEVERITIES)},
            ("inspections",),
        ),
        "duty_hall_hours": Kind(
            "值班坐堂时长", duty_hall_hours, {"min_hours": _NUM, "points": _NUM}, ("duty_shifts",)
        ),
        "exam_score": Kind(
            "考试成绩",
            exam_score,
            {
                "pass_mark": _NUM,
                "pass_points": _NUM,
                "fail_points": _NUM,
                "excellent_mark": Param("number"),
                "excellent_points": Param("number"),
            },
            ("exams",),
        ),
        "study_hours": Kind("学法时长", study_hours, {"points_per_hour": _NUM}, ("studies",)),
        "task_completion": Kind(
            "任务清单",
            task_completion,
            {"unfinished_points": _NUM, "done_points": Param("number")},
            ("tasks",),
        ),
        "patrol_mileage": Kind(
            "巡逻里程", patrol_mileage, {"min_km": _NUM, "points": _NUM}, ("patrol_logs",)
        ),
        "reinforcement_windows": Kind(
            "机动勤务时段",
            reinforcement_windows,
            {"windows": Param("windows", True), "points": _NUM},
            ("patrol_logs",),
        ),
        "case_quota": Kind(
            "年度办案任务",
            case_quota,
            {"met_points": _NUM, "short_points": _NUM},
            ("quotas", "cases"),
        ),
    }
)


def parse_window(text: Any) -> tuple[time, time] | None:
    """`"09:00-09:30"` → (09:00, 09:30); None when malformed or empty."""
    if not isinstance(text, str) or text.count("-") != 1:
        return None
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        return None
    return (start, end) if start < end else None
