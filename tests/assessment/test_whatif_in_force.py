"""What-if refuses a draft that would not be in force for the period being tried: the error
names the draft's `in_force` field and both ranges, and nothing is scored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from fazhi.apps.accounts.models import Role
from fazhi.apps.assessment import services
from fazhi.apps.assessment.schemes import schemes_dir
from fazhi.apps.assessment.whatif import what_if

from .conftest import AT

pytestmark = pytest.mark.django_db


def draft_in_force(line: str) -> str:
    text = (schemes_dir() / "case_handling.yaml").read_text(encoding="utf-8")
    original = "in_force: {from: 2026-01-01}"
    assert text.count(original) == 1
    return text.replace(original, line)


@pytest.fixture
def scored(world):
    services.recompute("case_handling", "2026-03", actor="tester", at=AT)


@pytest.mark.parametrize(
    "in_force, shown",
    [
        ("in_force: {from: 2026-04-01}", "2026-04-01 起"),
        ("in_force: {from: 2026-01-01, to: 2026-03-15}", "2026-01-01 至 2026-03-15"),
        ("in_force: {from: 2026-03-02}", "2026-03-02 起"),
    ],
)
def test_a_draft_not_in_force_for_the_whole_period_is_refused_naming_the_field(
    scored, in_force, shown
):
    with pytest.raises(ValidationError) as caught:
        what_if(draft_in_force(in_force), "2026-03")
    (message,) = caught.value.messages
    assert message.startswith("草稿 in_force：")
    assert shown in message and "2026-03（2026-03-01 至 2026-03-31）" in message
    assert caught.value.error_list[0].code == "in_force"


def test_a_draft_in_force_for_exactly_the_period_is_tried(scored):
    result = what_if(draft_in_force("in_force: {from: 2026-03-01, to: 2026-03-31}"), "2026-03")
    assert result.period.text == "2026-03" and result.draft.in_force.valid_to.day == 31


def test_the_page_shows_the_in_force_error(scored, make_user):
    client = Client()
    client.force_login(make_user("legal", Role.LEGAL_DEPARTMENT, "U1"))
    response = client.post(
        "/assessment/whatif/",
        {"period": "2026-03", "draft": draft_in_force("in_force: {from: 2026-04-01}")},
    )
    assert response.status_code == 200
    assert "草稿 in_force：生效期间 2026-04-01 起 不覆盖试算期间 2026-03" in (
        response.content.decode()
    )
