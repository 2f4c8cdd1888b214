"""The demo bureau's assessment inputs: the same seed gives the same files, they import through
the services' checks, and a year of them ranks people with a realistic spread."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from django.db.models import Sum

from fazhi.apps.assessment import services
from fazhi.apps.assessment.imports import import_inputs
from fazhi.apps.assessment.models import DutyShift, Inspection, LedgerEntry, RankingRow
from fazhi.apps.audit.chain import verify_chain
from fazhi.apps.audit.models import AuditEntry
from fazhi.cli import main
from fazhi.demo import generate_bureau
from fazhi.demo.assessment import INPUT_FILES, generate_assessment

from .conftest import AT


@pytest.fixture(scope="module")
def bureau(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bureau")
    generate_bureau(
        root, scale="mini", seed=4, date_from=date(2026, 1, 1), date_to=date(2026, 6, 30)
    )
    return root


def test_the_same_seed_writes_the_same_files_and_another_seed_others(bureau, tmp_path):
    first = generate_assessment(bureau, seed=9, out_dir=tmp_path / "a")
    generate_assessment(bureau, seed=9, out_dir=tmp_path / "b")
    generate_assessment(bureau, seed=10, out_dir=tmp_path / "c")
    for name in INPUT_FILES:
        assert (tmp_path / "a" / f"{name}.jsonl").read_bytes() == (
            tmp_path / "b" / f"{name}.jsonl"
        ).read_bytes()
    assert (tmp_path / "a" / "inspection.jsonl").read_bytes() != (
        tmp_path / "c" / "inspection.jsonl"
    ).read_bytes()
    assert all(first[name] > 0 for name in INPUT_FILES), first


@pytest.mark.django_db
def test_a_half_year_of_inputs_imports_and_ranks_with_spread(bureau, tmp_path, capsys):
    ceif = sorted(p for p in bureau.iterdir() if p.suffix == ".jsonl" and p.stem != "defects")
    assert main(["import", *map(str, ceif), "--format", "json"]) == 0
    capsys.readouterr()
    counts = generate_assessment(bureau, seed=9, out_dir=tmp_path)
    outcome = import_inputs(sorted(tmp_path.glob("*.jsonl")), actor="demo", at=AT)
    assert outcome.problems == []
    assert outcome.created["inspection"] == counts["inspection"] == Inspection.objects.count()
    assert outcome.created["dutyshift"] == counts["duty_shift"] == DutyShift.objects.count()
    assert AuditEntry.objects.filter(object_type="patrollog").count() == counts["patrol_log"]
    for scheme, period in [
        ("middle_manager_duty", "2026-Q1"),
        ("middle_manager_duty", "2026-Q2"),
        ("case_handling", "2026-Q2"),
        ("law_study", "2026-Q2"),
        ("community_tasks", "2026-05"),
        ("traffic_patrol", "2026-Q2"),
    ]:
        services.recompute(scheme, period, actor="demo", at=AT)
        rows = RankingRow.objects.filter(snapshot__scheme=scheme, snapshot__period=period)
        scores = [row.score for row in rows]
        assert len(set(scores)) >= min(3, len(scores)), (scheme, scores)
        for row in rows:
            total = LedgerEntry.objects.filter(
                person=row.person_id, scheme=scheme, period=period
            ).aggregate(s=Sum("points"))["s"]
            assert row.score == (total or 0)
    q2 = RankingRow.objects.filter(
        snapshot__scheme="middle_manager_duty", snapshot__period="2026-Q2"
    )
    assert any(row.movement not in (0, None) for row in q2)
    assert verify_chain()[1] is None


@pytest.mark.django_db
def test_invalid_records_are_named_by_file_line_field_and_reason(world, tmp_path):
    path = tmp_path / "inputs.jsonl"
    lines = [
        {"type": "duty_shift", "person": "M1", "day": "2026-03-02", "hall_hours": 9},
        {"type": "duty_shift", "person": "M1", "day": "2026-03-02", "hall_hours": 7},
        {"type": "duty_shift", "person": "NOBODY", "day": "2026-03-03", "hall_hours": 7},
        {
            "type": "patrol_log",
            "person": "T1",
            "vehicle": "铁骑001号",
            "day": "2026-03-31",
            "start": "14:00",
            "end": "09:00",
            "km": 20,
        },
        {
            "type": "inspection",
            "id": "IN-1",
            "person": "M1",
            "scheme": "middle_manager_duty",
            "item": "D1",
            "method": "video",
            "day": "2026-03-02",
            "severity": "minor",
            "finding": "x",
            "evidence": "",
            "inspector": "I9",
        },
        {"type": "meeting"},
        {"type": "exam", "id": "EX-1", "name": "考试", "day": "2026-03-02", "scores": ["M1"]},
        {"type": "task_list", "person": "C1", "month": "2026-13", "grid": None, "tasks": []},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines), encoding="utf-8")
    outcome = import_inputs([path], actor="tester", at=AT)
    assert outcome.problems == [
        "inputs.jsonl:6: 未知记录类型（可用：inspection、duty_shift、exam、study、task_list、patrol_log、case_quota）",
        "inputs.jsonl:2: duty_shift.day：当日已有值班记录",
        "inputs.jsonl:3: duty_shift.person：人员 'NOBODY' 不存在",
        "inputs.jsonl:4: patrol_log：孙某（T1）2026-03-31 的巡逻记录 end：结束时间应晚于开始时间",
        "inputs.jsonl:5: inspection（id=IN-1）：对 嵇某（M1）2026-03-02 的评查 item：评分项 D1 由系统自动计分，不能人工评查",
        "inputs.jsonl:7: exam（id=EX-1）.scores：每项应为 {person, score}",
        "inputs.jsonl:8: task_list.month：日期 '2026-13-01' 无效（应为 YYYY-MM-DD）",
    ]
    assert outcome.created == {"dutyshift": 1}
    assert DutyShift.objects.get().hall_hours == 9


def test_demo_periods_run_oldest_first_within_the_schemes_in_force():
    from fazhi.apps.assessment.demo import demo_periods
    from fazhi.apps.assessment.schemes import shipped_schemes

    scheme = next(s for s in shipped_schemes() if s.code == "middle_manager_duty")
    periods = [p.text for p in demo_periods(scheme, date(2025, 11, 23), date(2026, 5, 4))]
    assert periods == ["2026-Q1", "2026", "2026-Q2"]
    daily = next(s for s in shipped_schemes() if s.code == "case_handling")
    texts = [p.text for p in demo_periods(daily, date(2026, 1, 1), date(2026, 2, 3))]
    assert texts == ["2026-01", "2026-Q1", "2026", "2026-02", "2026-02-03"]


@pytest.mark.django_db
def test_the_demo_hook_imports_and_scores_every_scheme(bureau, capsys):
    from fazhi.apps.assessment.demo import load_demo_assessment
    from fazhi.apps.assessment.selectors import ranking

    ceif = sorted(p for p in bureau.iterdir() if p.suffix == ".jsonl" and p.stem != "defects")
    assert main(["import", *map(str, ceif), "--format", "json"]) == 0
    lines = load_demo_assessment(
        bureau, seed=1, start=date(2026, 1, 1), end=date(2026, 6, 30), actor="demo", at=AT
    )
    assert lines[0].startswith("考评数据导入完成：inspection ") and lines[0].endswith("拒收 0")
    assert "积分计算完成：" in lines[1]
    for scheme, period in [
        ("case_handling", "2026-06-30"),
        ("law_study", "2026-Q2"),
        ("middle_manager_duty", "2026"),
        ("community_tasks", "2026-06"),
        ("traffic_patrol", "2026-06"),
    ]:
        assert ranking(scheme, period), (scheme, period)


@pytest.mark.django_db
def test_a_year_that_starts_before_the_schemes_imports_without_rejections(tmp_path, capsys):
    """The demo's year begins before the schemes came into force: nobody is inspected under a
    scheme not yet in force, so nothing is refused."""
    generate_bureau(
        tmp_path, scale="mini", seed=2, date_from=date(2025, 11, 1), date_to=date(2026, 2, 28)
    )
    ceif = sorted(p for p in tmp_path.iterdir() if p.suffix == ".jsonl" and p.stem != "defects")
    assert main(["import", *map(str, ceif), "--format", "json"]) == 0
    generate_assessment(tmp_path, seed=3)
    outcome = import_inputs(sorted((tmp_path / "assessment").glob("*.jsonl")), actor="demo", at=AT)
    assert outcome.problems == []
    assert not Inspection.objects.filter(day__lt=date(2026, 1, 1)).exists()
    assert Inspection.objects.filter(day__gte=date(2026, 1, 1)).exists()


@pytest.mark.django_db
def test_importing_the_same_inputs_twice_refuses_what_exists_once_per_day_month_or_year(
    bureau, tmp_path, capsys
):
    ceif = sorted(p for p in bureau.iterdir() if p.suffix == ".jsonl" and p.stem != "defects")
    assert main(["import", *map(str, ceif), "--format", "json"]) == 0
    counts = generate_assessment(bureau, seed=9, out_dir=tmp_path)
    files = [
        tmp_path / "duty_shift.jsonl",
        tmp_path / "case_quota.jsonl",
        tmp_path / "task_list.jsonl",
    ]
    assert import_inputs(files, actor="demo", at=AT).problems == []
    again = import_inputs(files, actor="demo", at=AT)
    assert again.created == {}
    assert len(again.problems) == counts["duty_shift"] + counts["case_quota"] + counts["task_list"]
    assert again.problems[0].endswith("duty_shift.day：当日已有值班记录")
