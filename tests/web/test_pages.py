"""The first pages: sign-in is required, CSRF is enforced, and nothing loads from the internet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from tests.support import EXAMPLE, REPO

from fazhi.apps.accounts.models import Role
from fazhi.apps.accounts.services import grant_role
from fazhi.apps.org.models import Unit
from fazhi.cli import main

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return get_user_model().objects.create_user("wang", password="Xq7!long-enough")


def test_the_home_page_requires_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_sign_in_page_is_chinese_and_carries_a_csrf_token(client):
    response = client.get("/login/")
    text = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in text and "用户名" in text and "csrfmiddlewaretoken" in text


def test_sign_in_without_the_csrf_token_is_refused(user):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "wang", "password": "Xq7!long-enough"})
    assert response.status_code == 403


def test_a_wrong_password_is_told_in_chinese(client, user):
    response = client.post("/login/", {"username": "wang", "password": "wrong"})
    assert "用户名或密码不正确" in response.content.decode()


def test_after_sign_in_the_home_page_shows_what_was_imported(client, user, capsys):
    assert main(["import", str(EXAMPLE), "--format", "json"]) == 0
    bureau = Unit.objects.get(pk="U-330200")
    grant_role(user, Role.LEGAL_DEPARTMENT, bureau, by=None, at=timezone.now())
    client.post("/login/", {"username": "wang", "password": "Xq7!long-enough"})
    text = client.get("/").content.decode()
    assert "数据概况" in text
    assert re.search(r"<td>办案事件</td><td class=\"num\">21</td>", text)
    assert re.search(r"<td class=\"num\">34</td>", text)  # the batch's new records


def test_health_reports_the_database():
    response = Client().get("/healthz")
    assert response.json()["status"] == "ok"


def test_security_headers_are_set(client):
    response = client.get("/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_or_static_file_loads_anything_from_the_internet():
    web = REPO / "src" / "fazhi"
    offenders = [
        str(path.relative_to(REPO))
        for path in web.rglob("*")
        if path.suffix in {".html", ".css", ".js"}
        and re.search(
            r"(src|href)\s*=\s*[\"']?https?://|url\(\s*[\"']?https?://",
            path.read_text(encoding="utf-8"),
        )
    ]
    assert offenders == []
    assert any(Path(web).rglob("*.html"))


@pytest.mark.parametrize("url", ["/logout/", "/password/"])
def test_signed_in_forms_without_the_csrf_token_are_refused(user, url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(url, {}).status_code == 403
