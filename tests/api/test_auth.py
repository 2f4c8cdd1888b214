"""Tokens for machine clients (made by `fazhi token`), sessions with CSRF for the browser."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from tests.api.conftest import signed_in

from fazhi.api.models import ApiToken
from fazhi.apps.audit.models import AuditEntry
from fazhi.cli import main

pytestmark = pytest.mark.django_db

UNIT = '[{"type": "unit", "id": "U9", "name": "丙派出所", "kind": "station", "parent": "U1"}]'


def fazhi_token(*args: str) -> int:
    """`fazhi token …` as the command line runs it."""
    return main(["token", *args])


def new_token(username: str, capsys) -> str:
    assert fazhi_token("create", username, "--name", "案管系统对接") == 0
    out = capsys.readouterr().out
    assert f"已为 {username} 创建令牌" in out
    return re.search(r"^(fz_\S+)$", out, re.M).group(1)


def bearer(key: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_a_token_authenticates_as_its_user(insider, capsys):
    key = new_token("head2", capsys)
    client = bearer(key)
    assert client.get("/api/me/").json()["username"] == "head2"
    assert client.get("/api/cases/A1/").status_code == 200
    assert client.get("/api/cases/").json()["count"] == 3


def test_a_token_keeps_its_users_scope(outsider, capsys):
    client = bearer(new_token("head3", capsys))
    assert client.get("/api/cases/A1/").status_code == 404


def test_only_a_hash_of_the_token_is_stored_and_creation_is_audited(insider, capsys):
    key = new_token("head2", capsys)
    token = ApiToken.objects.get()
    assert key not in {token.key_hash, token.prefix} and key.startswith(token.prefix)
    entry = AuditEntry.objects.get(object_type="api_token", action="create")
    assert '"user":"head2"' in entry.after and key not in entry.after


def test_a_revoked_or_wrong_token_is_refused_in_chinese(insider, capsys):
    key = new_token("head2", capsys)
    token = ApiToken.objects.get()
    assert fazhi_token("revoke", str(token.pk)) == 0
    assert "已吊销令牌" in capsys.readouterr().out
    for auth in (f"Bearer {key}", "Bearer fz_made-up", "Bearer a b"):
        response = Client(headers={"Authorization": auth}).get("/api/me/")
        assert response.status_code == 401, auth
        assert response.json()["detail"] in {
            "令牌无效或已吊销。",
            "令牌格式不正确，应为“Bearer 令牌”。",
        }
    assert AuditEntry.objects.filter(object_type="api_token", action="delete").count() == 1


def test_a_deactivated_users_token_stops_working(insider, capsys):
    key = new_token("head2", capsys)
    insider.is_active = False
    insider.save()
    assert bearer(key).get("/api/me/").status_code == 401


def test_a_token_for_an_unknown_user_is_not_made(world, capsys):
    assert fazhi_token("create", "nobody") == 1
    assert "没有名为 nobody 的有效用户" in capsys.readouterr().err
    assert not ApiToken.objects.exists()


def test_tokens_are_listed_without_the_secret(insider, capsys):
    key = new_token("head2", capsys)
    assert fazhi_token("list") == 0
    out = capsys.readouterr().out
    assert "head2" in out and "案管系统对接" in out and "有效" in out and key not in out


def test_token_clients_need_no_csrf_token(legal, capsys):
    client = Client(
        enforce_csrf_checks=True, headers={"Authorization": f"Bearer {new_token('legal', capsys)}"}
    )
    response = client.post("/api/records/", data=UNIT, content_type="application/json")
    assert response.status_code == 200


def test_session_writes_need_the_csrf_token(legal):
    client = signed_in(legal, enforce_csrf_checks=True)
    refused = client.post("/api/records/", data=UNIT, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert client.get("/api/docs").status_code == 200  # the docs page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/records/", data=UNIT, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 200


def test_session_reads_work_without_a_token(insider):
    assert signed_in(insider).get("/api/me/").json()["grants"] == [
        {"role": "unit_head", "role_display": "所队长", "unit": "U2", "unit_name": "甲派出所"}
    ]
