"""Every page as anonymous, outsider and insider, for reads and writes.

Anonymous goes to sign-in. An object out of scope reads as absent (404) — the case or person
of a sibling unit. A list shows only what is in scope. A page of a role the user does not hold
is refused (403). A refused write changes nothing and writes no audit entry.
"""

from __future__ import annotations

import pytest
from django.test import Client
from tests.web.conftest import signed_in

from fazhi.apps.accounts.models import Grant, Role
from fazhi.apps.audit.models import AuditEntry
from fazhi.apps.bureau.models import HolidayOverride, InternalStandard
from fazhi.apps.imports.models import ImportBatch

pytestmark = pytest.mark.django_db

OBJECT_PAGES = ["/cases/A1/", "/people/P1/"]
LIST_PAGES = [("/cases/", "A1"), ("/people/", "王某")]
ROLE_PAGES = [
    # (url, a user whose role the page is for, a signed-in user without that role)
    ("/cases/", "officer", "auditor"),
    ("/people/", "head", "officer"),
    ("/imports/", "legal", "head"),
    ("/imports/", "system", "leader"),
    ("/imports/templates/xlsx/", "legal", "officer"),
    ("/audit/", "auditor", "legal"),
    ("/audit/1/", "auditor", "security"),
    ("/system/users/", "security", "legal"),
    ("/assessment/inputs/", "head", "officer"),
    ("/assessment/talent/", "head", "officer"),
    ("/assessment/crowding/", "head", "officer"),
]
OPEN_PAGES = [
    "/",
    "/system/",
    "/system/catalogue/",
    "/system/catalogue/JL-01/",
    "/system/law/",
    "/system/law/criminal-procedure-law-2018/",
    "/system/holidays/",
    "/system/standards/",
]
ALL_GETS = sorted(
    {*OBJECT_PAGES, *(u for u, _ in LIST_PAGES), *(u for u, _, _ in ROLE_PAGES), *OPEN_PAGES}
)
ALL_POSTS = [
    "/cases/A1/subjects/S2/reveal/",
    "/imports/",
    "/audit/verify/",
    "/system/users/",
    "/system/users/1/grant/",
    "/system/users/1/grants/1/revoke/",
    "/system/users/1/person/",
    "/system/holidays/",
    "/system/standards/",
]


def audit_count() -> int:
    return AuditEntry.objects.count()


@pytest.mark.parametrize("url", ALL_GETS)
def test_anonymous_is_sent_to_sign_in_from_every_page(world, url):
    response = Client().get(url)
    assert response.status_code == 302 and response.url.startswith("/login/?next=")


@pytest.mark.parametrize("url", ALL_POSTS)
def test_anonymous_writes_are_sent_to_sign_in_and_change_nothing(world, url):
    before = audit_count()
    response = Client().post(url, {"action": "set", "day": "2026-05-06", "workday": "1"})
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert audit_count() == before and not HolidayOverride.objects.exists()


def main_of(response) -> str:
    """The page's content: the header's random CSRF token may spell any short id."""
    page = response.content.decode()
    return page[page.index("<main>") :]


@pytest.mark.parametrize("url", OBJECT_PAGES)
def test_an_outsider_of_a_sibling_unit_gets_404_and_an_insider_200(users, url):
    assert signed_in(users["outsider"]).get(url).status_code == 404
    assert signed_in(users["head"]).get(url).status_code == 200
    assert signed_in(users["legal"]).get(url).status_code == 200


@pytest.mark.parametrize("url, marker", LIST_PAGES)
def test_lists_show_an_insider_their_units_and_an_outsider_nothing_of_them(users, url, marker):
    inside = signed_in(users["head"]).get(url)
    outside = signed_in(users["outsider"]).get(url)
    assert inside.status_code == outside.status_code == 200
    assert marker in main_of(inside)
    assert marker not in main_of(outside)


@pytest.mark.parametrize("url, allowed, refused", ROLE_PAGES)
def test_role_pages_are_refused_to_other_roles(users, url, allowed, refused):
    assert signed_in(users[allowed]).get(url).status_code == 200
    response = signed_in(users[refused]).get(url)
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


@pytest.mark.parametrize("url", OPEN_PAGES)
@pytest.mark.parametrize("who", ["officer", "auditor", "head"])
def test_reference_pages_open_to_every_signed_in_user(users, url, who):
    assert signed_in(users[who]).get(url).status_code == 200


def test_the_officer_reads_only_the_cases_they_handle(users):
    client = signed_in(users["officer"])
    assert client.get("/cases/A1/").status_code == 200
    assert client.get("/cases/A2/").status_code == 404
    text = main_of(client.get("/cases/"))
    assert "A1" in text and "A2" not in text and "B1" not in text


def test_import_batches_are_for_the_import_roles(users):
    batch = ImportBatch.objects.get()
    assert signed_in(users["legal"]).get(f"/imports/{batch.pk}/").status_code == 200
    assert signed_in(users["head"]).get(f"/imports/{batch.pk}/").status_code == 403


# Writes ---------------------------------------------------------------------------------


def test_revealing_a_subject_outside_scope_is_404_and_unaudited(users):
    before = audit_count()
    response = signed_in(users["outsider"]).post("/cases/A1/subjects/S2/reveal/")
    assert response.status_code == 404 and audit_count() == before
    # A subject of another case, named under a case in scope, is absent too.
    response = signed_in(users["leader"]).post("/cases/A1/subjects/S3/reveal/")
    assert response.status_code == 404 and audit_count() == before


def test_revealing_a_subject_in_scope_is_audited(users):
    before = audit_count()
    response = signed_in(users["leader"]).post("/cases/A1/subjects/S2/reveal/")
    assert response.status_code == 302 and response.url == "/cases/A1/#subject-S2"
    assert audit_count() == before + 1


def test_uploading_is_refused_to_roles_that_do_not_import(users, write_jsonl):
    path = write_jsonl([{"type": "unit", "id": "U9", "name": "新所", "kind": "station"}])
    with path.open("rb") as fh:
        response = signed_in(users["head"]).post("/imports/", {"files": fh})
    assert response.status_code == 403 and ImportBatch.objects.count() == 1


def test_verifying_the_chain_is_for_the_auditor(users):
    assert signed_in(users["legal"]).post("/audit/verify/").status_code == 403
    assert signed_in(users["auditor"]).post("/audit/verify/").status_code == 200


def test_creating_accounts_is_for_the_security_administrator(users):
    data = {"username": "new", "password1": "Xq7!long-enough2", "password2": "Xq7!long-enough2"}
    before = audit_count()
    assert signed_in(users["legal"]).post("/system/users/", data).status_code == 403
    assert audit_count() == before
    assert signed_in(users["security"]).post("/system/users/", data).status_code == 302
    assert audit_count() > before


def test_a_security_administrator_of_a_sibling_cannot_grant_or_revoke_outside(users):
    head, before = users["head"], audit_count()
    grant = Grant.objects.get(user=head)
    outsider = signed_in(users["outside_security"])
    response = outsider.post(
        f"/system/users/{head.pk}/grant/", {"role": Role.LEGAL_OFFICER, "unit": "U2"}
    )
    assert response.status_code == 400  # U2 is not among the units they administer
    outsider.post(f"/system/users/{head.pk}/grants/{grant.pk}/revoke/")
    outsider.post(f"/system/users/{head.pk}/person/", {"person": "P1"})
    assert Grant.objects.filter(user=head).count() == 1 and audit_count() == before
    assert not hasattr(head, "account") or head.account.person_id is None


def test_a_security_administrator_above_grants_revokes_and_links(users):
    head = users["head"]
    client = signed_in(users["security"])
    response = client.post(
        f"/system/users/{head.pk}/grant/", {"role": Role.LEGAL_OFFICER, "unit": "U4"}
    )
    assert response.status_code == 302
    assert Grant.objects.filter(user=head, role=Role.LEGAL_OFFICER, unit_id="U4").exists()
    grant = Grant.objects.get(user=head, role=Role.UNIT_HEAD)
    client.post(f"/system/users/{head.pk}/grants/{grant.pk}/revoke/")
    assert not Grant.objects.filter(pk=grant.pk).exists()
    client.post(f"/system/users/{head.pk}/person/", {"person": "P2"})
    head.refresh_from_db()
    assert head.account.person_id == "P2"


@pytest.mark.parametrize("who", ["head", "leader", "outsider", "system"])
def test_settings_writes_are_refused_to_all_but_the_legal_department(users, who):
    before = audit_count()
    client = signed_in(users[who])
    holiday = {"action": "set", "day": "2026-05-06", "workday": "1", "note": "x"}
    assert client.post("/system/holidays/", holiday).status_code == 403
    standard = {"code": "DB-01", "action": "set", "hours": "12"}
    assert client.post("/system/standards/", standard).status_code == 403
    assert not HolidayOverride.objects.exists() and not InternalStandard.objects.exists()
    assert audit_count() == before


def test_the_legal_department_changes_settings(users):
    client = signed_in(users["legal"])
    holiday = {"action": "set", "day": "2026-05-06", "workday": "1", "note": "本局值班"}
    assert client.post("/system/holidays/", holiday).status_code == 302
    assert HolidayOverride.objects.get().workday is True


@pytest.mark.parametrize(
    "url", ["/cases/A1/subjects/S2/reveal/", "/imports/", "/audit/verify/", "/system/holidays/"]
)
def test_writes_without_the_csrf_token_are_refused(users, url):
    for who in ("leader", "legal", "auditor"):
        client = Client(enforce_csrf_checks=True)
        client.force_login(users[who])
        assert client.post(url, {}).status_code == 403
