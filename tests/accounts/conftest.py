"""A small bureau with two sibling stations, and users who hold roles in it.

U1 某市公安局
├── U2 甲派出所: cases A1 (P1 lead, P2 assist) and A2 (P2 lead)
│   │   grid G1, alarm J1 (of A1)
│   └── U4 甲警务室: case C1 (P2 lead)
└── U3 乙派出所: P3, no cases
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from tests import support

from fazhi.cli import main

PASSWORD = "Xq7!long-enough"
AT = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _case(case_id: str, unit: str, *handlers: tuple[str, str]) -> dict:
    return {
        "type": "case",
        "id": case_id,
        "kind": "criminal",
        "unit": unit,
        "opened_at": "2026-03-01T09:00:00+08:00",
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
    _case("A1", "U2", ("P1", "lead"), ("P2", "assist")),
    _case("A2", "U2", ("P2", "lead")),
    _case("C1", "U4", ("P2", "lead")),
    {"type": "grid", "id": "G1", "name": "甲社区", "level": 1, "unit": "U2", "officers": ["P1"]},
    {
        "type": "alarm",
        "id": "J1",
        "unit": "U2",
        "at": "2026-03-01T08:40:00+08:00",
        "nature": "criminal",
        "case": "A1",
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
]


@pytest.fixture
def world(write_jsonl, capsys):
    assert main(["import", str(write_jsonl(WORLD)), "--format", "json"]) == 0
    capsys.readouterr()


@pytest.fixture
def make_user(world):
    """A user holding (role, unit id) grants, optionally linked to a person (tests.support)."""
    return partial(support.make_user, at=AT)


signed_in = support.signed_in
