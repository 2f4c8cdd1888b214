"""Start the chain and make the log append-only in the database itself.

Triggers, not application code, refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL), so
even a direct SQL session cannot rewrite history without first dropping them — and dropping
them does not help, because `fazhi audit verify` still finds the edit through the hash chain.
"""

from django.db import migrations

from fazhi.apps.append_only import AUDIT_LOG

GENESIS = "0" * 64


def create_head(apps, schema_editor):
    apps.get_model("audit", "AuditHead").objects.create(id=1, last_seq=0, last_hash=GENESIS)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(AUDIT_LOG.add, AUDIT_LOG.drop),
    ]
