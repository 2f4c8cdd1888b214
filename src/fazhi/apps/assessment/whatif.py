"""What-if (方案调整试算): score a period under a draft version of a scheme, from the same store
facts, and compare with the ledger as it stands, before the draft is adopted.

Nothing is written: the draft is validated by the scheme loader (so its errors read
`文件:行: 原因` like any scheme file's), scored in memory, and ranked with the draft's own tie
rules. Keys settled by a decision (an upheld appeal, a correction) stay out, as a recompute
would keep them out.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError

from fazhi.apps.assessment import ledger
from fazhi.apps.assessment.schemes import period_of, scheme_for, schemes_dir, shipped_schemes
from fazhi.apps.assessment.selectors import is_computed, ranking
from fazhi.apps.assessment.store import facts_from_store
from fazhi.core.scoring import AssessmentPeriod, Scheme, read_schemes, score_scheme
from fazhi.core.scoring.engine import Scorecard, rank_scorecards
from fazhi.core.scoring.load import EXAMPLES_SUFFIX, SCHEME_SUFFIX

DRAFT_NAME = "草稿.yaml"  # how the draft is named in its error messages


class DraftInvalid(Exception):
    """The draft does not load; `errors` are `草稿.yaml:行: 原因` lines."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class Move:
    """One person's standing under the ledger (before) and under the draft (after); None when
    they are not assessed on that side."""

    person: str
    name: str
    unit: str
    group: str
    rank_before: int | None
    rank_after: int | None
    score_before: Decimal | None
    score_after: Decimal | None

    @property
    def delta(self) -> Decimal:
        return (self.score_after or Decimal(0)) - (self.score_before or Decimal(0))

    @property
    def moved(self) -> bool:
        return self.rank_before != self.rank_after or self.delta != 0


@dataclass(frozen=True)
class WhatIf:
    current: Scheme
    draft: Scheme
    period: AssessmentPeriod
    rows: tuple[Move, ...]  # everyone, in the draft's rank order

    @property
    def moves(self) -> tuple[Move, ...]:
        return tuple(r for r in self.rows if r.moved)


def _draft_code(text: str) -> str:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return ""
    code = data.get("code") if isinstance(data, dict) else None
    return code if isinstance(code, str) else ""


def load_draft(text: str) -> Scheme:
    """The draft as the loader reads it (beside the shipped examples of its code, which it must
    still be able to read); `DraftInvalid` with every error otherwise."""
    code = _draft_code(text)
    if code not in {s.code for s in shipped_schemes()}:
        known = "、".join(sorted({s.code for s in shipped_schemes()}))
        raise DraftInvalid([f"{DRAFT_NAME}:1: code 应为已有的考核方案之一（{known}）"])
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / f"{code}{SCHEME_SUFFIX}").write_text(text, encoding="utf-8")
        shutil.copy(schemes_dir() / f"{code}{EXAMPLES_SUFFIX}", root)
        schemes, errors = read_schemes(root)
    if errors:
        raise DraftInvalid([f"{_shown(e.path)}:{e.line}: {e.message}" for e in errors])
    return schemes[0]


def _shown(path: Path) -> str:
    return path.name if path.name.endswith(EXAMPLES_SUFFIX) else DRAFT_NAME


def draft_scores(draft: Scheme, period: AssessmentPeriod) -> list[Scorecard]:
    """The draft's scorecards for the period, without the awards a decision has settled."""
    settled = ledger.settled_keys(draft.code, period.text)
    cards = score_scheme(draft, period, facts_from_store(draft, period))
    return [
        Scorecard(c.person, tuple(a for a in c.awards if (a.person, a.key) not in settled))
        for c in cards
    ]


def refuse_out_of_force(draft: Scheme, period: AssessmentPeriod) -> None:
    """A draft tried on a period it would not be in force for would show moves that could never
    happen: its `in_force` must cover every day of the period."""
    if draft.in_force.covers(period.start) and draft.in_force.covers(period.end):
        return
    start, end = draft.in_force.valid_from, draft.in_force.valid_to
    span = f"{start.isoformat()} 至 {end.isoformat()}" if end else f"{start.isoformat()} 起"
    raise ValidationError(
        f"草稿 in_force：生效期间 {span} 不覆盖试算期间 {period.text}"
        f"（{period.start.isoformat()} 至 {period.end.isoformat()}）",
        code="in_force",
    )


def what_if(draft_text: str, period_text: str) -> WhatIf:
    """Who moves if the period were scored under the draft instead of the current version."""
    period = period_of(period_text)
    draft = load_draft(draft_text)
    refuse_out_of_force(draft, period)
    current = scheme_for(draft.code, period)
    if period.kind not in draft.periods:
        raise ValidationError(f"草稿 periods：不按{period.kind.label}考核，不能试算 {period.text}")
    if not is_computed(current.code, period.text):
        raise ValidationError(
            f"{current.name} {period.text} period：尚未计分，没有可比较的台账", code="period"
        )
    before = {line.person: line for line in ranking(current.code, period.text)}
    cards = {c.person.id: c for c in draft_scores(draft, period)}
    after = {
        r.person: (group, r)
        for group, ranked in rank_scorecards(draft, cards.values()).items()
        for r in ranked
    }
    identity = {c.person.id: (c.person.name, c.person.unit) for c in cards.values()}
    identity |= {line.person: (line.name, line.unit) for line in before.values()}
    rows = []
    for pid, (name, unit) in identity.items():
        old = before.get(pid)
        group, new = after.get(pid, (old.group if old else "", None))
        rows.append(
            Move(
                pid,
                name,
                unit,
                group,
                old.rank if old else None,
                new.rank if new else None,
                old.score if old else None,
                new.score if new else None,
            )
        )
    rows.sort(key=lambda m: (m.group, m.rank_after or 10**9, m.person))
    return WhatIf(current, draft, period, tuple(rows))
