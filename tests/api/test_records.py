"""CEIF ingestion by POST: `fazhi import`'s validation, store and JSON, only for roles that
may import."""

from __future__ import annotations

import json

import pytest
from tests.api.conftest import signed_in

from fazhi.apps.accounts.models import Role
from fazhi.apps.audit.models import AuditEntry
from fazhi.apps.cases.models import Event
from fazhi.apps.imports.models import ImportBatch
from fazhi.apps.org.models import Unit
from fazhi.cli import main

pytestmark = pytest.mark.django_db

NEW_EVENT = {
    "type": "event",
    "id": "E3",
    "case": "A2",
    "kind": "intake",
    "at": "2026-03-05T09:00:00+08:00",
    "officers": ["P2"],
}
BAD_EVENT = {**NEW_EVENT, "id": "E4", "at": "2026-03-05 25:00"}
ORPHAN_EVENT = {**NEW_EVENT, "id": "E5", "case": "NO-SUCH-CASE"}


def post_json(client, body, content_type="application/json"):
    data = body if isinstance(body, str | bytes) else json.dumps(body, ensure_ascii=False)
    return client.post("/api/records/", data=data, content_type=content_type)


def test_valid_records_are_stored_and_audited_under_the_caller(legal):
    response = post_json(signed_in(legal), [NEW_EVENT])
    assert response.status_code == 200
    assert response.json() == {"new": 1, "updated": 0, "unchanged": 0, "rejected": []}
    assert Event.objects.get(pk="E3").case_id == "A2"
    batch = ImportBatch.objects.latest("pk")
    assert batch.actor == "legal" and batch.files == ["接口提交.jsonl"]
    assert AuditEntry.objects.filter(actor="legal", object_id="E3").exists()


def test_rejections_are_the_same_as_the_commands_and_valid_records_still_land(
    legal, tmp_path, capsys
):
    body = [NEW_EVENT, BAD_EVENT, ORPHAN_EVENT]
    response = post_json(signed_in(legal), body)
    assert response.status_code == 422
    answer = response.json()
    assert answer["new"] == 1 and Event.objects.filter(pk="E3").exists()
    assert not Event.objects.filter(pk__in=["E4", "E5"]).exists()
    # the command on the same records in a file of the same name says exactly the same
    path = tmp_path / "接口提交.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in body), "utf-8")
    assert main(["import", str(path), "--format", "json"]) == 1
    command = json.loads(capsys.readouterr().out)
    assert command == {**answer, "new": 0, "unchanged": 1}
    lines = {p["line"]: p for p in answer["rejected"]}
    assert lines[2]["id"] == "E4" and lines[2]["field"] == "at"
    assert lines[3]["id"] == "E5" and "NO-SUCH-CASE" in lines[3]["reason"]
    assert all(p["file"] == "接口提交.jsonl" for p in answer["rejected"])


def test_json_lines_with_a_broken_line(legal):
    body = json.dumps(NEW_EVENT) + "\n{not json\n"
    response = post_json(signed_in(legal), body, "application/x-ndjson")
    assert response.status_code == 422
    (problem,) = response.json()["rejected"]
    assert problem["line"] == 2 and problem["file"] == "接口提交.jsonl"
    assert Event.objects.filter(pk="E3").exists()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("[{not json", "不是有效的 UTF-8 JSON（第 1 行第 3 列附近）"),
        (b"[\xff]", "不是有效的 UTF-8 JSON"),
        ('{"type": "unit"}', "正文应为 CEIF 记录的 JSON 数组"),
        ("", "正文为空"),
        ("[]", "JSON 数组中没有记录"),
    ],
)
def test_an_unreadable_body_stores_nothing(legal, body, reason):
    batches = ImportBatch.objects.count()
    response = post_json(signed_in(legal), body)
    assert response.status_code == 400
    answer = response.json()
    assert answer["file"] == "接口提交.jsonl" and answer["reason"].startswith(reason)
    assert answer["error"] == f"接口提交.jsonl：{answer['reason']}"
    assert ImportBatch.objects.count() == batches


def test_another_body_type_is_refused(legal):
    response = post_json(signed_in(legal), "id,name", "text/csv")
    assert response.status_code == 415
    assert "application/x-ndjson" in response.json()["detail"]


def test_roles_that_may_not_import_are_refused_and_nothing_is_stored(
    insider, outsider, make_user
):
    leader = make_user("leader", (Role.BUREAU_LEADER, "U1"))  # as on the 数据导入 page
    for user in (insider, outsider, leader):
        response = post_json(signed_in(user), [{**NEW_EVENT, "id": f"X-{user.username}"}])
        assert response.status_code == 403
        assert response.json() == {"detail": "您的角色无权导入数据。"}
    assert not Event.objects.filter(pk__startswith="X-").exists()


def test_the_system_administrator_may_import_though_they_see_no_case(make_user):
    admin = make_user("sysadmin", (Role.SYSTEM_ADMIN, "U1"))
    unit = {"type": "unit", "id": "U9", "name": "丙派出所", "kind": "station", "parent": "U1"}
    assert post_json(signed_in(admin), [unit]).status_code == 200
    assert Unit.objects.get(pk="U9").name == "丙派出所"


def test_anonymous_posts_are_refused(world, client):
    response = post_json(client, [NEW_EVENT])
    assert response.status_code == 401
    assert not Event.objects.filter(pk="E3").exists()


def test_a_body_larger_than_djangos_in_memory_limit_is_streamed(legal, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    events = [{**NEW_EVENT, "id": f"B{n:04}"} for n in range(200)]
    body = "".join(json.dumps(e) + "\n" for e in events)
    assert len(body.encode()) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = post_json(signed_in(legal), body, "application/x-ndjson")
    assert response.status_code == 200 and response.json()["new"] == 200
    assert Event.objects.filter(pk__startswith="B").count() == 200
