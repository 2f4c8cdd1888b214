"""审计: the auditor searches the log and verifies the chain from the page."""

from __future__ import annotations

import re

import pytest
from tests.web.conftest import signed_in

from fazhi.apps.audit.chain import Break
from fazhi.apps.audit.models import AuditEntry
from fazhi.web.views import audit as audit_views

pytestmark = pytest.mark.django_db
ROW = re.compile(r'<a href="/audit/(\d+)/">')


def seqs(client, query: str = "") -> list[int]:
    return [int(s) for s in ROW.findall(client.get(f"/audit/{query}").content.decode())]


def test_the_log_is_newest_first_and_paged(users):
    client = signed_in(users["auditor"])
    total = AuditEntry.objects.count()
    assert seqs(client) == list(range(total, max(total - 50, 0), -1))
    assert f"共 {total} 条" in client.get("/audit/").content.decode()


@pytest.mark.parametrize(
    "query, where",
    [
        ("?actor=system", {"actor": "system"}),
        ("?action=grant", {"action": "grant"}),
        ("?object_type=case&object_id=A1", {"object_type": "case", "object_id": "A1"}),
        ("?object_type=account", {"object_type": "account"}),
    ],
)
def test_the_log_is_searchable(users, query, where):
    expected = list(
        AuditEntry.objects.filter(**where).order_by("-seq").values_list("seq", flat=True)
    )
    assert expected and seqs(signed_in(users["auditor"]), query) == expected[:50]


def test_the_log_filters_by_date(users):
    client = signed_in(users["auditor"])
    assert seqs(client, "?at_to=2000-01-01") == []
    assert len(seqs(client, "?at_from=2000-01-01")) == min(AuditEntry.objects.count(), 50)


def test_an_entry_shows_before_and_after(users):
    entry = AuditEntry.objects.filter(object_type="case", object_id="A1").first()
    text = signed_in(users["auditor"]).get(f"/audit/{entry.seq}/").content.decode()
    assert f"审计记录 {entry.seq}" in text and "甲所盗窃案" in text and entry.hash in text


def test_verifying_an_intact_chain(users):
    text = signed_in(users["auditor"]).post("/audit/verify/").content.decode()
    assert f"审计链完好：共 {AuditEntry.objects.count()} 条记录" in text


def test_verifying_a_broken_chain_names_the_entry(users, monkeypatch):
    monkeypatch.setattr(
        audit_views, "verify_chain", lambda: (6, Break(7, "内容与哈希不符（该记录被改动）"))
    )
    text = signed_in(users["auditor"]).post("/audit/verify/").content.decode()
    assert "审计链已被破坏：第 7 条记录，内容与哈希不符（该记录被改动）" in text
