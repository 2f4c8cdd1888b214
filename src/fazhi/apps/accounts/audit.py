"""How account events read on the audit trail: one object type, canonical JSON after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fazhi.apps.audit.chain import Change, record
from fazhi.apps.audit.models import AuditAction
from fazhi.core.records import canonical_json

SYSTEM_ACTOR = "system"  # changes made by commands (demo, set-up), not by a signed-in user


def record_account(
    actor: str,
    action: AuditAction,
    username: str,
    at: datetime,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one account event; the caller's transaction holds the change it describes."""
    record(
        Change(
            actor=actor[:150],
            action=action.value,
            object_type="account",
            object_id=username[:64],
            before=None if before is None else canonical_json(before),
            after=None if after is None else canonical_json(after),
        ),
        at,
    )
