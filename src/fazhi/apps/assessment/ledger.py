"""Posting to the points ledger: what a recompute changes, as new entries only.

A recompute scores a scheme for a period from the store and compares each award with the live
entry of the same key (an entry that is neither a reversal nor reversed). An unchanged award
posts nothing; a changed or vanished one is reversed (and the new award posted); a new one is
posted. Keys settled by a correction (an upheld appeal, a legal-department correction) stay
out, so a recompute never brings back what a decision took off the ledger.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Sum

from fazhi.apps.assessment.models import EntryKind, LedgerEntry
from fazhi.apps.audit.chain import Change, append
from fazhi.apps.audit.models import AuditAction, AuditHead
from fazhi.core.records import canonical_json
from fazhi.core.scoring import AssessmentPeriod, Award, Scheme, Standing


@dataclass(frozen=True)
class Posting:
    posted: int
    reversed: int


def entry_json(entry: LedgerEntry) -> dict[str, object]:
    return {
        "person": entry.person_id,
        "scheme": entry.scheme,
        "scheme_version": entry.scheme_version,
        "period": entry.period,
        "item": entry.item,
        "key": entry.key,
        "kind": entry.kind,
        "points": str(entry.points),
        "reason": entry.reason,
        "sources": entry.sources,
        "reverses": entry.reverses_id,
    }


def lock() -> None:
    """Serialise writers of the ledger: two recomputes of one period must not both see the
    same live entries and both post the change. The audit chain's head is the lock, since
    every posting takes it anyway (later, to append its audit entries)."""
    AuditHead.objects.select_for_update().get(pk=1)


def live_entries(scheme: str, period: str) -> dict[tuple[str, str], LedgerEntry]:
    """The entries that currently count, by (person, key)."""
    rows = LedgerEntry.objects.filter(
        scheme=scheme, period=period, kind=EntryKind.AWARD, reversed_by__isnull=True
    )
    return {(e.person_id, e.key): e for e in rows}


def settled_keys(scheme: str, period: str) -> set[tuple[str, str]]:
    rows = LedgerEntry.objects.filter(scheme=scheme, period=period, kind=EntryKind.CORRECTION)
    return set(rows.values_list("person_id", "key"))


def post_awards(
    scheme: Scheme,
    period: AssessmentPeriod,
    awards: Iterable[Award],
    *,
    actor: str,
    at: datetime,
) -> Posting:
    lock()
    live = live_entries(scheme.code, period.text)
    settled = settled_keys(scheme.code, period.text)
    wanted = {(a.person, a.key): a for a in awards if (a.person, a.key) not in settled}
    reversals = [
        reversal(e, EntryKind.REVERSAL, "重算：计分依据已变化", actor=actor, at=at)
        for k, e in live.items()
        if k not in wanted or not _same(e, scheme, wanted[k])
    ]
    fresh = [
        LedgerEntry(
            person_id=a.person,
            scheme=scheme.code,
            scheme_version=scheme.version,
            period=period.text,
            item=a.item,
            key=a.key,
            kind=EntryKind.AWARD,
            points=a.points,
            reason=a.reason,
            sources=list(a.sources),
            at=at,
            actor=actor,
        )
        for k, a in wanted.items()
        if k not in live or not _same(live[k], scheme, a)
    ]
    write_entries(reversals + fresh, actor=actor, at=at)
    return Posting(len(fresh), len(reversals))


def _same(entry: LedgerEntry, scheme: Scheme, award: Award) -> bool:
    return (
        entry.points == award.points
        and entry.reason == award.reason
        and entry.sources == list(award.sources)
        and entry.scheme_version == scheme.version
        and entry.item == award.item
    )


def reversal(
    entry: LedgerEntry, kind: EntryKind, why: str, *, actor: str, at: datetime
) -> LedgerEntry:
    """The entry that cancels `entry`: the same key and item, the opposite points."""
    return LedgerEntry(
        person_id=entry.person_id,
        scheme=entry.scheme,
        scheme_version=entry.scheme_version,
        period=entry.period,
        item=entry.item,
        key=entry.key,
        kind=kind,
        points=-entry.points,
        reason=f"{why}（冲销第 {entry.pk} 条：{entry.reason}）",
        sources=entry.sources,
        reverses=entry,
        at=at,
        actor=actor,
    )


def write_entries(entries: list[LedgerEntry], *, actor: str, at: datetime) -> None:
    """Insert entries and put each on the audit trail, in the caller's transaction."""
    if not entries:
        return
    LedgerEntry.objects.bulk_create(entries, batch_size=2000)
    append(
        (
            Change(
                actor=actor[:150],
                action=AuditAction.CREATE.value,
                object_type="ledger_entry",
                object_id=str(e.pk),
                before=None,
                after=canonical_json(entry_json(e)),
            )
            for e in entries
        ),
        at,
    )


def standings(scheme: str, period: str) -> dict[str, Standing]:
    """Each person's score (the sum of all their entries) and the parts tie rules use."""
    rows = LedgerEntry.objects.filter(scheme=scheme, period=period)
    totals = dict(rows.values("person_id").annotate(s=Sum("points")).values_list("person_id", "s"))
    live = rows.filter(kind=EntryKind.AWARD, reversed_by__isnull=True)
    minus = dict(
        live.filter(points__lt=0)
        .values("person_id")
        .annotate(s=Sum("points"))
        .values_list("person_id", "s")
    )
    plus = dict(
        live.filter(points__gt=0)
        .values("person_id")
        .annotate(s=Sum("points"))
        .values_list("person_id", "s")
    )
    return {
        person: Standing(
            person, Decimal(score), Decimal(minus.get(person, 0)), Decimal(plus.get(person, 0))
        )
        for person, score in totals.items()
    }
