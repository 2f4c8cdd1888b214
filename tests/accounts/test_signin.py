"""Sign-in guard: five consecutive failures lock a username for fifteen minutes, and every
attempt, lock, sign-in and sign-out is on the audit trail. Time moves by `at`, never by sleeping."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from tests.accounts.conftest import AT, PASSWORD

from fazhi.apps.accounts import signin
from fazhi.apps.accounts.models import SignInGuard
from fazhi.apps.audit.chain import verify_chain
from fazhi.apps.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def wang():
    return get_user_model().objects.create_user("wang", password=PASSWORD)


def attempts(username: str) -> list[dict]:
    entries = AuditEntry.objects.filter(object_type="account", object_id=username, action="sign_in")
    return [json.loads(e.after) for e in entries.order_by("seq")]


def fail(username: str, times: int, at=AT):
    return [signin.sign_in_failed(username, at, "10.0.0.1") for _ in range(times)]


def post_sign_in(client: Client, password: str):
    return client.post("/login/", {"username": "wang", "password": password})


def test_the_fifth_failure_locks_the_username_for_fifteen_minutes():
    assert fail("wang", 4) == [None] * 4
    assert signin.locked_until("wang", AT) is None
    assert fail("wang", 1) == [AT + signin.LOCK_DURATION]
    assert signin.locked_until("wang", AT + signin.LOCK_DURATION / 2) == AT + signin.LOCK_DURATION


def test_the_lock_is_released_after_fifteen_minutes_with_five_fresh_tries():
    fail("wang", 5)
    released = AT + signin.LOCK_DURATION
    assert signin.locked_until("wang", released) is None
    assert fail("wang", 4, at=released) == [None] * 4


def test_a_successful_sign_in_clears_the_count(wang):
    fail("wang", 4)
    signin.signed_in(wang, AT, None)
    assert fail("wang", 4) == [None] * 4


def test_failures_and_the_lockout_are_audited_with_the_address():
    fail("wang", 5)
    trail = attempts("wang")
    assert [a["result"] for a in trail] == ["failed"] * 5 + ["lockout"]
    assert [a.get("failures") for a in trail[:5]] == [1, 2, 3, 4, 5]
    assert trail[0]["address"] == "10.0.0.1"
    assert verify_chain()[1] is None


def test_the_sign_in_page_says_when_to_retry_and_refuses_even_the_right_password(client, wang):
    for _ in range(4):
        assert "用户名或密码不正确" in post_sign_in(client, "wrong").content.decode()
    text = post_sign_in(client, "wrong").content.decode()
    assert "已被锁定" in text and "后再试" in text
    assert "已被锁定" in post_sign_in(client, PASSWORD).content.decode()
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert [a["result"] for a in attempts("wang")][-2:] == ["lockout", "locked"]


def test_an_unknown_username_is_locked_like_a_real_one(client):
    for _ in range(5):
        client.post("/login/", {"username": "nobody", "password": "wrong"})
    assert SignInGuard.objects.get(pk="nobody").locked_until is not None


def test_after_the_lock_ends_the_right_password_signs_in(client, wang):
    fail("wang", 5)
    SignInGuard.objects.filter(pk="wang").update(locked_until=AT)  # AT is long past
    response = post_sign_in(client, PASSWORD)
    assert response.status_code == 302 and response.url == "/"


def test_sign_in_and_sign_out_are_audited(client, wang):
    post_sign_in(client, PASSWORD)
    response = client.post("/logout/", follow=True)
    assert "您已退出登录" in response.content.decode()
    entries = AuditEntry.objects.filter(object_id="wang", action__in=["sign_in", "sign_out"])
    assert [(e.actor, e.action) for e in entries.order_by("seq")] == [
        ("wang", "sign_in"),
        ("wang", "sign_out"),
    ]
    assert json.loads(entries.first().after)["result"] == "ok"
