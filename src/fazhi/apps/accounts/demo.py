"""Demo accounts: one per role, on units of the stored demo bureau, with random passwords
kept in the data folder (never fixed ones)."""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone

from fazhi.apps.accounts.audit import SYSTEM_ACTOR
from fazhi.apps.accounts.models import Role
from fazhi.apps.accounts.passwords import set_password
from fazhi.apps.accounts.services import grant_role, link_person
from fazhi.apps.org.models import Person, Unit
from fazhi.config import data_dir
from fazhi.demo.run import DEMO_USER, ensure_demo_user

# (username, role, where): the existing `demo` account becomes the legal department's,
# the platform's main user; "bureau" is the root bureau, "station" the busiest station.
ACCOUNTS = (
    (DEMO_USER, Role.LEGAL_DEPARTMENT, "bureau"),
    ("demo-bureau-leader", Role.BUREAU_LEADER, "bureau"),
    ("demo-unit-head", Role.UNIT_HEAD, "station"),
    ("demo-legal-officer", Role.LEGAL_OFFICER, "station"),
    ("demo-officer", Role.OFFICER, "station"),
    ("demo-auditor", Role.AUDITOR, "bureau"),
    ("demo-security-admin", Role.SECURITY_ADMIN, "bureau"),
    ("demo-system-admin", Role.SYSTEM_ADMIN, "bureau"),
)
OFFICER_USER = "demo-officer"


def _passwords_path() -> Path:
    return data_dir() / "demo-accounts.json"


def _stored_passwords() -> dict[str, str]:
    path = _passwords_path()
    return json.loads(path.read_text()) if path.exists() else {}


def _store_passwords(passwords: dict[str, str]) -> None:
    path = _passwords_path()
    path.write_text(json.dumps(passwords, indent=1))
    path.chmod(0o600)


def _new_password() -> str:
    """A random password that passes the password rules (most draws do)."""
    while True:
        candidate = secrets.token_urlsafe(12)
        try:
            validate_password(candidate)
        except ValidationError:
            continue
        return candidate


def _demo_places() -> tuple[dict[str, Unit], Person]:
    """The root bureau, the station with the most cases, and a lead handler of that station."""
    bureau = Unit.objects.filter(kind="bureau", parent=None).order_by("pk").first()
    station = (
        Unit.objects.filter(kind="station").annotate(n=Count("cases")).order_by("-n", "pk").first()
    )
    officer = Person.objects.filter(unit=station, handled__role="lead").order_by("pk").first()
    if bureau is None or station is None or officer is None:
        raise LookupError("存储中没有市/县公安局、派出所或其主办民警，请先导入演示数据。")
    return {"bureau": bureau, "station": station}, officer


def _account(
    username: str, passwords: dict[str, str], at: datetime
) -> tuple[AbstractBaseUser, str]:
    if username == DEMO_USER:
        password = ensure_demo_user()[1]  # sets the password itself
        return get_user_model().objects.get(username=username), password
    if username not in passwords:
        passwords[username] = _new_password()
    user, _ = get_user_model().objects.get_or_create(username=username)
    if not user.check_password(passwords[username]):
        set_password(user, passwords[username], actor=SYSTEM_ACTOR, at=at)
    return user, passwords[username]


def ensure_demo_accounts() -> list[tuple[str, str, str, str]]:
    """(username, role name, unit name, password) per role; the same on every run."""
    at = timezone.now()
    units, officer = _demo_places()
    passwords = _stored_passwords()
    rows = []
    for username, role, where in ACCOUNTS:
        user, password = _account(username, passwords, at)
        grant_role(user, role, units[where], by=None, at=at)
        if username == OFFICER_USER:
            link_person(user, officer, by=None, at=at)
        rows.append((username, role.label, units[where].name, password))
    _store_passwords(passwords)
    return rows
