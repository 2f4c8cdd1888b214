"""Start the chain and make the log append-only in the database itself.

Triggers, not application code, refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL), so
even a direct SQL session cannot rewrite history without first dropping them — and dropping
them does not help, because `fazhi audit verify` still finds the edit through the hash chain.
"""

from django.db import migrations

GENESIS = "0" * 64
MESSAGE = "审计日志只能追加，不能修改或删除"

POSTGRES_SQL = f"""
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
"""
POSTGRES_REVERSE = """
DROP TRIGGER audit_no_truncate ON audit_auditentry;
DROP TRIGGER audit_no_update_delete ON audit_auditentry;
DROP FUNCTION audit_refuse_change();
"""
SQLITE_SQL = [
    f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditentry BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_auditentry BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_REVERSE = ["DROP TRIGGER audit_no_update;", "DROP TRIGGER audit_no_delete;"]


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


def create_head(apps, schema_editor):
    apps.get_model("audit", "AuditHead").objects.create(id=1, last_seq=0, last_hash=GENESIS)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
