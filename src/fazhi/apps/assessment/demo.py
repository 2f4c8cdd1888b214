"""The demo bureau's assessment: generate a year of inputs for the generated people, import
them through the same checks as any import, and score every scheme over every period."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from fazhi.apps.assessment.imports import import_inputs
from fazhi.apps.assessment.models import LedgerEntry
from fazhi.apps.assessment.schemes import shipped_schemes
from fazhi.apps.assessment.services import recompute
from fazhi.core.scoring import AssessmentPeriod, PeriodKind, Scheme, period_containing
from fazhi.demo.assessment import generate_assessment


def demo_periods(scheme: Scheme, start: date, end: date) -> list[AssessmentPeriod]:
    """The scheme's periods that begin between `start`'s period and `end` while it is in force,
    oldest first, so each ranking's movement has the one before; of days only `end` (today's
    成绩单)."""
    periods: set[AssessmentPeriod] = set()
    for kind in scheme.periods:
        if kind is PeriodKind.DAY:
            periods.add(period_containing(end, kind))
            continue
        period = period_containing(start, kind)
        while period.start <= end:
            periods.add(period)
            period = period_containing(period.end + timedelta(days=1), kind)
    in_force = (p for p in periods if scheme.in_force.covers(p.start))
    return sorted(in_force, key=lambda p: (p.start, p.end))


def load_demo_assessment(
    bureau_dir: Path, *, seed: int, start: date, end: date, actor: str, at: datetime
) -> list[str]:
    """Inputs for the bureau in `bureau_dir`, imported and scored; returns lines to print."""
    generate_assessment(bureau_dir, seed=seed)
    outcome = import_inputs(sorted((bureau_dir / "assessment").glob("*.jsonl")), actor=actor, at=at)
    created = "，".join(f"{name} {n}" for name, n in outcome.created.items())
    lines = [f"考评数据导入完成：{created}；拒收 {len(outcome.problems)}"]
    runs = 0
    for scheme in shipped_schemes():
        for period in demo_periods(scheme, start, end):
            recompute(scheme.code, period.text, actor=actor, at=at)
            runs += 1
    lines.append(f"积分计算完成：{runs} 个方案期间，台账 {LedgerEntry.objects.count()} 条")
    return lines
