"""人员: the people of the user's units, filtered; a person's page lists their cases by
handler role, only as far as the user may see those cases."""

from __future__ import annotations

import re

import pytest
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db
PERSON_LINK = re.compile(r'<a href="/people/([\w-]+)/">')


def listed(client, query: str = "") -> list[str]:
    return PERSON_LINK.findall(client.get(f"/people/{query}").content.decode())


def test_the_list_shows_the_people_of_the_users_units(users):
    assert listed(signed_in(users["legal"]), "?sort=id") == ["P1", "P2", "P3"]
    assert listed(signed_in(users["head"]), "?sort=id") == ["P1", "P2"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?unit=U3", ["P3"]),
        ("?unit=U2&sort=id", ["P1", "P2"]),
        ("?role=officer&sort=id", ["P1", "P2", "P3"]),
        ("?role=legal_officer", []),
        ("?auxiliary=yes", []),
        ("?auxiliary=no&sort=-id", ["P3", "P2", "P1"]),
        ("?q=王", ["P1"]),
        ("?q=P2", ["P2"]),
    ],
)
def test_the_list_filters(users, query, expected):
    assert listed(signed_in(users["legal"]), query) == expected


def test_the_list_counts_cases_in_scope(users):
    text = signed_in(users["head"]).get("/people/?q=P2").content.decode()
    # P2 leads A2 and C1 and assists on A1
    assert re.search(r'<td class="num">2</td><td class="num">1</td>', text)


def test_the_person_page_lists_their_cases_by_role(users):
    text = signed_in(users["head"]).get("/people/P2/").content.decode()
    assert "<h1>人员 李某</h1>" in text
    assert "主办案件（2 起）" in text and "协办案件（1 起）" in text
    assert "/cases/A2/" in text and "/cases/C1/" in text and "/cases/A1/" in text


def test_the_person_page_shows_only_cases_the_user_may_see(make_user):
    from fazhi.apps.accounts.models import Role

    office_head = make_user("office-head", (Role.UNIT_HEAD, "U2"), (Role.LEGAL_OFFICER, "U4"))
    text = signed_in(office_head).get("/people/P2/").content.decode()
    assert "主办案件（2 起）" in text
    small = make_user("small", (Role.LEGAL_OFFICER, "U4"))
    assert signed_in(small).get("/people/P2/").status_code == 404  # P2 works in U2
