"""Obligations and warnings in the store: derived on import, moved by time, escalated, and
settled by the meeting act — every change compare-and-set and on the audit trail."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from tests.support import base_records

from fazhi.apps.accounts.models import Grant, Role
from fazhi.apps.audit.chain import verify_chain
from fazhi.apps.audit.models import AuditEntry
from fazhi.apps.patrol import services
from fazhi.apps.patrol.derive import reevaluate
from fazhi.apps.patrol.models import Obligation, Warning, WarningAction
from fazhi.core.legaltime import SHANGHAI
from fazhi.ingest.load import import_files

pytestmark = pytest.mark.django_db

DETAINED = datetime(2026, 3, 1, 10, 0, tzinfo=SHANGHAI)
JL01_DUE = datetime(2026, 3, 4, 23, 59, 59, tzinfo=SHANGHAI)


def _jl01() -> Obligation:
    return Obligation.objects.get(case_id="A1", control_point="JL-01")


def _as_of(when: datetime) -> None:
    with transaction.atomic():
        reevaluate(["A1"], when)


def _tick(when: datetime) -> services.Tick:
    return services.tick(when)


@pytest.fixture
def world(write_jsonl):
    outcome = import_files(
        [write_jsonl(base_records())], actor="tester", as_of=DETAINED + timedelta(hours=1)
    )
    assert not outcome.problems


def _user(name: str, role: Role | None = None, unit: str = "U2"):
    user = get_user_model().objects.create_user(name, password="x")
    if role is not None:
        from django.utils import timezone

        Grant.objects.create(user=user, role=role, unit_id=unit, granted_at=timezone.now())
    return user


def test_the_import_derives_the_obligations_of_the_case(write_jsonl):
    import_files([write_jsonl(base_records())], actor="tester")
    ob = _jl01()
    assert ob.due_at == JL01_DUE
    assert ob.started_at == DETAINED
    assert ob.person_id == "P1" and ob.unit_id == "U2" and ob.subject_id == "S1"
    assert ob.steps[0]["text"].startswith("起算：2026-03-01 10:00（刑事拘留）")
    # imported months after the due time: overdue, warned, and already at the top rung
    assert ob.state == "overdue"
    warning = ob.warning
    assert (warning.finding, warning.status) == ("overdue", "open")
    assert warning.escalated_to == "legal_department"


def test_an_open_duty_is_pending_until_its_lead_time(world):
    ob = _jl01()
    assert ob.state == "pending"
    assert ob.due_soon_at == JL01_DUE - timedelta(hours=24)
    assert not Warning.objects.filter(obligation=ob).exists()


def test_time_moves_a_duty_to_due_soon_then_overdue_and_up_the_chain(world):
    result = _tick(JL01_DUE - timedelta(hours=23))
    assert result.due_soon >= 1
    warning = _jl01().warning
    assert (warning.finding, warning.status, warning.escalated_to) == (
        "due_soon",
        "open",
        "lead_handler",
    )
    result = _tick(JL01_DUE + timedelta(minutes=1))
    warning.refresh_from_db()
    assert result.overdue >= 1
    assert warning.finding == "overdue" and warning.escalation == 0
    _tick(JL01_DUE + timedelta(hours=3))
    warning.refresh_from_db()
    assert warning.escalated_to == "legal_officer"
    _tick(JL01_DUE + timedelta(days=3))
    warning.refresh_from_db()
    assert warning.escalated_to == "legal_department" and warning.escalation == 3
    kinds = list(warning.actions.values_list("action", flat=True))
    assert kinds == ["open", "finding", "escalate", "escalate"]


def test_a_second_tick_at_the_same_time_changes_nothing(world):
    _tick(JL01_DUE + timedelta(hours=3))
    revision = _jl01().warning.revision
    again = _tick(JL01_DUE + timedelta(hours=3))
    assert (again.due_soon, again.overdue, again.escalated) == (0, 0, 0)
    assert _jl01().warning.revision == revision


def test_the_meeting_act_settles_the_warning(world, write_jsonl):
    _tick(JL01_DUE + timedelta(hours=3))
    late_request = {
        "type": "event",
        "id": "E3",
        "case": "A1",
        "kind": "arrest_requested",
        "subject": "S1",
        "at": "2026-03-05T09:00:00+08:00",
        "officers": ["P1"],
    }
    import_files(
        [write_jsonl([*base_records(), late_request])],
        actor="tester",
        as_of=JL01_DUE + timedelta(hours=10),
    )
    ob = _jl01()
    assert ob.state == "late" and ob.end_event == "E3"
    warning = ob.warning
    assert (warning.finding, warning.status) == ("late", "resolved")
    assert warning.actions.last().action == "resolve"


def test_an_act_on_time_leaves_no_open_warning(world):
    _tick(JL01_DUE - timedelta(hours=2))
    assert _jl01().warning.finding == "due_soon"
    with transaction.atomic():
        from fazhi.apps.cases.models import Event

        Event.objects.create(
            id="E3",
            case_id="A1",
            kind="arrest_requested",
            subject_id="S1",
            at=JL01_DUE - timedelta(hours=1),
            officers=["P1"],
            content_hash="x",
        )
        reevaluate(["A1"], JL01_DUE)
    ob = _jl01()
    assert ob.state == "met"
    assert (ob.warning.finding, ob.warning.status) == ("due_soon", "resolved")


def test_acknowledging_is_compare_and_set(world):
    _tick(JL01_DUE + timedelta(minutes=5))
    officer = _user("officer1")
    warning = _jl01().warning
    seen = warning.revision
    services.acknowledge(warning, officer, seen, JL01_DUE + timedelta(minutes=6))
    assert warning.status == "acknowledged" and warning.revision == seen + 1
    with pytest.raises(services.StaleWarning):
        services.acknowledge(warning, officer, seen, JL01_DUE + timedelta(minutes=7))
    entry = AuditEntry.objects.filter(action="warning.acknowledge").get()
    assert entry.actor == "officer1" and entry.object_id == str(warning.pk)


def test_an_exception_needs_a_reason_and_another_persons_approval(world):
    _tick(JL01_DUE + timedelta(minutes=5))
    at = JL01_DUE + timedelta(hours=1)
    officer = _user("officer1")
    head = _user("head", Role.UNIT_HEAD, "U2")
    outsider = _user("colleague", Role.OFFICER)
    warning = _jl01().warning
    with pytest.raises(services.NotAllowed, match="核销理由"):
        services.request_exception(warning, officer, "  ", warning.revision, at)
    services.request_exception(warning, officer, "嫌疑人已转为取保，系统漏录", warning.revision, at)
    with pytest.raises(services.NotAllowed, match="所队长或法制部门"):
        services.decide_exception(warning, outsider, True, "同意", warning.revision, at)
    services.decide_exception(warning, head, True, "核实属实，同意核销", warning.revision, at)
    warning.refresh_from_db()
    assert warning.status == "closed" and warning.settled_at == at
    assert list(warning.actions.values_list("action", "actor"))[-2:] == [
        ("request_exception", "officer1"),
        ("approve_exception", "head"),
    ]


def test_the_requester_cannot_approve_their_own_exception(world):
    _tick(JL01_DUE + timedelta(minutes=5))
    at = JL01_DUE + timedelta(hours=1)
    head = _user("head", Role.UNIT_HEAD, "U2")
    warning = _jl01().warning
    services.request_exception(warning, head, "理由", warning.revision, at)
    with pytest.raises(services.NotAllowed, match="不能审批自己"):
        services.decide_exception(warning, head, True, "同意", warning.revision, at)


def test_a_time_duty_cannot_be_resolved_by_hand(world):
    _tick(JL01_DUE + timedelta(minutes=5))
    warning = _jl01().warning
    with pytest.raises(services.NotAllowed, match="自动办结"):
        services.resolve(warning, _user("u"), "已整改", warning.revision, JL01_DUE)


def test_a_withdrawn_start_closes_its_warning(world):
    _tick(JL01_DUE + timedelta(minutes=5))
    with transaction.atomic():
        from fazhi.apps.cases.models import Event

        Event.objects.filter(pk="E2").update(kind="summons")
        reevaluate(["A1"], JL01_DUE + timedelta(minutes=10))
    ob = Obligation.objects.get(pk=_jl01().pk)
    assert ob.state == "withdrawn"
    assert ob.warning.status == "closed"
    assert ob.warning.actions.last().note.startswith("起算事件已变更")


def test_every_warning_change_is_on_an_intact_audit_chain(world):
    _tick(JL01_DUE + timedelta(days=3))
    actions = WarningAction.objects.filter(warning__obligation__case_id="A1").count()
    logged = AuditEntry.objects.filter(object_type="warning").count()
    assert logged == actions > 0
    count, broken = verify_chain()
    assert broken is None and count == AuditEntry.objects.count()


def test_a_persons_new_role_re_judges_the_cases_they_acted_in(write_jsonl):
    """P2 turns out to be a 辅警: the arrest P1 and P2 executed had one police officer only
    (DB-04 执行逮捕不少于二人), although no record of the case itself changed."""
    arrest = {
        "type": "event",
        "id": "E3",
        "case": "A1",
        "kind": "arrest_executed",
        "subject": "S1",
        "at": "2026-03-03T10:00:00+08:00",
        "officers": ["P1", "P2"],
    }
    records = [*base_records(), arrest]
    as_of = DETAINED + timedelta(days=3)
    import_files([write_jsonl(records)], actor="tester", as_of=as_of)
    assert not Obligation.objects.filter(control_point="DB-04").exists()
    auxiliary = [
        {**r, "roles": ["auxiliary"]} if r.get("id") == "P2" else r for r in records
    ]
    import_files([write_jsonl(auxiliary, "again.jsonl")], actor="tester", as_of=as_of)
    violation = Obligation.objects.get(control_point="DB-04")
    assert violation.state == "violated" and violation.warning.finding == "violated"
