"""Importing assessment inputs in bulk (JSON Lines in the shape `fazhi.demo.assessment`
writes): each record goes through the same check as its one-record service; every invalid
record is reported with file, line and the Chinese reason, and all valid records are written
in one transaction with one audit entry each."""

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
from django.forms.models import model_to_dict

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
from fazhi.apps.audit.chain import Change, append
from fazhi.apps.audit.models import AuditAction
from fazhi.apps.org.models import Grid, Person
from fazhi.core.records import canonical_json

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


class _Bad(Exception):
    """A field that cannot be read; the message names the field and the reason."""


@dataclass
class InputImport:
    created: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


class _Batch:
    def __init__(self, records: list[tuple[str, int, dict[str, Any]]]) -> None:
        mentions = [r.get(k) for _, _, r in records for k in ("person", "inspector", "verified_by")]
        mentions += [
            s.get("person")
            for _, _, r in records
            if isinstance(r.get("scores"), list)
            for s in r["scores"]
            if isinstance(s, dict)
        ]
        self.people = Person.objects.in_bulk({i for i in mentions if isinstance(i, str)})
        grids = {r["grid"] for _, _, r in records if isinstance(r.get("grid"), str)}
        self.grids = Grid.objects.in_bulk(list(grids))
        self.rows: list[Any] = []
        self.seen = self._stored_keys(list(self.people))

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
            raise _Bad(f"{key}：人员 {value!r} 不存在")
        return self.people[value]

    def once(self, key: tuple[Any, ...], reason: str) -> None:
        """Refuse a second record for the same key, in this batch or in the store."""
        if key in self.seen:
            raise _Bad(reason)
        self.seen.add(key)


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
        person=b.person(r, "person"),
        scheme=_text(r, "scheme"),
        item=_text(r, "item"),
        method=_text(r, "method"),
        day=_required_day(r, "day"),
        severity=r.get("severity"),
        finding=_text(r, "finding", blank=True),
        evidence=_text(r, "evidence", blank=True),
        inspector=b.person(r, "inspector"),
    )
    services.check_inspection(inspection)
    rectified_on = _day(r, "rectified_on", optional=True)
    if rectified_on is None:
        return [inspection]
    rectification = Rectification(
        inspection=inspection, verified_on=rectified_on, verified_by=b.person(r, "verified_by")
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
        raise _Bad(f"grid：网格 {grid!r} 不存在")
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


def _case_quota(b: _Batch, r: dict[str, Any]) -> list[Any]:
    year, cases = r.get("year"), r.get("cases")
    if not isinstance(year, int) or not isinstance(cases, int):
        raise _Bad("year、cases：应为整数")
    quota = CaseQuota(person=b.person(r, "person"), year=year, cases=cases)
    services.check_quota(quota)
    b.once(("quota", quota.person.pk, year), "year：该年度已有办案任务")
    return [quota]


READERS: dict[str, Callable[[_Batch, dict[str, Any]], list[Any]]] = {
    "inspection": _inspection,
    "duty_shift": _duty_shift,
    "exam": _exam,
    "study": _study,
    "task_list": _task_list,
    "patrol_log": _patrol_log,
    "case_quota": _case_quota,
}


def _lines(paths: Iterable[Path], problems: list[str]) -> list[tuple[str, int, dict[str, Any]]]:
    records = []
    for path in paths:
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
                    problems.append(
                        f"{path.name}:{number}: 未知记录类型（可用：{'、'.join(READERS)}）"
                    )
                    continue
                records.append((path.name, number, record))
    return records


def import_inputs(paths: Iterable[Path], *, actor: str, at: datetime) -> InputImport:
    """Check every record, then write the valid ones with their audit entries at once."""
    outcome = InputImport()
    records = _lines(paths, outcome.problems)
    batch = _Batch(records)
    for name, number, record in records:
        kind = record["type"]
        label = f"{name}:{number}: {kind}" + (f"（id={record['id']}）" if "id" in record else "")
        try:
            batch.rows.extend(READERS[kind](batch, record))
        except _Bad as exc:
            outcome.problems.append(f"{label}.{exc}")
        except ValidationError as exc:
            outcome.problems.append(f"{label}：{'；'.join(exc.messages)}")
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
