"""Shared test data."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLE = SHARED / "interchange" / "example.jsonl"


def base_records() -> list[dict]:
    """A tiny valid world: a bureau, a station, two officers, one case with a subject."""
    return [
        {"type": "unit", "id": "U1", "name": "某市公安局", "kind": "bureau"},
        {"type": "unit", "id": "U2", "name": "某派出所", "kind": "station", "parent": "U1"},
        {"type": "person", "id": "P1", "name": "王某", "unit": "U2", "roles": ["officer"]},
        {"type": "person", "id": "P2", "name": "李某", "unit": "U2", "roles": ["officer"]},
        {
            "type": "case",
            "id": "A1",
            "kind": "criminal",
            "unit": "U2",
            "opened_at": "2026-03-01T09:00:00+08:00",
            "handlers": [{"person": "P1", "role": "lead"}, {"person": "P2", "role": "assist"}],
        },
        {"type": "subject", "id": "S1", "case": "A1", "name": "张某", "birth_date": "1990-01-02"},
        {
            "type": "event",
            "id": "E1",
            "case": "A1",
            "kind": "intake",
            "at": "2026-03-01T09:00:00+08:00",
            "officers": ["P1"],
        },
        {
            "type": "event",
            "id": "E2",
            "case": "A1",
            "kind": "criminal_detention",
            "subject": "S1",
            "at": "2026-03-01T10:00:00+08:00",
            "officers": ["P1", "P2"],
        },
    ]


PASSWORD = "Xq7!long-enough"


def make_user(
    username: str,
    *grants: tuple[str, str],
    person: str | None = None,
    at,
    password: str | None = PASSWORD,
):
    """A user holding (role, unit id) grants, made through the accounts services as an
    administrator would, optionally linked to a person of the org. `password=None` skips the
    argon2 hash (half a second) for tests that sign in with `force_login`."""
    from django.contrib.auth import get_user_model

    from fazhi.apps.accounts.services import grant_role, link_person
    from fazhi.apps.org.models import Person, Unit

    user = get_user_model().objects.create_user(username, password=password)
    for role, unit in grants:
        grant_role(user, role, Unit.objects.get(pk=unit), by=None, at=at)
    if person:
        link_person(user, Person.objects.get(pk=person), by=None, at=at)
    return user


def signed_in(user, *, csrf: bool = False, **kwargs):
    """A test client signed in as `user`; `csrf=True` enforces CSRF checks as a browser meets them."""
    from django.test import Client

    client = Client(**{"enforce_csrf_checks": csrf, **kwargs})
    client.force_login(user)
    return client
