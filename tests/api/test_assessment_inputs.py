"""Assessment inputs by POST: `fazhi assess-import`'s checks and JSON, as a JSON array or as
uploaded files, for the legal department and unit heads, on the people of their units only."""

from __future__ import annotations

import csv
import json

import openpyxl
import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from tests.api.conftest import signed_in

from fazhi.apps.accounts.models import Role
from fazhi.apps.assessment.models import DutyShift, StudyRecord
from fazhi.apps.audit.models import AuditEntry
from fazhi.cli import main

pytestmark = pytest.mark.django_db

URL = "/api/assessment/inputs/"
SHIFT = {"type": "duty_shift", "person": "P1", "day": "2026-03-02", "hall_hours": 8}


def post_json(client, body):
    return client.post(
        URL, data=json.dumps(body, ensure_ascii=False), content_type="application/json"
    )


def test_a_unit_head_writes_inputs_for_their_people_audited_under_their_name(insider):
    response = post_json(signed_in(insider), [SHIFT])
    assert response.status_code == 200
    assert response.json() == {"created": {"dutyshift": 1}, "rejected": []}
    shift = DutyShift.objects.get()
    assert AuditEntry.objects.filter(actor="head2", object_id=str(shift.pk)).exists()


def test_rejections_name_the_record_and_valid_records_still_land(insider):
    body = [SHIFT, {**SHIFT, "hall_hours": 9}, {**SHIFT, "person": "P2", "day": "2026-02-30"}]
    response = post_json(signed_in(insider), body)
    assert response.status_code == 422
    assert response.json() == {
        "created": {"dutyshift": 1},
        "rejected": [
            "接口提交.jsonl:2: duty_shift.day：当日已有值班记录",
            "接口提交.jsonl:3: duty_shift.day：日期 '2026-02-30' 无效（应为 YYYY-MM-DD）",
        ],
    }


def test_a_person_outside_the_callers_units_reads_as_one_that_does_not_exist(outsider):
    body = [{**SHIFT, "person": "P1"}, {**SHIFT, "person": "NOBODY"}, {**SHIFT, "person": "P3"}]
    response = post_json(signed_in(outsider), body)
    assert response.status_code == 422
    assert response.json()["rejected"] == [
        "接口提交.jsonl:1: duty_shift.person：人员 'P1' 不存在或不在您的管辖范围内",
        "接口提交.jsonl:2: duty_shift.person：人员 'NOBODY' 不存在或不在您的管辖范围内",
    ]
    assert list(DutyShift.objects.values_list("person_id", flat=True)) == ["P3"]


def test_a_token_uploads_csv_and_xlsx_files(legal, tmp_path, capsys):
    assert main(["token", "create", "legal", "--name", "考评对接"]) == 0
    key = capsys.readouterr().out.split()[-1]
    client = Client(headers={"Authorization": f"Bearer {key}"})
    shifts = tmp_path / "值班坐堂.csv"
    with shifts.open("w", encoding="gbk", newline="") as fh:
        csv.writer(fh).writerows([["person", "day", "hall_hours"], ["P3", "2026-03-02", "7.5"]])
    book = tmp_path / "inputs.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "学法记录"
    workbook.active.append(["person", "day", "hours", "topic"])
    workbook.active.append(["P2", "2026-03-03", 2, "行政处罚法"])
    workbook.save(book)
    with shifts.open("rb") as a, book.open("rb") as b:
        response = client.post(URL, {"files": [a, b]})
    assert response.status_code == 200, response.json()
    assert response.json()["created"] == {"dutyshift": 1, "studyrecord": 1}
    assert StudyRecord.objects.get().topic == "行政处罚法"


def test_an_unreadable_upload_stores_nothing(legal, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("person\nP1\n", encoding="utf-8")
    with path.open("rb") as fh:
        response = signed_in(legal).post(URL, {"files": [fh]})
    assert response.status_code == 400
    assert response.json()["file"] == "notes.csv"
    assert "无法从文件名判断数据类型" in response.json()["reason"]
    assert post_json(signed_in(legal), {"type": "duty_shift"}).json()["reason"] == (
        "正文应为考评数据记录的非空 JSON 数组"
    )
    broken = signed_in(legal).post(URL, data="[{", content_type="application/json")
    assert broken.status_code == 400 and broken.json()["reason"] == "不是有效的 UTF-8 JSON"
    assert not DutyShift.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.OFFICER, Role.LEGAL_OFFICER, Role.BUREAU_LEADER, Role.SYSTEM_ADMIN]
)
def test_other_roles_are_refused_and_nothing_is_written(make_user, role):
    user = make_user("someone", (role, "U1"))
    before = AuditEntry.objects.count()
    response = post_json(signed_in(user), [SHIFT])
    assert response.status_code == 403
    assert "无权录入考评数据" in response.json()["detail"]
    assert not DutyShift.objects.exists() and AuditEntry.objects.count() == before


def test_anonymous_callers_get_401(world):
    assert post_json(Client(), [SHIFT]).status_code == 401


def test_the_schema_describes_both_bodies_and_every_answer(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    schema = yaml.safe_load((tmp_path / "s.yaml").read_text(encoding="utf-8"))
    post = schema["paths"]["/api/assessment/inputs/"]["post"]
    assert set(post["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert set(post["responses"]) >= {"200", "400", "422"}
