"""Make the points ledger append-only in the database itself.

As for the audit log: triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL), so a
score can only change by a new entry — a reversal that points at the entry it cancels.
"""

from django.db import migrations

MESSAGE = "积分台账只能追加，不能修改或删除；更正请追加冲销记录"

POSTGRES_SQL = f"""
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER ledger_no_update_delete BEFORE UPDATE OR DELETE ON assessment_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON assessment_ledgerentry
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
"""
POSTGRES_REVERSE = """
DROP TRIGGER ledger_no_truncate ON assessment_ledgerentry;
DROP TRIGGER ledger_no_update_delete ON assessment_ledgerentry;
DROP FUNCTION ledger_refuse_change();
"""
SQLITE_SQL = [
    f"CREATE TRIGGER ledger_no_update BEFORE UPDATE ON assessment_ledgerentry BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER ledger_no_delete BEFORE DELETE ON assessment_ledgerentry BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_REVERSE = ["DROP TRIGGER ledger_no_update;", "DROP TRIGGER ledger_no_delete;"]


def add_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": [POSTGRES_SQL], "sqlite": SQLITE_SQL}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": [POSTGRES_REVERSE], "sqlite": SQLITE_REVERSE}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(add_triggers, drop_triggers)]
