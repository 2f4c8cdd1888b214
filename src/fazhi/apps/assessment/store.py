"""Reading the facts of one scheme and period from the store, as the core's plain records.

One query per kind of fact, restricted to the period (cases: opened or closed in it; quotas:
its year) and, for an incremental update, to the few people re-scored, so a recompute reads
each row once. Rows are read as plain tuples (`values_list` or SQL): a city year holds
hundreds of thousands of them, and building a model object for each costs more than scoring.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from django.db import connection
from django.db.models import QuerySet
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
from fazhi.apps.bulk import Adapt
from fazhi.apps.cases.models import Case, CaseHandler, Event
from fazhi.apps.org.models import Grid, Person, UnitClosure
from fazhi.apps.patrol.models import Warning
from fazhi.apps.patrol.timelines import Rows
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
from fazhi.core.scoring.engine import facts_read

# Events after which a handler's work on a case is done (办结): closed, transferred for
# prosecution (侦查终结) or not filed; the first one counts.
CLOSING_EVENTS = ("closed", "transferred_for_prosecution", "not_filed")
# Warnings that cost points; `closed` (exception approved) is filtered by the scorer.
DEDUCTED_FINDINGS = ("overdue", "late", "violated")
# Up to this many people of an incremental update are named in each query's SQL.
FEW = 500


def _bounds(period: AssessmentPeriod) -> tuple[datetime, datetime]:
    zone = timezone.get_default_timezone()
    start = datetime.combine(period.start, time.min, tzinfo=zone)
    return start, datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=zone)


def people(scheme: Scheme, only: Collection[str] | None = None) -> list[PersonFact]:
    """Everyone the scheme assesses (or those of `only` it assesses), with their grids and the
    units above them (sequences are narrowed in SQL, roles and unit subtrees by the core's own
    rule)."""
    # plain SQL: an incremental update asks this for a few people on every import
    sql = _Sql()
    who = sorted(only) if only is not None else None
    where, args = ["NOT is_auxiliary"], []
    if scheme.population.sequences:
        where.append(f"sequence IN ({sql.marks(scheme.population.sequences)})")
        args += list(scheme.population.sequences)
    if who is not None:
        where.append(f"id IN ({sql.marks(who)})" if who else "0 = 1")
        args += who
    rows = list(
        sql.rows.fetch(
            f"SELECT id, name, unit_id, sequence, roles FROM {Person._meta.db_table} "
            f"WHERE {' AND '.join(where)} ORDER BY id",
            args,
        )
    )
    links = f"SELECT person_id, grid_id FROM {Grid.officers.through._meta.db_table}"
    if who is not None:
        links += f" WHERE person_id IN ({sql.marks(who)})" if who else " WHERE 0 = 1"
    grids: dict[str, list[str]] = defaultdict(list)
    for person_id, grid_id in sql.rows.fetch(links + " ORDER BY grid_id", who or []):
        grids[person_id].append(grid_id)
    paths: dict[str, list[str]] = defaultdict(list)
    units = sorted({unit for _, _, unit, _, _ in rows})
    if units:
        above = (
            f"SELECT descendant_id, ancestor_id FROM {UnitClosure._meta.db_table} "
            f"WHERE descendant_id IN ({sql.marks(units)}) ORDER BY depth"
        )
        for unit, ancestor in sql.rows.fetch(above, units):
            paths[unit].append(ancestor)
    found = (
        PersonFact(
            pid,
            name,
            unit,
            sequence,
            tuple(sql.rows.data(roles) or ()),
            tuple(grids[pid]),
            tuple(paths[unit]),
        )
        for pid, name, unit, sequence, roles in rows
    )
    return [f for f in found if scheme.population.includes(f)]


def facts_from_store(
    scheme: Scheme,
    period: AssessmentPeriod,
    only: Collection[str] | None = None,
    shared: dict[tuple[str, str], list[Any]] | None = None,
) -> Facts:
    """The facts of everyone the scheme assesses in the period, or of those in `only`: only
    the kinds its items read (a study scheme never reads a case). `shared` keeps what was
    read for all of `only` across schemes scored together (the same people's cases serve
    every scheme that reads cases)."""
    persons = people(scheme, only)
    ids = People((p.id for p in persons), named=only is not None and len(persons) <= FEW)
    if not ids:
        return facts(persons)
    found: dict[str, list[Any]] = {}
    for kind in facts_read(scheme):
        if shared is None or only is None or kind in _PER_SCHEME or not ids.named:
            found[kind] = _READERS[kind](scheme, ids, period)
            continue
        key = (kind, period.text)
        if key not in shared:
            shared[key] = _READERS[kind](scheme, People(only, named=True), period)
        found[kind] = _mine(ids, shared[key])
    return facts(persons, **found)


def _duty_shifts(_: Scheme, ids: People, period: AssessmentPeriod) -> list[DutyShiftFact]:
    rows = _of(DutyShift.objects.filter(day__range=_days(period)), ids)
    fields = ("pk", "person_id", "day", "hall_hours")
    return _mine(ids, (DutyShiftFact(str(pk), *rest) for pk, *rest in _each(rows, fields)))


def _exams(_: Scheme, ids: People, period: AssessmentPeriod) -> list[ExamFact]:
    rows = _of(ExamScore.objects.filter(exam__day__range=_days(period)), ids)
    fields = ("pk", "person_id", "exam__day", "score", "exam__name")
    return _mine(ids, (ExamFact(str(pk), *rest) for pk, *rest in _each(rows, fields)))


def _studies(_: Scheme, ids: People, period: AssessmentPeriod) -> list[StudyFact]:
    rows = _of(StudyRecord.objects.filter(day__range=_days(period)), ids)
    fields = ("pk", "person_id", "day", "hours")
    return _mine(ids, (StudyFact(str(pk), *rest) for pk, *rest in _each(rows, fields)))


def _tasks(_: Scheme, ids: People, period: AssessmentPeriod) -> list[TaskFact]:
    rows = _of(Task.objects.filter(due_on__range=_days(period)), ids, "task_list__person_id")
    fields = ("pk", "task_list__person_id", "due_on", "title", "done_on", "task_list__grid_id")
    return _mine(ids, (TaskFact(str(pk), *rest) for pk, *rest in _each(rows, fields)))


def _quotas(_: Scheme, ids: People, period: AssessmentPeriod) -> list[QuotaFact]:
    rows = _of(CaseQuota.objects.filter(year=period.start.year), ids)
    fields = ("pk", "person_id", "year", "cases")
    return _mine(ids, (QuotaFact(str(pk), *rest) for pk, *rest in _each(rows, fields)))


def _days(period: AssessmentPeriod) -> tuple[date, date]:
    return (period.start, period.end)


class People(frozenset[str]):
    """The ids of the people whose facts are read; `named`: few people picked out (an
    incremental update), whose rows are found by person. Otherwise every row of the period
    is read and the others dropped by `_mine`, which beats ten thousand parameters in one
    statement and a lookup per person."""

    named: bool

    def __new__(cls, ids: Iterable[str], *, named: bool) -> People:
        found = super().__new__(cls, ids)
        found.named = named
        return found


def _of(rows: QuerySet[Any], ids: People, field: str = "person_id") -> QuerySet[Any]:
    """Rows about these people (every row of the period when they are not named)."""
    return rows.filter(**{f"{field}__in": ids}) if ids.named else rows


def _each(rows: QuerySet[Any], fields: Sequence[str]) -> Iterator[Any]:
    return rows.values_list(*fields).iterator(chunk_size=5000)


def _mine(ids: People, found: Iterable[Any]) -> list[Any]:
    return [f for f in found if f.person in ids]


class _Sql:
    """Plain SQL on the current connection, with the vendor's way of passing a time."""

    def __init__(self) -> None:
        self.rows = Rows()
        self.adapt = Adapt(connection.vendor)

    def time(self, value: datetime) -> Any:
        return self.adapt.time(value) if self.rows.sqlite else value

    def day(self, column: str) -> str:
        """The local day of a stored time, as SQL (SQLite keeps naive UTC text)."""
        zone = timezone.get_default_timezone()
        if self.rows.sqlite:  # the zone's offset now; China has kept one all year since 1991
            minutes = int(datetime.now(zone).utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
            return f"date({column}, '{minutes:+d} minutes')"
        return f"({column} AT TIME ZONE '{zone.key}')::date"  # type: ignore[attr-defined]

    @staticmethod
    def marks(values: Collection[Any]) -> str:
        return ", ".join(["%s"] * len(values))


def _cases(_: Scheme, ids: People, period: AssessmentPeriod) -> list[CaseFact]:
    """Each (case, handler) of the cases opened in the period or first closed in it, with the
    day the case was first closed (by the end of the period; None = still open). The days are
    taken in SQL: a city year has hundreds of thousands of rows."""
    sql = _Sql()
    start, end = _bounds(period)
    handler, case, event = (m._meta.db_table for m in (CaseHandler, Case, Event))
    closing = (
        f"SELECT MIN(e.at) FROM {event} e WHERE e.case_id = h.case_id "
        f"AND e.kind IN ({sql.marks(CLOSING_EVENTS)}) AND e.at < %s"
    )
    if ids.named:
        # a few people's cases, found by person: those opened in the period or with a closing
        # event in it (the others are dropped before their first closing is looked for)
        rows = f"""
            SELECT h.case_id, h.person_id, h.role, c.kind, c.opened_at, ({closing}) AS closed,
                   c.category, c.flags, h.position
            FROM {handler} h JOIN {case} c ON c.id = h.case_id
            WHERE h.person_id IN ({sql.marks(ids)})
              AND ((c.opened_at >= %s AND c.opened_at < %s) OR EXISTS (
                    SELECT 1 FROM {event} e WHERE e.case_id = h.case_id
                    AND e.kind IN ({sql.marks(CLOSING_EVENTS)}) AND e.at >= %s AND e.at < %s))
        """
        args = [*CLOSING_EVENTS, sql.time(end), *sorted(ids)]
        args += [sql.time(start), sql.time(end), *CLOSING_EVENTS, sql.time(start), sql.time(end)]
    else:
        # the cases opened in the period or with a closing event in it (by the indexes on
        # the case's opening and the events' kind and time), each with its first closing
        rows = f"""
            WITH relevant AS (
                SELECT id FROM {case} WHERE opened_at >= %s AND opened_at < %s
                UNION
                SELECT case_id FROM {event}
                WHERE kind IN ({sql.marks(CLOSING_EVENTS)}) AND at >= %s AND at < %s
            )
            SELECT h.case_id, h.person_id, h.role, c.kind, c.opened_at, ({closing}) AS closed,
                   c.category, c.flags, h.position
            FROM relevant r
            JOIN {case} c ON c.id = r.id
            JOIN {handler} h ON h.case_id = c.id
        """
        args = [sql.time(start), sql.time(end), *CLOSING_EVENTS, sql.time(start), sql.time(end)]
        args += [*CLOSING_EVENTS, sql.time(end)]
    # materialised: inlined, the closing subquery would run twice per row (filter, select)
    query = f"""
        WITH t AS MATERIALIZED ({rows})
        SELECT case_id, person_id, role, kind, {sql.day("opened_at")}, {sql.day("closed")},
               category, flags
        FROM t
        WHERE (opened_at >= %s AND opened_at < %s) OR closed >= %s
        ORDER BY case_id, position
    """
    args += [sql.time(start), sql.time(end), sql.time(start)]
    day, data = sql.rows.day, sql.rows.data
    return [
        CaseFact(case_id, person, role, kind, day(opened), day(closed), category, tuple(flags))
        for case_id, person, role, kind, opened, closed, category, flags in (
            (*row[:7], data(row[7]) or ()) for row in sql.rows.fetch(query, args)
        )
        if person in ids
    ]


def _warnings(_: Scheme, ids: People, period: AssessmentPeriod) -> list[WarningFact]:
    start, end = _bounds(period)
    rows = _of(
        Warning.objects.filter(finding__in=DEDUCTED_FINDINGS, at__gte=start, at__lt=end), ids
    )
    fields = ("pk", "person_id", "case_id", "level", "finding", "status", "at", "control_point")
    return _mine(
        ids,
        (
            WarningFact(str(pk), person, case, level, finding, status, timezone.localdate(at), cp)
            for pk, person, case, level, finding, status, at, cp in _each(rows, fields)
        ),
    )


def _inspections(scheme: Scheme, ids: People, period: AssessmentPeriod) -> list[InspectionFact]:
    rows = _of(Inspection.objects.filter(scheme=scheme.code, day__range=_days(period)), ids)
    fields = ("pk", "person_id", "item", "method", "day", "severity", "finding")
    fields += ("rectification__verified_on",)
    return _mine(
        ids,
        (
            InspectionFact(
                str(pk),
                person,
                item,
                InspectionMethod(method),
                day,
                Severity(severity) if severity else None,
                finding,
                verified_on,
            )
            for pk, person, item, method, day, severity, finding, verified_on in _each(rows, fields)
        ),
    )


def _patrol_logs(_: Scheme, ids: People, period: AssessmentPeriod) -> list[PatrolLogFact]:
    # Weeks are judged by their Monday: a week starting in the period runs up to 6 days past it.
    rows = _of(
        PatrolLog.objects.filter(day__range=(period.start, period.end + timedelta(days=6))), ids
    )
    fields = ("pk", "person_id", "vehicle", "day", "start", "end", "km")
    return _mine(
        ids,
        (
            PatrolLogFact(str(pk), person, vehicle, day, start, end, Decimal(km))
            for pk, person, vehicle, day, start, end, km in _each(rows, fields)
        ),
    )


# readers whose rows depend on the scheme, not only on the people and the period
_PER_SCHEME = frozenset({"inspections"})

_READERS: Mapping[str, Callable[[Scheme, People, AssessmentPeriod], list[Any]]] = MappingProxyType(
    {
        "cases": _cases,
        "warnings": _warnings,
        "inspections": _inspections,
        "duty_shifts": _duty_shifts,
        "exams": _exams,
        "studies": _studies,
        "tasks": _tasks,
        "patrol_logs": _patrol_logs,
        "quotas": _quotas,
    }
)
