"""Where a case stands, read from its events: CEIF has no status field, so the furthest
procedural act recorded decides (the first of `STATUSES` the case has an event for).

Lists read it as one integer per case (`status_rank`) from a subquery over that case's own
events only, so the database walks the (case, at) index: a correlated EXISTS per status let
SQLite pick the (kind, at) index instead and scan every event of a kind for every case.
"""

from __future__ import annotations

from django.db.models import Case as Switch
from django.db.models import IntegerField, Max, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from fazhi.apps.cases.models import Case, Event

# (status key, label, event kinds that put a case there), furthest first.
STATUSES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("closed", "已结案", ("closed",)),
    ("not_filed", "不予立案", ("not_filed",)),
    ("prosecution", "已移送起诉", ("transferred_for_prosecution",)),
    ("transferred", "已移送管辖", ("transferred",)),
    ("decided", "已作出处罚决定", ("penalty_decided",)),
    ("filed", "已立案", ("filed",)),
)
OPEN = ("open", "已受案")
STATUS_LABELS: dict[str, str] = {key: label for key, label, _ in STATUSES} | dict([OPEN])
STATUS_CHOICES: list[tuple[str, str]] = list(STATUS_LABELS.items())
# The furthest status has the highest rank; a case with none of those events ranks 0 (open).
RANKS: dict[str, int] = {key: len(STATUSES) - i for i, (key, _, _) in enumerate(STATUSES)} | {
    OPEN[0]: 0
}
BY_RANK: dict[int, str] = {rank: key for key, rank in RANKS.items()}


def with_status(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate `status_rank` (see RANKS); `status_key(rank)` names it. Idempotent."""
    if "status_rank" in cases.query.annotations:
        return cases
    rank = Switch(
        *(When(kind__in=kinds, then=Value(RANKS[key])) for key, _, kinds in STATUSES),
        default=Value(0),
        output_field=IntegerField(),
    )
    furthest = (
        Event.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(rank=Max(rank))
        .values("rank")
    )
    return cases.annotate(
        status_rank=Coalesce(Subquery(furthest, output_field=IntegerField()), Value(0))
    )


def status_key(rank: int) -> str:
    return BY_RANK[rank]


def status_of(event_kinds: set[str]) -> str:
    """The status of one case whose event kinds are already read (the case page)."""
    for key, _, kinds in STATUSES:
        if event_kinds.intersection(kinds):
            return key
    return OPEN[0]
