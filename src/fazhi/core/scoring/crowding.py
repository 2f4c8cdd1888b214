"""End-of-period crowding (考核末期扎堆办案): the share of a period's case closures that fall in
its last weeks, against the owner's own history and against their peers.

The seed asks the bureau to 防止考核末期扎堆办案现象的发生 (000_6a5e4927f54c54ea.txt): officers who
hold their cases back and close them in a rush before the count. The measure, for one owner (a
person: the lead handler; or a unit: the case's unit) and one period:

    share = closures in the period's last `tail_days` days / closures in the period

The rule that makes a figure a warning (all must hold):

1. enough closures: n ≥ `min_closures` (a share of 3 of 4 says nothing);
2. enough history: the owner has a share in at least `min_history` of the `history` periods of
   the same kind before this one (each with at least one closure);
3. unusual for the owner: share ≥ baseline + k · spread, where baseline is the median of those
   earlier shares and spread is their median absolute deviation scaled by 1.4826 (so it reads
   as a standard deviation for normal data), never less than `min_spread` — an officer whose
   share never moved is not flagged for a small wiggle;
4. unusual among peers: share > the peer bar — the 90th percentile (nearest rank) of the shares
   of the owner's peers (same sequence for a person, sibling units for a unit) that themselves
   have n ≥ `min_closures`, when there are at least `min_peers` of them; and never below the
   share an even pace would give (tail days / period days).

Robust statistics (median, MAD) keep one earlier crowded period from hiding the next. Pure
Python: no framework, no database, no clock.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from fazhi.core.scoring.periods import AssessmentPeriod, PeriodKind

MAD_SCALE = Decimal("1.4826")
FOUR = Decimal("0.0001")


@dataclass(frozen=True)
class CrowdingRule:
    """The thresholds of the rule above; `tail_days` by period kind (a month's last 2 weeks, a
    quarter's last 3, a year's last 6)."""

    tail_days: Mapping[PeriodKind, int] = field(
        default_factory=lambda: {PeriodKind.MONTH: 14, PeriodKind.QUARTER: 21, PeriodKind.YEAR: 42}
    )
    history: int = 6
    min_history: int = 3
    min_closures: int = 8
    k: Decimal = Decimal(3)
    min_spread: Decimal = Decimal("0.05")
    peer_quantile: Decimal = Decimal("0.9")
    min_peers: int = 3

    def tail_start(self, period: AssessmentPeriod) -> date:
        if period.kind not in self.tail_days:
            kinds = "、".join(k.label for k in self.tail_days)
            raise ValueError(f"扎堆办案按{kinds}计算，不按{period.kind.label}计算")
        return max(period.start, period.end - timedelta(days=self.tail_days[period.kind] - 1))

    def even_share(self, period: AssessmentPeriod) -> Decimal:
        tail = (period.end - self.tail_start(period)).days + 1
        return _four(Decimal(tail) / Decimal(period.days))


DEFAULT_RULE = CrowdingRule()


@dataclass(frozen=True)
class Closure:
    """A case closed (办结) on `day`, counted for `owner` (a person id or a unit id)."""

    case: str
    owner: str
    day: date


@dataclass(frozen=True)
class Figure:
    """One owner's figure for one period and why it is, or is not, a warning."""

    owner: str
    period: str
    closures: int
    tail: int
    share: Decimal
    baseline: Decimal | None  # median of the earlier shares; None: not enough history
    spread: Decimal | None
    threshold: Decimal | None  # baseline + k · spread: unusual for the owner from here
    history: tuple[Decimal, ...]  # the earlier shares, oldest first
    peer_bar: Decimal
    peers: int  # peers with enough closures
    unusual: bool


def _four(value: Decimal) -> Decimal:
    return value.quantize(FOUR, rounding=ROUND_HALF_UP)


def share_of(days: Sequence[date], period: AssessmentPeriod, rule: CrowdingRule) -> tuple[int, int]:
    """(closures in the period, of which in its tail)."""
    start = rule.tail_start(period)
    inside = [d for d in days if period.covers(d)]
    return len(inside), sum(1 for d in inside if d >= start)


def _share(n: int, tail: int) -> Decimal | None:
    return _four(Decimal(tail) / Decimal(n)) if n else None


def nearest_rank(values: Sequence[Decimal], q: Decimal) -> Decimal:
    """The q-quantile by nearest rank: the ⌈q·n⌉-th smallest value."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q * len(ordered))) - 1]


def baseline_of(history: Sequence[Decimal], rule: CrowdingRule) -> tuple[Decimal, Decimal] | None:
    """(median, scaled MAD floored at min_spread) of the earlier shares, or None if too few."""
    if len(history) < rule.min_history:
        return None
    middle = Decimal(median(history))
    mad = Decimal(median([abs(s - middle) for s in history]))
    return _four(middle), max(rule.min_spread, _four(mad * MAD_SCALE))


def previous_periods(period: AssessmentPeriod, count: int) -> list[AssessmentPeriod]:
    """The `count` periods of the same kind before `period`, oldest first."""
    result, current = [], period
    for _ in range(count):
        current = current.previous()
        result.append(current)
    return result[::-1]


def figures(
    closures: Iterable[Closure],
    period: AssessmentPeriod,
    peers: Mapping[str, str],
    rule: CrowdingRule = DEFAULT_RULE,
) -> list[Figure]:
    """Every owner's figure for `period`. `peers` maps each owner to their peer group (a
    sequence, a parent unit); `closures` must cover `period` and the `rule.history` periods
    before it (others are ignored). Owners with no closure in the period have no figure."""
    earlier = previous_periods(period, rule.history)
    days: dict[str, list[date]] = {}
    for c in closures:
        days.setdefault(c.owner, []).append(c.day)
    counts = {owner: share_of(d, period, rule) for owner, d in days.items()}
    shares = {o: _share(n, t) for o, (n, t) in counts.items() if n >= rule.min_closures}
    even = rule.even_share(period)
    result = []
    for owner in sorted(o for o, (n, _) in counts.items() if n):
        n, tail = counts[owner]
        share = _share(n, tail)
        assert share is not None
        history = tuple(
            s for p in earlier if (s := _share(*share_of(days[owner], p, rule))) is not None
        )
        base = baseline_of(history, rule)
        group = peers.get(owner)
        others = [s for o, s in shares.items() if o != owner and peers.get(o) == group]
        bar = even
        if group is not None and len(others) >= rule.min_peers:
            bar = max(even, nearest_rank(others, rule.peer_quantile))
        threshold = _four(base[0] + rule.k * base[1]) if base else None
        unusual = (
            n >= rule.min_closures and threshold is not None and share >= threshold and share > bar
        )
        result.append(
            Figure(
                owner,
                period.text,
                n,
                tail,
                share,
                base[0] if base else None,
                base[1] if base else None,
                threshold,
                history,
                bar,
                len(others) if group is not None else 0,
                unusual,
            )
        )
    return result
