"""考核末期扎堆办案 from the store: closures read from the cases' events, judged by the core
rule (`fazhi.core.scoring.crowding`), stored per period for the pages, the 执法档案 and the CLI.

A case is closed (办结) on its first event among CLOSURE_EVENTS (CEIF.md): 结案/撤销案件/终止侦查
(`closed`), 移送审查起诉, 行政处罚决定 and 不予立案 — the acts an officer can hurry before the
count. It counts for its lead handlers (主办) and for its unit. A person's peers are the people
of their sequence; a unit's are its sibling units.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from fazhi.apps.accounts import scope
from fazhi.apps.assessment.models import CrowdingFigure, CrowdingOwner
from fazhi.apps.assessment.schemes import period_of
from fazhi.apps.audit.chain import Change, record
from fazhi.apps.audit.models import AuditAction
from fazhi.apps.cases.models import Case, CaseHandler, Event
from fazhi.apps.org.models import Person, Unit
from fazhi.core.records import canonical_json
from fazhi.core.scoring import AssessmentPeriod, PeriodKind, period_containing
from fazhi.core.scoring.crowding import (
    DEFAULT_RULE,
    Closure,
    CrowdingRule,
    Figure,
    figures,
    previous_periods,
)

CLOSURE_EVENTS = ("closed", "transferred_for_prosecution", "penalty_decided", "not_filed")
KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)


def crowding_period(text: str, rule: CrowdingRule = DEFAULT_RULE) -> AssessmentPeriod:
    period = period_of(text)
    if period.kind not in rule.tail_days:
        kinds = "、".join(k.label for k in rule.tail_days)
        raise ValidationError(
            f"期间 {period.text}：扎堆办案按{kinds}计算，不按{period.kind.label}计算",
            code="period",
        )
    return period


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def closure_days(start: date, end: date, cases: QuerySet[Case] | None = None) -> dict[str, date]:
    """case → the day of its first closing event, for cases (of `cases`, default all) first
    closed in start..end."""
    # Events after the range cannot be a first closure inside it: leave them out early.
    events = Event.objects.filter(
        kind__in=CLOSURE_EVENTS, at__lt=_midnight(end + timedelta(days=1))
    )
    if cases is not None:
        events = events.filter(case__in=cases.values("pk"))
    rows = (
        events.values("case_id")
        .annotate(first=Min("at"))
        .filter(first__gte=_midnight(start), first__lt=_midnight(end + timedelta(days=1)))
    )
    return {row["case_id"]: timezone.localdate(row["first"]) for row in rows}


@dataclass(frozen=True)
class Owners:
    """Who each closed case counts for, and each owner's peer group."""

    person_closures: list[Closure]
    unit_closures: list[Closure]
    person_peers: dict[str, str]
    unit_peers: dict[str, str]
    person_units: dict[str, str]


def _owners(days: dict[str, date]) -> Owners:
    leads = CaseHandler.objects.filter(case_id__in=list(days), role="lead")
    person_closures = [
        Closure(case, person, days[case])
        for case, person in leads.values_list("case_id", "person_id")
    ]
    units = Case.objects.filter(pk__in=list(days)).values_list("pk", "unit_id")
    unit_closures = [Closure(case, unit, days[case]) for case, unit in units]
    people = Person.objects.filter(pk__in={c.owner for c in person_closures})
    person_peers, person_units = {}, {}
    for pid, sequence, unit in people.values_list("pk", "sequence", "unit_id"):
        person_units[pid] = unit
        if sequence:
            person_peers[pid] = sequence
    every_unit = Unit.objects.filter(parent__isnull=False).values_list("pk", "parent_id")
    return Owners(person_closures, unit_closures, person_peers, dict(every_unit), person_units)


def measure(
    period: AssessmentPeriod, rule: CrowdingRule = DEFAULT_RULE
) -> tuple[list[Figure], list[Figure], Owners]:
    """(person figures, unit figures) of `period`, from the cases' events."""
    first = previous_periods(period, rule.history)[0].start
    owners = _owners(closure_days(first, period.end))
    people = figures(owners.person_closures, period, owners.person_peers, rule)
    units = figures(owners.unit_closures, period, owners.unit_peers, rule)
    return people, units, owners


@dataclass(frozen=True)
class Stored:
    period: str
    figures: int
    warnings: int


def recompute_crowding(period_text: str, *, actor: str, at: datetime) -> Stored:
    """Replace the period's figures with fresh ones, on the audit trail (one entry per run,
    naming every warning)."""
    period = crowding_period(period_text)
    people, units, owners = measure(period)
    start = DEFAULT_RULE.tail_start(period)
    rows = [
        _row(
            f,
            CrowdingOwner.PERSON,
            owners.person_units.get(f.owner),
            owners.person_peers,
            start,
            at,
        )
        for f in people
        if f.owner in owners.person_units
    ] + [_row(f, CrowdingOwner.UNIT, f.owner, owners.unit_peers, start, at) for f in units]
    flagged = sorted(f"{r.owner_kind}:{r.owner_id}" for r in rows if r.unusual)
    with transaction.atomic():
        removed = CrowdingFigure.objects.filter(period=period.text).delete()[0]
        CrowdingFigure.objects.bulk_create(rows)
        record(
            Change(
                actor=actor[:150],
                action=AuditAction.UPDATE.value if removed else AuditAction.CREATE.value,
                object_type="crowdingfigure",
                object_id=period.text,
                before=canonical_json({"figures": removed}) if removed else None,
                after=canonical_json({"figures": len(rows), "warnings": flagged}),
            ),
            at,
        )
    return Stored(period.text, len(rows), len(flagged))


def _row(
    f: Figure,
    kind: CrowdingOwner,
    unit: str | None,
    peers: dict[str, str],
    tail_start: date,
    at: datetime,
) -> CrowdingFigure:
    return CrowdingFigure(
        owner_kind=kind,
        owner_id=f.owner,
        person_id=f.owner if kind == CrowdingOwner.PERSON else None,
        unit_id=unit,
        peer_group=peers.get(f.owner, ""),
        period=f.period,
        tail_start=tail_start,
        closures=f.closures,
        tail=f.tail,
        share=f.share,
        baseline=f.baseline,
        spread=f.spread,
        threshold=f.threshold,
        history=[str(s) for s in f.history],
        peer_bar=f.peer_bar,
        peers=f.peers,
        unusual=f.unusual,
        computed_at=at,
    )


def ended_periods(day: date) -> list[AssessmentPeriod]:
    """The months, quarters and years that end on `day`: the nightly job judges whole periods
    only (a month half gone has no last weeks yet)."""
    return [p for k in KINDS if (p := period_containing(day, k)).end == day]


@dataclass(frozen=True)
class ClosureRow:
    case: str
    day: date
    in_tail: bool


def closures_behind(figure: CrowdingFigure, cases: QuerySet[Case]) -> list[ClosureRow]:
    """The closures a figure counts, limited to the cases the reader sees."""
    period = period_of(figure.period)
    if figure.owner_kind == CrowdingOwner.PERSON:
        leads = CaseHandler.objects.filter(person_id=figure.owner_id, role="lead")
        cases = cases.filter(pk__in=leads.values("case_id"))
    else:
        cases = cases.filter(unit_id=figure.owner_id)
    days = closure_days(period.start, period.end, cases)
    rows = [ClosureRow(c, day, day >= figure.tail_start) for c, day in days.items()]
    return sorted(rows, key=lambda r: (r.day, r.case))


def visible_figures(user: Any) -> QuerySet[CrowdingFigure]:
    """Figures of the people and units in the user's units, and the user's own as a person
    (whose 执法档案 shows them); out of scope reads as absent."""
    own = scope.visible_files(user).values("pk")
    return CrowdingFigure.objects.filter(Q(unit__in=scope.visible_units(user)) | Q(person__in=own))
