"""Assessment schemes as data (积分考评): typed model, loader, scorers, engine, ranking.

Files live in `catalog/schemes/`: one `<code>.yaml` per scheme (or `<code>@<version>.yaml`
when several versions exist; their `in_force` ranges may not overlap, and a period is scored
under the version in force on its first day) and its proof beside it, `<code>.examples.yaml`.

Scheme file:

    code: middle_manager_duty         # stable code: lowercase, digits, _
    version: "2026"
    name: 中层干部执法履职评查
    in_force: {from: 2026-01-01}       # inclusive days; `to` absent = still in force
    source: {seed: 000_6a5e4927f54c54ea.txt, quote: "…"}   # words found verbatim in the seed
    population: {sequences: [middle_manager], roles: [], units: []}   # units: subtrees
    periods: [quarter, year]          # day | month | quarter | year
    rank_by: sequence                 # sequence | unit | grid: the groups ranked separately
    dimensions: {duty: 值班坐堂, …}    # optional; then every item names one
    base: 100                         # starting score (an entry of its own)
    floor: 0                          # optional bounds of the total
    cap: 120
    severities: {minor: -1, general: -2, serious: -5, grave: -10}   # manual deductions
    recovery: {window_days: 30, share: 0.5, cap: 10}                # 回血反分
    ties: [fewer_deductions]          # then still level: shared rank
    items:
      - code: D1
        name: 值班当日坐堂不少于 8 小时
        dimension: duty
        kind: duty_hall_hours         # a scorer of `scorers.KINDS`, or `manual`
        params: {min_hours: 8, points: -2}
        cap: 10                       # optional bounds of the item's total per period
        floor: -20
        exposure: {per_cases: 10, min_cases: 5}   # optional: normalise per case handled
        source: {seed: …, quote: …}

Examples file: a list of

    - name: 坐堂不足 8 小时扣分
      period: 2026-Q1
      persons: [{id: M1, name: 胡某, unit: U1, sequence: middle_manager, roles: [deputy_head]}]
      duty_shifts: [{id: S1, person: M1, day: 2026-01-05, hall_hours: 6}]
      # also: cases, warnings, inspections, exams, studies, tasks, patrol_logs, quotas —
      # the fields of the dataclasses in `facts` (times quoted: "09:00")
      expect:
        - {person: M1, score: 98, rank: 1, items: {D1: -2}}

Pure Python: no framework, no database, no clock.
"""

from fazhi.core.scoring.engine import BASE_ITEM, TOTAL_ITEM, Scorecard, score_scheme
from fazhi.core.scoring.facts import (
    CaseFact,
    DutyShiftFact,
    ExamFact,
    Facts,
    InspectionFact,
    InspectionMethod,
    PatrolLogFact,
    PersonFact,
    QuotaFact,
    Severity,
    StudyFact,
    TaskFact,
    WarningFact,
    facts,
)
from fazhi.core.scoring.load import SchemesInvalid, load_schemes, read_schemes, scheme_in_force
from fazhi.core.scoring.model import Example, Item, Scheme, Source
from fazhi.core.scoring.periods import (
    AssessmentPeriod,
    PeriodError,
    PeriodKind,
    parse_period,
    period_containing,
)
from fazhi.core.scoring.ranking import Ranked, Standing, rank
from fazhi.core.scoring.scorers import KINDS, Award

__all__ = [
    "BASE_ITEM",
    "KINDS",
    "TOTAL_ITEM",
    "AssessmentPeriod",
    "Award",
    "CaseFact",
    "DutyShiftFact",
    "ExamFact",
    "Example",
    "Facts",
    "InspectionFact",
    "InspectionMethod",
    "Item",
    "PatrolLogFact",
    "PeriodError",
    "PeriodKind",
    "PersonFact",
    "QuotaFact",
    "Ranked",
    "Scheme",
    "SchemesInvalid",
    "Scorecard",
    "Severity",
    "Source",
    "Standing",
    "StudyFact",
    "TaskFact",
    "WarningFact",
    "facts",
    "load_schemes",
    "parse_period",
    "period_containing",
    "rank",
    "read_schemes",
    "scheme_in_force",
    "score_scheme",
]
