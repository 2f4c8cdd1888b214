"""Importing assessment inputs in bulk: JSON Lines in the shape `fazhi.demo.assessment`
writes, and the CSV/XLSX tables of `fazhi assess-template` (`tables`). Each record goes
through the same check as its one-record service; every invalid record is reported with file,
line (or row), type, field and the Chinese reason, and all valid records are written in one
transaction with one audit entry each.

On the command line the operator may write inputs for anyone; through the web page and the
API an `InputScope` limits the people (and grids) a record may name to the uploader's units,
and a person outside them reads as absent, the same words as a person who does not exist.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.forms.models import model_to_dict

from fazhi.apps.accounts.models import Grant, Role
from fazhi.apps.assessment import services
from fazhi.apps.assessment.models import (
    CaseQuota,
    DutyShift,
    Exam,
    ExamScore,
    Inspection,
    PatrolLog,
    Rectification,
    StudyRecord,
    Task,
    TaskList,
)
from fazhi.apps.assessment.tables import Row, TableProblem, read_table_file
from fazhi.apps.audit.chain import Change, append
from fazhi.apps.audit.models import AuditAction
from fazhi.apps.org.models import Grid, Person, UnitClosure
from fazhi.core.records import canonical_json
from fazhi.ingest.sources import UnreadableFile

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
TABLE_SUFFIXES = (".csv", ".xlsx")
# Who writes inputs through the page and the API: the legal department (whole subtree,
# inspections included) and a unit head (their unit's duty, exams, study, tasks, patrols,
# quotas). Other roles read the results; the administrators see no one.
INPUT_ROLES = frozenset({Role.LEGAL_DEPARTMENT, Role.UNIT_HEAD})

# Parents before children: a row is inserted after the rows it points at.
_ORDER = (
    Inspection,
    Rectification,
    DutyShift,
    Exam,
    ExamScore,
    StudyRecord,
    TaskList,
    Task,
    PatrolLog,
    CaseQuota,
)


@dataclass(frozen=True)
class InputScope:
    """The units whose people an uploader may name, and those whose people they may inspect."""

    units: QuerySet[UnitClosure, dict[str, Any]]
    inspecting: QuerySet[UnitClosure, dict[str, Any]]


def scope_of(user: Any) -> InputScope:
    def under(roles: Iterable[str]) -> QuerySet[UnitClosure, dict[str, Any]]:
        granted = Grant.objects.filter(user_id=user.pk, role__in=list(roles)).values("unit_id")
        return UnitClosure.objects.filter(ancestor_id__in=granted).values("descendant_id")

    return InputScope(units=under(INPUT_ROLES), inspecting=under([Role.LEGAL_DEPARTMENT]))


class _Bad(Exception):
    """A field that cannot be read; the message names the field and the reason."""


@dataclass
class InputImport:
    created: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class InputRecord:
    """A record to read: JSON Lines give the nested shape, tables (`flat`) one row each."""

    file: str
    line: int
    kind: str
    data: dict[str, Any]
    flat: bool = False

    def label(self) -> str:
        key = self.data.get("id")
        return f"{self.file}:{self.line}: {self.kind}" + (f"（id={key}）" if key else "")


_PERSON_KEYS = ("person", "inspector", "verified_by")


class _Batch:
    def __init__(self, records: list[InputRecord], scope: InputScope | None) -> None:
        mentions = [r.data.get(k) for r in records for k in _PERSON_KEYS]
        mentions += [
            s.get("person")
            for r in records
            if isinstance(r.data.get("scores"), list)
            for s in r.data["scores"]
            if isinstance(s, dict)
        ]
        named = {i for i in mentions if isinstance(i, str)}
        people = (
            Person.objects.all() if scope is None else Person.objects.filter(unit__in=scope.units)
        )
        self.people = people.in_bulk(list(named))
        self.inspectable = (
            set(self.people)
            if scope is None
            else set(
                people.filter(pk__in=named, unit__in=scope.inspecting).values_list("pk", flat=True)
            )
        )
        self.absent = "不存在" if scope is None else "不存在或不在您的管辖范围内"
        grids = Grid.objects.all() if scope is None else Grid.objects.filter(unit__in=scope.units)
        self.grids = grids.in_bulk(
            [r.data["grid"] for r in records if isinstance(r.data.get("grid"), str)]
        )
        self.rows: list[Any] = []
        self.seen = self._stored_keys(list(self.people))
        self.exams: dict[tuple[str, date], Exam] = {}
        self.task_lists: dict[tuple[str, date], TaskList] = {}

    @staticmethod
    def _stored_keys(people: list[str]) -> set[tuple[Any, ...]]:
        """What may exist once per person and day, month or year, already in the store."""
        shifts = DutyShift.objects.filter(person_id__in=people).values_list("person_id", "day")
        lists = TaskList.objects.filter(person_id__in=people).values_list("person_id", "month")
        quotas = CaseQuota.objects.filter(person_id__in=people).values_list("person_id", "year")
        return (
            {("shift", *key) for key in shifts}
            | {("tasks", *key) for key in lists}
            | {("quota", *key) for key in quotas}
        )

    def person(self, record: dict[str, Any], key: str) -> Person:
        value = record.get(key)
        if value not in self.people:
            raise _Bad(f"{key}：人员 {value!r} {self.absent}")
        return self.people[value]

    def inspected(self, record: dict[str, Any], key: str) -> Person:
        """A person named in an inspection: inspections are the legal department's."""
        person = self.person(record, key)
        if person.pk not in self.inspectable:
            raise _Bad(f"{key}：只有管辖 {person.pk} 的法制部门可以录入评查")
        return person

    def once(self, key: tuple[Any, ...], reason: str) -> None:
        """Refuse a second record for the same key, in this batch or in the store."""
        if key in self.seen:
            raise _Bad(reason)
        self.seen.add(key)

    def exam(self, name: str, day: date) -> tuple[Exam, bool]:
        """The exam a score row belongs to: one met earlier in the batch or in the store, or a
        new one (True: to be inserted with this row)."""
        exam = self.exams.get((name, day))
        if exam is None:
            exam = Exam.objects.filter(name=name, day=day).order_by("pk").first()
            if exam is None:
                return Exam(name=name, day=day), True
            self.exams[(name, day)] = exam
        return exam, False

    def task_list(self, person: Person, month: date, grid: Grid | None) -> tuple[TaskList, bool]:
        """The month's list a task row belongs to: one begun earlier in the batch, or a new one
        (True) if the person has none for the month yet."""
        task_list = self.task_lists.get((person.pk, month))
        if task_list is None:
            if ("tasks", person.pk, month) in self.seen:
                raise _Bad("month：本月已有任务清单")
            return TaskList(person=person, month=month, grid=grid), True
        if task_list.grid != grid:
            raise _Bad("grid：与同一人同月前面行的网格不一致")
        return task_list, False


def _text(record: dict[str, Any], key: str, *, blank: bool = False) -> str:
    value = record.get(key, "" if blank else None)
    if not isinstance(value, str) or (not blank and not value.strip()):
        raise _Bad(f"{key}：应为{'文字' if blank else '非空文字'}")
    return value


def _day(record: dict[str, Any], key: str, *, optional: bool = False) -> date | None:
    value = record.get(key)
    if value is None and optional:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _Bad(f"{key}：日期 {value!r} 无效（应为 YYYY-MM-DD）") from None


def _required_day(record: dict[str, Any], key: str) -> date:
    day = _day(record, key)
    assert day is not None
    return day


def _clock(record: dict[str, Any], key: str) -> time:
    try:
        return time.fromisoformat(record.get(key))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise _Bad(f"{key}：时间 {record.get(key)!r} 无效（应为 HH:MM）") from None


def _number(record: dict[str, Any], key: str) -> Decimal:
    value = record.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _Bad(f"{key}：应为数字")
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise _Bad(f"{key}：应为数字") from None


def _inspection(b: _Batch, r: dict[str, Any]) -> list[Any]:
    inspection = Inspection(
        person=b.inspected(r, "person"),
        scheme=_text(r, "scheme"),
        item=_text(r, "item"),
        method=_text(r, "method"),
        day=_required_day(r, "day"),
        severity=r.get("severity"),
        finding=_text(r, "finding", blank=True),
        evidence=_text(r, "evidence", blank=True),
        inspector=b.inspected(r, "inspector"),
    )
    services.check_inspection(inspection)
    rectified_on = _day(r, "rectified_on", optional=True)
    if rectified_on is None:
        return [inspection]
    rectification = Rectification(
        inspection=inspection, verified_on=rectified_on, verified_by=b.inspected(r, "verified_by")
    )
    services.check_rectification(rectification)
    return [inspection, rectification]


def _duty_shift(b: _Batch, r: dict[str, Any]) -> list[Any]:
    shift = DutyShift(
        person=b.person(r, "person"),
        day=_required_day(r, "day"),
        hall_hours=_number(r, "hall_hours"),
    )
    services.check_duty_shift(shift)
    b.once(("shift", shift.person.pk, shift.day), "day：当日已有值班记录")
    return [shift]


def _exam(b: _Batch, r: dict[str, Any]) -> list[Any]:
    exam = Exam(name=_text(r, "name"), day=_required_day(r, "day"))
    scores = r.get("scores")
    if not isinstance(scores, list) or not scores:
        raise _Bad("scores：应为非空列表")
    rows: list[Any] = [exam]
    people: set[str] = set()
    for entry in scores:
        if not isinstance(entry, dict):
            raise _Bad("scores：每项应为 {person, score}")
        row = ExamScore(exam=exam, person=b.person(entry, "person"), score=_number(entry, "score"))
        if row.person.pk in people:
            raise _Bad(f"scores：{row.person.pk} 的成绩重复")
        people.add(row.person.pk)
        services.check_exam_score(exam, row)
        rows.append(row)
    return rows


def _study(b: _Batch, r: dict[str, Any]) -> list[Any]:
    study = StudyRecord(
        person=b.person(r, "person"),
        day=_required_day(r, "day"),
        hours=_number(r, "hours"),
        topic=_text(r, "topic"),
    )
    services.check_study(study)
    return [study]


def _task_list(b: _Batch, r: dict[str, Any]) -> list[Any]:
    month = _day({"month": f"{r.get('month')}-01"}, "month")
    grid = r.get("grid")
    if grid is not None and grid not in b.grids:
        raise _Bad(f"grid：网格 {grid!r} {b.absent}")
    task_list = TaskList(person=b.person(r, "person"), month=month, grid=b.grids.get(grid))
    items = r.get("tasks")
    if not isinstance(items, list) or not all(isinstance(t, dict) for t in items):
        raise _Bad("tasks：应为 {title, due_on, done_on} 的列表")
    tasks = [
        Task(
            task_list=task_list,
            title=_text(t, "title"),
            due_on=_required_day(t, "due_on"),
            done_on=_day(t, "done_on", optional=True),
        )
        for t in items
    ]
    services.check_task_list(task_list, tasks)
    b.once(("tasks", task_list.person.pk, month), "month：本月已有任务清单")
    return [task_list, *tasks]


def _patrol_log(b: _Batch, r: dict[str, Any]) -> list[Any]:
    log = PatrolLog(
        person=b.person(r, "person"),
        vehicle=_text(r, "vehicle"),
        day=_required_day(r, "day"),
        start=_clock(r, "start"),
        end=_clock(r, "end"),
        km=_number(r, "km"),
    )
    services.check_patrol_log(log)
    return [log]


def _integer(record: dict[str, Any], key: str) -> int:
    value = record.get(key)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad(f"{key}：应为整数")
    return value


def _case_quota(b: _Batch, r: dict[str, Any]) -> list[Any]:
    year, cases = _integer(r, "year"), _integer(r, "cases")
    quota = CaseQuota(person=b.person(r, "person"), year=year, cases=cases)
    services.check_quota(quota)
    b.once(("quota", quota.person.pk, year), "year：该年度已有办案任务")
    return [quota]


def _exam_row(b: _Batch, r: dict[str, Any]) -> list[Any]:
    """考试成绩 table: one candidate's score per row; rows of the same exam name and day
    (in the table or already stored) are one exam."""
    name, day = _text(r, "name").strip(), _required_day(r, "day")
    person = b.person(r, "person")
    exam, new = b.exam(name, day)
    row = ExamScore(exam=exam, person=person, score=_number(r, "score"))
    services.check_exam_score(exam, row)
    if not new and exam.pk and ExamScore.objects.filter(exam=exam, person=person).exists():
        raise _Bad(f"person：{person.pk} 在「{name}」已有成绩")
    b.once(("score", name, day, person.pk), f"person：{person.pk} 在「{name}」的成绩重复")
    if new:
        b.exams[(name, day)] = exam
    return [exam, row] if new else [row]


def _month(r: dict[str, Any]) -> date:
    text = r.get("month")
    if isinstance(text, str) and len(text) == 10 and text.endswith("-01"):
        text = text[:7]  # a month Excel turned into its first day
    return _required_day({"month": f"{text}-01"}, "month")


def _task_row(b: _Batch, r: dict[str, Any]) -> list[Any]:
    """任务清单 table: one task per row; rows of the same person and month are one list."""
    person, month, grid_id = b.person(r, "person"), _month(r), r.get("grid")
    if grid_id is not None and grid_id not in b.grids:
        raise _Bad(f"grid：网格 {grid_id!r} {b.absent}")
    task_list, new = b.task_list(person, month, b.grids.get(grid_id))
    task = Task(
        task_list=task_list,
        title=_text(r, "title"),
        due_on=_required_day(r, "due_on"),
        done_on=_day(r, "done_on", optional=True),
    )
    services.check_task_list(task_list, [task])
    if new:
        b.seen.add(("tasks", person.pk, month))
        b.task_lists[(person.pk, month)] = task_list
    return [task_list, task] if new else [task]


READERS: dict[str, Callable[[_Batch, dict[str, Any]], list[Any]]] = {
    "inspection": _inspection,
    "duty_shift": _duty_shift,
    "exam": _exam,
    "study": _study,
    "task_list": _task_list,
    "patrol_log": _patrol_log,
    "case_quota": _case_quota,
}
# The tables' flat shapes where they differ from the nested JSON Lines records.
TABLE_READERS = {**READERS, "exam": _exam_row, "task_list": _task_row}


def _lines(path: Path, problems: list[str]) -> Iterable[InputRecord]:
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{path.name}:{number}: 不是有效的 JSON（{exc.msg}）")
                continue
            if not isinstance(record, dict) or record.get("type") not in READERS:
                problems.append(f"{path.name}:{number}: 未知记录类型（可用：{'、'.join(READERS)}）")
                continue
            yield InputRecord(path.name, number, record["type"], record)


def _table_rows(path: Path, problems: list[str]) -> Iterable[InputRecord]:
    for item in read_table_file(path):
        if isinstance(item, TableProblem):
            problems.append(str(item))
        else:
            yield from table_records([item])


def table_records(rows: Iterable[Row]) -> list[InputRecord]:
    """Rows of a table (a file, or an entry form) as records to import."""
    return [InputRecord(r.file, r.line, r.table.kind, r.data, flat=True) for r in rows]


def _read_files(paths: Iterable[Path], problems: list[str]) -> list[InputRecord]:
    """Every record of the files, by suffix; a file that cannot be read at all raises
    `UnreadableFile` (nothing is imported), a record that cannot be read becomes a problem."""
    records: list[InputRecord] = []
    for path in paths:
        suffix = path.suffix.lower()
        if not path.is_file():
            raise UnreadableFile(str(path), "文件不存在或不可读")
        if suffix in JSONL_SUFFIXES:
            records.extend(_lines(path, problems))
        elif suffix in TABLE_SUFFIXES:
            records.extend(_table_rows(path, problems))
        else:
            raise UnreadableFile(path.name, "不支持的文件类型（支持 .jsonl、.csv、.xlsx）")
    return records


def import_inputs(
    paths: Iterable[Path], *, actor: str, at: datetime, scope: InputScope | None = None
) -> InputImport:
    """Read the files, check every record, then write the valid ones with their audit
    entries at once. Raises `UnreadableFile` before writing anything."""
    problems: list[str] = []
    records = _read_files(paths, problems)
    return import_records(records, actor=actor, at=at, scope=scope, problems=problems)


def import_records(
    records: list[InputRecord],
    *,
    actor: str,
    at: datetime,
    scope: InputScope | None = None,
    problems: list[str] | None = None,
    all_or_nothing: bool = False,
) -> InputImport:
    """Check every record, then write the valid ones (none at all if `all_or_nothing` and
    something was refused: an entry form's rows stand or fall together)."""
    outcome = InputImport(problems=list(problems or []))
    batch = _Batch(records, scope)
    for record in records:
        read = (TABLE_READERS if record.flat else READERS)[record.kind]
        try:
            batch.rows.extend(read(batch, record.data))
        except _Bad as exc:
            outcome.problems.append(f"{record.label()}.{exc}")
        except ValidationError as exc:
            outcome.problems.append(f"{record.label()}：{'；'.join(exc.messages)}")
    if all_or_nothing and outcome.problems:
        return outcome
    with transaction.atomic():
        for model in _ORDER:
            rows = [row for row in batch.rows if type(row) is model]
            if not rows:
                continue
            for row in rows:
                if hasattr(row, "recorded_at"):
                    row.recorded_at = at
            model.objects.bulk_create(rows, batch_size=2000)
            append((_change(actor, row) for row in rows), at)
            outcome.created[model._meta.model_name] = len(rows)
    return outcome


def _change(actor: str, row: Any) -> Change:
    return Change(
        actor=actor[:150],
        action=AuditAction.CREATE.value,
        object_type=row._meta.model_name,
        object_id=str(row.pk),
        before=None,
        after=canonical_json(services.plain(model_to_dict(row))),
    )
