"""A small bureau patrolled as of 2026-03-20 12:00, for the pages, scope and rates tests.

U1 某市公安局
├── U2 甲派出所
│   │   A1 (P1 lead): 受案 03-02, 立案 03-04 (LA-01 met); S1 拘留 03-02 10:00, 取保 03-04 15:00
│   │       (JL-07 met; 送所、通知家属、讯问 never recorded → JL-02/JL-03/XW-06 overdue)
│   │   A2 (P2 lead): 受案 03-02, 立案 03-07 (LA-01 late, due 03-05 23:59:59)
│   │   A4 (P1 lead): 受案 + 立案 03-10; S4 拘留 03-10 10:00, nothing since (JL-07 overdue)
│   │   A5 (P1 lead): S5 拘留 03-02 10:00, 取保 03-06 10:00 (JL-07 and JL-01 late)
│   └── U4 甲警务室
│           A3 (P1 lead): 受案 03-09, no decision (LA-01 overdue since 03-12 23:59:59)
└── U3 乙派出所
        B1 (P3 lead): 受案 03-02, 立案 03-03 (LA-01 met); S9 拘留 03-10 10:00 (JL-07 overdue)
Every 拘留 also raises an XW-09 violation (no record of telling the right to a lawyer).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

import pytest
from tests import support

from fazhi.apps.accounts.models import Role
from fazhi.core.legaltime import SHANGHAI
from fazhi.ingest.load import import_files

AS_OF = datetime(2026, 3, 20, 12, 0, tzinfo=SHANGHAI)
PASSWORD = "Xq7!long-enough"


def _case(case_id: str, unit: str, lead: str, opened: str) -> dict:
    return {
        "type": "case",
        "id": case_id,
        "kind": "criminal",
        "unit": unit,
        "opened_at": f"2026-03-{opened}:00+08:00",
        "handlers": [{"person": lead, "role": "lead"}],
    }


def _event(event_id: str, case: str, kind: str, at: str, subject: str | None = None) -> dict:
    record = {
        "type": "event",
        "id": event_id,
        "case": case,
        "kind": kind,
        "at": f"2026-03-{at}:00+08:00",
        "officers": ["P1", "P2"],
    }
    if subject:
        record["subject"] = subject
    return record


WORLD = [
    {"type": "unit", "id": "U1", "name": "某市公安局", "kind": "bureau"},
    {"type": "unit", "id": "U2", "name": "甲派出所", "kind": "station", "parent": "U1"},
    {"type": "unit", "id": "U3", "name": "乙派出所", "kind": "station", "parent": "U1"},
    {"type": "unit", "id": "U4", "name": "甲警务室", "kind": "office", "parent": "U2"},
    {"type": "person", "id": "P1", "name": "王某", "unit": "U2", "roles": ["officer"]},
    {"type": "person", "id": "P2", "name": "李某", "unit": "U2", "roles": ["officer"]},
    {"type": "person", "id": "P3", "name": "赵某", "unit": "U3", "roles": ["officer"]},
    _case("A1", "U2", "P1", "02T09:00"),
    _case("A2", "U2", "P2", "02T09:00"),
    _case("A3", "U4", "P1", "09T09:00"),
    _case("A4", "U2", "P1", "10T09:00"),
    _case("A5", "U2", "P1", "02T09:00"),
    _case("B1", "U3", "P3", "02T09:00"),
    {
        "type": "subject",
        "id": "S1",
        "case": "A1",
        "name": "张三丰",
        "birth_date": "1990-01-02",
        "id_number": "110101199001021234",
    },
    {"type": "subject", "id": "S4", "case": "A4", "name": "钱四", "birth_date": "1991-01-02"},
    {"type": "subject", "id": "S5", "case": "A5", "name": "孙五", "birth_date": "1992-01-02"},
    {"type": "subject", "id": "S9", "case": "B1", "name": "周九", "birth_date": "1993-01-02"},
    _event("E1", "A1", "intake", "02T09:00"),
    _event("E2", "A1", "filed", "04T10:00"),
    _event("E3", "A1", "criminal_detention", "02T10:00", "S1"),
    _event("E4", "A1", "bail", "04T15:00", "S1"),
    _event("E5", "A2", "intake", "02T09:00"),
    _event("E6", "A2", "filed", "07T09:00"),
    _event("E7", "A3", "intake", "09T09:00"),
    _event("E8", "A4", "intake", "10T09:00"),
    _event("E9", "A4", "filed", "10T09:30"),
    _event("E10", "A4", "criminal_detention", "10T10:00", "S4"),
    _event("E11", "A5", "criminal_detention", "02T10:00", "S5"),
    _event("E12", "A5", "bail", "06T10:00", "S5"),
    _event("E13", "B1", "intake", "02T09:00"),
    _event("E14", "B1", "filed", "03T09:00"),
    _event("E15", "B1", "criminal_detention", "10T10:00", "S9"),
]


@pytest.fixture
def world(db, write_jsonl):
    outcome = import_files([write_jsonl(WORLD)], actor="tester", as_of=AS_OF)
    assert not outcome.problems


@pytest.fixture
def make_user(world):
    """A user holding (role, unit id) grants, optionally linked to a person (tests.support)."""
    return partial(support.make_user, at=AS_OF)


@pytest.fixture
def legal(make_user):
    """法制部门 on the bureau: sees every unit."""
    return make_user("legal", (Role.LEGAL_DEPARTMENT, "U1"))


@pytest.fixture
def head(make_user):
    """所队长 of 甲派出所 (and so of 甲警务室 below it)."""
    return make_user("head", (Role.UNIT_HEAD, "U2"))


@pytest.fixture
def outsider(make_user):
    """所队长 of the sibling station 乙派出所."""
    return make_user("outsider", (Role.UNIT_HEAD, "U3"))


signed_in = support.signed_in
