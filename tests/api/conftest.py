"""A small bureau for the API: two sibling stations and users who hold roles in it.

U1 某市公安局
├── U2 甲派出所: cases A1 (P1 lead, P2 assist; subject S1, events E1 E2) and A2 (P2 lead)
│   └── U4 甲警务室: case C1 (P2 lead)
└── U3 乙派出所: P3, no cases
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from tests import support

from fazhi.apps.accounts.models import Role
from fazhi.cli import main

PASSWORD = "Xq7!long-enough"
AT = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def case(case_id: str, unit: str, opened: str, *handlers: tuple[str, str]) -> dict:
    return {
        "type": "case",
        "id": case_id,
        "kind": "criminal" if case_id != "A2" else "administrative",
        "unit": unit,
        "opened_at": f"{opened}T09:00:00+08:00",
        "title": f"{case_id} 号案",
        "handlers": [{"person": p, "role": r} for p, r in handlers],
    }


WORLD = [
    {"type": "unit", "id": "U1", "name": "某市公安局", "kind": "bureau"},
    {"type": "unit", "id": "U2", "name": "甲派出所", "kind": "station", "parent": "U1"},
    {"type": "unit", "id": "U3", "name": "乙派出所", "kind": "station", "parent": "U1"},
    {"type": "unit", "id": "U4", "name": "甲警务室", "kind": "office", "parent": "U2"},
    {"type": "person", "id": "P1", "name": "王某", "unit": "U2", "roles": ["officer"]},
    {"type": "person", "id": "P2", "name": "李某", "unit": "U2", "roles": ["officer"]},
    {"type": "person", "id": "P3", "name": "赵某", "unit": "U3", "roles": ["officer"]},
    case("A1", "U2", "2026-03-01", ("P1", "lead"), ("P2", "assist")),
    case("A2", "U2", "2026-03-05", ("P2", "lead")),
    case("C1", "U4", "2026-03-08", ("P2", "lead")),
    {
        "type": "subject",
        "id": "S1",
        "case": "A1",
        "name": "张三丰",
        "birth_date": "1990-01-02",
        "id_number": "110101199001021234",
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
    {
        "type": "event",
        "id": "E1",
        "case": "A1",
        "kind": "intake",
        "at": "2026-03-01T09:00:00+08:00",
        "officers": ["P1"],
    },
]


@pytest.fixture
def world(db, write_jsonl, capsys):
    assert main(["import", str(write_jsonl(WORLD, "world.jsonl")), "--format", "json"]) == 0
    capsys.readouterr()


@pytest.fixture
def make_user(world):
    """A user holding (role, unit id) grants, optionally linked to a person (tests.support)."""
    return partial(support.make_user, at=AT)


@pytest.fixture
def legal(make_user):
    """The legal department over the whole bureau: sees every case and may import."""
    return make_user("legal", (Role.LEGAL_DEPARTMENT, "U1"))


@pytest.fixture
def insider(make_user):
    """The head of 甲派出所: sees A1, A2 and C1 (its subtree); may not import."""
    return make_user("head2", (Role.UNIT_HEAD, "U2"))


@pytest.fixture
def outsider(make_user):
    """The head of the sibling 乙派出所: sees none of 甲派出所's cases."""
    return make_user("head3", (Role.UNIT_HEAD, "U3"))


signed_in = support.signed_in
