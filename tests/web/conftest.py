"""The accounts world (tests/accounts/conftest.py) with more on its cases, for the pages:

U1 某市公安局
├── U2 甲派出所: A1 (P1 lead, P2 assist; subjects S1 张某, S2 欧阳明; alarm J1; events E1–E5),
│   │            A2 (P2 lead; administrative, filed)
│   └── U4 甲警务室: C1 (P2 lead)
└── U3 乙派出所: P3, case B1 (P3 lead, subject S3) — the sibling whose users are the outsiders

`users` makes one user per part: the insiders of U2, the outsiders of U3, and the bureau-wide
roles on U1.
"""

from __future__ import annotations

from functools import partial

import pytest
from tests import support
from tests.accounts.conftest import AT, WORLD, signed_in  # noqa: F401

from fazhi.apps.accounts.models import Role
from fazhi.cli import main

MORE = [
    {
        "type": "subject",
        "id": "S2",
        "case": "A1",
        "name": "欧阳明",
        "birth_date": "1990-01-02",
        "gender": "male",
        "id_number": "110101199001021234",
        "flags": ["first_offence"],
    },
    {
        "type": "event",
        "id": "E2",
        "case": "A1",
        "kind": "criminal_detention",
        "subject": "S2",
        "at": "2026-03-01T10:00:00+08:00",
        "officers": ["P1", "P2"],
    },
    {
        "type": "event",
        "id": "E3",
        "case": "A1",
        "kind": "interrogation",
        "subject": "S2",
        "at": "2026-03-01T11:00:00+08:00",
        "end": "2026-03-01T12:30:00+08:00",
        "officers": ["P1", "P2"],
        "attrs": {"recorded": True, "location": "case_area"},
    },
    {
        "type": "event",
        "id": "E4",
        "case": "A1",
        "kind": "family_notified",
        "subject": "S2",
        "at": "2026-03-01T15:00:00+08:00",
        "officers": ["P1"],
        "attrs": {"for": "criminal_detention"},
    },
    {
        "type": "event",
        "id": "E5",
        "case": "A1",
        "kind": "filed",
        "at": "2026-03-02T09:00:00+08:00",
        "officers": ["P1"],
    },
    {
        "type": "case",
        "id": "B1",
        "kind": "criminal",
        "unit": "U3",
        "opened_at": "2026-02-10T09:00:00+08:00",
        "category": "fraud",
        "title": "乙所诈骗案",
        "handlers": [{"person": "P3", "role": "lead"}],
    },
    {
        "type": "subject",
        "id": "S3",
        "case": "B1",
        "name": "钱某",
        "id_number": "110101198001011111",
    },
]


def _world_records() -> list[dict]:
    records = [dict(r) for r in WORLD]
    for r in records:
        if r["id"] == "A2":
            r.update(kind="administrative", category="gambling", title="甲所赌博案")
        if r["id"] == "A1":
            r.update(category="theft", title="甲所盗窃案", flags=["gang"])
    records.append(
        {
            "type": "event",
            "id": "E6",
            "case": "A2",
            "kind": "filed",
            "at": "2026-03-03T09:00:00+08:00",
        }
    )
    return records + MORE


@pytest.fixture
def world(write_jsonl, capsys):
    assert main(["import", str(write_jsonl(_world_records())), "--format", "json"]) == 0
    capsys.readouterr()


@pytest.fixture
def make_user(world):
    """A user holding (role, unit id) grants, optionally linked to a person (tests.support)."""
    return partial(support.make_user, at=AT, password=None)


@pytest.fixture
def users(make_user):
    """One user for each part the scope tests play."""
    return {
        "head": make_user("head", (Role.UNIT_HEAD, "U2")),
        "outsider": make_user("outsider", (Role.UNIT_HEAD, "U3")),
        "legal_officer": make_user("legal-officer", (Role.LEGAL_OFFICER, "U2")),
        "officer": make_user("officer", (Role.OFFICER, "U2"), person="P1"),
        "legal": make_user("legal", (Role.LEGAL_DEPARTMENT, "U1")),
        "outside_legal": make_user("outside-legal", (Role.LEGAL_DEPARTMENT, "U3")),
        "leader": make_user("leader", (Role.BUREAU_LEADER, "U1")),
        "auditor": make_user("auditor", (Role.AUDITOR, "U1")),
        "security": make_user("security", (Role.SECURITY_ADMIN, "U1")),
        "outside_security": make_user("outside-security", (Role.SECURITY_ADMIN, "U3")),
        "system": make_user("system", (Role.SYSTEM_ADMIN, "U1")),
    }
