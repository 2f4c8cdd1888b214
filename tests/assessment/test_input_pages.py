"""考评数据 pages: upload with a Chinese validation report, template downloads, and one entry
form per input type, each for the legal department and unit heads, on their own people only.
Every page as anonymous, a refused role, an outsider and an insider; every write audited."""

from __future__ import annotations

import html
import io
import zipfile
from datetime import date

import openpyxl
import pytest
from django.test import Client
from tests import support
from tests.assessment.conftest import AT
from tests.assessment.test_input_tables import write_csv

from fazhi.apps.accounts.models import Role
from fazhi.apps.assessment.input_views import ENTRIES
from fazhi.apps.assessment.models import CaseQuota, DutyShift, ExamScore, PatrolLog, Task
from fazhi.apps.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

ENTRY_PAGES = [f"/assessment/inputs/{kind}/" for kind in ENTRIES]
GETS = ["/assessment/inputs/", "/assessment/inputs/templates/xlsx/", *ENTRY_PAGES]
POSTS = ["/assessment/inputs/", *ENTRY_PAGES]
SHIFT = {"person": "M1", "day": "2026-03-02", "hall_hours": "8"}


@pytest.fixture
def users(world):
    """One user per part; `force_login` signs them in, so no password hash is made."""

    def make(username: str, role: Role, unit: str):
        return support.make_user(username, (role, unit), at=AT, password=None)

    return {
        "head": make("head", Role.UNIT_HEAD, "U2"),
        "outsider": make("outsider", Role.UNIT_HEAD, "U3"),
        "legal": make("legal", Role.LEGAL_DEPARTMENT, "U1"),
        "officer": make("officer", Role.OFFICER, "U2"),
        "legal_officer": make("legal-officer", Role.LEGAL_OFFICER, "U2"),
        "leader": make("leader", Role.BUREAU_LEADER, "U1"),
        "system": make("system", Role.SYSTEM_ADMIN, "U1"),
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text_of(response) -> str:
    """The page's content as read (the header's CSRF token may spell any short id)."""
    page = html.unescape(response.content.decode())
    return page[page.index("<main>") :]


@pytest.mark.parametrize("url", GETS)
def test_anonymous_is_sent_to_sign_in(world, url):
    response = Client().get(url)
    assert response.status_code == 302 and response.url.startswith("/login/?next=")


@pytest.mark.parametrize("url", POSTS)
def test_anonymous_writes_are_sent_to_sign_in_and_change_nothing(world, url):
    before = AuditEntry.objects.count()
    response = Client().post(url, SHIFT)
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert AuditEntry.objects.count() == before and not DutyShift.objects.exists()


@pytest.mark.parametrize("who", ["officer", "legal_officer", "leader", "system"])
def test_other_roles_are_refused_every_page_and_write(users, who):
    client = client_for(users[who])
    before = AuditEntry.objects.count()
    for url in GETS:
        assert client.get(url).status_code == 403, url
    for url in POSTS:
        assert client.post(url, SHIFT).status_code == 403, url
    assert AuditEntry.objects.count() == before and not DutyShift.objects.exists()


@pytest.mark.parametrize("url", GETS)
@pytest.mark.parametrize("who", ["head", "outsider", "legal"])
def test_the_input_roles_open_every_page(users, url, who):
    assert client_for(users[who]).get(url).status_code == 200


def test_an_unknown_input_type_or_template_is_404(users):
    client = client_for(users["head"])
    assert client.get("/assessment/inputs/meeting/").status_code == 404
    assert client.get("/assessment/inputs/templates/pdf/").status_code == 404


def test_an_insider_enters_a_duty_shift_audited_under_their_name(users):
    client = client_for(users["head"])
    response = client.post("/assessment/inputs/duty_shift/", SHIFT, follow=True)
    assert "值班坐堂登记已保存：值班记录 1 条" in text_of(response)
    shift = DutyShift.objects.get()
    assert (shift.person_id, str(shift.hall_hours)) == ("M1", "8.00")
    assert AuditEntry.objects.filter(actor="head", object_type="dutyshift").count() == 1
    again = client.post("/assessment/inputs/duty_shift/", SHIFT)
    assert "网页录入:1: duty_shift.day：当日已有值班记录" in text_of(again)
    assert DutyShift.objects.count() == 1


def test_an_outsider_cannot_enter_inputs_for_people_of_another_unit(users):
    before = AuditEntry.objects.count()
    response = client_for(users["outsider"]).post("/assessment/inputs/duty_shift/", SHIFT)
    assert response.status_code == 200
    assert "人员 'M1' 不存在或不在您的管辖范围内" in text_of(response)
    assert not DutyShift.objects.exists() and AuditEntry.objects.count() == before


def test_each_entry_form_stores_its_input(users):
    client = client_for(users["head"])
    forms = {
        "exam": {"name": "执法考试", "day": "2026-03-10", "person": "P1", "score": "88"},
        "study": {"person": "P1", "day": "2026-03-11", "hours": "2", "topic": "刑法"},
        "patrol_log": {
            "person": "P2",
            "vehicle": "铁骑002号",
            "day": "2026-03-03",
            "start": "07:30",
            "end": "09:00",
            "km": "40",
        },
        "case_quota": {"person": "P1", "year": "2026", "cases": "20"},
        "task_list": {
            "person": "C1",
            "month": "2026-03",
            "grid": "G1",
            "tasks": "入户走访,2026-03-15,2026-03-14\n消防检查，2026-03-31",
        },
    }
    for kind, data in forms.items():
        response = client.post(f"/assessment/inputs/{kind}/", data)
        assert response.status_code == 302, text_of(response)
    assert ExamScore.objects.get().score == 88
    assert PatrolLog.objects.get().km == 40
    assert CaseQuota.objects.get().cases == 20
    assert sorted(Task.objects.values_list("title", "done_on")) == [
        ("入户走访", date(2026, 3, 14)),
        ("消防检查", None),
    ]


def test_a_task_list_with_one_bad_task_stores_nothing(users):
    data = {
        "person": "C1",
        "month": "2026-03",
        "tasks": "入户走访,2026-03-15\n月底总结,2026-04-02\n少了期限",
    }
    response = client_for(users["head"]).post("/assessment/inputs/task_list/", data)
    assert "第 3 行应为“任务名称,完成期限[,完成日期]”" in text_of(response)
    data["tasks"] = "入户走访,2026-03-15\n月底总结,2026-04-02"
    response = client_for(users["head"]).post("/assessment/inputs/task_list/", data)
    assert "网页录入:2: task_list：马某（C1）2026-03 的任务清单 tasks：" in text_of(response)
    assert not Task.objects.exists()


def test_uploading_a_bad_csv_shows_each_refusal_and_stores_the_valid_rows(users, tmp_path):
    path = write_csv(
        tmp_path / "值班坐堂.csv",
        ["person", "day", "hall_hours"],
        [["M1", "2026-03-02", "8"], ["M2", "2026-03-02", "8"], ["P1", "2026-03-40", "8"]],
    )
    with path.open("rb") as fh:
        response = client_for(users["head"]).post("/assessment/inputs/", {"files": fh})
    page = text_of(response)
    assert "新增：值班记录 1 条；拒收 2 条。" in page
    assert "值班坐堂.csv:3: duty_shift.person：人员 'M2' 不存在或不在您的管辖范围内" in page
    assert "值班坐堂.csv:4: duty_shift.day：日期 '2026-03-40' 无效" in page
    assert list(DutyShift.objects.values_list("person_id", flat=True)) == ["M1"]


def test_an_unreadable_upload_stores_nothing(users, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("person\nM1\n", encoding="utf-8")
    with path.open("rb") as fh:
        response = client_for(users["head"]).post("/assessment/inputs/", {"files": fh})
    assert "无法读取 notes.csv：无法从文件名判断数据类型" in text_of(response)
    with (tmp_path / "x.txt").open("w") as fh:
        fh.write("x")
    with (tmp_path / "x.txt").open("rb") as fh:
        response = client_for(users["head"]).post("/assessment/inputs/", {"files": fh})
    assert "x.txt：不支持的文件类型" in text_of(response)


def test_the_downloaded_templates_are_the_commands(users):
    client = client_for(users["legal"])
    xlsx = b"".join(client.get("/assessment/inputs/templates/xlsx/").streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert "值班坐堂" in workbook.sheetnames and "考试成绩" in workbook.sheetnames
    archive = b"".join(client.get("/assessment/inputs/templates/csv/").streaming_content)
    names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    assert "duty_shift.csv" in names and "case_quota.csv" in names


def test_the_navigation_shows_the_inputs_to_their_roles_marking_one_section(users):
    page = client_for(users["head"]).get("/assessment/inputs/").content.decode()
    assert '<a href="/assessment/inputs/" aria-current="page">考评数据</a>' in page
    assert '<a href="/assessment/" aria-current="page">' not in page
    assert "考评数据</a>" not in client_for(users["officer"]).get("/").content.decode()


def test_writes_without_the_csrf_token_are_refused(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["head"])
    assert client.post("/assessment/inputs/duty_shift/", SHIFT).status_code == 403
    assert client.post("/assessment/inputs/", {}).status_code == 403
    assert not DutyShift.objects.exists()
