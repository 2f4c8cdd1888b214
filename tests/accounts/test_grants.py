"""Granting and revoking roles: one service that checks the grantor and audits in the same
transaction; the roles carry Chinese names."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from tests.accounts.conftest import AT

from fazhi.apps.accounts.models import Grant, Role
from fazhi.apps.accounts.services import grant_role, link_person, revoke_grant
from fazhi.apps.audit.chain import verify_chain
from fazhi.apps.audit.models import AuditEntry
from fazhi.apps.org.models import Person, Unit

pytestmark = pytest.mark.django_db


def grant_entries(username: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_id=username, action="grant").order_by("seq"))


def test_roles_have_chinese_names():
    assert dict(Role.choices) == {
        "officer": "民警",
        "legal_officer": "法制员",
        "unit_head": "所队长",
        "legal_department": "法制部门",
        "bureau_leader": "局领导",
        "auditor": "审计管理员",
        "security_admin": "安全管理员",
        "system_admin": "系统管理员",
    }


def test_a_grant_is_audited_once_and_granting_it_again_changes_nothing(make_user):
    security = make_user("security", (Role.SECURITY_ADMIN, "U1"))
    head = make_user("head")
    station = Unit.objects.get(pk="U2")
    first = grant_role(head, Role.UNIT_HEAD, station, by=security, at=AT)
    again = grant_role(head, Role.UNIT_HEAD, station, by=security, at=AT)
    assert first.pk == again.pk and first.granted_by == security
    [entry] = grant_entries("head")
    assert entry.actor == "security" and entry.before is None
    assert json.loads(entry.after) == {"grant": first.pk, "role": "unit_head", "unit": "U2"}


def test_a_revocation_is_audited_with_what_was_held(make_user):
    head = make_user("head", (Role.UNIT_HEAD, "U2"))
    revoke_grant(Grant.objects.get(user=head), by=None, at=AT)
    assert not Grant.objects.filter(user=head).exists()
    granted, revoked = grant_entries("head")
    assert (revoked.actor, revoked.after) == ("system", None)
    assert json.loads(revoked.before) == json.loads(granted.after)
    assert verify_chain()[1] is None


def test_a_security_admin_grants_only_within_their_subtree(make_user):
    security = make_user("security", (Role.SECURITY_ADMIN, "U2"))
    head = make_user("head")
    grant_role(head, Role.UNIT_HEAD, Unit.objects.get(pk="U4"), by=security, at=AT)
    with pytest.raises(PermissionDenied, match="安全管理员"):
        grant_role(head, Role.UNIT_HEAD, Unit.objects.get(pk="U3"), by=security, at=AT)


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.LEGAL_DEPARTMENT, Role.UNIT_HEAD])
def test_other_roles_cannot_grant(make_user, role):
    grantor = make_user("grantor", (role, "U1"))
    with pytest.raises(PermissionDenied):
        grant_role(make_user("head"), Role.UNIT_HEAD, Unit.objects.get(pk="U2"), by=grantor, at=AT)
    assert grant_entries("head") == []


def test_a_security_admin_cannot_widen_their_own_rights(make_user):
    security = make_user("security", (Role.SECURITY_ADMIN, "U1"))
    with pytest.raises(PermissionDenied, match="不能为自己授权"):
        grant_role(security, Role.LEGAL_DEPARTMENT, Unit.objects.get(pk="U1"), by=security, at=AT)


def test_a_refused_grant_leaves_no_trace_in_an_enclosing_transaction(make_user):
    grantor = make_user("grantor", (Role.UNIT_HEAD, "U1"))
    head = make_user("head")
    with transaction.atomic(), pytest.raises(PermissionDenied):
        grant_role(head, Role.UNIT_HEAD, Unit.objects.get(pk="U2"), by=grantor, at=AT)
    assert not Grant.objects.filter(user=head).exists()


def test_linking_a_user_to_a_person_is_audited(make_user):
    officer = make_user("officer", (Role.OFFICER, "U2"))
    link_person(officer, Person.objects.get(pk="P1"), by=None, at=AT)
    link_person(officer, Person.objects.get(pk="P1"), by=None, at=AT)  # unchanged: no entry
    [entry] = AuditEntry.objects.filter(object_id="officer", action="update")
    assert (json.loads(entry.before), json.loads(entry.after)) == (
        {"person": None},
        {"person": "P1"},
    )
