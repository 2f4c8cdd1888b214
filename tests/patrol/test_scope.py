"""Obligations and warnings follow the cases' scope: a grant covers its unit's subtree, an
officer sees the duties of the cases they handle, administrators see none."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from fazhi.apps.accounts import scope
from fazhi.apps.accounts.models import Role
from fazhi.apps.patrol.models import Obligation, Warning

pytestmark = pytest.mark.django_db


def obligation_cases(user) -> set[str]:
    return set(scope.visible_obligations(user).values_list("case_id", flat=True))


def warning_cases(user) -> set[str]:
    return set(scope.visible_warnings(user).values_list("case_id", flat=True))


def test_the_bureau_grant_sees_every_units_duties(legal):
    assert obligation_cases(legal) == {"A1", "A2", "A3", "A4", "A5", "B1"}
    assert scope.visible_obligations(legal).count() == Obligation.objects.count() == 31
    assert scope.visible_warnings(legal).count() == Warning.objects.count() == 24


def test_a_station_grant_covers_its_subtree_and_not_its_sibling(head, outsider):
    assert obligation_cases(head) == warning_cases(head) == {"A1", "A2", "A3", "A4", "A5"}
    assert obligation_cases(outsider) == warning_cases(outsider) == {"B1"}


def test_an_officer_sees_the_duties_of_the_cases_they_handle(make_user):
    officer = make_user("wang", (Role.OFFICER, "U2"), person="P1")
    assert obligation_cases(officer) == {"A1", "A3", "A4", "A5"}
    assert warning_cases(officer) == {"A1", "A3", "A4", "A5"}


def test_a_linked_person_without_an_officer_grant_sees_nothing(make_user):
    linked = make_user("li", person="P2")
    assert not scope.visible_obligations(linked).exists()
    assert not scope.visible_warnings(linked).exists()


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR])
def test_administrators_see_no_duties_and_no_warnings(make_user, role):
    admin = make_user("admin", (role, "U1"))
    assert not scope.visible_obligations(admin).exists()
    assert not scope.visible_warnings(admin).exists()


def test_anonymous_sees_nothing(world):
    assert not scope.visible_obligations(AnonymousUser()).exists()
    assert not scope.visible_warnings(AnonymousUser()).exists()


def test_the_one_lookup_reads_out_of_scope_warnings_as_absent(head, outsider):
    b1 = Warning.objects.filter(case_id="B1").first()
    a1 = Obligation.objects.filter(case_id="A1").first()
    assert scope.get_visible_or_404(Warning, outsider, pk=b1.pk) == b1
    assert scope.get_visible_or_404(Obligation, head, pk=a1.pk) == a1
    with pytest.raises(Http404):
        scope.get_visible_or_404(Warning, head, pk=b1.pk)
    with pytest.raises(Http404):
        scope.get_visible_or_404(Obligation, outsider, pk=a1.pk)
