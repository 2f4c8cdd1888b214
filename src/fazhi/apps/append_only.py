"""Tables the database itself keeps append-only (the audit log, the points ledger).

Triggers, not application code, refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL), so even
a direct SQL session cannot rewrite history without first dropping them. Migrations call
`add` and `drop`; the statements depend on the backend of the connection they run on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AppendOnly:
    name: str  # prefix of the trigger and function names
    table: str
    message: str  # the error a refused statement raises, in Chinese

    def statements(self, vendor: str) -> list[str]:
        n, t, m = self.name, self.table, self.message
        if vendor == "postgresql":
            return [
                f"""
CREATE FUNCTION {n}_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{m}' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER {n}_no_update_delete BEFORE UPDATE OR DELETE ON {t}
    FOR EACH ROW EXECUTE FUNCTION {n}_refuse_change();
CREATE TRIGGER {n}_no_truncate BEFORE TRUNCATE ON {t}
    FOR EACH STATEMENT EXECUTE FUNCTION {n}_refuse_change();
"""
            ]
        if vendor == "sqlite":
            return [
                f"CREATE TRIGGER {n}_no_{verb.lower()} BEFORE {verb} ON {t} "
                f"BEGIN SELECT RAISE(ABORT, '{m}'); END;"
                for verb in ("UPDATE", "DELETE")
            ]
        return []

    def reverse(self, vendor: str) -> list[str]:
        n, t = self.name, self.table
        if vendor == "postgresql":
            return [
                f"DROP TRIGGER {n}_no_truncate ON {t}; "
                f"DROP TRIGGER {n}_no_update_delete ON {t}; DROP FUNCTION {n}_refuse_change();"
            ]
        if vendor == "sqlite":
            return [f"DROP TRIGGER {n}_no_update;", f"DROP TRIGGER {n}_no_delete;"]
        return []

    def add(self, apps, schema_editor) -> None:
        for sql in self.statements(schema_editor.connection.vendor):
            schema_editor.execute(sql)

    def drop(self, apps, schema_editor) -> None:
        for sql in self.reverse(schema_editor.connection.vendor):
            schema_editor.execute(sql)


AUDIT_LOG = AppendOnly("audit", "audit_auditentry", "审计日志只能追加，不能修改或删除")
LEDGER = AppendOnly(
    "ledger", "assessment_ledgerentry", "积分台账只能追加，不能修改或删除；更正请追加冲销记录"
)
