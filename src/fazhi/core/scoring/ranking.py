"""Ranking scores with the scheme's tie rules, and movement since the previous period.

People are ordered by score, then by each tie breaker the scheme names; whoever is still level
shares a rank (standard competition ranking: 1, 2, 2, 4). Movement is previous rank minus
current rank (positive = moved up); None for someone not ranked last period.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType


@dataclass(frozen=True)
class Standing:
    """What a ranking needs of one person: the score and its parts used by tie breakers."""

    person: str
    score: Decimal
    deductions: Decimal = Decimal(0)  # sum of negative entries (≤ 0)
    additions: Decimal = Decimal(0)  # sum of positive entries


@dataclass(frozen=True)
class Ranked:
    person: str
    score: Decimal
    rank: int
    movement: int | None


# Each breaker maps a standing to a value where smaller ranks higher.
TIE_BREAKERS: Mapping[str, tuple[str, Callable[[Standing], Decimal]]] = MappingProxyType(
    {
        "fewer_deductions": ("扣分少者在前", lambda s: -s.deductions),
        "more_additions": ("加分多者在前", lambda s: -s.additions),
    }
)


def rank(
    standings: Iterable[Standing],
    ties: tuple[str, ...] = (),
    previous: Mapping[str, int] | None = None,
) -> list[Ranked]:
    def order(s: Standing) -> tuple[Decimal, ...]:
        return (-s.score, *(TIE_BREAKERS[t][1](s) for t in ties))

    result: list[Ranked] = []
    last_key: tuple[Decimal, ...] | None = None
    current = 0
    for position, s in enumerate(sorted(standings, key=lambda s: (order(s), s.person)), 1):
        key = order(s)
        if key != last_key:
            current, last_key = position, key
        before = (previous or {}).get(s.person)
        result.append(
            Ranked(s.person, s.score, current, None if before is None else before - current)
        )
    return result
