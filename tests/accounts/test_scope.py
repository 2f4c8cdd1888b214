"""Scope by construction: a grant covers its unit's subtree, an officer sees the cases they
handle, the three administrators see no case data, and out of scope reads as absent."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import Client
from tests.accounts.conftest import signed_in

from fazhi.apps.accounts import scope
from fazhi.apps.accounts.models import Role
from fazhi.apps.cases.models import Case

pytestmark = pytest.mark.django_db
COUNT_ROW = re.compile(r"<tr><td>(\w+)</td><td class=\"num\">(\d+)</td></tr>")


def case_ids(user) -> set[str]:
    return set(scope.visible_cases(user).values_list("pk", flat=True))


def home_counts(user) -> dict[str, int]:
    text = signed_in(user).get("/").content.decode()
    return {label: int(n) for label, n in COUNT_ROW.findall(text)}


def test_anonymous_is_sent_to_sign_in_from_every_page(world):
    for url in ("/", "/cases/A1/"):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/login/")
    assert not scope.visible_cases(AnonymousUser()).exists()


def test_an_outsider_on_a_sibling_station_gets_404_and_counts_of_zero(make_user):
    outsider = make_user("outsider", (Role.UNIT_HEAD, "U3"))
    assert signed_in(outsider).get("/cases/A1/").status_code == 404
    counts = home_counts(outsider)
    assert counts["案件"] == counts["涉案人员"] == counts["办案事件"] == counts["警情"] == 0
    assert (counts["单位"], counts["人员"]) == (1, 1)  # their own station and its officer


def test_an_insider_sees_their_units_subtree(make_user):
    head = make_user("head", (Role.UNIT_HEAD, "U2"))
    assert case_ids(head) == {"A1", "A2", "C1"}
    response = signed_in(head).get("/cases/C1/")
    assert response.status_code == 200 and "甲警务室" in response.content.decode()
    counts = home_counts(head)
    assert (counts["单位"], counts["人员"], counts["案件"], counts["涉案人员"]) == (2, 2, 3, 1)


def test_the_legal_department_on_the_bureau_sees_everything(make_user):
    legal = make_user("legal", (Role.LEGAL_DEPARTMENT, "U1"))
    assert case_ids(legal) == {"A1", "A2", "C1"}
    assert home_counts(legal)["单位"] == 4


def test_an_officer_sees_only_the_cases_they_handle(make_user):
    officer = make_user("officer", (Role.OFFICER, "U2"), person="P1")
    assert case_ids(officer) == {"A1"}
    client = signed_in(officer)
    assert client.get("/cases/A1/").status_code == 200
    assert client.get("/cases/A2/").status_code == 404
    counts = home_counts(officer)
    assert (counts["案件"], counts["涉案人员"], counts["办案事件"], counts["警情"]) == (1, 1, 1, 1)
    assert counts["单位"] == counts["人员"] == counts["网格"] == 0


def test_an_officer_grant_without_a_person_or_a_person_without_the_grant_sees_nothing(make_user):
    assert case_ids(make_user("unlinked", (Role.OFFICER, "U2"))) == set()
    assert case_ids(make_user("ungranted", (Role.SYSTEM_ADMIN, "U1"), person="P2")) == set()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN])
def test_the_three_administrators_see_no_case_data(make_user, role):
    admin = make_user("admin", (role, "U1"))
    assert case_ids(admin) == set()
    assert signed_in(admin).get("/cases/A1/").status_code == 404
    assert set(home_counts(admin).values()) == {0}


def test_an_administrator_who_also_holds_a_business_role_sees_its_scope(make_user):
    admin = make_user("admin", (Role.SYSTEM_ADMIN, "U1"), (Role.LEGAL_OFFICER, "U4"))
    assert case_ids(admin) == {"C1"}


def test_import_batches_show_only_to_their_owners(make_user):
    legal = make_user("legal", (Role.LEGAL_DEPARTMENT, "U1"))
    head = make_user("head", (Role.UNIT_HEAD, "U2"))
    assert "最近导入批次" in signed_in(legal).get("/").content.decode()
    assert "最近导入批次" not in signed_in(head).get("/").content.decode()


def test_visible_cases_is_one_query_once_the_officer_grant_is_known(
    make_user, django_assert_num_queries
):
    officer = make_user("officer", (Role.OFFICER, "U2"), (Role.UNIT_HEAD, "U4"), person="P1")
    with django_assert_num_queries(2):  # the officer grant is asked once per user object
        assert case_ids(officer) == {"A1", "C1"}
    with django_assert_num_queries(1):
        assert case_ids(officer) == {"A1", "C1"}


def test_only_holders_of_an_officer_grant_read_through_their_own_cases(make_user):
    head = make_user("head", (Role.UNIT_HEAD, "U4"), person="P1")
    officer = make_user("officer", (Role.OFFICER, "U4"), person="P2")
    assert "cases_casehandler" not in str(scope.visible_cases(head).query)
    assert "cases_casehandler" in str(scope.visible_cases(officer).query)
    assert case_ids(head) == {"C1"} and case_ids(officer) == {"A1", "A2", "C1"}


def test_get_visible_or_404_treats_out_of_scope_as_absent(make_user):
    head = make_user("head", (Role.UNIT_HEAD, "U4"))
    assert scope.get_visible_or_404(Case, head, pk="C1").pk == "C1"
    with pytest.raises(Http404):
        scope.get_visible_or_404(Case, head, pk="A1")


@pytest.mark.parametrize("model", list(scope.VISIBLE))
def test_every_visible_query_is_empty_for_anonymous_and_administrators(make_user, model):
    admin = make_user("admin", (Role.AUDITOR, "U1"), (Role.SYSTEM_ADMIN, "U1"))
    assert not scope.VISIBLE[model](AnonymousUser()).exists()
    assert not scope.VISIBLE[model](admin).exists()
    assert scope.VISIBLE[model](make_user("legal", (Role.LEGAL_DEPARTMENT, "U1"))).exists()
