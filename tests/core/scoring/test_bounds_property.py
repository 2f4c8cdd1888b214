"""Whatever the facts, the bounds a scheme sets hold: item caps and floors, the total's floor,
and the 回血 cap — and every score is the sum of its entries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.core.scoring import (
    CaseFact,
    DutyShiftFact,
    InspectionFact,
    InspectionMethod,
    PersonFact,
    Severity,
    facts,
    load_schemes,
    parse_period,
    score_scheme,
)

SCHEMES_DIR = Path(__file__).resolve().parents[3] / "catalog" / "schemes"
SCHEME = next(s for s in load_schemes(SCHEMES_DIR) if s.code == "middle_manager_duty")
MANUAL = [i.code for i in SCHEME.items if i.kind == "manual"]
PERSON = PersonFact("M1", "某", "U1", "middle_manager")
Q1 = parse_period("2026-Q1")
days = st.integers(0, 89).map(lambda n: date(2026, 1, 1) + timedelta(days=n))

inspections = st.lists(
    st.builds(
        lambda n, item, day, severity, fix: InspectionFact(
            f"I{n}",
            "M1",
            item,
            InspectionMethod.VIDEO,
            day,
            severity,
            "问题",
            None if fix is None else day + timedelta(days=fix),
        ),
        st.integers(0, 10_000),
        st.sampled_from(MANUAL),
        days,
        st.none() | st.sampled_from(list(Severity)),
        st.none() | st.integers(0, 60),
    ),
    max_size=40,
    unique_by=lambda i: i.id,
)
shifts = st.lists(
    st.builds(
        lambda day, hours: DutyShiftFact(day.isoformat(), "M1", day, Decimal(hours)),
        days,
        st.integers(0, 12),
    ),
    max_size=20,
    unique_by=lambda s: s.id,
)
cases = st.lists(
    st.builds(
        lambda n, flags: CaseFact(
            f"A{n}", "M1", "lead", "criminal", date(2026, 1, 2), date(2026, 2, 2), None, flags
        ),
        st.integers(0, 10_000),
        st.sampled_from([(), ("major_complex",)]),
    ),
    max_size=30,
    unique_by=lambda c: c.id,
)


@settings(max_examples=150, deadline=None)
@given(inspections, shifts, cases)
def test_bounds_hold_for_any_facts(inspections, shifts, cases):
    (card,) = score_scheme(
        SCHEME, Q1, facts([PERSON], inspections=inspections, duty_shifts=shifts, cases=cases)
    )
    assert card.score == sum((a.points for a in card.awards), Decimal(0))
    assert card.score >= SCHEME.floor
    recovered = sum((a.points for a in card.awards if a.key.endswith(":recovery")), Decimal(0))
    assert Decimal(0) <= recovered <= SCHEME.recovery.cap
    for item in SCHEME.items:
        total = card.item_total(item.code)
        assert item.cap is None or total <= item.cap
        assert item.floor is None or total >= item.floor
