"""Widen `action` (patrol and warning actions are longer) and drop its choices (labels live in
`AuditAction`; a new action needs no migration). On SQLite Django rebuilds the table to
alter a column, which drops its triggers: they are created again here."""

from django.db import migrations, models

from fazhi.apps.append_only import AUDIT_LOG


def sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in AUDIT_LOG.statements("sqlite"):
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_head_and_append_only")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(max_length=64, verbose_name="操作"),
        ),
        migrations.RunPython(sqlite_triggers, migrations.RunPython.noop),
    ]
