"""Scheduled assessment work: every night, each scheme in force is scored for the periods
that contain the day just ended (its day, month, quarter or year, as the scheme counts), and
the leaderboards are snapshotted — the daily 成绩单 the seeds describe; and when the day just
ended closes a month, quarter or year, that period's end-of-period crowding (考核末期扎堆办案) is
judged and stored."""

from __future__ import annotations

from datetime import datetime, timedelta

from fazhi.apps.assessment.crowding import Stored, ended_periods, recompute_crowding
from fazhi.apps.assessment.schemes import shipped_schemes
from fazhi.apps.assessment.services import Recomputed, recompute
from fazhi.core.legaltime import SHANGHAI
from fazhi.core.scoring import period_containing

ACTOR = "assessment.nightly"


def nightly(at: datetime) -> list[Recomputed]:
    """Score yesterday's periods of every scheme in force yesterday, then judge the crowding of
    the periods yesterday ended."""
    day = at.astimezone(SHANGHAI).date() - timedelta(days=1)
    done = []
    for scheme in shipped_schemes():
        if not scheme.in_force.covers(day):
            continue
        for kind in scheme.periods:
            period = period_containing(day, kind)
            done.append(recompute(scheme.code, period.text, actor=ACTOR, at=at))
    nightly_crowding(at)
    return done


def nightly_crowding(at: datetime) -> list[Stored]:
    """Crowding figures of the months, quarters and years that ended yesterday."""
    day = at.astimezone(SHANGHAI).date() - timedelta(days=1)
    return [recompute_crowding(p.text, actor=ACTOR, at=at) for p in ended_periods(day)]
