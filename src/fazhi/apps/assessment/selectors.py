"""Reads of the ledger and rankings for commands and pages."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fazhi.apps.assessment import ledger
from fazhi.apps.assessment.models import LedgerEntry, RankingSnapshot
from fazhi.apps.assessment.schemes import period_of, scheme_for
from fazhi.apps.assessment.store import people
from fazhi.core.scoring import Standing, rank
from fazhi.core.scoring.engine import group_of


@dataclass(frozen=True)
class RankingLine:
    person: str
    name: str
    unit: str
    sequence: str | None
    group: str
    score: Decimal
    rank: int
    movement: int | None


def is_computed(scheme: str, period: str) -> bool:
    return LedgerEntry.objects.filter(scheme=scheme, period=period).exists()


def ranking(scheme_code: str, period_text: str, sequence: str | None = None) -> list[RankingLine]:
    """The ranking as the ledger stands now, each group ranked apart (sequence, unit or grid),
    ordered by rank; `sequence` keeps the people of one sequence, with the ranks they hold in
    their groups."""
    period = period_of(period_text)
    scheme = scheme_for(scheme_code, period)
    standings = ledger.standings(scheme.code, period.text)
    persons = people(scheme)
    groups: dict[str, list[Standing]] = {}
    for p in persons:
        row = standings.get(p.id) or Standing(p.id, Decimal(0))
        groups.setdefault(group_of(scheme, p), []).append(row)
    by_id = {p.id: p for p in persons}
    lines = []
    for group, rows in groups.items():
        previous = last_ranks(scheme.code, period.previous().text, group)
        for r in rank(rows, scheme.ties, previous):
            p = by_id[r.person]
            lines.append(
                RankingLine(p.id, p.name, p.unit, p.sequence, group, r.score, r.rank, r.movement)
            )
    kept = (line for line in lines if sequence is None or line.sequence == sequence)
    return sorted(kept, key=lambda line: (line.rank, line.group, line.person))


def last_ranks(scheme: str, period: str, group: str) -> dict[str, int]:
    """Ranks in the latest snapshot of a group (the base of movement)."""
    snapshot = (
        RankingSnapshot.objects.filter(scheme=scheme, period=period, group=group)
        .order_by("-taken_at", "-pk")
        .first()
    )
    if snapshot is None:
        return {}
    return dict(snapshot.rows.values_list("person_id", "rank"))


def entries(person: str, period: str, scheme: str | None = None) -> list[LedgerEntry]:
    rows = LedgerEntry.objects.filter(person_id=person, period=period)
    if scheme is not None:
        rows = rows.filter(scheme=scheme)
    return list(rows.order_by("pk"))
