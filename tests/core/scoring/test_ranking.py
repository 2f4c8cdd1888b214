"""Ranking: score first, then the scheme's tie breakers, then a shared rank; movement."""

from __future__ import annotations

from decimal import Decimal as D

from fazhi.core.scoring import Standing, rank


def standings() -> list[Standing]:
    return [
        Standing("A", D(90), deductions=D(-10), additions=D(0)),
        Standing("B", D(95), deductions=D(-5), additions=D(0)),
        Standing("C", D(90), deductions=D(-4), additions=D(-6) + D(12)),
        Standing("D", D(90), deductions=D(-10), additions=D(0)),
    ]


def test_without_tie_rules_equal_scores_share_a_rank_and_the_next_rank_is_skipped():
    result = rank(standings())
    assert [(r.person, r.rank) for r in result] == [("B", 1), ("A", 2), ("C", 2), ("D", 2)]


def test_fewer_deductions_breaks_a_tie_and_the_rest_still_share():
    result = rank(standings(), ("fewer_deductions",))
    assert [(r.person, r.rank) for r in result] == [("B", 1), ("C", 2), ("A", 3), ("D", 3)]


def test_movement_is_previous_rank_minus_current_and_none_for_newcomers():
    result = rank(standings(), ("fewer_deductions",), previous={"A": 1, "B": 4, "C": 2})
    movement = {r.person: r.movement for r in result}
    assert movement == {"B": 3, "C": 0, "A": -2, "D": None}


def test_an_empty_population_ranks_nobody():
    assert rank([]) == []
