"""Recomputing a scheme for a period from the store: entries with reasons and sources, only
what changed is posted, and every score is the sum of its ledger entries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from fazhi.apps.assessment import services
from fazhi.apps.assessment.models import EntryKind, LedgerEntry, RankingRow, RankingSnapshot
from fazhi.apps.audit.chain import verify_chain
from fazhi.apps.audit.models import AuditEntry
from fazhi.cli import main
from fazhi.core.scoring import InspectionMethod, Severity

from .conftest import AT

pytestmark = pytest.mark.django_db


def score(person: str, scheme: str, period: str) -> D:
    rows = LedgerEntry.objects.filter(person_id=person, scheme=scheme, period=period)
    return rows.aggregate(s=Sum("points"))["s"] or D(0)


def latest_ranks(scheme: str, period: str) -> dict[str, tuple[D, int, int | None]]:
    """The rows of the newest snapshot of each group."""
    newest: dict[str, int] = {}
    for snapshot in RankingSnapshot.objects.filter(scheme=scheme, period=period).order_by("pk"):
        newest[snapshot.group] = snapshot.pk
    rows = RankingRow.objects.filter(snapshot__in=newest.values())
    return {r.person_id: (r.score, r.rank, r.movement) for r in rows}


def test_case_points_come_from_stored_cases_and_patrol_warnings(world):
    outcome = services.recompute("case_handling", "2026-03", actor="tester", at=AT)
    assert (outcome.version, outcome.posted, outcome.reversed) == ("2026", 7, 0)
    # P1: 主办刑事 2 × 1.5 + 19 日办结 0.5, 协办行政 1, and the patrol's LA-01 warning on A1
    # (no filing decision within 3 days, 中风险) -1; P2: 协办刑事 1.5, 主办行政 2 + 0.5
    assert score("P1", "case_handling", "2026-03") == D("3.5")
    assert score("P2", "case_handling", "2026-03") == D("4")
    entry = LedgerEntry.objects.get(person_id="P1", key="Q1:case:A1:lead")
    assert (entry.points, entry.sources, entry.scheme_version) == (D(3), ["case:A1"], "2026")
    assert entry.reason == "主办案件 A1（刑事案件）2026-03-20 办结：+3"
    warning = LedgerEntry.objects.get(person_id="P1", item="K1")
    assert warning.reason == "案件 A1 预警（LA-01 超期未办，中风险）2026-03-04：-1"
    assert warning.sources[0].startswith("warning:")
    ranks = latest_ranks("case_handling", "2026-03")
    assert ranks["P2"] == (D(4), 1, None)
    assert ranks["P1"] == (D("3.5"), 2, None)
    assert ranks["C1"][1] == 3
    assert ranks["M1"][1] == ranks["M2"][1] == 1  # 中层干部 ranked apart, both on 0


def test_a_second_recompute_with_the_same_facts_posts_nothing(world):
    services.recompute("case_handling", "2026-03", actor="tester", at=AT)
    again = services.recompute("case_handling", "2026-03", actor="tester", at=AT)
    assert (again.posted, again.reversed) == (0, 0)
    assert LedgerEntry.objects.count() == 7


def test_a_changed_fact_reverses_the_old_entry_and_posts_the_new_one(world, person):
    services.set_case_quota(person=person("M1"), year=2026, cases=8, actor="tester", at=AT)
    services.recompute("middle_manager_duty", "2026-Q1", actor="tester", at=AT)
    # 8 a year → 2 due in Q1, none closed: -1 each
    assert score("M1", "middle_manager_duty", "2026-Q1") == D(98)
    services.set_case_quota(person=person("M1"), year=2026, cases=4, actor="tester", at=AT)
    outcome = services.recompute("middle_manager_duty", "2026-Q1", actor="tester", at=AT)
    assert (outcome.posted, outcome.reversed) == (1, 1)
    assert score("M1", "middle_manager_duty", "2026-Q1") == D(99)
    reversal = LedgerEntry.objects.get(kind=EntryKind.REVERSAL)
    assert reversal.points == D(2) and reversal.reverses.points == D(-2)
    assert reversal.reason.startswith("重算：计分依据已变化（冲销第")


def test_inspections_rectification_and_recovery_reach_the_ledger(world, person):
    inspection = services.record_inspection(
        person=person("M1"),
        scheme="middle_manager_duty",
        item="S1",
        method=InspectionMethod.VIDEO,
        day=date(2026, 2, 1),
        inspector=person("I9"),
        severity=Severity.SERIOUS,
        finding="办案区未落实安全检查",
        evidence="视频截图 3 张",
        actor="tester",
        at=AT,
    )
    services.record_duty_shift(
        person=person("M1"), day=date(2026, 1, 5), hall_hours=D(6), actor="tester", at=AT
    )
    services.recompute("middle_manager_duty", "2026-Q1", actor="tester", at=AT)
    assert score("M1", "middle_manager_duty", "2026-Q1") == D(94)
    services.verify_rectification(
        inspection, verified_on=date(2026, 2, 20), verified_by=person("I9"), actor="tester", at=AT
    )
    outcome = services.recompute("middle_manager_duty", "2026-Q1", actor="tester", at=AT)
    assert (outcome.posted, outcome.reversed) == (1, 0)
    recovery = LedgerEntry.objects.get(key=f"S1:inspection:{inspection.pk}:recovery")
    assert recovery.points == D(2) and "回血 50%" in recovery.reason
    assert score("M1", "middle_manager_duty", "2026-Q1") == D(96)


def test_movement_is_measured_against_the_previous_period(world, person):
    services.record_exam(
        name="法律知识考试",
        day=date(2026, 5, 10),
        scores={person("P1"): D(95), person("P2"): D(70)},
        actor="tester",
        at=AT,
    )
    services.record_exam(
        name="法律知识考试",
        day=date(2026, 8, 10),
        scores={person("P1"): D(50), person("P2"): D(92)},
        actor="tester",
        at=AT,
    )
    services.recompute("law_study", "2026-Q2", actor="tester", at=AT)
    services.recompute("law_study", "2026-Q3", actor="tester", at=AT)
    q3 = latest_ranks("law_study", "2026-Q3")
    assert q3["P2"] == (D(5), 1, 1)
    assert q3["P1"] == (D(-2), 3, -2)


def test_every_change_is_on_an_intact_audit_chain(world, person):
    services.record_duty_shift(
        person=person("M1"), day=date(2026, 1, 5), hall_hours=D(6), actor="tester", at=AT
    )
    services.recompute("middle_manager_duty", "2026-Q1", actor="tester", at=AT)
    entries = LedgerEntry.objects.count()
    audited = AuditEntry.objects.filter(object_type="ledger_entry", actor="tester").count()
    assert entries == audited == 3  # base for M1 and M2, the short shift
    assert AuditEntry.objects.filter(object_type="dutyshift").count() == 1
    assert AuditEntry.objects.filter(object_type="rankingsnapshot").count() == 1
    assert verify_chain()[1] is None


@pytest.mark.parametrize(
    ("scheme", "period", "message"),
    [
        ("nope", "2026-Q1", "考核方案 'nope' 不存在"),
        ("community_tasks", "2026-Q1", "考核方案 community_tasks 不按季度考核（可用：月）"),
        ("case_handling", "2025-12", "考核方案 case_handling 在 2025-12-01 没有生效的版本"),
        ("case_handling", "2026-13", "月份 13 无效"),
    ],
)
def test_unknown_schemes_and_periods_are_refused_in_chinese(world, scheme, period, message):
    with pytest.raises(ValidationError) as error:
        services.recompute(scheme, period, actor="tester", at=AT)
    assert message in error.value.messages[0]
    assert not RankingSnapshot.objects.exists()


def test_a_recompute_costs_the_same_queries_for_ten_people_as_for_three(world, write_jsonl, capsys):
    with CaptureQueriesContext(connection) as few:
        services.recompute("case_handling", "2026-03", actor="tester", at=AT)
    more = []
    for n in range(7):
        more.append(
            {
                "type": "person",
                "id": f"Q{n}",
                "name": f"新{n}",
                "unit": "U3",
                "roles": ["officer"],
                "sequence": "station_officer",
            }
        )
        more.append(
            {
                "type": "case",
                "id": f"N{n}",
                "kind": "administrative",
                "unit": "U3",
                "opened_at": "2026-03-05T09:00:00+08:00",
                "handlers": [{"person": f"Q{n}", "role": "lead"}],
            }
        )
        more.append(
            {
                "type": "event",
                "id": f"NE{n}",
                "case": f"N{n}",
                "kind": "closed",
                "at": "2026-03-09T09:00:00+08:00",
                "officers": [f"Q{n}"],
                "attrs": {"reason": "decided"},
            }
        )
    assert main(["import", str(write_jsonl(more, "more.jsonl")), "--format", "json"]) == 0
    capsys.readouterr()
    with CaptureQueriesContext(connection) as many:
        outcome = services.recompute("case_handling", "2026-Q1", actor="tester", at=AT)
    assert outcome.posted > 20
    assert len(many) == len(few)


def test_a_scheme_for_one_unit_subtree_assesses_only_the_people_in_it(world):
    from dataclasses import replace

    from fazhi.apps.assessment.schemes import scheme_for
    from fazhi.apps.assessment.store import people
    from fazhi.core.scoring import parse_period
    from fazhi.core.scoring.model import Population

    shipped = scheme_for("case_handling", parse_period("2026-03"))
    only_u3 = replace(shipped, population=Population(units=("U3",)))
    assert [p.id for p in people(only_u3)] == ["M2"]
    whole = replace(shipped, population=Population(units=("U1",), roles=("deputy_head",)))
    assert [(p.id, p.unit_path) for p in people(whole)] == [("M1", ("U2", "U1"))]


def test_someone_who_leaves_the_population_has_their_entries_reversed(
    world, person, write_jsonl, capsys
):
    services.record_duty_shift(
        person=person("M1"), day=date(2026, 1, 5), hall_hours=D(6), actor="tester", at=AT
    )
    services.recompute("middle_manager_duty", "2026-Q1", actor="tester", at=AT)
    assert score("M1", "middle_manager_duty", "2026-Q1") == D(98)
    moved = {
        "type": "person",
        "id": "M1",
        "name": "嵇某",
        "unit": "U2",
        "roles": ["officer"],
        "sequence": "station_officer",
    }
    assert main(["import", str(write_jsonl([moved], "moved.jsonl")), "--format", "json"]) == 0
    capsys.readouterr()
    outcome = services.recompute("middle_manager_duty", "2026-Q1", actor="tester", at=AT)
    assert (outcome.posted, outcome.reversed) == (0, 2)
    assert score("M1", "middle_manager_duty", "2026-Q1") == D(0)
    assert "M1" not in latest_ranks("middle_manager_duty", "2026-Q1")
