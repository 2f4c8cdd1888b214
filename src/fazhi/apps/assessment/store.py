"""Reading the facts of one scheme and period from the store, as the core's plain records.

One query per kind of fact, restricted to the people the scheme assesses and to the period
(cases: opened or closed in it; quotas: its year), so a recompute reads each row once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Min, Q
from django.utils import timezone

from fazhi.apps.assessment.models import (
    CaseQuota,
    DutyShift,
    ExamScore,
    Inspection,
    PatrolLog,
    StudyRecord,
    Task,
)
from fazhi.apps.cases.models import CaseHandler, Event
from fazhi.apps.org.models import Grid, Person, UnitClosure
from fazhi.apps.patrol.models import Warning
from fazhi.core.scoring import (
    AssessmentPeriod,
    CaseFact,
    DutyShiftFact,
    ExamFact,
    Facts,
    InspectionFact,
    InspectionMethod,
    PatrolLogFact,
    PersonFact,
    QuotaFact,
    Scheme,
    Severity,
    StudyFact,
    TaskFact,
    WarningFact,
    facts,
)

# Events after which a handler's work on a case is done (办结): closed, transferred for
# prosecution (侦查终结) or not filed; the first one counts.
CLOSING_EVENTS = ("closed", "transferred_for_prosecution", "not_filed")
# Warnings that cost points; `closed` (exception approved) is filtered by the scorer.
DEDUCTED_FINDINGS = ("overdue", "late", "violated")


def _bounds(period: AssessmentPeriod) -> tuple[datetime, datetime]:
    zone = timezone.get_default_timezone()
    start = datetime.combine(period.start, time.min, tzinfo=zone)
    return start, datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=zone)


def people(scheme: Scheme) -> list[PersonFact]:
    """Everyone the scheme assesses, with their grids and the units above them (sequences are
    narrowed in SQL, roles and unit subtrees by the core's own rule)."""
    query = Person.objects.filter(is_auxiliary=False)
    if scheme.population.sequences:
        query = query.filter(sequence__in=scheme.population.sequences)
    rows = list(query.order_by("id"))
    grids: dict[str, list[str]] = defaultdict(list)
    links = Grid.officers.through.objects.filter(person_id__in=[p.id for p in rows])
    for person_id, grid_id in links.order_by("grid_id").values_list("person_id", "grid_id"):
        grids[person_id].append(grid_id)
    paths: dict[str, list[str]] = defaultdict(list)
    above = UnitClosure.objects.filter(descendant_id__in={p.unit_id for p in rows})
    for unit, ancestor in above.order_by("depth").values_list("descendant_id", "ancestor_id"):
        paths[unit].append(ancestor)
    facts = [
        PersonFact(
            p.id,
            p.name,
            p.unit_id,
            p.sequence,
            tuple(p.roles),
            tuple(grids[p.id]),
            tuple(paths[p.unit_id]),
        )
        for p in rows
    ]
    return [f for f in facts if scheme.population.includes(f)]


def facts_from_store(scheme: Scheme, period: AssessmentPeriod) -> Facts:
    persons = people(scheme)
    ids = [p.id for p in persons]
    return facts(
        persons,
        cases=_cases(ids, period),
        warnings=_warnings(ids, period),
        inspections=_inspections(scheme, ids, period),
        duty_shifts=[
            DutyShiftFact(str(s.pk), s.person_id, s.day, s.hall_hours)
            for s in DutyShift.objects.filter(person_id__in=ids, day__range=_days(period))
        ],
        exams=[
            ExamFact(str(s.pk), s.person_id, s.exam.day, s.score, s.exam.name)
            for s in ExamScore.objects.filter(
                person_id__in=ids, exam__day__range=_days(period)
            ).select_related("exam")
        ],
        studies=[
            StudyFact(str(s.pk), s.person_id, s.day, s.hours)
            for s in StudyRecord.objects.filter(person_id__in=ids, day__range=_days(period))
        ],
        tasks=[
            TaskFact(
                str(t.pk), t.task_list.person_id, t.due_on, t.title, t.done_on, t.task_list.grid_id
            )
            for t in Task.objects.filter(
                task_list__person_id__in=ids, due_on__range=_days(period)
            ).select_related("task_list")
        ],
        patrol_logs=_patrol_logs(ids, period),
        quotas=[
            QuotaFact(str(q.pk), q.person_id, q.year, q.cases)
            for q in CaseQuota.objects.filter(person_id__in=ids, year=period.start.year)
        ],
    )


def _days(period: AssessmentPeriod) -> tuple[date, date]:
    return (period.start, period.end)


def _cases(ids: list[str], period: AssessmentPeriod) -> list[CaseFact]:
    start, end = _bounds(period)
    closings = (
        Event.objects.filter(kind__in=CLOSING_EVENTS, at__lt=end, case__handlers__person_id__in=ids)
        .values("case_id")
        .annotate(first=Min("at"))
    )
    closed_on = {row["case_id"]: timezone.localdate(row["first"]) for row in closings}
    closed_in_period = [c for c, day in closed_on.items() if period.covers(day)]
    handlers = CaseHandler.objects.filter(person_id__in=ids).filter(
        Q(case__opened_at__gte=start, case__opened_at__lt=end) | Q(case_id__in=closed_in_period)
    )
    return [
        CaseFact(
            h.case_id,
            h.person_id,
            h.role,
            h.case.kind,
            timezone.localdate(h.case.opened_at),
            closed_on.get(h.case_id),
            h.case.category,
            tuple(h.case.flags),
        )
        for h in handlers.select_related("case").order_by("case_id", "position")
    ]


def _warnings(ids: list[str], period: AssessmentPeriod) -> list[WarningFact]:
    start, end = _bounds(period)
    rows = Warning.objects.filter(
        person_id__in=ids, finding__in=DEDUCTED_FINDINGS, at__gte=start, at__lt=end
    )
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


def _inspections(scheme: Scheme, ids: list[str], period: AssessmentPeriod) -> list[InspectionFact]:
    rows = Inspection.objects.filter(
        scheme=scheme.code, person_id__in=ids, day__range=_days(period)
    ).select_related("rectification")
    result = []
    for i in rows:
        rectification = getattr(i, "rectification", None)
        result.append(
            InspectionFact(
                str(i.pk),
                i.person_id,
                i.item,
                InspectionMethod(i.method),
                i.day,
                Severity(i.severity) if i.severity else None,
                i.finding,
                rectification.verified_on if rectification else None,
            )
        )
    return result


def _patrol_logs(ids: list[str], period: AssessmentPeriod) -> list[PatrolLogFact]:
    # Weeks are judged by their Monday: a week starting in the period runs up to 6 days past it.
    rows = PatrolLog.objects.filter(
        person_id__in=ids, day__range=(period.start, period.end + timedelta(days=6))
    )
    return [
        PatrolLogFact(str(g.pk), g.person_id, g.vehicle, g.day, g.start, g.end, Decimal(g.km))
        for g in rows
    ]
