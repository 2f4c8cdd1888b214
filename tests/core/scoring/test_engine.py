"""The engine's order of work on edge cases the shipped examples do not reach."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path

from fazhi.core.scoring import (
    CaseFact,
    InspectionFact,
    InspectionMethod,
    PersonFact,
    Severity,
    facts,
    load_schemes,
    parse_period,
    score_scheme,
)
from fazhi.core.scoring.model import InForce, Item, Population, Recovery, Scheme, Source
from fazhi.core.scoring.periods import PeriodKind

SCHEMES_DIR = Path(__file__).resolve().parents[3] / "catalog" / "schemes"
SOURCE = Source("000.txt", "引文")
SEVERITIES = {
    Severity.MINOR: D(-1),
    Severity.GENERAL: D(-2),
    Severity.SERIOUS: D(-4),
    Severity.GRAVE: D(-8),
}
PERSON = PersonFact("M1", "某", "U1", "middle_manager")


def scheme(**changes) -> Scheme:
    fields = dict(
        code="duty",
        version="1",
        name="考核",
        in_force=InForce(date(2026, 1, 1)),
        population=Population(),
        periods=(PeriodKind.QUARTER,),
        items=(Item("R1", "督办", "manual", SOURCE),),
        source=SOURCE,
        severities=SEVERITIES,
        recovery=Recovery(30, D("0.5"), D(10)),
    )
    return Scheme(**{**fields, **changes})


def finding(i: int, found: date, rectified: date | None, severity=Severity.GENERAL):
    return InspectionFact(
        f"I{i}", "M1", "R1", InspectionMethod.VIDEO, found, severity, "问题", rectified
    )


def awards(s: Scheme, *inspections: InspectionFact):
    (card,) = score_scheme(s, parse_period("2026-Q1"), facts([PERSON], inspections=inspections))
    return card


def test_recovery_counts_a_rectification_on_the_last_day_of_the_window_but_not_after():
    found = date(2026, 1, 10)
    card = awards(
        scheme(),
        finding(1, found, found + timedelta(days=30)),
        finding(2, found, found + timedelta(days=31)),
        finding(3, found, found - timedelta(days=1)),
    )
    recoveries = [a for a in card.awards if a.key.endswith(":recovery")]
    assert [(a.key, a.points) for a in recoveries] == [("R1:inspection:I1:recovery", D(1))]
    assert card.score == D(-5)


def test_a_scheme_without_recovery_restores_nothing():
    card = awards(scheme(recovery=None), finding(1, date(2026, 1, 10), date(2026, 1, 11)))
    assert card.score == D(-2)


def test_an_item_floor_is_an_entry_of_its_own_and_the_score_stays_the_sum():
    item = Item("R1", "督办", "manual", SOURCE, floor=D(-5))
    card = awards(
        scheme(items=(item,), recovery=None),
        *(finding(i, date(2026, 2, i), None, Severity.SERIOUS) for i in range(1, 4)),
    )
    floor = [a for a in card.awards if a.key == "R1:floor"]
    assert [a.points for a in floor] == [D(7)]
    assert "最低 -5 分，扣完为止" in floor[0].reason
    assert card.item_total("R1") == D(-5) == card.score


def test_findings_outside_the_period_and_clean_inspections_cost_nothing():
    card = awards(
        scheme(),
        finding(1, date(2025, 12, 31), None),
        finding(2, date(2026, 2, 1), None, severity=None),
    )
    assert card.awards == ()


def test_the_population_decides_who_gets_a_scorecard():
    s = scheme(population=Population(sequences=("traffic_officer",)))
    assert score_scheme(s, parse_period("2026-Q1"), facts([PERSON])) == []


def test_a_population_of_unit_subtrees_follows_the_unit_path():
    s = scheme(population=Population(units=("U1",)))
    inside = PersonFact("M2", "某", "U7", "middle_manager", unit_path=("U7", "U1"))
    outside = PersonFact("M3", "某", "U8", "middle_manager", unit_path=("U8", "U9"))
    cards = score_scheme(s, parse_period("2026-Q1"), facts([PERSON, inside, outside]))
    assert [c.person.id for c in cards] == ["M1", "M2"]


def test_cases_are_weighted_by_role_kind_category_and_their_hardest_flag():
    item = Item(
        "Q1",
        "办案",
        "cases_handled",
        SOURCE,
        params={
            "lead": D(2),
            "assist": D(1),
            "kind_weights": {"criminal": D("1.5")},
            "category_weights": {"fraud": D(2)},
            "difficulty": {"gang": D("1.5"), "major_complex": D(3)},
        },
    )
    cases = [
        CaseFact(
            "A1",
            "M1",
            "lead",
            "criminal",
            date(2026, 1, 5),
            date(2026, 2, 1),
            "fraud",
            ("gang", "major_complex"),
        ),
        CaseFact(
            "A2", "M1", "assist", "administrative", date(2026, 1, 5), date(2026, 2, 1), "theft"
        ),
        CaseFact("A3", "M1", "lead", "criminal", date(2026, 1, 5), None, "fraud"),
    ]
    (card,) = score_scheme(
        scheme(items=(item,), recovery=None), parse_period("2026-Q1"), facts([PERSON], cases=cases)
    )
    # A1: 2 × 1.5 × 2 × 3 = 18; A2: 1; A3 is still open
    assert [(a.key, a.points) for a in card.awards] == [
        ("Q1:case:A1:lead", D(18)),
        ("Q1:case:A2:assist", D(1)),
    ]
    assert "难度 ×3" in card.awards[0].reason


def test_the_published_method_is_plain_json_with_every_rule():
    import json

    from fazhi.core.scoring.method import describe

    shipped = {s.code: s for s in load_schemes(SCHEMES_DIR)}
    method = json.loads(json.dumps(describe(shipped["traffic_patrol"]), ensure_ascii=False))
    assert method["base"] == "100" and method["floor"] == "0"
    windows = method["items"][1]["params"]["windows"]
    assert windows == ["09:00-09:30", "11:00-11:30", "14:00-14:30"]
    duty = describe(shipped["middle_manager_duty"])
    assert duty["recovery"] == {"window_days": 30, "share": "0.5", "cap": "10"}
    assert duty["severities"]["grave"] == "-8" and len(duty["items"]) == 20


def test_a_person_recorded_as_lead_and_assist_of_one_case_keeps_both_awards():
    item = Item("Q1", "办案", "cases_handled", SOURCE, params={"lead": D(2), "assist": D(1)})
    cases = [
        CaseFact("A1", "M1", role, "criminal", date(2026, 1, 5), date(2026, 2, 1))
        for role in ("lead", "assist")
    ]
    (card,) = score_scheme(
        scheme(items=(item,), recovery=None), parse_period("2026-Q1"), facts([PERSON], cases=cases)
    )
    assert card.score == D(3) and len({a.key for a in card.awards}) == 2
