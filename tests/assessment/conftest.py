"""A small bureau imported through the real CEIF path, plus assessment inputs.

U1 某市公安局
├── U2 甲派出所: middle manager M1; officers P1, P2; community officer C1 (grid G1)
│       case A1 (criminal, P1 lead, P2 assist) opened 03-01, closed 03-20
│       case X1 (administrative, P2 lead) opened 03-02, closed 03-10
├── U3 乙派出所: middle manager M2
├── U5 交警大队: traffic officer T1
└── U9 法制大队: inspector I9
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from fazhi.apps.accounts.models import Role
from fazhi.apps.accounts.services import grant_role
from fazhi.apps.org.models import Person, Unit
from fazhi.cli import main

AT = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PASSWORD = "Xq7!long-enough"


def _person(pid: str, name: str, unit: str, sequence: str, *roles: str) -> dict:
    return {
        "type": "person",
        "id": pid,
        "name": name,
        "unit": unit,
        "roles": list(roles),
        "sequence": sequence,
    }


def _event(eid: str, case: str, kind: str, at: str, officer: str, **attrs) -> dict:
    record = {
        "type": "event",
        "id": eid,
        "case": case,
        "kind": kind,
        "at": at,
        "officers": [officer],
    }
    return {**record, "attrs": attrs} if attrs else record


WORLD = [
    {"type": "unit", "id": "U1", "name": "某市公安局", "kind": "bureau"},
    {"type": "unit", "id": "U2", "name": "甲派出所", "kind": "station", "parent": "U1"},
    {"type": "unit", "id": "U3", "name": "乙派出所", "kind": "station", "parent": "U1"},
    {"type": "unit", "id": "U5", "name": "交警大队", "kind": "brigade", "parent": "U1"},
    {"type": "unit", "id": "U9", "name": "法制大队", "kind": "legal_dept", "parent": "U1"},
    _person("M1", "嵇某", "U2", "middle_manager", "officer", "deputy_head"),
    _person("M2", "刘某", "U3", "middle_manager", "officer", "station_head"),
    _person("P1", "王某", "U2", "station_officer", "officer"),
    _person("P2", "李某", "U2", "station_officer", "officer"),
    _person("C1", "马某", "U2", "station_officer", "officer", "community_officer"),
    _person("T1", "孙某", "U5", "traffic_officer", "officer"),
    _person("I9", "周某", "U9", "brigade_officer", "officer"),
    {"type": "grid", "id": "G0", "name": "甲街道", "level": 1, "unit": "U2"},
    {
        "type": "grid",
        "id": "G1",
        "name": "甲社区",
        "level": 2,
        "unit": "U2",
        "parent": "G0",
        "officers": ["C1"],
    },
    {
        "type": "case",
        "id": "A1",
        "kind": "criminal",
        "unit": "U2",
        "opened_at": "2026-03-01T09:00:00+08:00",
        "handlers": [{"person": "P1", "role": "lead"}, {"person": "P2", "role": "assist"}],
    },
    {
        "type": "case",
        "id": "X1",
        "kind": "administrative",
        "unit": "U2",
        "opened_at": "2026-03-02T10:00:00+08:00",
        "handlers": [{"person": "P2", "role": "lead"}, {"person": "P1", "role": "assist"}],
    },
    _event("E1", "A1", "intake", "2026-03-01T09:00:00+08:00", "P1"),
    _event("E2", "A1", "closed", "2026-03-20T15:00:00+08:00", "P1", reason="revoked"),
    _event("E3", "X1", "intake", "2026-03-02T10:00:00+08:00", "P2"),
    _event("E4", "X1", "closed", "2026-03-10T16:00:00+08:00", "P2", reason="decided"),
]


@pytest.fixture
def world(db, write_jsonl, capsys):
    assert main(["import", str(write_jsonl(WORLD)), "--format", "json"]) == 0
    capsys.readouterr()


@pytest.fixture
def person(world):
    return lambda pid: Person.objects.get(pk=pid)


@pytest.fixture
def make_user(world):
    def make(username: str, role: Role, unit: str):
        user = get_user_model().objects.create_user(username, password=PASSWORD)
        grant_role(user, role, Unit.objects.get(pk=unit), by=None, at=AT)
        return user

    return make
