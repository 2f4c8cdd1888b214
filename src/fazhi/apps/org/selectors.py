"""Reads of the org tree. A grant on a unit covers its subtree, so this is the scope primitive."""

from __future__ import annotations

from django.db.models import QuerySet

from fazhi.apps.org.models import Unit, UnitClosure


def subtree(unit_id: str) -> QuerySet[UnitClosure, str]:
    """Ids of a unit and every unit below it, as a subquery: `filter(unit__in=subtree(u))`."""
    return UnitClosure.objects.filter(ancestor_id=unit_id).values("descendant_id")


def ancestors(unit_id: str) -> list[Unit]:
    """The chain from the unit up to the bureau, nearest first (for escalation)."""
    pairs = (
        UnitClosure.objects.filter(descendant_id=unit_id)
        .select_related("ancestor")
        .order_by("depth")
    )
    return [pair.ancestor for pair in pairs]
