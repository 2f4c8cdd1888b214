"""The shipped schemes: they load without error, every item traces to its seed word for word,
and every example in `<code>.examples.yaml` gives exactly the scores and ranks written there."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from fazhi.core.scoring import Example, Scheme, load_schemes, parse_period, score_scheme
from fazhi.core.scoring.engine import rank_scorecards

REPO = Path(__file__).resolve().parents[3]
SCHEMES_DIR = REPO / "catalog" / "schemes"
SEEDS_DIR = REPO.parent / "shared" / "seeds"
CODES = {"case_handling", "law_study", "middle_manager_duty", "community_tasks", "traffic_patrol"}

SCHEMES = load_schemes(SCHEMES_DIR)
EXAMPLES = [(s, e) for s in SCHEMES for e in s.examples]


def _no_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_five_schemes_are_shipped():
    assert {s.code for s in SCHEMES} == CODES


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.code)
def test_every_item_quotes_its_seed_verbatim(scheme: Scheme):
    sources = [("方案", scheme.source)] + [(i.code, i.source) for i in scheme.items]
    missing = [
        f"{where}: {src.seed}: {src.quote}"
        for where, src in sources
        if _no_space(src.quote) not in _no_space((SEEDS_DIR / src.seed).read_text("utf-8"))
    ]
    assert missing == []


def test_the_middle_manager_scheme_has_six_dimensions_and_twenty_items():
    scheme = next(s for s in SCHEMES if s.code == "middle_manager_duty")
    assert list(scheme.dimensions.values()) == [
        "值班坐堂",
        "执法安全",
        "审核指导",
        "案管运行",
        "执法办案",
        "带头学法",
    ]
    assert len(scheme.items) == 20
    assert {i.dimension for i in scheme.items} == set(scheme.dimensions)
    assert scheme.recovery is not None and scheme.base == 100


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.code)
def test_every_scheme_has_examples(scheme: Scheme):
    assert scheme.examples


@pytest.mark.parametrize(
    ("scheme", "example"), EXAMPLES, ids=[f"{s.code}:{e.name}" for s, e in EXAMPLES]
)
def test_example(scheme: Scheme, example: Example):
    cards = score_scheme(scheme, parse_period(example.period), example.facts)
    ranks = {r.person: r.rank for rows in rank_scorecards(scheme, cards).values() for r in rows}
    got = {c.person.id: c for c in cards}
    assert set(got) == {e.person for e in example.expect}, "who is assessed"
    for expected in example.expect:
        card = got[expected.person]
        assert card.score == expected.score, f"{expected.person} 的得分"
        assert card.score == sum((a.points for a in card.awards), Decimal(0))
        if expected.rank is not None:
            assert ranks[expected.person] == expected.rank, f"{expected.person} 的名次"
        for item, points in expected.items.items():
            assert card.item_total(item) == points, f"{expected.person} 的 {item}"
