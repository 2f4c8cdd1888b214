"""Loading a checked batch into the store: one transaction, idempotent, every change audited.

Rows are written with `executemany` on the Django connection rather than through model
instances: a city imports millions of events and per-instance ORM overhead would dominate.
Tables and columns still come from the models, so migrations remain the one schema.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from fazhi.apps.assessment.incremental import cases_changed
from fazhi.apps.audit.chain import Change, append
from fazhi.apps.bulk import Adapt, bulk_insert
from fazhi.apps.cases.models import Alarm, Case, CaseHandler, Event, Subject
from fazhi.apps.imports.models import ImportBatch
from fazhi.apps.org.models import Grid, Person, Unit, UnitClosure
from fazhi.apps.patrol.derive import cases_involving, records_changed
from fazhi.apps.patrol.rebuild import evaluate_pending
from fazhi.apps.planner import analyze_after
from fazhi.apps.records import (
    alarm_record,
    case_record,
    event_record,
    grid_record,
    person_record,
    subject_record,
    unit_record,
)
from fazhi.core import records as r
from fazhi.ingest.batch import Batch, Staged, staged_of
from fazhi.ingest.validate import Problem

MAX_STORED_PROBLEMS = 10_000


class RowAdapt(Adapt):
    def row(self, record: r.Record) -> tuple[Any, ...]:
        """The record's row of its table, as plain parameters."""
        return TABLES[record.TYPE].to_row(record, self)


@dataclass(frozen=True)
class Table:
    """How one CEIF record type maps onto its model's table."""

    model: type[models.Model]
    columns: tuple[str, ...]
    to_row: Callable[[Any, Adapt], tuple[Any, ...]]
    from_model: Callable[[Any], r.Record]
    prefetch: tuple[str, ...] = ()


def _unit_row(u: r.Unit, a: Adapt) -> tuple[Any, ...]:
    return (u.name, u.kind, u.parent, u.code)


def _person_row(p: r.Person, a: Adapt) -> tuple[Any, ...]:
    return (
        p.name,
        p.unit,
        a.json(list(p.roles)),
        a.bool(p.is_auxiliary),
        p.sequence,
        p.qualification,
    )


def _grid_row(g: r.Grid, a: Adapt) -> tuple[Any, ...]:
    return (g.name, g.level, g.unit, g.parent)


def _alarm_row(m: r.Alarm, a: Adapt) -> tuple[Any, ...]:
    return (m.unit, a.time(m.at), m.nature, m.case, m.summary)


def _case_row(c: r.Case, a: Adapt) -> tuple[Any, ...]:
    return (
        c.kind,
        c.unit,
        a.time(c.opened_at),
        c.category,
        c.title,
        a.json(list(c.flags)),
        a.date(c.act_date),
        a.date(c.act_end_date),
    )


def _subject_row(s: r.Subject, a: Adapt) -> tuple[Any, ...]:
    return (s.case, s.name, a.date(s.birth_date), s.gender, s.id_number, a.json(list(s.flags)))


def _event_row(e: r.Event, a: Adapt) -> tuple[Any, ...]:
    return (
        e.case,
        e.kind,
        a.time(e.at),
        a.time(e.end),
        e.subject,
        a.json(list(e.officers)),
        a.json(e.attrs),
    )


TABLES: dict[str, Table] = {
    "unit": Table(Unit, ("name", "kind", "parent_id", "code"), _unit_row, unit_record),
    "person": Table(
        Person,
        ("name", "unit_id", "roles", "is_auxiliary", "sequence", "qualification"),
        _person_row,
        person_record,
    ),
    "grid": Table(Grid, ("name", "level", "unit_id", "parent_id"), _grid_row, grid_record),
    "alarm": Table(
        Alarm, ("unit_id", "at", "nature", "case_id", "summary"), _alarm_row, alarm_record
    ),
    "case": Table(
        Case,
        ("kind", "unit_id", "opened_at", "category", "title", "flags", "act_date", "act_end_date"),
        _case_row,
        case_record,
        prefetch=("handlers",),
    ),
    "subject": Table(
        Subject,
        ("case_id", "name", "birth_date", "gender", "id_number", "flags"),
        _subject_row,
        subject_record,
    ),
    "event": Table(
        Event,
        ("case_id", "kind", "at", "end", "subject_id", "officers", "attrs"),
        _event_row,
        event_record,
    ),
}


class DjangoStore:
    """The batch's view of what is already stored."""

    def existing_ids(self, rtype: str, ids: list[str]) -> set[str]:
        return set(TABLES[rtype].model.objects.filter(pk__in=ids).values_list("pk", flat=True))

    def subject_cases(self, ids: list[str]) -> dict[str, str]:
        return dict(Subject.objects.filter(pk__in=ids).values_list("pk", "case_id"))

    def unit_parents(self) -> dict[str, str | None]:
        return dict(Unit.objects.values_list("pk", "parent_id"))


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _execute_many(sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _stored_hashes(table: Table, ids: list[str]) -> dict[str, str]:
    """Content hashes of the ids already stored (plain SQL: this runs once per chunk)."""
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, content_hash FROM {_q(table.model._meta.db_table)} WHERE id IN ({marks})",
            ids,
        )
        return dict(cursor.fetchall())


@dataclass
class Counts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    units_changed: bool = False


# Where a staged row of these types names its case (the row follows `Table.columns`).
_CASE_COLUMN = {"case": None, "subject": 0, "event": 0, "alarm": 3}


def _extension_names(events: list[Staged]) -> set[str]:
    """Bureau extension names (`x_` kinds and attributes) in staged event rows."""
    names: set[str] = set()
    for s in events:
        kind, attrs = s.row[1], s.row[6]
        if isinstance(kind, str) and kind.startswith("x_"):
            names.add(kind)
        if isinstance(attrs, str) and '"x_' in attrs:
            names.update(k for k in orjson.loads(attrs) if k.startswith("x_"))
    return names


@dataclass
class Writer:
    """Writes one checked batch inside the caller's transaction."""

    batch_id: int
    actor: str
    at: datetime
    counts: Counts = field(default_factory=Counts)
    touched_cases: set[str] = field(default_factory=set)
    extension_names: set[str] = field(default_factory=set)
    changed_persons: set[str] = field(default_factory=set)

    def write(self, rtype: str, chunk: list[Staged]) -> None:
        table = TABLES[rtype]
        ids = [s.id for s in chunk]
        stored = _stored_hashes(table, ids)
        new = [s for s in chunk if s.id not in stored]
        changed = [s for s in chunk if s.id in stored and stored[s.id] != s.hash]
        self.counts.new += len(new)
        self.counts.updated += len(changed)
        self.counts.unchanged += len(chunk) - len(new) - len(changed)
        if rtype == "unit" and (new or changed):
            self.counts.units_changed = True
        if rtype in _CASE_COLUMN:
            self._touch(rtype, new + changed)
        elif rtype == "person":  # roles and qualifications decide some points
            self.changed_persons.update(s.id for s in changed)
        befores = self._befores(rtype, [s.id for s in changed])
        self._insert(table, new)
        self._update(table, changed)
        self._write_children(rtype, new, changed)
        append(
            [
                Change(self.actor, "create", rtype, s.id, None, s.ceif_json, self.batch_id)
                for s in new
            ]
            + [
                Change(self.actor, "update", rtype, s.id, befores[s.id], s.ceif_json, self.batch_id)
                for s in changed
            ],
            self.at,
        )

    def _touch(self, rtype: str, staged: list[Staged]) -> None:
        """Remember the cases whose records changed: the patrol re-evaluates them."""
        column = _CASE_COLUMN[rtype]
        if column is None:
            self.touched_cases.update(s.id for s in staged)
        else:
            self.touched_cases.update(c for s in staged if (c := s.row[column]) is not None)
        if rtype == "event":
            self.extension_names.update(_extension_names(staged))

    def _befores(self, rtype: str, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        table = TABLES[rtype]
        instances = table.model.objects.prefetch_related(*table.prefetch).filter(pk__in=ids)
        return {m.pk: r.canonical_json(r.to_ceif(table.from_model(m))) for m in instances}

    def _insert(self, table: Table, staged: list[Staged]) -> None:
        width = len(table.columns)
        bulk_insert(
            table.model._meta.db_table,
            ("id", *table.columns, "content_hash"),
            [(s.id, *s.row[:width], s.hash) for s in staged],
        )

    def _update(self, table: Table, staged: list[Staged]) -> None:
        sets = ", ".join(f"{_q(c)} = %s" for c in (*table.columns, "content_hash"))
        sql = f"UPDATE {_q(table.model._meta.db_table)} SET {sets} WHERE {_q('id')} = %s"
        width = len(table.columns)
        _execute_many(sql, [(*s.row[:width], s.hash, s.id) for s in staged])

    def _write_children(self, rtype: str, new: list[Staged], changed: list[Staged]) -> None:
        """Handlers of a case and officers of a grid are rows of their own tables."""
        if rtype == "case":
            CaseHandler.objects.filter(case_id__in=[s.id for s in changed]).delete()
            rows = [
                (s.id, h.person, h.role, i)
                for s in new + changed
                for i, h in enumerate(s.record.handlers)
            ]
            bulk_insert(
                CaseHandler._meta.db_table, ("case_id", "person_id", "role", "position"), rows
            )
        elif rtype == "grid":
            through = Grid.officers.through
            through.objects.filter(grid_id__in=[s.id for s in changed]).delete()
            rows = [(s.id, p) for s in new + changed for p in s.record.officers]
            bulk_insert(through._meta.db_table, ("grid_id", "person_id"), rows)


_TYPE_ORDER = {rtype: i for i, rtype in enumerate(r.RECORD_TYPES)}


class EagerWriter:
    """Writes records as soon as they are staged, while later chunks are still being read
    and validated, inside a savepoint of the batch's transaction.

    The cross-record checks run only once the whole batch is read, so this is a bet that
    they set nothing aside. It is kept only when they do not; then the result is exactly
    what writing after the checks gives, since records arriving in type order are written
    in the same order. Otherwise (a record set aside, a record of an earlier type after a
    later one, an id twice in one chunk) the savepoint is rolled back and the batch is
    checked again and written after the checks.
    """

    def __init__(self, writer: Writer) -> None:
        self.writer = writer
        self.failed = False
        self._type_index = 0
        self._savepoint = transaction.savepoint()

    def __call__(self, rows: list[tuple[Any, ...]]) -> None:
        if self.failed:
            return
        for rtype, group in groupby(rows, key=itemgetter(0)):
            if _TYPE_ORDER[rtype] < self._type_index:
                self.roll_back()
                return
            self._type_index = _TYPE_ORDER[rtype]
            chunk = [staged_of(row) for row in group]
            try:
                self.writer.write(rtype, chunk)
            except IntegrityError:  # the same id twice in one chunk: the checks decide
                self.roll_back()
                return

    def roll_back(self) -> None:
        if not self.failed:
            transaction.savepoint_rollback(self._savepoint)
            self.failed = True


def rebuild_unit_closure() -> None:
    """Recompute every (ancestor, descendant) pair; units are few, so this is cheap."""
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    rows: list[tuple[str, str, int]] = []
    for unit in parents:
        node: str | None = unit
        depth = 0
        while node is not None:
            rows.append((node, unit, depth))
            node, depth = parents.get(node), depth + 1
    UnitClosure.objects.all().delete()
    bulk_insert(UnitClosure._meta.db_table, ("ancestor_id", "descendant_id", "depth"), rows)


@dataclass(frozen=True)
class ImportOutcome:
    batch_id: int | None
    new: int
    updated: int
    unchanged: int
    problems: list[Problem]

    def as_dict(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [p.as_dict() for p in self.problems],
        }


Progress = Callable[[str, int | None], Callable[[int], None]]


def _write_checked(batch: Batch, writer: Writer, progress: Progress | None) -> None:
    """Write the records the checks kept, type by type."""
    writing = progress("写入", batch.count_valid()) if progress else None
    for rtype in r.RECORD_TYPES:
        for chunk in batch.staged(rtype):
            writer.write(rtype, chunk)
            if writing:
                writing(len(chunk))


def import_files(
    paths: Iterable[Path],
    *,
    actor: str,
    progress: Progress | None = None,
    workdir: Path | None = None,
    workers: int | None = None,
    as_of: datetime | None = None,
) -> ImportOutcome:
    """Read, check and store a batch, and re-evaluate the cases it touched as of `as_of`
    (default: now). Raises UnreadableFile if any file cannot be read at all."""
    paths = list(paths)
    started = timezone.now()
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if (os.cpu_count() or 1) > 1 else 0
    with (
        Batch(
            DjangoStore(), workdir=workdir, row_of=RowAdapt(connection.vendor).row, workers=workers
        ) as batch,
        transaction.atomic(),
    ):
        record = ImportBatch.objects.create(
            started_at=started, finished_at=started, actor=actor, files=[p.name for p in paths]
        )
        writer = Writer(record.pk, actor, started)
        eager = batch.on_staged = EagerWriter(writer)
        reading = progress("读取并写入", None) if progress else None
        for path in paths:
            batch.add_file(path, reading)
        batch.check()
        if eager.failed or batch.count_set_aside():
            eager.roll_back()
            batch.recheck()
            writer = Writer(record.pk, actor, started)
            _write_checked(batch, writer, progress)
        problems = batch.sorted_problems()
        if writer.counts.units_changed:
            rebuild_unit_closure()
        touched = writer.touched_cases | cases_involving(writer.changed_persons)
        pending = records_changed(
            touched, writer.extension_names, as_of or timezone.now(), actor=actor
        )
        if not pending:  # the warnings are derived: bring the open periods' ledger along
            cases_changed(touched, as_of or timezone.now(), actor=actor)
        counts = writer.counts
        ImportBatch.objects.filter(pk=record.pk).update(
            finished_at=timezone.now(),
            new=counts.new,
            updated=counts.updated,
            unchanged=counts.unchanged,
            rejected=len(problems),
            problems=[p.as_dict() for p in problems[:MAX_STORED_PROBLEMS]],
        )
        append(
            [
                Change(
                    actor,
                    "import",
                    "import_batch",
                    str(record.pk),
                    None,
                    json.dumps(
                        {
                            "files": record.files,
                            "new": counts.new,
                            "updated": counts.updated,
                            "unchanged": counts.unchanged,
                            "rejected": len(problems),
                        },
                        ensure_ascii=False,
                    ),
                    record.pk,
                )
            ],
            started,
        )
    if pending:
        evaluating = progress("巡查", pending) if progress else None
        evaluate_pending(as_of or timezone.now(), workers=workers, actor=actor, progress=evaluating)
    analyze_after(counts.new + counts.updated)
    return ImportOutcome(record.pk, counts.new, counts.updated, counts.unchanged, problems)
