"""Cases through the API: scope (outsider 404, insider 200), filters, paging, masking."""

from __future__ import annotations

import pytest
from tests.api.conftest import signed_in

from fazhi.apps.accounts.models import Role
from fazhi.apps.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def ids(response) -> list[str]:
    return [c["id"] for c in response.json()["results"]]


def test_anonymous_is_asked_to_authenticate(world, client):
    for url in ("/api/cases/", "/api/cases/A1/", "/api/me/"):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
        assert response.json()["detail"] == "身份认证信息未提供。"


def test_the_list_holds_the_insiders_subtree_newest_first(insider):
    response = signed_in(insider).get("/api/cases/")
    assert response.status_code == 200
    assert ids(response) == ["C1", "A2", "A1"]
    first = response.json()["results"][0]
    assert first["unit"] == "U4" and first["unit_name"] == "甲警务室"
    assert first["kind_display"] == "刑事案件"


def test_the_sibling_unit_sees_no_case(outsider):
    response = signed_in(outsider).get("/api/cases/")
    assert response.status_code == 200 and response.json()["count"] == 0


def test_an_officer_sees_only_the_cases_they_handle(make_user):
    officer = make_user("wang", (Role.OFFICER, "U2"), person="P1")
    assert ids(signed_in(officer).get("/api/cases/")) == ["A1"]
    assert signed_in(officer).get("/api/cases/A2/").status_code == 404


def test_the_system_administrator_sees_no_case_data(make_user):
    admin = make_user("sysadmin", (Role.SYSTEM_ADMIN, "U1"))
    assert signed_in(admin).get("/api/cases/").json()["count"] == 0
    assert signed_in(admin).get("/api/cases/A1/").status_code == 404


def test_a_case_out_of_scope_reads_as_absent(outsider, insider):
    out = signed_in(outsider).get("/api/cases/A1/")
    missing = signed_in(insider).get("/api/cases/NO-SUCH/")
    assert out.status_code == missing.status_code == 404
    assert out.json() == missing.json() == {"detail": "未找到，或不在您的查看范围内。"}


def test_the_case_page_has_handlers_subjects_and_events_in_time_order(insider):
    response = signed_in(insider).get("/api/cases/A1/")
    assert response.status_code == 200
    case = response.json()
    assert [(h["person"], h["name"], h["role_display"]) for h in case["handlers"]] == [
        ("P1", "王某", "主办"),
        ("P2", "李某", "协办"),
    ]
    assert [e["id"] for e in case["events"]] == ["E1", "E2"]
    assert case["events"][1]["subject"] == "S1" and case["events"][1]["officers"] == ["P1", "P2"]
    assert [s["id"] for s in case["subjects"]] == ["S1"]


def test_the_bureau_leader_reads_subjects_masked(make_user):
    leader = make_user("leader", (Role.BUREAU_LEADER, "U1"))
    response = signed_in(leader).get("/api/cases/A1/")
    subject = response.json()["subjects"][0]
    assert subject == {
        "id": "S1",
        "name": "张**",
        "gender": None,
        "birth_date": "1990-**-**",
        "id_number": "1101**********1234",
        "flags": [],
        "masked": True,
    }
    text = response.content.decode()
    assert "张三丰" not in text and "19900102" not in text and "1990-01-02" not in text


def test_the_legal_department_reads_subjects_in_full(legal):
    subject = signed_in(legal).get("/api/cases/A1/").json()["subjects"][0]
    assert subject["name"] == "张三丰" and subject["id_number"] == "110101199001021234"
    assert subject["birth_date"] == "1990-01-02" and subject["masked"] is False


def test_a_reveal_shows_one_subject_and_is_audited(make_user, outsider):
    leader = make_user("leader", (Role.BUREAU_LEADER, "U1"))
    response = signed_in(leader).post("/api/subjects/S1/reveal/")
    assert response.status_code == 200
    assert response.json()["name"] == "张三丰" and response.json()["masked"] is False
    entry = AuditEntry.objects.get(action="reveal", object_id="S1")
    assert entry.actor == "leader" and '"case":"A1"' in entry.after
    assert signed_in(outsider).post("/api/subjects/S1/reveal/").status_code == 404
    assert AuditEntry.objects.filter(action="reveal").count() == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("unit=U4", ["C1"]),
        ("unit=U2", ["C1", "A2", "A1"]),
        ("kind=administrative", ["A2"]),
        ("handler=P1", ["A1"]),
        ("handler=P2", ["C1", "A2", "A1"]),
        ("opened_from=2026-03-02&opened_to=2026-03-05", ["A2"]),
        ("q=c1", ["C1"]),
        ("unit=U3", []),
    ],
)
def test_filters(legal, query, expected):
    assert ids(signed_in(legal).get(f"/api/cases/?{query}")) == expected


def test_a_filter_never_widens_scope(insider):
    assert ids(signed_in(insider).get("/api/cases/?unit=U1")) == ["C1", "A2", "A1"]


def test_a_bad_filter_is_told_in_chinese(legal):
    client = signed_in(legal)
    response = client.get("/api/cases/?opened_from=3/1/2026")
    assert response.status_code == 400
    assert response.json() == {"opened_from": "日期格式不正确：'3/1/2026'，应为 YYYY-MM-DD。"}
    response = client.get("/api/cases/?kind=traffic")
    assert response.status_code == 400 and response.json()["kind"] == "案件类别不正确：'traffic'。"


def test_paging(legal):
    client = signed_in(legal)
    first = client.get("/api/cases/?page_size=2").json()
    assert first["count"] == 3 and len(first["results"]) == 2
    assert first["next"].endswith("/api/cases/?page=2&page_size=2")
    second = client.get("/api/cases/?page=2&page_size=2").json()
    assert [c["id"] for c in second["results"]] == ["A1"] and second["next"] is None
    assert client.get("/api/cases/?page=9").json() == {"detail": "页码无效。"}
