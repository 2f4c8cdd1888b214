"""Escalation (逐级推送): how far up the chain a finding has been pushed, by time past due.

A warning starts with the lead handler (主办民警, rung 0). Each rung of the point's ladder
(`ControlPoint.escalation`, e.g. after 2 hours to 法制员, after 12 hours to 所队长) applies
once that much real time has passed since the finding's time (due_at, or the violation). The
ladder only climbs: a later rung never hands the warning back down.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from fazhi.core.catalog.model import ControlPoint, Role
from fazhi.core.legaltime import Period, Unit

CHAIN: tuple[Role, ...] = (
    Role.LEAD_HANDLER,
    Role.LEGAL_OFFICER,
    Role.UNIT_HEAD,
    Role.LEGAL_DEPARTMENT,
    Role.BUREAU_LEADER,
)


def elapsed(period: Period) -> timedelta:
    """A ladder period as real elapsed time (hours or whole days)."""
    if period.unit is Unit.HOURS:
        return timedelta(hours=period.amount)
    if period.unit in (Unit.DAYS, Unit.WORKING_DAYS):
        return timedelta(days=period.amount)
    return timedelta(days=30 * period.counted_amount)


def rung(point: ControlPoint, since: datetime, now: datetime) -> tuple[int, Role]:
    """The highest rung reached at `now` for a finding at `since`: (index in CHAIN, role)."""
    best = 0
    for step in point.escalation:
        if now >= since + elapsed(step.after):
            best = max(best, CHAIN.index(step.to))
    return best, CHAIN[best]


def next_rung_at(point: ControlPoint, since: datetime, current: int) -> datetime | None:
    """When the warning next climbs above rung `current`, or None at the top of its ladder."""
    times = [
        since + elapsed(step.after) for step in point.escalation if CHAIN.index(step.to) > current
    ]
    return min(times) if times else None
