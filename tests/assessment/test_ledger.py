"""The ledger is append-only in the database; corrections and appeals are reversing entries;
for every ranking, each person's score is the sum of their entries."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Sum

from fazhi.apps.accounts.models import Role
from fazhi.apps.assessment import services
from fazhi.apps.assessment.models import (
    AppealStatus,
    EntryKind,
    LedgerEntry,
    RankingRow,
    RankingSnapshot,
)
from fazhi.apps.audit.models import AuditEntry
from fazhi.core.scoring import InspectionMethod, Severity

from .conftest import AT

pytestmark = pytest.mark.django_db


def short_shift(person, day=date(2026, 1, 5)) -> LedgerEntry:
    services.record_duty_shift(person=person, day=day, hall_hours=D(5), actor="tester", at=AT)
    services.recompute("middle_manager_duty", "2026-Q1", actor="tester", at=AT)
    return LedgerEntry.objects.get(person=person, item="D1")


def total(person: str) -> D:
    rows = LedgerEntry.objects.filter(person_id=person, scheme="middle_manager_duty")
    return rows.filter(period="2026-Q1").aggregate(s=Sum("points"))["s"]


@pytest.mark.parametrize("change", ["update", "delete"])
def test_the_database_refuses_to_change_or_remove_an_entry(world, person, change):
    entry = short_shift(person("M1"))
    rows = LedgerEntry.objects.filter(pk=entry.pk)
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        rows.update(points=D(0)) if change == "update" else rows.delete()
    assert "积分台账只能追加" in str(error.value)
    assert LedgerEntry.objects.get(pk=entry.pk).points == D(-2)


def test_a_correction_reverses_the_entry_and_recompute_does_not_bring_it_back(world, person):
    entry = short_shift(person("M1"))
    correction = services.correct_entry(
        entry, reason="当日系统故障，坐堂记录缺失", actor="法制", at=AT
    )
    assert (correction.kind, correction.points, correction.reverses_id) == (
        EntryKind.CORRECTION,
        D(2),
        entry.pk,
    )
    assert total("M1") == D(100)
    again = services.recompute("middle_manager_duty", "2026-Q1", actor="tester", at=AT)
    assert (again.posted, again.reversed) == (0, 0) and total("M1") == D(100)
    with pytest.raises(ValidationError) as error:
        services.correct_entry(entry, reason="再次更正", actor="法制", at=AT)
    assert f"第 {entry.pk} 条积分记录 reverses：已被冲销" in error.value.messages


def test_an_upheld_appeal_decided_by_the_legal_department_corrects_the_entry(
    world, person, make_user
):
    entry = short_shift(person("M1"))
    appeal = services.file_appeal(
        entry, reason="当日在指挥室坐堂 8 小时，有视频为证", actor="M1", at=AT
    )
    with pytest.raises(ValidationError) as error:
        services.file_appeal(entry, reason="重复申诉", actor="M1", at=AT)
    assert "已有待处理的申诉" in error.value.messages[0]
    legal = make_user("fazhi", Role.LEGAL_DEPARTMENT, "U1")
    services.decide_appeal(
        appeal, upheld=True, decision="经调取视频核实，申诉成立", by=legal, at=AT
    )
    appeal.refresh_from_db()
    assert (appeal.status, appeal.decided_by) == (AppealStatus.UPHELD, "fazhi")
    correction = LedgerEntry.objects.get(reverses=entry)
    assert correction.reason.startswith(f"更正：申诉成立（第 {appeal.pk} 号）")
    assert total("M1") == D(100)
    assert AuditEntry.objects.filter(object_type="appeal", action="update").count() == 1
    with pytest.raises(ValidationError):
        services.decide_appeal(appeal, upheld=False, decision="再议", by=legal, at=AT)


def test_a_rejected_appeal_leaves_the_score(world, person, make_user):
    entry = short_shift(person("M1"))
    appeal = services.file_appeal(entry, reason="不服", actor="M1", at=AT)
    legal = make_user("fazhi", Role.LEGAL_DEPARTMENT, "U1")
    services.decide_appeal(appeal, upheld=False, decision="记录属实", by=legal, at=AT)
    assert total("M1") == D(98)
    assert not LedgerEntry.objects.filter(reverses=entry).exists()


@pytest.mark.parametrize(("role", "unit"), [(Role.LEGAL_DEPARTMENT, "U3"), (Role.UNIT_HEAD, "U1")])
def test_only_the_legal_department_over_the_person_decides(world, person, make_user, role, unit):
    entry = short_shift(person("M1"))
    appeal = services.file_appeal(entry, reason="不服", actor="M1", at=AT)
    outsider = make_user("outsider", role, unit)
    with pytest.raises(PermissionDenied):
        services.decide_appeal(appeal, upheld=True, decision="成立", by=outsider, at=AT)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING and total("M1") == D(98)


def test_for_every_ranking_each_score_is_the_sum_of_the_ledger(world, person):
    """Inputs of every kind, every scheme recomputed, then a correction and a re-run."""
    m1, m2, c1, t1, i9 = (person(p) for p in ("M1", "M2", "C1", "T1", "I9"))
    short_shift(m1)
    services.record_inspection(
        person=m2,
        scheme="middle_manager_duty",
        item="R1",
        method=InspectionMethod.PHONE,
        day=date(2026, 3, 2),
        inspector=i9,
        severity=Severity.GENERAL,
        finding="未及时确定主办人",
        actor="tester",
        at=AT,
    )
    services.set_task_list(
        person=c1,
        month=date(2026, 3, 1),
        grid=None,
        tasks=[("走访重点人员", date(2026, 3, 31)), ("矛盾纠纷排查", date(2026, 3, 15))],
        actor="tester",
        at=AT,
    )
    services.record_patrol_log(
        person=t1,
        vehicle="浙B-J001",
        day=date(2026, 3, 2),
        start=time(8, 0),
        end=time(12, 0),
        km=D(60),
        actor="tester",
        at=AT,
    )
    services.record_study(
        person=m1, day=date(2026, 3, 3), hours=D(4), topic="刑诉法", actor="tester", at=AT
    )
    checked = 0
    for scheme, period in [
        ("case_handling", "2026-03"),
        ("case_handling", "2026-03-20"),
        ("case_handling", "2026"),
        ("law_study", "2026-Q1"),
        ("middle_manager_duty", "2026-Q1"),
        ("middle_manager_duty", "2026"),
        ("community_tasks", "2026-03"),
        ("traffic_patrol", "2026-03"),
    ]:
        services.recompute(scheme, period, actor="tester", at=AT)
        checked += assert_ranking_is_the_ledger_sum(scheme, period)
    services.correct_entry(
        LedgerEntry.objects.get(person=m2, item="R1", period="2026-Q1"),
        reason="误录",
        actor="tester",
        at=AT,
    )
    services.recompute("middle_manager_duty", "2026-Q1", actor="tester", at=AT)
    checked += assert_ranking_is_the_ledger_sum("middle_manager_duty", "2026-Q1")
    assert checked == 7 * 3 + 7 + 2 * 3 + 1 + 1  # rows: case_handling ×3, law_study, duty ×3, …
    scores = {
        (r.snapshot.scheme, r.person_id): r.score
        for r in RankingRow.objects.filter(snapshot__in=latest_snapshots())
        if r.snapshot.period in ("2026-03", "2026-Q1")
    }
    assert scores["community_tasks", "C1"] == D(96)
    assert scores["traffic_patrol", "T1"] == D("96.5")  # under 100 km that week -3; no 14:00 -0.5
    assert scores["law_study", "M1"] == D(2)
    assert scores["middle_manager_duty", "M2"] == D(100)  # the correction restored it


def latest_snapshots() -> list[RankingSnapshot]:
    latest: dict[tuple[str, str, str], RankingSnapshot] = {}
    for snapshot in RankingSnapshot.objects.order_by("pk"):
        latest[snapshot.scheme, snapshot.period, snapshot.group] = snapshot
    return list(latest.values())


def assert_ranking_is_the_ledger_sum(scheme: str, period: str) -> int:
    """Every row of the ranking just taken equals the sum of that person's entries."""
    rows = RankingRow.objects.filter(
        snapshot__in=[s for s in latest_snapshots() if (s.scheme, s.period) == (scheme, period)]
    )
    for row in rows:
        entries = LedgerEntry.objects.filter(person=row.person_id, scheme=scheme, period=period)
        assert row.score == (entries.aggregate(s=Sum("points"))["s"] or D(0)), (scheme, period)
    return len(rows)
