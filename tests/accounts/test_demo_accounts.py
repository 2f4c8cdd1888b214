"""Demo accounts: one per role on the bureau or its busiest station, random passwords that
follow the rules, the same on every run."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.test import Client

from fazhi.apps.accounts import scope
from fazhi.apps.accounts.demo import ensure_demo_accounts
from fazhi.apps.accounts.models import Grant, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("FAZHI_DATA_DIR", str(tmp_path))
    return tmp_path


def test_one_account_per_role_on_sensible_units(world, data_folder):
    rows = ensure_demo_accounts()
    places = {role: unit for _, role, unit, _ in rows}
    assert set(places) == set(Role.labels)
    assert places["法制部门"] == places["局领导"] == places["审计管理员"] == "某市公安局"
    assert places["系统管理员"] == places["安全管理员"] == "某市公安局"
    assert places["民警"] == places["法制员"] == places["所队长"] == "甲派出所"
    assert rows[0][0] == "demo"
    for username, _, _, password in rows[1:]:
        validate_password(password)
        assert (
            Client().post("/login/", {"username": username, "password": password}).status_code
            == 302
        )


def test_the_demo_officer_sees_the_cases_they_lead(world, data_folder):
    ensure_demo_accounts()
    officer = Grant.objects.get(role=Role.OFFICER).user
    assert set(scope.visible_cases(officer).values_list("pk", flat=True)) == {"A1"}


def test_a_second_run_gives_the_same_accounts_and_grants(world, data_folder):
    first = ensure_demo_accounts()
    grants = Grant.objects.count()
    assert ensure_demo_accounts() == first
    assert Grant.objects.count() == grants == 8
    assert (data_folder / "demo-accounts.json").stat().st_mode & 0o777 == 0o600
