"""Warnings through the API: scope, filters, the actions through `patrol.services` (revision
compare-and-set, audited), and the rates.

The world's case A1 (甲派出所, P1 lead) has a detention on 2026-03-01 and nothing after it, so
as of any later day the patrol holds seven warnings on it: JL-01, JL-02, JL-03, JL-07, LA-01
and XW-06 overdue, and XW-09 violated.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone
from tests.api.conftest import signed_in

from fazhi.api.tokens import create_token
from fazhi.apps.audit.models import AuditEntry
from fazhi.apps.patrol.models import Warning

pytestmark = pytest.mark.django_db


def warning_of(point: str) -> Warning:
    return Warning.objects.get(case_id="A1", control_point=point)


def act(client: Client, warning: Warning, action: str, **body):
    body.setdefault("revision", warning.revision)
    return client.post(
        f"/api/warnings/{warning.pk}/{action}/", data=body, content_type="application/json"
    )


def points(response) -> list[str]:
    return [w["control_point"] for w in response.json()["results"]]


def test_the_list_is_scoped(insider, outsider, world, client):
    listed = signed_in(insider).get("/api/warnings/")
    assert listed.status_code == 200 and listed.json()["count"] == 7
    first = listed.json()["results"][0]
    assert first["case"] == "A1" and first["unit_name"] == "甲派出所"
    assert first["person_name"] == "王某"
    assert signed_in(outsider).get("/api/warnings/").json()["count"] == 0
    assert client.get("/api/warnings/").status_code == 401


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("level=critical&sort=control_point", ["JL-02", "JL-07"]),
        ("finding=violated", ["XW-09"]),
        ("control_point=LA-01", ["LA-01"]),
        ("handler=王某&level=critical&sort=-control_point", ["JL-07", "JL-02"]),
        ("status=acknowledged", []),
        ("unit=U3", []),
        ("at_from=2099-01-01", []),
    ],
)
def test_filters(legal, query, expected):
    assert points(signed_in(legal).get(f"/api/warnings/?{query}")) == expected


def test_sorting_by_level_puts_critical_first(legal):
    levels = [
        w["level"] for w in signed_in(legal).get("/api/warnings/?sort=level").json()["results"]
    ]
    assert levels[:2] == ["critical", "critical"] and levels == sorted(
        levels, key=["critical", "high", "medium", "low"].index
    )


def test_a_bad_filter_is_told_in_chinese(legal):
    response = signed_in(legal).get("/api/warnings/?level=urgent")
    assert response.status_code == 400
    assert response.json() == {"level": "风险等级不正确：'urgent'。"}


def test_the_warning_page_has_the_duty_and_its_history(insider, outsider):
    warning = warning_of("JL-07")
    response = signed_in(insider).get(f"/api/warnings/{warning.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["obligation"]["state"] == "overdue" and body["obligation"]["steps"]
    assert body["actions"][0]["action"] == "open"
    assert signed_in(outsider).get(f"/api/warnings/{warning.pk}/").status_code == 404


def test_acknowledge_moves_the_revision_and_is_audited(insider):
    warning = warning_of("JL-07")
    response = act(signed_in(insider), warning, "acknowledge")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "acknowledged" and body["revision"] == warning.revision + 1
    assert body["actions"][-1]["action"] == "acknowledge"
    assert body["actions"][-1]["actor"] == "head2"
    entry = AuditEntry.objects.filter(object_type="warning", object_id=str(warning.pk)).last()
    assert entry.action == "warning.acknowledge" and entry.actor == "head2"


def test_an_action_on_a_revision_someone_else_moved_is_a_conflict(insider, legal):
    warning = warning_of("JL-07")
    assert act(signed_in(legal), warning, "acknowledge").status_code == 200
    late = act(signed_in(insider), warning, "acknowledge")  # still at the revision it saw
    assert late.status_code == 409
    assert late.json() == {"detail": "该预警已被他人处理或已更新，请刷新后重试。"}
    assert warning.actions.filter(action="acknowledge").count() == 1


def test_an_outsider_cannot_act(outsider):
    warning = warning_of("JL-07")
    assert act(signed_in(outsider), warning, "acknowledge").status_code == 404
    warning.refresh_from_db()
    assert warning.status == "open" and warning.revision == 1


def test_a_note_needs_its_text(insider):
    warning = warning_of("JL-02")
    missing = act(signed_in(insider), warning, "note")
    assert missing.status_code == 400 and "note" in missing.json()
    saved = act(signed_in(insider), warning, "note", note="已电话督促主办民警")
    assert saved.status_code == 200
    assert saved.json()["actions"][-1]["note"] == "已电话督促主办民警"


def test_an_exception_is_asked_for_and_decided_by_someone_else(insider, legal):
    warning = warning_of("JL-03")
    asked = act(
        signed_in(insider), warning, "request-exception", reason="嫌疑人身份不明，无法通知家属"
    )
    assert asked.status_code == 200 and asked.json()["exception_requested"] is True
    warning.refresh_from_db()
    own = act(signed_in(insider), warning, "decide-exception", approve=True, note="同意")
    assert own.status_code == 400
    assert own.json() == {"detail": "核销申请人不能审批自己的申请。"}
    approved = act(signed_in(legal), warning, "decide-exception", approve=True, note="理由成立")
    assert approved.status_code == 200 and approved.json()["status"] == "closed"


def test_a_violation_is_resolved_by_hand_but_a_time_duty_is_not(insider):
    violation = act(signed_in(insider), warning_of("XW-09"), "resolve", note="已补告知并记录")
    assert violation.status_code == 200 and violation.json()["status"] == "resolved"
    overdue = act(signed_in(insider), warning_of("JL-07"), "resolve", note="已释放")
    assert overdue.status_code == 400
    assert overdue.json() == {"detail": "期限类预警在录入办理行为后自动办结，不能手工整改。"}


def test_session_actions_need_the_csrf_token(insider):
    warning = warning_of("JL-07")
    response = act(signed_in(insider, enforce_csrf_checks=True), warning, "acknowledge")
    assert response.status_code == 403
    warning.refresh_from_db()
    assert warning.status == "open"


def test_rates_are_scoped_and_explained(insider, outsider):
    query = "/api/rates/?start=2026-03-01&end=2026-03-31"
    mine = signed_in(insider).get(query).json()
    theirs = signed_in(outsider).get(query).json()
    assert [f["key"] for f in mine["figures"]] == [
        "filing",
        "release",
        "custody",
        "daily",
        "monthly",
        "quarterly",
        "late",
        "overdue",
    ]
    overdue = {f["key"]: f for f in mine["figures"]}["overdue"]
    assert overdue["value"] >= 1 and overdue["label"] == "超期未办" and overdue["definition"]
    assert {f["key"]: f["value"] for f in theirs["figures"]}["overdue"] == 0
    filing = {f["key"]: f for f in mine["figures"]}["filing"]
    assert filing["ratio"] == {"on_time": 0, "ended": 0} and filing["percent"] == "—"


def test_rates_refuse_a_backwards_period(insider):
    response = signed_in(insider).get("/api/rates/?start=2026-03-31&end=2026-03-01")
    assert response.status_code == 400
    assert response.json() == {"start": "统计期起始日不能晚于截止日。"}


def test_a_machine_client_acts_with_its_token_and_no_csrf(insider):
    _, key = create_token(insider, "督办系统", timezone.now())
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {key}"})
    response = act(client, warning_of("LA-01"), "acknowledge")
    assert response.status_code == 200 and response.json()["actions"][-1]["actor"] == "head2"
