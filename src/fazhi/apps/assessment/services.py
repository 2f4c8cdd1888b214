"""The one write path of assessment: inputs, recomputation, corrections, appeals, rankings.

Each function validates, writes and puts the change on the audit trail in one transaction.
Errors are `ValidationError`s in Chinese naming the record, the field and the reason;
permission failures are `PermissionDenied`.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.forms.models import model_to_dict

from fazhi.apps.accounts.models import Grant, Role
from fazhi.apps.assessment import ledger
from fazhi.apps.assessment.models import (
    Appeal,
    AppealStatus,
    CaseQuota,
    DutyShift,
    EntryKind,
    Exam,
    ExamScore,
    Inspection,
    LedgerEntry,
    PatrolLog,
    Publication,
    RankingRow,
    RankingSnapshot,
    Rectification,
    StudyRecord,
    Task,
    TaskList,
)
from fazhi.apps.assessment.schemes import period_of, scheme_for, scheme_on
from fazhi.apps.assessment.selectors import RankingLine, ranking
from fazhi.apps.assessment.store import facts_from_store
from fazhi.apps.audit.chain import Change, append, record
from fazhi.apps.audit.models import AuditAction
from fazhi.apps.bulk import bulk_insert
from fazhi.apps.org.models import Grid, Person, UnitClosure
from fazhi.core.records import canonical_json
from fazhi.core.scoring import Award, InspectionMethod, Severity, score_scheme
from fazhi.core.scoring.method import describe


def plain(data: dict[str, Any]) -> dict[str, Any]:
    """Dates, times and decimals as text, so the audit JSON is canonical."""
    return {
        k: v.isoformat() if isinstance(v, date | time) else str(v) if isinstance(v, Decimal) else v
        for k, v in data.items()
    }


def _audit(
    actor: str,
    action: AuditAction,
    obj: Any,
    at: datetime,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    record(
        Change(
            actor=actor[:150],
            action=action.value,
            object_type=obj._meta.model_name,
            object_id=str(obj.pk),
            before=None if before is None else canonical_json(plain(before)),
            after=None if after is None else canonical_json(plain(after)),
        ),
        at,
    )


def _save(obj: Any, actor: str, at: datetime) -> Any:
    """Insert a checked record and audit it, in one transaction."""
    with transaction.atomic():
        obj.save(force_insert=True)
        _audit(actor, AuditAction.CREATE, obj, at, after=model_to_dict(obj))
    return obj


def _check(condition: bool, what: str, field: str, reason: str) -> None:
    if not condition:
        raise ValidationError(f"{what} {field}：{reason}", code=field)


# --- inputs -----------------------------------------------------------------------------------
# Each input has a check on the unsaved record, shared by the one-record services below and
# the batch import (`imports`), so both refuse the same things with the same words.


def _who(person: Person) -> str:
    return f"{person.name}（{person.pk}）"


def check_inspection(i: Inspection) -> None:
    what = f"对 {_who(i.person)}{i.day} 的评查"
    _check(i.method in InspectionMethod._value2member_map_, what, "method", "评查方式无效")
    _check(
        i.severity is None or i.severity in Severity._value2member_map_,
        what,
        "severity",
        "情节无效",
    )
    items = {item.code: item for item in scheme_on(i.scheme, i.day).items}
    _check(i.item in items, what, "item", f"方案 {i.scheme} 没有评分项 {i.item!r}")
    _check(
        items[i.item].kind == "manual",
        what,
        "item",
        f"评分项 {i.item} 由系统自动计分，不能人工评查",
    )
    _check(
        i.severity is None or bool(i.finding.strip()),
        what,
        "finding",
        "有扣分情节时须写明发现的问题",
    )
    _check(i.inspector_id != i.person_id, what, "inspector", "评查人不能评查自己")


def check_rectification(r: Rectification) -> None:
    i = r.inspection
    what = f"对 {_who(i.person)}{i.day} 的评查的整改核实"
    _check(i.severity is not None, what, "inspection", "该评查没有发现问题，无需整改")
    _check(r.verified_on >= i.day, what, "verified_on", f"核实日期早于评查日期 {i.day}")


def check_duty_shift(s: DutyShift) -> None:
    what = f"{_who(s.person)}{s.day} 的值班记录"
    _check(
        Decimal(0) <= s.hall_hours <= Decimal(24), what, "hall_hours", "坐堂小时数应在 0 到 24 之间"
    )


def check_exam_score(exam: Exam, score: ExamScore) -> None:
    _check(bool(exam.name.strip()), f"{exam.day} 的考试", "name", "须写明考试名称")
    what = f"{_who(score.person)}在「{exam.name}」的成绩"
    _check(Decimal(0) <= score.score <= Decimal(100), what, "score", "成绩应在 0 到 100 之间")


def check_study(s: StudyRecord) -> None:
    what = f"{_who(s.person)}{s.day} 的学法记录"
    _check(Decimal(0) < s.hours <= Decimal(24), what, "hours", "学时应大于 0、不超过 24")
    _check(bool(s.topic.strip()), what, "topic", "须写明学习内容")


def check_task_list(task_list: TaskList, tasks: list[Task]) -> None:
    what = f"{_who(task_list.person)}{task_list.month:%Y-%m} 的任务清单"
    _check(task_list.month.day == 1, what, "month", "月份应写作该月 1 日")
    _check(bool(tasks), what, "tasks", "任务清单不能为空")
    month = (task_list.month.year, task_list.month.month)
    for t in tasks:
        _check(bool(t.title.strip()), what, "tasks", "任务名称不能为空")
        _check(
            (t.due_on.year, t.due_on.month) == month,
            what,
            "tasks",
            f"任务「{t.title}」的期限 {t.due_on} 不在本月",
        )


def check_patrol_log(g: PatrolLog) -> None:
    what = f"{_who(g.person)}{g.day} 的巡逻记录"
    _check(bool(g.vehicle.strip()), what, "vehicle", "须写明车辆")
    _check(g.start < g.end, what, "end", "结束时间应晚于开始时间")
    _check(Decimal(0) <= g.km <= Decimal(1000), what, "km", "里程应在 0 到 1000 公里之间")


def check_quota(q: CaseQuota) -> None:
    _check(q.cases >= 0, f"{_who(q.person)}{q.year} 年的办案任务", "cases", "不能为负数")


def record_inspection(
    *,
    person: Person,
    scheme: str,
    item: str,
    method: InspectionMethod,
    day: date,
    inspector: Person,
    severity: Severity | None = None,
    finding: str = "",
    evidence: str = "",
    actor: str,
    at: datetime,
) -> Inspection:
    """评查: one check of a manual item; a problem needs its severity and what was found."""
    inspection = Inspection(
        person=person,
        scheme=scheme,
        item=item,
        method=method.value,
        day=day,
        severity=severity.value if severity else None,
        finding=finding,
        evidence=evidence,
        inspector=inspector,
        recorded_at=at,
    )
    check_inspection(inspection)
    return _save(inspection, actor, at)


def verify_rectification(
    inspection: Inspection,
    *,
    verified_on: date,
    verified_by: Person,
    note: str = "",
    actor: str,
    at: datetime,
) -> Rectification:
    """整改核实: the problem an inspection found was put right (回血 counts from here)."""
    rectification = Rectification(
        inspection=inspection,
        verified_on=verified_on,
        verified_by=verified_by,
        note=note,
        recorded_at=at,
    )
    check_rectification(rectification)
    _check(
        not Rectification.objects.filter(inspection=inspection).exists(),
        f"第 {inspection.pk} 号评查的整改核实",
        "inspection",
        "已核实过整改",
    )
    return _save(rectification, actor, at)


def record_duty_shift(
    *, person: Person, day: date, hall_hours: Decimal, actor: str, at: datetime
) -> DutyShift:
    shift = DutyShift(person=person, day=day, hall_hours=hall_hours)
    check_duty_shift(shift)
    _check(
        not DutyShift.objects.filter(person=person, day=day).exists(),
        f"{_who(person)}{day} 的值班记录",
        "day",
        "当日已有值班记录",
    )
    return _save(shift, actor, at)


def record_exam(
    *, name: str, day: date, scores: dict[Person, Decimal], actor: str, at: datetime
) -> Exam:
    """A law exam and every candidate's score (0–100)."""
    exam = Exam(name=name, day=day)
    rows = [ExamScore(exam=exam, person=p, score=s) for p, s in scores.items()]
    for row in rows:
        check_exam_score(exam, row)
    with transaction.atomic():
        _save(exam, actor, at)
        for row in rows:
            row.exam = exam
            _save(row, actor, at)
    return exam


def record_study(
    *, person: Person, day: date, hours: Decimal, topic: str, actor: str, at: datetime
) -> StudyRecord:
    study = StudyRecord(person=person, day=day, hours=hours, topic=topic)
    check_study(study)
    return _save(study, actor, at)


def set_task_list(
    *,
    person: Person,
    month: date,
    grid: Grid | None,
    tasks: list[tuple[str, date]],
    actor: str,
    at: datetime,
) -> TaskList:
    """A community officer's monthly task list: (title, due day) pairs within the month."""
    task_list = TaskList(person=person, month=month, grid=grid)
    rows = [Task(task_list=task_list, title=title, due_on=due_on) for title, due_on in tasks]
    check_task_list(task_list, rows)
    _check(
        not TaskList.objects.filter(person=person, month=month).exists(),
        f"{_who(person)}{month:%Y-%m} 的任务清单",
        "month",
        "本月已有任务清单",
    )
    with transaction.atomic():
        _save(task_list, actor, at)
        for row in rows:
            row.task_list = task_list
            _save(row, actor, at)
    return task_list


def complete_task(task: Task, *, done_on: date, actor: str, at: datetime) -> Task:
    what = f"任务「{task.title}」（第 {task.pk} 号）"
    _check(task.done_on is None, what, "done_on", f"已于 {task.done_on} 完成")
    with transaction.atomic():
        before = model_to_dict(task)
        changed = Task.objects.filter(pk=task.pk, done_on__isnull=True).update(done_on=done_on)
        _check(changed == 1, what, "done_on", "已由他人标记完成")
        task.refresh_from_db()
        _audit(actor, AuditAction.UPDATE, task, at, before=before, after=model_to_dict(task))
    return task


def record_patrol_log(
    *,
    person: Person,
    vehicle: str,
    day: date,
    start: time,
    end: time,
    km: Decimal,
    actor: str,
    at: datetime,
) -> PatrolLog:
    log = PatrolLog(person=person, vehicle=vehicle, day=day, start=start, end=end, km=km)
    check_patrol_log(log)
    return _save(log, actor, at)


def set_case_quota(*, person: Person, year: int, cases: int, actor: str, at: datetime) -> CaseQuota:
    """年度办案任务: set or change a person's quota for a year (the change is audited)."""
    check_quota(CaseQuota(person=person, year=year, cases=cases))
    with transaction.atomic():
        quota = CaseQuota.objects.select_for_update().filter(person=person, year=year).first()
        if quota is None:
            return _save(CaseQuota(person=person, year=year, cases=cases), actor, at)
        if quota.cases != cases:
            before = model_to_dict(quota)
            CaseQuota.objects.filter(pk=quota.pk).update(cases=cases)
            quota.refresh_from_db()
            _audit(actor, AuditAction.UPDATE, quota, at, before=before, after=model_to_dict(quota))
        return quota


# --- the ledger and rankings ------------------------------------------------------------------


@dataclass(frozen=True)
class Recomputed:
    scheme: str
    version: str
    period: str
    posted: int
    reversed: int
    snapshots: int


def recompute(scheme_code: str, period_text: str, *, actor: str, at: datetime) -> Recomputed:
    """Score a scheme for a period from the store, post what changed, take ranking snapshots."""
    return _post(scheme_code, period_text, score(scheme_code, period_text), actor=actor, at=at)


def recompute_all(
    runs: Sequence[tuple[str, str]], *, actor: str, at: datetime, workers: int | None = None
) -> list[Recomputed]:
    """`recompute` each (scheme, period) in order. With workers (default: one per core, at
    most two), forked processes read and score the runs ahead while this one posts, so the
    reading and scoring of one run overlaps the writing of another; the ledger ends the same."""
    workers = min(2, os.cpu_count() or 1) if workers is None else workers
    # forked readers would not see an open transaction's writes, and closing its connection
    # would end it: inside one, the runs go one by one
    if workers < 2 or len(runs) < 2 or transaction.get_connection().in_atomic_block:
        return [recompute(code, text, actor=actor, at=at) for code, text in runs]
    connections.close_all()  # each child opens its own connection
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=connections.close_all
    ) as pool:
        scored = [pool.submit(score, code, text) for code, text in runs]
        return [
            _post(code, text, future.result(), actor=actor, at=at)
            for (code, text), future in zip(runs, scored, strict=True)
        ]


def score(scheme_code: str, period_text: str) -> list[Award]:
    """Every award of a scheme for a period, scored from the store (no writing)."""
    period = period_of(period_text)
    scheme = scheme_for(scheme_code, period)
    cards = score_scheme(scheme, period, facts_from_store(scheme, period))
    return [a for c in cards for a in c.awards]


def _post(
    scheme_code: str, period_text: str, awards: list[Award], *, actor: str, at: datetime
) -> Recomputed:
    period = period_of(period_text)
    scheme = scheme_for(scheme_code, period)
    with transaction.atomic():
        posting = ledger.post_awards(scheme, period, awards, actor=actor, at=at)
        snapshots = take_snapshots(scheme_code, period_text, actor=actor, at=at)
    return Recomputed(
        scheme.code, scheme.version, period.text, posting.posted, posting.reversed, snapshots
    )


def take_snapshots(scheme_code: str, period_text: str, *, actor: str, at: datetime) -> int:
    """Freeze the ranking of every group as the ledger stands (成绩单, 晾晒), with movement
    since the previous period; returns how many groups were ranked."""
    period = period_of(period_text)
    scheme = scheme_for(scheme_code, period)
    groups: dict[str, list[RankingLine]] = {}
    for line in ranking(scheme.code, period.text):
        groups.setdefault(line.group, []).append(line)
    with transaction.atomic():
        snapshots = RankingSnapshot.objects.bulk_create(
            RankingSnapshot(
                scheme=scheme.code,
                scheme_version=scheme.version,
                period=period.text,
                group=group,
                taken_at=at,
            )
            for group in sorted(groups)
        )
        rows = [
            (snapshot.pk, line.person, line.score, line.rank, line.movement)
            for snapshot in snapshots
            for line in groups[snapshot.group]
        ]
        columns = ("snapshot_id", "person_id", "score", "rank", "movement")
        bulk_insert(RankingRow._meta.db_table, columns, rows)
        append(
            (
                Change(
                    actor=actor[:150],
                    action=AuditAction.CREATE.value,
                    object_type=snapshot._meta.model_name,
                    object_id=str(snapshot.pk),
                    before=None,
                    after=canonical_json(
                        plain(
                            {
                                **model_to_dict(snapshot),
                                "rows": [
                                    [line.person, str(line.score), line.rank, line.movement]
                                    for line in groups[snapshot.group]
                                ],
                            }
                        )
                    ),
                )
                for snapshot in snapshots
            ),
            at,
        )
    return len(groups)


def publish_ranking(
    scheme_code: str, period_text: str, *, by: AbstractBaseUser, at: datetime
) -> Publication:
    """晾晒: make the latest ranking of every group of a scheme and period public, with the
    method it was scored under. Only the legal department over everyone ranked publishes, once."""
    period = period_of(period_text)
    scheme = scheme_for(scheme_code, period)
    what = f"{scheme.name} {period.text} 的排名"
    latest: dict[str, RankingSnapshot] = {}
    for snapshot in RankingSnapshot.objects.filter(scheme=scheme.code, period=period.text).order_by(
        "pk"
    ):
        latest[snapshot.group] = snapshot
    _check(bool(latest), what, "period", "尚未计分，请先重算")
    units = set(
        RankingRow.objects.filter(snapshot__in=latest.values()).values_list(
            "person__unit_id", flat=True
        )
    )
    granted = Grant.objects.filter(user=by, role=Role.LEGAL_DEPARTMENT).values_list(
        "unit_id", flat=True
    )
    if not any(
        units
        <= set(UnitClosure.objects.filter(ancestor_id=g).values_list("descendant_id", flat=True))
        for g in granted
    ):
        raise PermissionDenied("只有覆盖全部参评人员的法制部门可以公布排名。")
    _check(
        not Publication.objects.filter(scheme=scheme.code, period=period.text).exists(),
        what,
        "period",
        "已公布，公布后不再变动",
    )
    with transaction.atomic():
        publication = Publication.objects.create(
            scheme=scheme.code,
            scheme_version=scheme.version,
            period=period.text,
            method=describe(scheme),
            published_by=by.get_username(),
            published_at=at,
        )
        publication.snapshots.set(latest.values())
        after = {
            **model_to_dict(publication, exclude=["snapshots"]),
            "snapshots": [s.pk for s in latest.values()],
        }
        _audit(by.get_username(), AuditAction.CREATE, publication, at, after=after)
    return publication


def correct_entry(entry: LedgerEntry, *, reason: str, actor: str, at: datetime) -> LedgerEntry:
    """更正: cancel an entry by a decision; recomputes will not post its key again."""
    what = f"第 {entry.pk} 条积分记录"
    _check(bool(reason.strip()), what, "reason", "须写明更正理由")
    _check(entry.kind == EntryKind.AWARD, what, "kind", "冲销记录本身不能再更正")
    with transaction.atomic():
        ledger.lock()
        _check(
            not LedgerEntry.objects.filter(reverses=entry).exists(), what, "reverses", "已被冲销"
        )
        correction = ledger.reversal(
            entry, EntryKind.CORRECTION, f"更正：{reason}", actor=actor, at=at
        )
        ledger.write_entries([correction], actor=actor, at=at)
    return correction


def file_appeal(entry: LedgerEntry, *, reason: str, actor: str, at: datetime) -> Appeal:
    """申诉 on one entry; one pending appeal per entry at a time."""
    what = f"对第 {entry.pk} 条积分记录的申诉"
    _check(bool(reason.strip()), what, "reason", "须写明申诉理由")
    _check(entry.kind == EntryKind.AWARD, what, "entry", "只能对计分记录申诉")
    _check(
        not entry.appeals.filter(status=AppealStatus.PENDING).exists(),
        what,
        "entry",
        "已有待处理的申诉",
    )
    return _save(Appeal(entry=entry, reason=reason, filed_by=actor, filed_at=at), actor, at)


def decide_appeal(
    appeal: Appeal, *, upheld: bool, decision: str, by: AbstractBaseUser, at: datetime
) -> Appeal:
    """The legal department over the person's unit decides; an upheld appeal corrects the
    entry (a reversing entry), a rejected one leaves the ledger as it is."""
    what = f"第 {appeal.pk} 号申诉"
    entry = appeal.entry
    above = UnitClosure.objects.filter(descendant_id=entry.person.unit_id).values("ancestor_id")
    if not Grant.objects.filter(user=by, role=Role.LEGAL_DEPARTMENT, unit__in=above).exists():
        raise PermissionDenied("只有该人员所在单位的法制部门可以处理申诉。")
    _check(bool(decision.strip()), what, "decision", "须写明处理意见")
    actor = by.get_username()
    status = AppealStatus.UPHELD if upheld else AppealStatus.REJECTED
    with transaction.atomic():
        before = model_to_dict(appeal)
        changed = Appeal.objects.filter(pk=appeal.pk, status=AppealStatus.PENDING).update(
            status=status, decision=decision, decided_by=actor, decided_at=at
        )
        _check(changed == 1, what, "status", "已处理过")
        appeal.refresh_from_db()
        _audit(actor, AuditAction.UPDATE, appeal, at, before=before, after=model_to_dict(appeal))
        if upheld:
            correct_entry(
                entry, reason=f"申诉成立（第 {appeal.pk} 号）：{decision}", actor=actor, at=at
            )
    return appeal
