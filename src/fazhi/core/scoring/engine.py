"""Scoring one scheme for one period: awards per person, then the scheme's bounds.

The order is fixed so every score can be retraced: the base score, each item's awards
(normalised per case handled where the item says so), 回血 on rectified deductions, the item's
cap and floor, and last the scheme's cap and floor on the total. Each bound that bites is an
entry of its own, so a person's score is always the plain sum of their entries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from fazhi.core.scoring.facts import Facts, PersonFact
from fazhi.core.scoring.model import Item, Scheme
from fazhi.core.scoring.periods import AssessmentPeriod
from fazhi.core.scoring.ranking import Ranked, Standing, rank
from fazhi.core.scoring.scorers import (
    KINDS,
    Award,
    Context,
    cases_handled_count,
    num,
    points,
    signed,
)

BASE_ITEM = "base"
TOTAL_ITEM = "total"


@dataclass(frozen=True)
class Scorecard:
    """One person's entries for a scheme and period; `score` is their sum."""

    person: PersonFact
    awards: tuple[Award, ...]

    @property
    def score(self) -> Decimal:
        return sum((a.points for a in self.awards), Decimal(0))

    @property
    def deductions(self) -> Decimal:
        return sum((a.points for a in self.awards if a.points < 0), Decimal(0))

    def item_total(self, code: str) -> Decimal:
        return sum((a.points for a in self.awards if a.item == code), Decimal(0))


def facts_read(scheme: Scheme) -> frozenset[str]:
    """The kinds of facts scoring the scheme looks at (exposure counts cases handled)."""
    kinds = {kind for item in scheme.items for kind in KINDS[item.kind].reads}
    if any(item.exposure is not None for item in scheme.items):
        kinds.add("cases")
    return frozenset(kinds)


def score_scheme(scheme: Scheme, period: AssessmentPeriod, facts: Facts) -> list[Scorecard]:
    """Scorecards of everyone in the scheme's population, in person-id order."""
    people = sorted((p for p in facts.persons if scheme.population.includes(p)), key=lambda p: p.id)
    return [Scorecard(p, tuple(_person_awards(scheme, period, facts, p))) for p in people]


def _person_awards(
    scheme: Scheme, period: AssessmentPeriod, facts: Facts, person: PersonFact
) -> list[Award]:
    awards: list[Award] = []
    if scheme.base:
        awards.append(
            Award(
                person.id,
                BASE_ITEM,
                BASE_ITEM,
                points(scheme.base),
                f"基础分：{signed(scheme.base)}",
            )
        )
    recovered = Decimal(0)
    for item in scheme.items:
        ctx = Context(item, person, facts, period, scheme.severities)
        item_awards = KINDS[item.kind].score(ctx)
        if item.exposure is not None:
            item_awards = _normalise(
                item, item_awards, cases_handled_count(facts, person.id, period)
            )
        if scheme.recovery is not None:
            recoveries = _recover(scheme, item_awards, scheme.recovery.cap - recovered)
            recovered += sum((r.points for r in recoveries), Decimal(0))
            item_awards += recoveries
        awards += item_awards
        awards += _bounds(
            person.id, item.code, item_awards, item.cap, item.floor, f"「{item.name}」"
        )
    awards += _bounds(person.id, TOTAL_ITEM, awards, scheme.cap, scheme.floor, "总分")
    return awards


def _normalise(item: Item, awards: list[Award], handled: int) -> list[Award]:
    assert item.exposure is not None
    factor = Decimal(item.exposure.per_cases) / max(handled, item.exposure.min_cases)
    if factor == 1:
        return awards
    note = f"（本期办案 {handled} 件，按每 {item.exposure.per_cases} 件折算 ×{factor:.2f}）"
    result = []
    for a in awards:
        value = points(a.points * factor)
        cause = a.reason.rsplit("：", 1)[0]
        result.append(replace(a, points=value, reason=f"{cause}{note}：{signed(value)}"))
    return result


def _recover(scheme: Scheme, awards: list[Award], room: Decimal) -> list[Award]:
    """回血: a share of each deduction whose rectification was verified within the window."""
    assert scheme.recovery is not None
    rule, result = scheme.recovery, []
    for a in awards:
        if a.points >= 0 or a.found_on is None or a.rectified_on is None or room <= 0:
            continue
        days = (a.rectified_on - a.found_on).days
        if not 0 <= days <= rule.window_days:
            continue
        value = min(points(-a.points * rule.share), room)
        room -= value
        reason = (
            f"{a.found_on} 发现的问题于 {a.rectified_on} 整改到位并经核实（{rule.window_days} 日内），"
            f"回血 {rule.share * 100:.0f}%：{signed(value)}"
        )
        result.append(Award(a.person, a.item, f"{a.key}:recovery", value, reason, a.sources))
    return result


def _bounds(
    person: str,
    item: str,
    awards: Iterable[Award],
    cap: Decimal | None,
    floor: Decimal | None,
    what: str,
) -> list[Award]:
    total = sum((a.points for a in awards), Decimal(0))
    if cap is not None and total > cap:
        value = cap - total
        reason = f"{what}本期最高 {num(cap)} 分，超出部分不计：{signed(value)}"
        return [Award(person, item, f"{item}:cap", points(value), reason)]
    if floor is not None and total < floor:
        value = floor - total
        reason = f"{what}本期最低 {num(floor)} 分，扣完为止：{signed(value)}"
        return [Award(person, item, f"{item}:floor", points(value), reason)]
    return []


def standing(card: Scorecard) -> Standing:
    additions = sum((a.points for a in card.awards if a.points > 0), Decimal(0))
    return Standing(card.person.id, card.score, card.deductions, additions)


def group_of(scheme: Scheme, person: PersonFact) -> str:
    """The ranking population a person belongs to under the scheme's `rank_by` ("" = none)."""
    if scheme.rank_by == "unit":
        return person.unit
    if scheme.rank_by == "grid":
        return person.grids[0] if person.grids else ""
    return person.sequence or ""


def rank_scorecards(
    scheme: Scheme, cards: Iterable[Scorecard], previous: Mapping[str, int] | None = None
) -> dict[str, list[Ranked]]:
    """Rankings per group (sequence, unit or grid), with the scheme's tie rules."""
    groups: dict[str, list[Standing]] = defaultdict(list)
    for card in cards:
        groups[group_of(scheme, card.person)].append(standing(card))
    return {g: rank(rows, scheme.ties, previous) for g, rows in sorted(groups.items())}
