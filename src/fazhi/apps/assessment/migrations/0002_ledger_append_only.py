"""Make the points ledger append-only in the database itself.

As for the audit log: triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL), so a
score can only change by a new entry — a reversal that points at the entry it cancels.
"""

from django.db import migrations

from fazhi.apps.append_only import LEDGER


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(LEDGER.add, LEDGER.drop)]
