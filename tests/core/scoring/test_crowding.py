"""考核末期扎堆办案: hand-worked cases of the rule in `fazhi.core.scoring.crowding`, and its
properties over random closures (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.core.scoring import parse_period
from fazhi.core.scoring.crowding import (
    DEFAULT_RULE,
    Closure,
    baseline_of,
    figures,
    nearest_rank,
    previous_periods,
)

SEPTEMBER = parse_period("2026-09")  # 30 days; the last 14 start on 09-17
HISTORY = [parse_period(f"2026-{m:02d}") for m in range(3, 9)]  # March–August


def month_closures(owner: str, month, total: int, in_tail: int) -> list[Closure]:
    """`total` closures in `month`, `in_tail` of them in its last 14 days."""
    start = DEFAULT_RULE.tail_start(month)
    early = [month.start + timedelta(days=i % 10) for i in range(total - in_tail)]
    late = [start + timedelta(days=i % 14) for i in range(in_tail)]
    return [Closure(f"{owner}-{month.text}-{i}", owner, day) for i, day in enumerate(early + late)]


def steady(owner: str, months=HISTORY, total: int = 10, in_tail: int = 3) -> list[Closure]:
    return [c for m in months for c in month_closures(owner, m, total, in_tail)]


PEERS = {
    "P1": "station_officer",
    "P2": "station_officer",
    "P3": "station_officer",
    "P4": "station_officer",
}


def of(result, owner):
    return next(f for f in result if f.owner == owner)


def calm_peers(share_tail: int = 4) -> list[Closure]:
    return [
        c
        for p in ("P2", "P3", "P4")
        for c in steady(p) + month_closures(p, SEPTEMBER, 10, share_tail)
    ]


def test_the_tail_is_the_last_two_weeks_of_a_month_and_three_of_a_quarter():
    assert DEFAULT_RULE.tail_start(SEPTEMBER) == date(2026, 9, 17)
    assert DEFAULT_RULE.tail_start(parse_period("2026-Q3")) == date(2026, 9, 10)
    assert DEFAULT_RULE.even_share(SEPTEMBER) == D("0.4667")
    with pytest.raises(ValueError, match="不按日计算"):
        DEFAULT_RULE.tail_start(parse_period("2026-09-01"))


def test_a_rush_against_a_steady_history_and_calm_peers_is_a_warning():
    closures = steady("P1") + month_closures("P1", SEPTEMBER, 10, 8) + calm_peers()
    figure = of(figures(closures, SEPTEMBER, PEERS), "P1")
    assert (figure.closures, figure.tail, figure.share) == (10, 8, D("0.8"))
    assert figure.history == (D("0.3"),) * 6
    # median 0.3, MAD 0 → spread floored at 0.05, threshold 0.3 + 3 × 0.05
    assert (figure.baseline, figure.spread, figure.threshold) == (D("0.3"), D("0.05"), D("0.45"))
    # the peers' p90 is 0.4, below the even pace 14/30
    assert (figure.peer_bar, figure.peers) == (D("0.4667"), 3)
    assert figure.unusual


@pytest.mark.parametrize(
    "closures, why",
    [
        (steady("P1") + month_closures("P1", SEPTEMBER, 7, 7), "only 7 closures"),
        (steady("P1", HISTORY[-2:]) + month_closures("P1", SEPTEMBER, 10, 8), "2 months known"),
        (steady("P1", in_tail=7) + month_closures("P1", SEPTEMBER, 10, 8), "always crowds"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_small_counts_short_histories_and_habits_do_not_fire(closures, why):
    figure = of(figures(closures + calm_peers(), SEPTEMBER, PEERS), "P1")
    assert not figure.unusual, why


def test_when_the_whole_sequence_rushes_no_one_stands_out():
    closures = steady("P1") + month_closures("P1", SEPTEMBER, 10, 8) + calm_peers(share_tail=9)
    figure = of(figures(closures, SEPTEMBER, PEERS), "P1")
    assert figure.peer_bar == D("0.9") and not figure.unusual


def test_with_too_few_peers_the_bar_is_the_even_pace():
    closures = steady("P1") + month_closures("P1", SEPTEMBER, 10, 8)
    figure = of(figures(closures, SEPTEMBER, {"P1": "middle_manager"}), "P1")
    assert (figure.peer_bar, figure.peers) == (D("0.4667"), 0) and figure.unusual


def test_robust_baseline_and_nearest_rank():
    shares = [D("0.2"), D("0.3"), D("0.3"), D("0.9")]  # one crowded month does not hide the next
    assert baseline_of(shares, DEFAULT_RULE) == (D("0.3"), D("0.0741"))
    assert baseline_of(shares[:2], DEFAULT_RULE) is None
    assert nearest_rank([D(x) for x in range(1, 11)], D("0.9")) == D(9)
    assert nearest_rank([D(5)], D("0.9")) == D(5)
    assert [p.text for p in previous_periods(parse_period("2026-Q1"), 2)] == ["2025-Q3", "2025-Q4"]


# --- properties ---------------------------------------------------------------------------

DAYS = st.dates(min_value=date(2026, 3, 1), max_value=date(2026, 9, 30))
CLOSURES = st.lists(
    st.tuples(st.sampled_from(["P1", "P2", "P3", "P4", "P5"]), DAYS), max_size=200
).map(lambda rows: [Closure(f"K{i}", o, d) for i, (o, d) in enumerate(rows)])
GROUPS = {"P1": "a", "P2": "a", "P3": "a", "P4": "a", "P5": "b"}


@settings(max_examples=150, deadline=None)
@given(CLOSURES)
def test_figures_are_well_formed(closures):
    for f in figures(closures, SEPTEMBER, GROUPS):
        assert 0 < f.closures and 0 <= f.tail <= f.closures
        assert D(0) <= f.share <= D(1)
        assert f.peer_bar >= DEFAULT_RULE.even_share(SEPTEMBER)
        if f.unusual:
            assert f.closures >= DEFAULT_RULE.min_closures
            assert len(f.history) >= DEFAULT_RULE.min_history
            assert f.share >= f.threshold and f.share > f.peer_bar


@settings(max_examples=100, deadline=None)
@given(CLOSURES, st.randoms(use_true_random=False))
def test_the_order_of_closures_does_not_matter(closures, rnd):
    shuffled = list(closures)
    rnd.shuffle(shuffled)
    assert figures(closures, SEPTEMBER, GROUPS) == figures(shuffled, SEPTEMBER, GROUPS)


@settings(max_examples=100, deadline=None)
@given(CLOSURES, st.integers(0, 13))
def test_one_more_closure_in_the_tail_never_clears_a_warning(closures, offset):
    before = {f.owner: f for f in figures(closures, SEPTEMBER, GROUPS)}
    extra = Closure("extra", "P5", date(2026, 9, 17) + timedelta(days=offset))
    after = {f.owner: f for f in figures([*closures, extra], SEPTEMBER, GROUPS)}
    assert after["P5"].share >= (before["P5"].share if "P5" in before else D(0))
    if "P5" in before and before["P5"].unusual:
        assert after["P5"].unusual
