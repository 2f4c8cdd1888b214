"""What-if: a draft scheme version scored on the store's facts, compared with the ledger, with
nothing written; a broken draft is refused with `草稿.yaml:行: 原因` errors.

Hand-worked on the conftest bureau, case_handling 2026-03 (派出所民警 ranked together):
  now    P2 4 (协办刑事 1 × 1.5, 主办行政 2 + 办结 0.5) rank 1; P1 3.5 (主办刑事 2 × 1.5 + 0.5,
         协办行政 1, LA-01 预警 -1) rank 2; C1 0 rank 3.
  draft  lead 2 → 4: P1 4 × 1.5 + 0.5 + 1 - 1 = 6.5 rank 1 (+3); P2 1.5 + 4 + 0.5 = 6 rank 2 (+2);
         C1, the 中层干部, the traffic and brigade officers do not move.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from fazhi.apps.assessment import services
from fazhi.apps.assessment.models import LedgerEntry, RankingSnapshot
from fazhi.apps.assessment.schemes import schemes_dir
from fazhi.apps.assessment.whatif import DraftInvalid, Move, what_if
from fazhi.apps.audit.models import AuditEntry

from .conftest import AT

pytestmark = pytest.mark.django_db


def shipped(code: str = "case_handling") -> str:
    return (schemes_dir() / f"{code}.yaml").read_text(encoding="utf-8")


def doubled_lead() -> str:
    text = shipped()
    assert text.count("      lead: 2\n") == 1
    return text.replace("      lead: 2\n", "      lead: 4\n")


@pytest.fixture
def scored(world):
    services.recompute("case_handling", "2026-03", actor="tester", at=AT)


def test_doubling_the_lead_points_moves_exactly_the_two_officers_the_hand_count_predicts(scored):
    result = what_if(doubled_lead(), "2026-03")
    assert {m.person: m for m in result.moves} == {
        "P1": Move("P1", "王某", "U2", "station_officer", 2, 1, D("3.5"), D("6.5")),
        "P2": Move("P2", "李某", "U2", "station_officer", 1, 2, D(4), D(6)),
    }
    assert [m.delta for m in result.moves] == [D(3), D(2)]  # the draft's rank order
    unmoved = {m.person for m in result.rows} - {"P1", "P2"}
    assert unmoved == {"C1", "M1", "M2", "T1", "I9"}


def test_the_what_if_writes_nothing(scored):
    counts = (
        LedgerEntry.objects.count(),
        RankingSnapshot.objects.count(),
        AuditEntry.objects.count(),
    )
    what_if(doubled_lead(), "2026-03")
    assert counts == (
        LedgerEntry.objects.count(),
        RankingSnapshot.objects.count(),
        AuditEntry.objects.count(),
    )


def test_the_unchanged_scheme_moves_nobody(scored):
    assert what_if(shipped(), "2026-03").moves == ()


def test_an_upheld_correction_stays_out_of_the_draft_as_it_stays_off_the_ledger(scored):
    warning = LedgerEntry.objects.get(person_id="P1", item="K1")
    services.correct_entry(warning, reason="预警系统误报", actor="法制", at=AT)
    result = what_if(doubled_lead(), "2026-03")
    p1 = next(m for m in result.moves if m.person == "P1")
    assert (p1.score_before, p1.score_after) == (D("4.5"), D("7.5"))


def test_a_broken_draft_is_refused_with_the_line_and_reason_of_each_error(scored):
    text = (
        shipped()
        .replace("kind: case_timeliness", "kind: speed")
        .replace("ties: [fewer_deductions, more_additions]", "ties: [luck]")
    )
    with pytest.raises(DraftInvalid) as error:
        what_if(text, "2026-03")
    lines = {e.split(": ", 1)[0]: e for e in error.value.errors}
    ties_line = shipped().splitlines().index("ties: [fewer_deductions, more_additions]") + 1
    kind_line = shipped().splitlines().index("    kind: case_timeliness") + 1
    assert "未知取值 'luck'" in lines[f"草稿.yaml:{ties_line}"]
    assert "未知评分种类 'speed'" in lines[f"草稿.yaml:{kind_line}"]


def test_a_draft_of_an_unknown_scheme_or_an_unscored_period_is_refused(scored):
    with pytest.raises(DraftInvalid) as error:
        what_if(shipped().replace("code: case_handling", "code: new_scheme"), "2026-03")
    assert error.value.errors[0].startswith("草稿.yaml:1: code 应为已有的考核方案之一")
    with pytest.raises(ValidationError) as unscored:
        what_if(doubled_lead(), "2026-04")
    assert "执法办案积分 2026-04 period：尚未计分" in unscored.value.messages[0]
