"""The nightly job scores yesterday's periods of every scheme and snapshots the boards."""

from __future__ import annotations

from datetime import datetime

import pytest

from fazhi.apps.assessment.jobs import nightly
from fazhi.apps.assessment.models import LedgerEntry, RankingSnapshot
from fazhi.apps.assessment.schemes import shipped_schemes
from fazhi.core.legaltime import SHANGHAI

pytestmark = pytest.mark.django_db


def test_the_night_after_a_day_scores_its_periods(world):
    at = datetime(2026, 3, 21, 0, 30, tzinfo=SHANGHAI)
    done = nightly(at)
    expected = {
        (s.code, kind.value)
        for s in shipped_schemes()
        if s.in_force.covers(at.date().replace(day=20))
        for kind in s.periods
    }
    assert len(done) == len(expected) > 0
    periods = {r.period for r in done}
    assert "2026-03-20" in periods and "2026-03" in periods  # the day and its month
    assert RankingSnapshot.objects.filter(period="2026-03-20").exists()
    # A1 (P1 lead) was closed on 03-20: yesterday's 成绩单 has its points
    assert LedgerEntry.objects.filter(period="2026-03-20", person_id="P1").exists()
    again = nightly(at)
    assert sum(r.posted for r in again) == 0  # nothing new to post the second time
