"""考核末期扎堆办案 from the store: a bureau of four sibling stations, one officer each, imported
through the real CEIF path, with a steady history and one rush.

March–August 2026 every officer closes 10 cases a month, 3 of them in the month's last two weeks
(share 0.3). In September P1 (甲派出所) closes 8 of 10 in the last two weeks (share 0.8), the
others 4 of 10 (share 0.4). Hand-worked for P1: baseline 0.3, spread floored at 0.05, threshold
0.3 + 3 × 0.05 = 0.45; peers' p90 0.4 is under the even pace 14/30 = 0.4667, so the peer bar is
0.4667 — 0.8 is past both: a warning, and so is 甲派出所 against its three sibling stations.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.test import Client

from fazhi.apps.accounts.models import Role
from fazhi.apps.accounts.services import link_person
from fazhi.apps.assessment.crowding import recompute_crowding
from fazhi.apps.assessment.jobs import nightly_crowding
from fazhi.apps.assessment.models import CrowdingFigure
from fazhi.apps.audit.models import AuditEntry
from fazhi.apps.org.models import Person
from fazhi.cli import main
from fazhi.core.legaltime import SHANGHAI

from .conftest import AT

pytestmark = pytest.mark.django_db

STATIONS = {
    "U2": ("甲派出所", "P1", "王某"),
    "U3": ("乙派出所", "P2", "李某"),
    "U4": ("丙派出所", "P3", "赵某"),
    "U6": ("丁派出所", "P4", "钱某"),
}
# Every way a case is closed counts: 移送审查起诉 or 结案 of a criminal case, 行政处罚决定 or 结案
# of an administrative one.
CLOSING = {
    "criminal": ("transferred_for_prosecution", "closed"),
    "administrative": ("penalty_decided", "closed"),
}


def _month_end(month: int) -> int:
    return (date(2026, month % 12 + 1, 1) - date(2026, month, 1)).days if month < 12 else 31


def _world() -> list[dict]:
    records: list[dict] = [{"type": "unit", "id": "U1", "name": "某市公安局", "kind": "bureau"}]
    for unit, (name, pid, person) in STATIONS.items():
        records.append(
            {"type": "unit", "id": unit, "name": name, "kind": "station", "parent": "U1"}
        )
        records.append(
            {
                "type": "person",
                "id": pid,
                "name": person,
                "unit": unit,
                "roles": ["officer"],
                "sequence": "station_officer",
            }
        )
    for month in range(3, 10):
        end = _month_end(month)
        for unit, (_, pid, _) in STATIONS.items():
            in_tail = 3 if month < 9 else (8 if pid == "P1" else 4)
            for i in range(10):
                day = end - 3 + i % 3 if i < in_tail else 2 + i % 7
                case = f"{pid}-{month:02d}-{i}"
                kind = "administrative" if i % 2 else "criminal"
                records.append(
                    {
                        "type": "case",
                        "id": case,
                        "kind": kind,
                        "unit": unit,
                        "opened_at": f"2026-{month:02d}-01T08:00:00+08:00",
                        "handlers": [{"person": pid, "role": "lead"}],
                    }
                )
                records.append(
                    {
                        "type": "event",
                        "id": f"{case}-i",
                        "case": case,
                        "kind": "intake",
                        "at": f"2026-{month:02d}-01T08:00:00+08:00",
                        "officers": [pid],
                    }
                )
                closing = {
                    "type": "event",
                    "id": f"{case}-c",
                    "case": case,
                    "kind": CLOSING[kind][i // 2 % 2],
                    "at": f"2026-{month:02d}-{day:02d}T16:00:00+08:00",
                    "officers": [pid],
                }
                if closing["kind"] == "closed":
                    closing["attrs"] = {"reason": "decided"}
                records.append(closing)
    return records


@pytest.fixture
def bureau(db, write_jsonl, capsys):
    """Imported in two batches of at most 200 cases, whose patrol runs in the import's own
    transaction (larger batches go to the patrol's worker processes)."""
    records = _world()
    split = next(i for i, r in enumerate(records) if r["id"].startswith("P1-07-"))
    for part in (records[:split], records[split:]):
        assert main(["import", str(write_jsonl(part)), "--format", "json"]) == 0
    capsys.readouterr()


def figure(kind: str, owner: str, period: str = "2026-09") -> CrowdingFigure:
    return CrowdingFigure.objects.get(owner_kind=kind, owner_id=owner, period=period)


def test_the_rush_is_a_warning_for_the_officer_and_the_station(bureau):
    done = recompute_crowding("2026-09", actor="tester", at=AT)
    assert (done.figures, done.warnings) == (8, 2)
    p1 = figure("person", "P1")
    assert (p1.closures, p1.tail, p1.share) == (10, 8, D("0.8"))
    assert p1.history == ["0.3000"] * 6
    assert (p1.baseline, p1.spread, p1.threshold) == (D("0.3"), D("0.05"), D("0.45"))
    assert (p1.peer_bar, p1.peers, p1.peer_group) == (D("0.4667"), 3, "station_officer")
    assert p1.unusual and p1.unit_id == "U2" and p1.tail_start == date(2026, 9, 17)
    u2 = figure("unit", "U2")
    assert (u2.share, u2.peer_group, u2.unusual) == (D("0.8"), "U1", True)
    calm = CrowdingFigure.objects.filter(unusual=False)
    assert {(f.owner_kind, f.owner_id, f.share) for f in calm} == {
        (kind, owner, D("0.4"))
        for owner in ("P2", "P3", "P4", "U3", "U4", "U6")
        for kind in ["person" if owner.startswith("P") else "unit"]
    }


def test_a_recompute_replaces_the_figures_on_the_audit_trail(bureau):
    recompute_crowding("2026-09", actor="tester", at=AT)
    first = AuditEntry.objects.filter(object_type="crowdingfigure").get()
    assert first.action == "create" and json.loads(first.after) == {
        "figures": 8,
        "warnings": ["person:P1", "unit:U2"],
    }
    recompute_crowding("2026-09", actor="tester", at=AT)
    assert CrowdingFigure.objects.filter(period="2026-09").count() == 8
    again = AuditEntry.objects.filter(object_type="crowdingfigure").order_by("-seq").first()
    assert again.action == "update" and json.loads(again.before) == {"figures": 8}


def test_a_month_of_the_steady_history_has_no_warning(bureau):
    done = recompute_crowding("2026-08", actor="tester", at=AT)
    # August looks back to February: only March–July have closures, 5 periods, still ≥ 3
    assert (done.figures, done.warnings) == (8, 0)
    assert figure("person", "P1", "2026-08").baseline == D("0.3")


def test_the_cli_prints_json_warnings_first(bureau, capsys):
    assert main(["crowding", "--period", "2026-09", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["kind"], r["owner"], r["unusual"]) for r in rows[:3]] == [
        ("person", "P1", True),
        ("unit", "U2", True),
        ("person", "P2", False),
    ]
    assert rows[0] == {
        "kind": "person",
        "owner": "P1",
        "period": "2026-09",
        "closures": 10,
        "tail": 8,
        "share": 0.8,
        "baseline": 0.3,
        "threshold": 0.45,
        "peer_bar": 0.4667,
        "unusual": True,
    }


def test_the_cli_refuses_a_day_in_chinese(bureau, capsys):
    assert main(["crowding", "--period", "2026-09-15"]) == 2
    err = capsys.readouterr().err
    assert "期间 2026-09-15：扎堆办案按月、季度、年度计算，不按日计算" in err
    assert not CrowdingFigure.objects.exists()


def test_the_night_after_a_quarter_ends_judges_its_month_and_quarter(bureau):
    done = nightly_crowding(datetime(2026, 10, 1, 0, 30, tzinfo=SHANGHAI))
    assert [d.period for d in done] == ["2026-09", "2026-Q3"]
    assert nightly_crowding(datetime(2026, 9, 20, 0, 30, tzinfo=SHANGHAI)) == []


# --- pages ---------------------------------------------------------------------------------


@pytest.fixture
def users(bureau, django_user_model):
    from fazhi.apps.accounts.services import grant_role
    from fazhi.apps.org.models import Unit

    def make(name: str, role: Role, unit: str):
        user = django_user_model.objects.create_user(name, password="Xq7!long-enough")
        grant_role(user, role, Unit.objects.get(pk=unit), by=None, at=AT)
        return user

    made = {
        "legal": make("legal", Role.LEGAL_DEPARTMENT, "U1"),
        "head": make("head", Role.UNIT_HEAD, "U2"),
        "outsider": make("outsider", Role.UNIT_HEAD, "U3"),
        "p1": make("p1", Role.OFFICER, "U2"),
    }
    link_person(made["p1"], Person.objects.get(pk="P1"), by=None, at=AT)
    recompute_crowding("2026-09", actor="tester", at=AT)
    return made


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(user, url: str) -> str:
    response = signed_in(user).get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


LIST = "/assessment/crowding/?period=2026-09"


def test_the_list_shows_the_warnings_of_the_users_units(users):
    legal = page(users["legal"], LIST)
    assert 'data-owner="P1"' in legal and 'data-owner="U2"' in legal
    assert 'data-owner="P2"' not in legal  # calm: shown only with everyone
    assert 'data-owner="P2"' in page(users["legal"], LIST + "&everyone=on")
    assert "某市公安局下属单位" in legal and "派出所民警" in legal  # the peers compared with
    outside = page(users["outsider"], LIST + "&everyone=on")
    assert 'data-owner="P2"' in outside and 'data-owner="U3"' in outside
    assert 'data-owner="P1"' not in outside and 'data-owner="U2"' not in outside


def test_the_list_is_for_unit_roles_and_refuses_a_day(users):
    assert signed_in(users["p1"]).get(LIST).status_code == 403
    response = Client().get(LIST)
    assert response.status_code == 302 and response.url.startswith("/login/")
    text = page(users["head"], "/assessment/crowding/?period=2026-09-01")
    assert "期间：期间 2026-09-01：扎堆办案按月、季度、年度计算，不按日计算" in text


def test_the_detail_drills_down_to_the_closures(users):
    p1 = figure("person", "P1")
    url = f"/assessment/crowding/{p1.pk}/"
    text = page(users["head"], url)
    assert text.count('href="/cases/P1-09-') == 10
    assert text.count("<td>末期</td>") == 8
    assert "0.45" in text and "0.4667" in text
    assert page(users["p1"], url).count("<td>末期</td>") == 8  # their own figure
    assert signed_in(users["outsider"]).get(url).status_code == 404
    u2 = figure("unit", "U2")
    assert signed_in(users["p1"]).get(f"/assessment/crowding/{u2.pk}/").status_code == 404


def test_the_persons_file_shows_their_crowding(users):
    text = page(users["head"], "/assessment/people/P1/?period=2026")
    section = text[text.index("<h2>末期扎堆办案</h2>") :]
    assert "2026-09" in section and "<strong>异常</strong>" in section and "80%" in section
