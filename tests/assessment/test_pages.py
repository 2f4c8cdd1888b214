"""The 考评 pages as anonymous, outsider (the sibling station 乙派出所), insider and the legal
department: reads are scoped (404 out of scope), writes need CSRF and the right role and go
through the services (audited), errors come back in Chinese, the export is a real .xlsx."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from fazhi.apps.accounts.models import Role
from fazhi.apps.accounts.services import link_person
from fazhi.apps.assessment import services
from fazhi.apps.assessment.models import Appeal, AppealStatus, EntryKind, Inspection, LedgerEntry
from fazhi.apps.assessment.schemes import schemes_dir
from fazhi.apps.audit.models import AuditEntry
from fazhi.apps.org.models import Person

from .conftest import AT

pytestmark = pytest.mark.django_db

RANKING = "/assessment/?scheme=case_handling&period=2026-03"


@pytest.fixture
def scored(world, person):
    """case_handling for March and middle_manager_duty for Q1, M1 short of hall hours once."""
    services.record_duty_shift(
        person=person("M1"), day=date(2026, 1, 5), hall_hours=D(5), actor="tester", at=AT
    )
    services.recompute("case_handling", "2026-03", actor="tester", at=AT)
    services.recompute("middle_manager_duty", "2026-Q1", actor="tester", at=AT)


@pytest.fixture
def users(scored, make_user, person):
    made = {
        "legal": make_user("legal", Role.LEGAL_DEPARTMENT, "U1"),
        "head": make_user("head", Role.UNIT_HEAD, "U2"),
        "outsider": make_user("outsider", Role.UNIT_HEAD, "U3"),
        "p1": make_user("p1", Role.OFFICER, "U2"),
        "m1": make_user("m1", Role.OFFICER, "U2"),
        "auditor": make_user("auditor", Role.AUDITOR, "U1"),
    }
    link_person(made["p1"], person("P1"), by=None, at=AT)
    link_person(made["m1"], person("M1"), by=None, at=AT)
    return made


def signed_in(user, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def short_shift_entry() -> LedgerEntry:
    return LedgerEntry.objects.get(person_id="M1", item="D1")


def read_urls() -> list[str]:
    return [
        RANKING,
        "/assessment/export/?scheme=case_handling&period=2026-03",
        "/assessment/people/P1/",
        "/assessment/schemes/",
        "/assessment/schemes/case_handling/2026/",
        "/assessment/inspections/",
        "/assessment/appeals/",
        "/assessment/whatif/",
    ]


# --- who may read -----------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in_from_every_page_and_action(users, client):
    for url in read_urls():
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/"), url
    entry = short_shift_entry()
    response = client.post(f"/assessment/entries/{entry.pk}/appeal/", {"reason": "不服"})
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert not Appeal.objects.exists()


def test_an_administrator_without_a_business_role_is_refused(users):
    client = signed_in(users["auditor"])
    for url in [RANKING, "/assessment/schemes/", "/assessment/appeals/", "/assessment/whatif/"]:
        assert client.get(url).status_code == 403, url


def test_the_outsider_gets_404_on_another_stations_file_and_never_sees_its_people_ranked(users):
    client = signed_in(users["outsider"])
    assert client.get("/assessment/people/P1/").status_code == 404
    body = text(client.get(RANKING))
    assert "王某" not in body and "李某" not in body
    entry = short_shift_entry()
    assert (
        client.post(f"/assessment/entries/{entry.pk}/appeal/", {"reason": "x"}).status_code == 404
    )
    appeal = services.file_appeal(entry, reason="当日坐堂 8 小时", actor="m1", at=AT)
    response = client.post(
        f"/assessment/appeals/{appeal.pk}/decide/", {"upheld": "yes", "decision": "成立"}
    )
    assert response.status_code == 404
    assert "当日坐堂 8 小时" not in text(client.get("/assessment/appeals/"))
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.PENDING


def test_the_insider_reads_the_ranking_with_movement_and_links_to_each_file(users):
    body = text(signed_in(users["head"]).get(RANKING))
    assert "成绩单：执法办案积分 2026-03" in body
    rows = re.findall(
        r'<tr><td class="num">(\d+)</td><td><a href="/assessment/people/(\w+)/\?period=2026-03">',
        body,
    )
    # 派出所民警 P2 4, P1 3.5, C1 0; the 中层干部 M1 ranked apart
    assert rows == [("1", "M1"), ("1", "P2"), ("2", "P1"), ("3", "C1")]
    assert '<td class="num">3.50</td><td>新</td>' in body  # first period: everyone is new
    assert "孙某" not in body  # 交警大队 is not in the head's subtree


def test_filters_narrow_by_sequence_and_unit_and_a_bad_period_is_explained(users):
    client = signed_in(users["legal"])
    by_sequence = text(client.get(RANKING + "&sequence=traffic_officer"))
    assert "孙某" in by_sequence and "王某" not in by_sequence
    by_unit = text(client.get(RANKING + "&unit=U5"))
    assert "孙某" in by_unit and "王某" not in by_unit
    bad = text(client.get("/assessment/?scheme=case_handling&period=2026-13"))
    assert "考核期间：期间 &#x27;2026-13&#x27; 的月份 13 无效（应为 01–12）" in bad
    not_by_month = text(client.get("/assessment/?scheme=middle_manager_duty&period=2026-03"))
    assert "考核方案 middle_manager_duty 不按月考核（可用：季度、年度）" in not_by_month


def test_movement_since_the_last_period_is_shown(users, person):
    services.recompute("case_handling", "2026-04", actor="tester", at=AT)
    body = text(signed_in(users["head"]).get("/assessment/?scheme=case_handling&period=2026-04"))
    # April: nobody scores, all station officers share rank 1: P1 up 1, C1 up 2, P2 level
    assert re.search(r"王某</a>.*?<td>↑1</td>", body, re.S)
    assert re.search(r"马某</a>.*?<td>↑2</td>", body, re.S)
    assert re.search(r"李某</a>.*?<td>—</td>", body, re.S)


def test_the_export_is_an_xlsx_of_the_filtered_ranking_and_is_audited(users):
    response = signed_in(users["head"]).get(
        "/assessment/export/?scheme=case_handling&period=2026-03&sequence=station_officer"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "执法办案积分（版本 2026）2026-03 成绩单"
    assert rows[1] == ("名次", "人员编号", "姓名", "单位", "排名范围", "得分", "名次变化")
    assert [r[:3] for r in rows[2:]] == [(1, "P2", "李某"), (2, "P1", "王某"), (3, "C1", "马某")]
    assert rows[3][5] == 3.5 and rows[3][3] == "甲派出所"
    assert AuditEntry.objects.filter(action="export", object_type="ranking", actor="head").exists()


def test_the_legal_department_over_everyone_scores_a_period_from_the_page(users):
    url = "/assessment/?scheme=case_handling&period=2026-04"
    head = signed_in(users["head"])
    assert "该期尚未计分" in text(head.get(url)) and "按现行方案计分" not in text(head.get(url))
    form = {"scheme": "case_handling", "period": "2026-04"}
    assert head.post("/assessment/recompute/", form).status_code == 403
    legal = signed_in(users["legal"])
    assert "按现行方案计分" in text(legal.get(url))
    done = text(legal.post("/assessment/recompute/", form, follow=True))
    assert "执法办案积分 2026-04 已计分：新增 0 条，冲销 0 条。" in done
    assert "该期尚未计分" not in done  # the snapshots of every group were taken
    wrong = text(legal.post("/assessment/recompute/", {**form, "period": "2026-4"}, follow=True))
    assert "期间 &#x27;2026-4&#x27; 格式无效" in wrong


# --- 执法档案 ----------------------------------------------------------------------------------


def test_the_file_shows_cases_ledger_with_sources_warnings_and_rank_history(users):
    body = text(signed_in(users["head"]).get("/assessment/people/P1/?period=2026-03"))
    assert "执法档案：王某" in body
    assert "共 4 条。执法办案积分 <strong>3.50</strong> 分" in body
    assert re.findall(r"<td>(主办|协办)</td>", body) == ["协办", "主办"]  # X1 (03-02), A1 (03-01)
    assert "主办案件 A1（刑事案件）2026-03-20 办结：+3" in body
    assert '<a href="/cases/A1/">案件 A1</a>' in body
    assert re.search(r'<a href="/warnings/\d+/">预警 \d+</a>', body)  # the K1 entry's source
    assert "LA-01" in body  # the warning itself
    assert re.search(r"<td>执法办案积分</td><td>2026-03</td><td class=\"num\">3.50</td>", body)
    assert "@media print" in body and "window.print()" in body
    assert '<form class="appeal"' not in body  # only the person appeals their own points


def test_an_officer_reads_their_own_file_but_no_one_elses(users):
    client = signed_in(users["p1"])
    assert client.get("/assessment/").url == "/assessment/people/P1/"  # 考评 in the navigation
    assert client.get("/assessment/export/?period=2026-03").status_code == 403
    assert "执法档案：王某" in text(client.get("/assessment/people/P1/?period=2026-03"))
    assert client.get("/assessment/people/P2/").status_code == 404


# --- appeals -----------------------------------------------------------------------------------


def test_the_person_appeals_and_the_legal_department_upholds_through_the_services(users):
    entry = short_shift_entry()
    own = signed_in(users["m1"])
    page = text(own.get("/assessment/people/M1/?period=2026-Q1"))
    assert f'action="/assessment/entries/{entry.pk}/appeal/"' in page
    own.post(f"/assessment/entries/{entry.pk}/appeal/", {"reason": "当日在指挥室坐堂 8 小时"})
    appeal = Appeal.objects.get(entry=entry)
    assert (appeal.filed_by, appeal.status) == ("m1", AppealStatus.PENDING)
    again = own.post(f"/assessment/entries/{entry.pk}/appeal/", {"reason": "再次申诉"}, follow=True)
    assert "已有待处理的申诉" in text(again)
    legal = signed_in(users["legal"])
    listing = text(legal.get("/assessment/appeals/"))
    assert "当日在指挥室坐堂 8 小时" in listing and "提交处理" in listing
    done = legal.post(
        f"/assessment/appeals/{appeal.pk}/decide/",
        {"upheld": "yes", "decision": "视频核实属实"},
        follow=True,
    )
    assert f"第 {appeal.pk} 号申诉已处理：申诉成立。" in text(done)
    correction = LedgerEntry.objects.get(reverses=entry)
    assert (correction.kind, correction.points) == (EntryKind.CORRECTION, D(2))
    assert AuditEntry.objects.filter(object_type="appeal", actor="legal").exists()


def test_only_the_person_files_and_only_the_legal_department_decides(users):
    entry = short_shift_entry()
    head = signed_in(users["head"])
    assert (
        head.post(f"/assessment/entries/{entry.pk}/appeal/", {"reason": "代为申诉"}).status_code
        == 403
    )
    appeal = services.file_appeal(entry, reason="当日坐堂 8 小时", actor="m1", at=AT)
    assert "提交处理" not in text(head.get("/assessment/appeals/"))
    response = head.post(
        f"/assessment/appeals/{appeal.pk}/decide/", {"upheld": "yes", "decision": "成立"}
    )
    assert response.status_code == 403
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.PENDING


def test_a_decision_without_words_is_refused_in_chinese(users):
    appeal = services.file_appeal(short_shift_entry(), reason="不服", actor="m1", at=AT)
    response = signed_in(users["legal"]).post(
        f"/assessment/appeals/{appeal.pk}/decide/", {"upheld": "no", "decision": ""}, follow=True
    )
    assert f"第 {appeal.pk} 号申诉 decision：须选择处理结果并写明处理意见" in text(response)
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.PENDING


# --- CSRF --------------------------------------------------------------------------------------


def test_writes_without_the_csrf_token_are_refused(users):
    entry = short_shift_entry()
    own = signed_in(users["m1"], csrf=True)
    assert own.post(f"/assessment/entries/{entry.pk}/appeal/", {"reason": "x"}).status_code == 403
    legal = signed_in(users["legal"], csrf=True)
    assert legal.post("/assessment/inspections/", inspection_form()).status_code == 403
    recompute = {"scheme": "case_handling", "period": "2026-04"}
    assert legal.post("/assessment/recompute/", recompute).status_code == 403
    assert not Appeal.objects.exists() and not Inspection.objects.exists()
    assert not LedgerEntry.objects.filter(period="2026-04").exists()


# --- inspections -------------------------------------------------------------------------------


def inspection_form(**changes: str) -> dict[str, str]:
    return {
        "person": "M1",
        "item": "middle_manager_duty:D2",
        "method": "video",
        "day": "2026-02-10",
        "severity": "general",
        "finding": "值班期间未及时调度警情",
        "evidence": "视频督察截图 3 张",
        "inspector": "I9",
        **changes,
    }


def test_the_legal_department_records_an_inspection_that_is_audited_and_scored(users):
    response = signed_in(users["legal"]).post(
        "/assessment/inspections/", inspection_form(), follow=True
    )
    inspection = Inspection.objects.get()
    assert f"已录入对 嵇某 的评查（第 {inspection.pk} 号）" in text(response)
    assert (inspection.method, inspection.severity, inspection.inspector_id) == (
        "video",
        "general",
        "I9",
    )
    assert AuditEntry.objects.filter(
        object_type="inspection", object_id=str(inspection.pk), actor="legal"
    ).exists()
    services.recompute("middle_manager_duty", "2026-Q1", actor="tester", at=AT)
    assert LedgerEntry.objects.get(person_id="M1", item="D2").points == D(-2)


def test_inspection_errors_name_the_field_and_reason_in_chinese(users):
    client = signed_in(users["legal"])
    body = text(client.post("/assessment/inspections/", inspection_form(finding="")))
    assert "对 嵇某（M1）2026-02-10 的评查 finding：有扣分情节时须写明发现的问题" in body
    body = text(client.post("/assessment/inspections/", inspection_form(inspector="M1")))
    assert "评查人不能评查自己" in body
    body = text(client.post("/assessment/inspections/", inspection_form(person="ZZ")))
    assert "被评查人编号：人员 &#x27;ZZ&#x27; 不存在或不在您的管辖范围内" in body
    body = text(client.post("/assessment/inspections/", inspection_form(item="case_handling:Q1")))
    assert "评查项目：选择一个有效的选项。 case_handling:Q1 不在可用的选项中。" in body  # automatic
    body = text(client.post("/assessment/inspections/", inspection_form(day="2026-02-30")))
    assert "评查日期：输入一个有效的日期。" in body
    assert not Inspection.objects.exists()


def test_only_the_legal_department_enters_inspections(users):
    assert signed_in(users["head"]).get("/assessment/inspections/").status_code == 403
    response = signed_in(users["head"]).post("/assessment/inspections/", inspection_form())
    assert response.status_code == 403 and not Inspection.objects.exists()
    form = text(signed_in(users["legal"]).get("/assessment/inspections/"))
    for method in ("电话询问", "网上巡查", "视频督察", "台账抽查"):
        assert method in form


# --- schemes and what-if -----------------------------------------------------------------------


def test_the_schemes_browser_shows_items_caps_deductions_seed_and_examples(users):
    client = signed_in(users["p1"])
    listing = text(client.get("/assessment/schemes/"))
    for name in (
        "执法办案积分",
        "学法积分",
        "中层干部执法履职评查",
        "社区民警任务清单",
        "交警铁骑勤务",
    ):
        assert name in listing
    body = text(client.get("/assessment/schemes/middle_manager_duty/2026/"))
    assert "值班当日高峰时段坐堂不少于 8 小时" in body and "值班坐堂" in body
    assert "000_6a5e4927f54c54ea.txt" in body and "在接处警大厅或指挥室坐堂不少于8小时" in body
    assert "轻微 -1；一般 -2；较重 -4；严重 -8" in body
    assert "30 日内整改到位并经核实，返还扣分的 50%，每期最多 10 分" in body
    assert "<h3>回血每季最多 10 分，总分扣完为止（2026-Q1）</h3>" in body  # an example
    assert client.get("/assessment/schemes/middle_manager_duty/1999/").status_code == 404


def test_the_what_if_page_shows_who_moves_without_writing(users):
    client = signed_in(users["legal"])
    draft = text(client.get("/assessment/whatif/?scheme=case_handling"))
    assert "code: case_handling" in draft
    shipped = re.search(r"<textarea[^>]*>\n?(.*?)</textarea>", draft, re.S).group(1)
    edited = shipped.replace("      lead: 2\n", "      lead: 4\n").replace("&quot;", '"')
    before = LedgerEntry.objects.count()
    body = text(client.post("/assessment/whatif/", {"period": "2026-03", "draft": edited}))
    assert "有变化的人员 <strong>2</strong> 人" in body
    moved = re.findall(
        r'<td class="mono">(\w+)</td><td>[^<]*</td>\s*<td class="num">(\d)</td><td class="num">(\d)</td>',
        body,
    )
    assert moved == [("P1", "2", "1"), ("P2", "1", "2")]
    assert LedgerEntry.objects.count() == before
    broken = text(
        client.post("/assessment/whatif/", {"period": "2026-03", "draft": edited + "bogus: 1\n"})
    )
    assert re.search(r"草稿.yaml:\d+: 考核方案：未知字段 &#x27;bogus&#x27;", broken)


def test_the_navigation_offers_the_assessment_to_unit_roles(users):
    body = text(signed_in(users["head"]).get("/"))
    assert '<a href="/assessment/"' in body and "考评" in body


def test_people_outside_the_org_are_unknown_to_the_file(users):
    assert Person.objects.filter(pk="NOBODY").count() == 0
    assert signed_in(users["legal"]).get("/assessment/people/NOBODY/").status_code == 404


def test_an_uploaded_draft_is_read_as_utf8_text(users):
    client = signed_in(users["legal"])
    draft = (schemes_dir() / "case_handling.yaml").read_text(encoding="utf-8")
    upload = SimpleUploadedFile(
        "执法办案积分-草稿.yaml", draft.replace("lead: 2\n", "lead: 4\n").encode("utf-8")
    )
    body = text(client.post("/assessment/whatif/", {"period": "2026-03", "upload": upload}))
    assert "有变化的人员 <strong>2</strong> 人" in body
    latin = SimpleUploadedFile("draft.yaml", "name: 执法".encode("gb18030"))
    refused = text(client.post("/assessment/whatif/", {"period": "2026-03", "upload": latin}))
    assert "或上传 YAML 文件：文件 draft.yaml 不是 UTF-8 编码的文本" in refused
    empty = text(client.post("/assessment/whatif/", {"period": "2026-03", "draft": " "}))
    assert "方案草稿（YAML）：请填写或上传方案草稿" in empty
