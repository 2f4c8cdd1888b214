"""Posting to the points ledger: what a recompute changes, as new entries only.

A recompute scores a scheme for a period from the store and compares each award with the live
entry of the same key (an entry that is neither a reversal nor reversed). An unchanged award
posts nothing; a changed or vanished one is reversed (and the new award posted); a new one is
posted. Keys settled by a correction (an upheld appeal, a legal-department correction) stay
out, so a recompute never brings back what a decision took off the ledger.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Sum

from fazhi.apps.assessment.models import EntryKind, LedgerEntry
from fazhi.apps.audit.chain import Change, append
from fazhi.apps.audit.models import AuditAction, AuditHead
from fazhi.apps.bulk import Adapt, bulk_insert
from fazhi.apps.patrol.timelines import Rows
from fazhi.core.records import canonical_json
from fazhi.core.scoring import AssessmentPeriod, Award, Scheme, Standing
from fazhi.core.scoring.scorers import CENT


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


def settled_keys(scheme: str, period: str) -> set[tuple[str, str]]:
    rows = LedgerEntry.objects.filter(scheme=scheme, period=period, kind=EntryKind.CORRECTION)
    return set(rows.values_list("person_id", "key"))


@dataclass(frozen=True)
class Live:
    """An entry that currently counts (an award neither reversal nor reversed), as read for
    comparison: plain values, since a city year holds a million of them."""

    pk: int
    period: str
    person: str
    key: str
    item: str
    scheme_version: str
    points: Decimal
    reason: str
    sources: list[str]

    def same(self, scheme: Scheme, award: Award) -> bool:
        return (
            self.points == award.points
            and self.reason == award.reason
            and self.sources == list(award.sources)
            and self.scheme_version == scheme.version
            and self.item == award.item
        )


Key = tuple[str, str, str]  # period, person, award key


def _standing(
    scheme: str, periods: Collection[str], persons: Collection[str] | None
) -> tuple[dict[Key, Live], set[Key]]:
    """The live entries and the keys settled by a correction, of these periods (and people)."""
    table = connection.ops.quote_name(LedgerEntry._meta.db_table)
    marks = ", ".join(["%s"] * len(periods))
    who = f"AND e.person_id IN ({', '.join(['%s'] * len(persons))})" if persons is not None else ""
    sql = f"""
        SELECT e.id, e.kind, e.period, e.person_id, e.key, e.item, e.scheme_version,
               e.points, e.reason, e.sources
        FROM {table} e
        WHERE e.scheme = %s AND e.period IN ({marks}) {who}
          AND (e.kind = %s OR (e.kind = %s AND NOT EXISTS (
                SELECT 1 FROM {table} r WHERE r.reverses_id = e.id)))
    """
    params = [scheme, *periods, *(sorted(persons) if persons is not None else [])]
    live: dict[Key, Live] = {}
    settled: set[Key] = set()
    rows = Rows()
    for pk, kind, period, person, key, item, version, points, reason, sources in rows.fetch(
        sql, [*params, EntryKind.CORRECTION.value, EntryKind.AWARD.value]
    ):
        if kind == EntryKind.CORRECTION:
            settled.add((period, person, key))
        else:
            value = Decimal(str(points)).quantize(CENT)
            entry = Live(pk, period, person, key, item, version, value, reason, rows.data(sources))
            live[period, person, key] = entry
    return live, settled


def post_awards(
    scheme: Scheme,
    period: AssessmentPeriod,
    awards: Iterable[Award],
    *,
    actor: str,
    at: datetime,
) -> Posting:
    """Post what a recompute of the whole period changed."""
    return post_periods(scheme, {period: awards}, actor=actor, at=at)


def post_periods(
    scheme: Scheme,
    awards: Mapping[AssessmentPeriod, Iterable[Award]],
    *,
    actor: str,
    at: datetime,
    persons: Collection[str] | None = None,
) -> Posting:
    """Post what changed in each period, in one write; `persons` limits the comparison to the
    entries of these people (the awards then are theirs alone: an incremental update)."""
    lock()
    live, settled = _standing(scheme.code, [p.text for p in awards], persons)
    wanted = {
        (period.text, a.person, a.key): a
        for period, period_awards in awards.items()
        for a in period_awards
        if (period.text, a.person, a.key) not in settled
    }
    why = "重算：计分依据已变化"
    reversals = [
        {
            **_fields(scheme.code, e.scheme_version, e.period, e.person, e.item, e.key),
            "kind": EntryKind.REVERSAL.value,
            "points": str(-e.points),
            "reason": f"{why}（冲销第 {e.pk} 条：{e.reason}）",
            "sources": e.sources,
            "reverses": e.pk,
        }
        for k, e in live.items()
        if k not in wanted or not e.same(scheme, wanted[k])
    ]
    fresh = [
        {
            **_fields(scheme.code, scheme.version, period, a.person, a.item, a.key),
            "kind": EntryKind.AWARD.value,
            "points": str(a.points),
            "reason": a.reason,
            "sources": list(a.sources),
            "reverses": None,
        }
        for (period, _, _), a in wanted.items()
        if (period, a.person, a.key) not in live
        or not live[period, a.person, a.key].same(scheme, a)
    ]
    _insert(reversals + fresh, actor=actor, at=at)
    return Posting(len(fresh), len(reversals))


def _fields(
    scheme: str, version: str, period: str, person: str, item: str, key: str
) -> dict[str, object]:
    return {
        "person": person,
        "scheme": scheme,
        "scheme_version": version,
        "period": period,
        "item": item,
        "key": key,
    }


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
    """Insert entries and put each on the audit trail, in the caller's transaction (which
    holds `lock`)."""
    _insert([entry_json(e) for e in entries], actor=actor, at=at)


_COLUMNS = (
    "id",
    "person_id",
    "scheme",
    "scheme_version",
    "period",
    "item",
    "key",
    "kind",
    "points",
    "reason",
    "sources",
    "reverses_id",
    "at",
    "actor",
)


def _insert(entries: list[dict[str, object]], *, actor: str, at: datetime) -> None:
    """Entries (as `entry_json` writes them) inserted in bulk, each audited. The ids are
    given here: the caller holds the ledger's lock, and the audit entries name them."""
    if not entries:
        return
    table = LedgerEntry._meta.db_table
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted}")
        first = cursor.fetchone()[0] + 1
    adapt = Adapt(connection.vendor)
    when = adapt.time(at)
    rows = [
        (
            first + n,
            e["person"],
            e["scheme"],
            e["scheme_version"],
            e["period"],
            e["item"],
            e["key"],
            e["kind"],
            e["points"],
            e["reason"],
            adapt.json(e["sources"]),
            e["reverses"],
            when,
            actor,
        )
        for n, e in enumerate(entries)
    ]
    bulk_insert(table, _COLUMNS, rows)
    if connection.vendor == "postgresql":  # the identity goes on after the ids given
        with connection.cursor() as cursor:
            sequence = "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)"
            cursor.execute(sequence, [quoted, first + len(entries) - 1])
    append(
        (
            Change(
                actor=actor[:150],
                action=AuditAction.CREATE.value,
                object_type="ledger_entry",
                object_id=str(first + n),
                before=None,
                after=canonical_json(e),
            )
            for n, e in enumerate(entries)
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
