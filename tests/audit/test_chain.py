"""The audit trail: every import change is on a hash chain that `fazhi audit verify` walks,
and the database itself refuses to edit or delete entries."""

from __future__ import annotations

import json

import pytest
from django.db import DatabaseError, connection, transaction
from tests.support import EXAMPLE

from fazhi.apps.audit.models import AuditEntry, AuditHead
from fazhi.cli import main

pytestmark = pytest.mark.django_db


def verify(capsys) -> tuple[int, str]:
    code = main(["audit", "verify"])
    return code, capsys.readouterr().out


def import_example(capsys) -> None:
    assert main(["import", str(EXAMPLE), "--format", "json"]) == 0
    capsys.readouterr()


def drop_append_only_guard() -> None:
    """What an intruder with database access would do first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_no_update")
            cursor.execute("DROP TRIGGER audit_no_delete")


def test_every_imported_record_has_an_entry_with_actor_action_and_after(capsys):
    import_example(capsys)
    entries = AuditEntry.objects.filter(object_type="event")
    assert entries.count() == 21
    entry = entries.get(object_id="E-0031-03")
    assert (entry.actor, entry.action, entry.before) == ("import", "create", None)
    assert json.loads(entry.after)["kind"] == "criminal_detention"


def imported_entries() -> int:
    """Entries of the imported records and the batch (the patrol's own entries aside)."""
    patrol = AuditEntry.objects.filter(action="patrol.evaluate") | AuditEntry.objects.filter(
        object_type="warning"
    )
    return AuditEntry.objects.count() - patrol.count()


def test_an_intact_chain_verifies(capsys):
    import_example(capsys)
    code, out = verify(capsys)
    assert imported_entries() == 35
    assert code == 0 and f"共 {AuditEntry.objects.count()} 条" in out


def test_an_entry_edited_behind_the_applications_back_is_named(capsys):
    import_example(capsys)
    target = AuditEntry.objects.get(object_type="case", object_id="X-2026-0112", action="create")
    drop_append_only_guard()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET after = %s WHERE seq = %s",
            [target.after.replace("李某殴打他人案", "无事"), target.seq],
        )
    code, out = verify(capsys)
    assert code == 1
    assert f"第 {target.seq} 条" in out and "被改动" in out


def test_a_deleted_entry_in_the_middle_is_found(capsys):
    import_example(capsys)
    drop_append_only_guard()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = 10")
    code, out = verify(capsys)
    assert code == 1 and "第 10 条" in out


def test_entries_cut_from_the_end_are_found_through_the_head(capsys):
    import_example(capsys)
    drop_append_only_guard()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq > 30")
    code, out = verify(capsys)
    assert code == 1 and "末尾" in out


REFUSED = ["UPDATE audit_auditentry SET actor = 'x'", "DELETE FROM audit_auditentry"]
if connection.vendor == "postgresql":
    REFUSED.append("TRUNCATE audit_auditentry")


@pytest.mark.parametrize("sql", REFUSED)
def test_the_database_refuses_to_change_or_delete_entries(capsys, sql):
    import_example(capsys)
    with pytest.raises(DatabaseError, match="审计日志只能追加"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEntry.objects.count() == AuditHead.objects.get().last_seq
    assert imported_entries() == 35
