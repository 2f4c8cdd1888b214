"""The 执法档案 shows the person's reviews: inspections (评查) with their finding, severity and
verified rectification, and the 法制审核通过 events of the cases they handled — in the printable
file, scoped like the rest of it."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from fazhi.apps.accounts.models import Role
from fazhi.apps.assessment import services
from fazhi.cli import main
from fazhi.core.scoring import InspectionMethod, Severity

from .conftest import AT

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(world, person, write_jsonl, capsys):
    review = {
        "type": "event",
        "id": "E9",
        "case": "X1",
        "kind": "legal_review_passed",
        "at": "2026-03-09T11:00:00+08:00",
        "officers": ["I9"],
    }
    assert main(["import", str(write_jsonl([review])), "--format", "json"]) == 0
    capsys.readouterr()
    found = services.record_inspection(
        person=person("M1"),
        scheme="middle_manager_duty",
        item="D2",
        method=InspectionMethod.VIDEO,
        day=date(2026, 2, 3),
        inspector=person("I9"),
        severity=Severity.SERIOUS,
        finding="值班期间警情未及时调度",
        actor="tester",
        at=AT,
    )
    services.verify_rectification(
        found,
        verified_on=date(2026, 2, 20),
        verified_by=person("I9"),
        note="已建立调度台账",
        actor="tester",
        at=AT,
    )
    services.record_inspection(
        person=person("M1"),
        scheme="middle_manager_duty",
        item="D2",
        method=InspectionMethod.PHONE,
        day=date(2026, 3, 3),
        inspector=person("I9"),
        actor="tester",
        at=AT,
    )


def file_of(make_user, pid: str, role: Role = Role.UNIT_HEAD, unit: str = "U2") -> str:
    client = Client()
    client.force_login(make_user(f"u-{pid}-{unit}", role, unit))
    response = client.get(f"/assessment/people/{pid}/?period=2026")
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, title: str) -> str:
    start = page.index(f"<h2>{title}")
    return page[start : page.index("</table>", start)]


def test_the_file_lists_inspections_with_finding_severity_and_rectification(reviewed, make_user):
    rows = section(file_of(make_user, "M1"), "履职评查（2 次）")
    first, second = rows.split("<tr><td>")[1:]  # newest first
    assert "2026-03-03" in first and "电话询问" in first and "未发现问题" in first
    assert "值班期间警情调度处置" in second and "视频督察" in second
    assert "值班期间警情未及时调度" in second and "较重" in second and "周某" in second
    assert "2026-02-20 由 周某 核实：已建立调度台账" in second


def test_the_file_lists_the_legal_reviews_of_the_cases_handled(reviewed, make_user):
    for pid in ("P2", "P1"):  # X1: P2 lead, P1 assist
        rows = section(file_of(make_user, pid), "法制审核（1 次）")
        assert 'href="/cases/X1/"' in rows and "2026-03-09 11:00" in rows
    assert "法制审核（0 次）" in file_of(make_user, "M1")


def test_an_outsider_cannot_open_the_file(reviewed, make_user):
    client = Client()
    client.force_login(make_user("outsider", Role.UNIT_HEAD, "U3"))
    assert client.get("/assessment/people/M1/").status_code == 404
