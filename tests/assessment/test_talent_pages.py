"""法制人才库 on the conftest bureau, year 2026, hand-worked against catalog/talent.yaml:

case_handling 2026 (only March has cases), 派出所民警 ranked together: P2 4 rank 1, P1 3.5 rank 2,
C1 0 rank 3 — of 3, the top 30% is ⌈0.9⌉ = the first.
  P2: 中级资格, exam 90, no warning                         → a candidate of 法制人才库
  P1: 高级资格, exam 95, rank 2 of 3, LA-01 overdue warning → fails case_points and no_fault
The page shows the user's units only (乙派出所's head sees neither), the export is a real .xlsx
with one row per candidate and is on the audit trail.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.test import Client
from openpyxl import load_workbook

from fazhi.apps.accounts.models import Role
from fazhi.apps.assessment import services
from fazhi.apps.assessment.talent import judge_pool
from fazhi.apps.audit.models import AuditEntry
from fazhi.apps.org.models import Person
from fazhi.cli import main

from .conftest import AT, WORLD

pytestmark = pytest.mark.django_db

PAGE = "/assessment/talent/?pool=talent_pool&year=2026"
EXPORT = "/assessment/talent/export/?pool=talent_pool&year=2026"


@pytest.fixture
def qualified(world, person, write_jsonl, capsys):
    levels = {"P1": "advanced", "P2": "intermediate", "C1": "basic"}
    changed = [
        {**r, "qualification": levels[r["id"]]}
        for r in WORLD
        if r["type"] == "person" and r["id"] in levels
    ]
    assert main(["import", str(write_jsonl(changed)), "--format", "json"]) == 0
    capsys.readouterr()
    scores = {person("P1"): D(95), person("P2"): D(90), person("C1"): D(70)}
    services.record_exam(name="法律知识考试", day=date(2026, 6, 1), scores=scores, actor="t", at=AT)
    services.recompute("case_handling", "2026", actor="tester", at=AT)


@pytest.fixture
def users(qualified, make_user):
    return {
        "legal": make_user("legal", Role.LEGAL_DEPARTMENT, "U1"),
        "head": make_user("head", Role.UNIT_HEAD, "U2"),
        "outsider": make_user("outsider", Role.UNIT_HEAD, "U3"),
        "officer": make_user("officer", Role.OFFICER, "U2"),
    }


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_hand_worked_candidates(qualified):
    result = judge_pool("talent_pool", 2026, Person.objects.all())
    assert [c.person.id for c in result.candidates] == ["P2"]
    judged = {c.person.id: c for c in result.judged}
    assert judged["P1"].failed == ("case_points", "no_fault")
    assert [x.detail for x in judged["P1"].checks] == [
        "执法资格高级（要求中级及以上）",
        "积分 3.50，第 2/3 名（要求前 30%，即前 1 名）",
        "考试 1 次平均 95.00 分（要求 ≥ 85）",
        "本人过错预警 1 条（最多 0 条）",
    ]
    assert judged["C1"].failed == ("qualification", "case_points", "law_exam")
    # T1 (交警) and the 中层干部 are ranked in their own sequences: rank 1 of 1 there.
    assert judged["M1"].checks[1].detail.endswith("第 1/2 名（要求前 30%，即前 1 名）")


def test_the_page_lists_the_candidates_with_the_criteria_each_meets(users):
    page = signed_in(users["head"]).get(PAGE).content.decode()
    assert 'data-person="P2"' in page and 'data-person="P1"' not in page
    assert "✓ 积分 4.00，第 1/3 名" in page
    everyone = signed_in(users["head"]).get(PAGE + "&everyone=on").content.decode()
    assert 'data-person="P1"' in everyone and "✗ 本人过错预警 1 条（最多 0 条）" in everyone
    assert "未满足 2 项" in everyone


def test_an_outsider_sees_none_of_the_sibling_units_people(users):
    page = signed_in(users["outsider"]).get(PAGE + "&everyone=on").content.decode()
    assert 'data-person="P2"' not in page and 'data-person="P1"' not in page
    assert 'data-person="M2"' in page


def test_the_pages_are_for_unit_roles_and_anonymous_goes_to_sign_in(users):
    for url in (PAGE, EXPORT):
        assert signed_in(users["officer"]).get(url).status_code == 403
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/login/")


def test_the_export_is_an_xlsx_of_the_candidates_on_the_audit_trail(users):
    before = AuditEntry.objects.filter(action="export", object_type="talent").count()
    response = signed_in(users["legal"]).get(EXPORT)
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == 'attachment; filename="rencaiku-talent_pool-2026.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0].startswith("法制人才库候选人（2026 年")
    assert rows[1][:5] == ["人员编号", "姓名", "单位", "序列", "执法资格中级及以上"]
    assert rows[2:] == [
        [
            "P2",
            "李某",
            "甲派出所",
            "派出所民警",
            "执法资格中级（要求中级及以上）",
            "积分 4.00，第 1/3 名（要求前 30%，即前 1 名）",
            "考试 1 次平均 90.00 分（要求 ≥ 85）",
            "本人过错预警 0 条（最多 0 条）",
        ]
    ]
    after = AuditEntry.objects.filter(action="export", object_type="talent")
    assert after.count() == before + 1
    assert '"rows":1' in after.order_by("-seq").first().after


def test_the_outsiders_export_has_no_row_of_the_sibling_unit(users):
    response = signed_in(users["outsider"]).get(EXPORT)
    sheet = load_workbook(io.BytesIO(response.content)).active
    ids = [r[0] for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert "P2" not in ids and "P1" not in ids


@pytest.mark.parametrize(
    "query, message",
    [
        (
            "pool=talent_pool&year=2025",
            "<p>年度：法制人才库与执法办案能手推荐标准（版本 2026）在 2025 年不是全年有效，"
            "不能据以推荐</p>",
        ),
        ("pool=stars&year=2026", "<p>人才类别：选择一个有效的选项"),
    ],
)
def test_bad_filters_are_refused_in_chinese(users, query, message):
    page = signed_in(users["head"]).get(f"/assessment/talent/?{query}").content.decode()
    assert message in page and 'class="grid list talent"' not in page
    response = signed_in(users["head"]).get(f"/assessment/talent/export/?{query}")
    assert response.status_code == 302 and response.url.startswith("/assessment/talent/?")
