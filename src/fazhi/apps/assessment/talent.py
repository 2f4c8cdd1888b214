"""法制人才库 / 执法办案能手 candidates from the store: the thresholds of `catalog/talent.yaml`
applied to a year's facts of the people a user sees, and their export for the personnel
department (政工部门).

Ranks are read from the whole yearly ranking of each scheme the criteria name (a unit's officer
stands where they stand bureau-wide), whatever part of it the user sees.
"""

from __future__ import annotations

import io
import os
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from fazhi.apps.assessment import selectors
from fazhi.apps.assessment.crowding import closure_days
from fazhi.apps.assessment.models import ExamScore
from fazhi.apps.cases.models import CaseHandler
from fazhi.apps.org.models import Person, UnitClosure
from fazhi.apps.patrol.models import Warning
from fazhi.core import ceif
from fazhi.core.scoring import CaseFact, ExamFact, PersonFact, WarningFact
from fazhi.core.scoring.talent import (
    FAULT_FINDINGS,
    Candidacy,
    Pool,
    Profile,
    RankStanding,
    TalentRules,
    load_talent,
    schemes_named,
    select,
)


def talent_file() -> Path:
    override = os.environ.get("FAZHI_TALENT_FILE")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[4] / "catalog" / "talent.yaml"


@cache
def shipped_rules() -> TalentRules:
    return load_talent(talent_file())


def rules_for(year: int) -> TalentRules:
    """The thresholds, if they are in force for the whole year (a Chinese error otherwise)."""
    rules = shipped_rules()
    if not (rules.in_force.covers(date(year, 1, 1)) and rules.in_force.covers(date(year, 12, 31))):
        raise ValidationError(
            f"{rules.name}（版本 {rules.version}）在 {year} 年不是全年有效，不能据以推荐",
            code="year",
        )
    return rules


def pool_of(rules: TalentRules, code: str) -> Pool:
    known = {p.code: p for p in rules.pools}
    if code not in known:
        names = "、".join(f"{p.code}（{p.name}）" for p in rules.pools)
        raise ValidationError(f"人才类别 {code!r} 不存在（可用：{names}）", code="pool")
    return known[code]


def _standings(rules: TalentRules, year: int) -> dict[str, dict[str, RankStanding]]:
    """person → scheme → yearly rank among their group."""
    result: dict[str, dict[str, RankStanding]] = defaultdict(dict)
    for code in sorted(schemes_named(rules)):
        lines = selectors.ranking(code, str(year))
        sizes = Counter(line.group for line in lines)
        for line in lines:
            result[line.person][code] = RankStanding(
                line.person, code, line.score, line.rank, sizes[line.group]
            )
    return result


def _fault_warnings(ids: list[str], year: int) -> list[WarningFact]:
    """Warnings of a kind that can be the person's fault (超期, 逾期, 违规) raised in the year;
    the core leaves out those closed by an approved exception."""
    rows = Warning.objects.filter(person_id__in=ids, finding__in=FAULT_FINDINGS, at__year=year)
    return [
        WarningFact(
            str(w.pk),
            w.person_id,
            w.case_id,
            w.level,
            w.finding,
            w.status,
            timezone.localdate(w.at),
            w.control_point,
        )
        for w in rows
    ]


def _closed_cases(ids: list[str], year: int) -> list[CaseFact]:
    """Each person's part in the cases first closed in the year (办结 as crowding counts it)."""
    days = closure_days(date(year, 1, 1), date(year, 12, 31))
    # The people's handler rows, matched in Python: cheaper than thousands of case ids in SQL.
    rows = CaseHandler.objects.filter(person_id__in=ids).values_list(
        "case_id", "person_id", "role", "case__kind", "case__opened_at"
    )
    return [
        CaseFact(case, person, role, kind, timezone.localdate(opened), days[case])
        for case, person, role, kind, opened in rows
        if case in days
    ]


def profiles(rules: TalentRules, year: int, persons: QuerySet[Person]) -> list[Profile]:
    """A year's profile of each person: qualification, yearly ranks, exams, warnings, cases."""
    rows = list(persons.filter(is_auxiliary=False).order_by("id"))
    ids = [p.id for p in rows]
    paths: dict[str, list[str]] = defaultdict(list)
    above = UnitClosure.objects.filter(descendant_id__in={p.unit_id for p in rows})
    for unit, ancestor in above.order_by("depth").values_list("descendant_id", "ancestor_id"):
        paths[unit].append(ancestor)
    standings = _standings(rules, year)
    exams: dict[str, list[ExamFact]] = defaultdict(list)
    scores = ExamScore.objects.filter(person_id__in=ids, exam__day__year=year)
    for s in scores.select_related("exam"):
        exams[s.person_id].append(ExamFact(str(s.pk), s.person_id, s.exam.day, s.score))
    warnings = defaultdict(list)
    for w in _fault_warnings(ids, year):
        warnings[w.person].append(w)
    cases = defaultdict(list)
    for c in _closed_cases(ids, year):
        cases[c.person].append(c)
    return [
        Profile(
            PersonFact(
                p.id, p.name, p.unit_id, p.sequence, tuple(p.roles), (), tuple(paths[p.unit_id])
            ),
            p.qualification,
            standings.get(p.id, {}),
            tuple(exams[p.id]),
            tuple(warnings[p.id]),
            tuple(cases[p.id]),
        )
        for p in rows
    ]


@dataclass(frozen=True)
class PoolResult:
    rules: TalentRules
    pool: Pool
    year: int
    judged: list[Candidacy]  # everyone of the pool's population the user sees

    @property
    def candidates(self) -> list[Candidacy]:
        return [c for c in self.judged if c.met]


def judge_pool(code: str, year: int, persons: QuerySet[Person]) -> PoolResult:
    rules = rules_for(year)
    pool = pool_of(rules, code)
    return PoolResult(rules, pool, year, select(pool, profiles(rules, year, persons)))


def workbook(result: PoolResult, unit_names: dict[str, str]) -> bytes:
    """The candidates, one row each, with the figure behind every criterion (for 政工部门)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "候选人"
    criteria = result.pool.criteria
    sheet.append(
        [
            f"{result.pool.name}候选人（{result.year} 年，{result.rules.name} 版本 {result.rules.version}）"
        ]
    )
    sheet.append(["人员编号", "姓名", "单位", "序列", *(c.name for c in criteria)])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for c in result.candidates:
        sequence = ceif.SEQUENCES.get(c.person.sequence or "", "")
        unit = unit_names.get(c.person.unit, c.person.unit)
        sheet.append([c.person.id, c.person.name, unit, sequence, *(x.detail for x in c.checks)])
    for column, width in zip("ABCD", (14, 10, 24, 14), strict=True):
        sheet.column_dimensions[column].width = width
    for index in range(len(criteria)):
        sheet.column_dimensions[chr(ord("E") + index)].width = 36
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
