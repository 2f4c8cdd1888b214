"""Password rules, expiry that forces a change at sign-in, and idle session expiry."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone
from tests.accounts.conftest import PASSWORD

from fazhi.apps.accounts.models import Account
from fazhi.apps.accounts.passwords import StrengthValidator, password_expired
from fazhi.apps.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Hd9#another-one"


@pytest.fixture
def wang():
    return get_user_model().objects.create_user("wang", password=PASSWORD)


def problems(password: str) -> list[str]:
    try:
        StrengthValidator().validate(password)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize(
    "password", ["Abcdefghi1", "abcdefgh1!", "ABCDEFGH1!", "Abcdefghi!", "长密码Abcdefgh"]
)
def test_ten_characters_of_three_classes_pass(password):
    assert problems(password) == []


def test_a_short_password_is_told_its_length_in_chinese():
    assert problems("Ab1!x") == ["密码至少 10 位，当前 5 位。"]


@pytest.mark.parametrize("password", ["abcdefghijkl", "abcdefgh12", "ABCD!@#$%^&*"])
def test_fewer_than_three_classes_is_refused_in_chinese(password):
    assert problems(password) == [
        "密码须至少 10 位，并包含大写字母、小写字母、数字、符号中的至少 3 类。"
    ]


def test_the_configured_validators_apply_the_rules():
    with pytest.raises(ValidationError, match="至少 3 类"):
        validate_password("abcdefghijkl")


def test_a_password_expires_after_the_configured_days(wang):
    now = timezone.now()
    Account.objects.create(user=wang, password_changed_at=now - timedelta(days=89))
    assert not password_expired(wang, now)
    assert password_expired(wang, now + timedelta(days=1))


def sign_in_with_an_old_password(client, wang):
    Account.objects.create(user=wang, password_changed_at=timezone.now() - timedelta(days=91))
    return client.post("/login/", {"username": "wang", "password": PASSWORD})


def test_an_expired_password_forces_the_change_page_at_sign_in(client, wang):
    response = sign_in_with_an_old_password(client, wang)
    assert response.status_code == 302 and response.url == "/password/"
    assert client.get("/").url == "/password/"
    assert client.get("/cases/A1/").url == "/password/"
    page = client.get("/password/").content.decode()
    assert "密码已过期" in page and "修改密码" in page


def test_changing_the_password_releases_the_user_and_is_audited(client, wang):
    sign_in_with_an_old_password(client, wang)
    response = client.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200  # still signed in, no longer held
    wang.refresh_from_db()
    assert wang.check_password(NEW_PASSWORD) and not password_expired(wang, timezone.now())
    entry = AuditEntry.objects.filter(object_id="wang", action="update").get()
    assert json.loads(entry.after) == {"password": "changed"}


@pytest.mark.parametrize(
    ("new", "message"),
    [(PASSWORD, "新密码不能与原密码相同"), ("abcdefghijkl", "至少 3 类")],
)
def test_a_new_password_must_differ_and_follow_the_rules(client, wang, new, message):
    sign_in_with_an_old_password(client, wang)
    response = client.post(
        "/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 200 and message in response.content.decode()


def test_an_idle_session_ends_after_thirty_minutes_by_default(client, wang):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    client.post("/login/", {"username": "wang", "password": PASSWORD})
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def settings_value(name: str, **env: str) -> subprocess.CompletedProcess:
    code = f"from django.conf import settings; print(settings.{name})"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "fazhi.web.settings", **env},
        capture_output=True,
        text=True,
    )


def test_idle_minutes_and_password_age_come_from_the_environment():
    assert settings_value("SESSION_COOKIE_AGE", FAZHI_SESSION_IDLE_MINUTES="5").stdout == "300\n"
    assert (
        settings_value("PASSWORD_MAX_AGE_DAYS", FAZHI_PASSWORD_MAX_AGE_DAYS="30").stdout == "30\n"
    )
    wrong = settings_value("SESSION_COOKIE_AGE", FAZHI_SESSION_IDLE_MINUTES="half an hour")
    assert wrong.returncode != 0 and "FAZHI_SESSION_IDLE_MINUTES" in wrong.stderr
