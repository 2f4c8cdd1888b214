"""Appending to and verifying the hash chain of the audit log.

Each entry's hash covers its own fields and the previous entry's hash, so editing, removing
or reordering any entry breaks every hash after it. Writers hold a lock on the chain head
(one row) for the length of their transaction, so two writers never fork the chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from django.db import connection, transaction

from fazhi.apps.audit.models import AuditEntry, AuditHead
from fazhi.apps.bulk import bulk_insert

GENESIS = "0" * 64
_COLUMNS = (
    "seq",
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "batch_id",
    "prev_hash",
    "hash",
)


class Change(NamedTuple):
    """What happened, before it is given its place in the chain (a named tuple: an import
    makes one per record, and a tuple is made several times faster than a dataclass)."""

    actor: str
    action: str
    object_type: str
    object_id: str
    before: str | None  # canonical JSON
    after: str | None
    batch_id: int | None = None


def time_text(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(seq: int, at_text: str, change: Change, prev_hash: str) -> str:
    """SHA-256 over every field, each length-prefixed ("5:actor"; "-" for a missing before or
    after) so no two entries can read alike."""
    return _hash(seq, _Shared(at_text).of(change), change, prev_hash)


class _Shared:
    """The length-prefixed fields that the entries of one write mostly share (time, actor,
    action, type; batch), each spelled once: an import hashes one entry per record, and
    formatting the fields cost more than the SHA-256."""

    def __init__(self, at_text: str) -> None:
        self.at = f"{len(at_text)}:{at_text}"
        self._known: dict[tuple[str, str, str, int | None], tuple[str, str]] = {}

    def of(self, change: Change) -> tuple[str, str]:
        """(the fields between seq and object_id, the batch field)."""
        key = (change.actor, change.action, change.object_type, change.batch_id)
        found = self._known.get(key)
        if found is None:
            actor, action, object_type, batch_id = key
            batch = "" if batch_id is None else str(batch_id)
            found = self._known[key] = (
                f"{self.at}{len(actor)}:{actor}{len(action)}:{action}"
                f"{len(object_type)}:{object_type}",
                f"{len(batch)}:{batch}",
            )
        return found


def _hash(seq: int, shared: tuple[str, str], change: Change, prev_hash: str) -> str:
    number = str(seq)
    object_id, before, after = change.object_id, change.before, change.after
    payload = (
        f"{len(number)}:{number}{shared[0]}{len(object_id)}:{object_id}"
        f"{'-' if before is None else f'{len(before)}:{before}'}"
        f"{'-' if after is None else f'{len(after)}:{after}'}"
        f"{shared[1]}{len(prev_hash)}:{prev_hash}"
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def append(changes: Iterable[Change], at: datetime) -> int:
    """Append changes to the chain inside the caller's transaction; returns how many."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit entries must be written in the transaction of the change")
    head = AuditHead.objects.select_for_update().get(pk=1)
    seq, prev = head.last_seq, head.last_hash
    at_db = connection.ops.adapt_datetimefield_value(at)
    shared = _Shared(time_text(at))
    rows = []
    for change in changes:
        seq += 1
        digest = _hash(seq, shared.of(change), change, prev)
        actor, action, object_type, object_id, before, after, batch_id = change
        rows.append(
            (
                seq,
                at_db,
                actor,
                action,
                object_type,
                object_id,
                before,
                after,
                batch_id,
                prev,
                digest,
            )
        )
        prev = digest
    if not rows:
        return 0
    bulk_insert(AuditEntry._meta.db_table, _COLUMNS, rows)
    AuditHead.objects.filter(pk=1).update(last_seq=seq, last_hash=prev)
    return len(rows)


def record(change: Change, at: datetime) -> None:
    append([change], at)


@dataclass(frozen=True, slots=True)
class Break:
    seq: int
    reason: str


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("seq").iterator(chunk_size=5000)


def verify_chain() -> tuple[int, Break | None]:
    """Walk the chain from the start; the first entry that does not fit is named."""
    expected_seq, prev, count = 1, GENESIS, 0
    for entry in _entries():
        if entry.seq != expected_seq:
            return count, Break(
                expected_seq, f"缺少第 {expected_seq} 条记录（下一条是第 {entry.seq} 条）"
            )
        if entry.prev_hash != prev:
            return count, Break(entry.seq, "与前一条记录的哈希不衔接（前面的记录被改动或删除）")
        change = Change(
            entry.actor,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.before,
            entry.after,
            entry.batch_id,
        )
        if entry_hash(entry.seq, time_text(entry.at), change, prev) != entry.hash:
            return count, Break(entry.seq, "内容与哈希不符（该记录被改动）")
        prev, expected_seq, count = entry.hash, expected_seq + 1, count + 1
    head = AuditHead.objects.get(pk=1)
    if head.last_seq != count or head.last_hash != prev:
        return count, Break(
            count + 1, f"链尾与记录不符：应有 {head.last_seq} 条，实有 {count} 条（末尾记录被删除）"
        )
    return count, None
