"""Subjects' personal data (fazhi.apps.accounts.personal_data): masked unless the user's work
on the case needs it; revealing one subject is on the audit trail."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.utils import timezone
from tests.web.conftest import signed_in

from fazhi.apps.accounts.models import Role
from fazhi.apps.accounts.personal_data import (
    mask_birth_date,
    mask_id_number,
    mask_name,
    reveal,
    sees_personal_data,
)
from fazhi.apps.audit.chain import verify_chain
from fazhi.apps.audit.models import AuditEntry
from fazhi.apps.cases.models import Subject

pytestmark = pytest.mark.django_db
FULL_ID = "110101199001021234"


@pytest.mark.parametrize(
    "name, masked",
    [("张某", "张*"), ("欧阳明", "欧**"), ("张", "张*"), ("", ""), (None, None)],
)
def test_a_name_keeps_its_first_character(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    "number, masked",
    [
        (FULL_ID, "1101**********1234"),
        ("110101900102123", "1101*******2123"),
        ("1234", "****"),
        (None, None),
    ],
)
def test_an_id_number_keeps_its_region_and_last_four(number, masked):
    assert mask_id_number(number) == masked


def test_a_birth_date_keeps_its_year():
    assert mask_birth_date(date(1990, 1, 2)) == "1990-**-**"
    assert mask_birth_date(None) is None


@pytest.mark.parametrize(
    "who, sees",
    [
        ("head", True),  # 所队长 of the case's unit
        ("legal_officer", True),  # 法制员 of the case's unit
        ("legal", True),  # 法制部门 on the bureau
        ("officer", True),  # handles A1
        ("leader", False),  # 局领导: masked, may reveal
    ],
)
def test_who_sees_subjects_unmasked(users, who, sees):
    assert sees_personal_data(users[who], "A1") is sees
    text = signed_in(users[who]).get("/cases/A1/").content.decode()
    assert (FULL_ID in text) is sees
    assert ("1101**********1234" in text) is not sees
    assert ("欧阳明" in text) is sees and ("欧**" in text) is not sees
    assert ("1990-01-02" in text) is sees
    assert (">显示</button>" in text) is not sees


def test_an_officer_sees_only_their_own_cases_subjects(make_user):
    officer = make_user("p2-officer", (Role.OFFICER, "U2"), person="P1")
    assert sees_personal_data(officer, "A1") and not sees_personal_data(officer, "C1")


def test_administrators_see_no_subject_at_all(users):
    for who in ("auditor", "security", "system"):
        assert not sees_personal_data(users[who], "A1")
        assert signed_in(users[who]).get("/cases/A1/").status_code == 404


def test_revealing_shows_the_subject_for_the_session_and_audits_once(users):
    client = signed_in(users["leader"])
    response = client.post("/cases/A1/subjects/S2/reveal/", follow=True)
    text = response.content.decode()
    assert FULL_ID in text and "欧阳明" in text and "已记入审计日志" in text
    assert "张*" in text  # the other subject stays masked
    entry = AuditEntry.objects.get(action="reveal")
    assert (entry.actor, entry.object_type, entry.object_id) == ("leader", "subject", "S2")
    assert json.loads(entry.after) == {
        "case": "A1",
        "fields": ["name", "id_number", "birth_date"],
    }
    client.get("/cases/A1/")  # reading again is not another reveal
    assert AuditEntry.objects.filter(action="reveal").count() == 1
    assert verify_chain()[1] is None


def test_reveal_returns_the_subject_unmasked(users):
    data = reveal(users["leader"], Subject.objects.get(pk="S2"), at=timezone.now())
    assert (data.name, data.id_number, data.birth_date, data.masked) == (
        "欧阳明",
        FULL_ID,
        "1990-01-02",
        False,
    )


def test_reveal_needs_a_post(users):
    assert signed_in(users["leader"]).get("/cases/A1/subjects/S2/reveal/").status_code == 405
