"""Rule kinds of the patrol: one module per `PointKind`, each a pure function

    evaluate(point: ControlPoint, timeline: Timeline, as_of: datetime,
             calendar: HolidayCalendar) -> list[Finding]

that judges one catalogue entry (one version of a code) on one case. `DUTIES` gives the same
judgement as duties (obligations) rather than findings: the timed kinds return every duty,
ended or open; the other kinds return their violations as instant duties. A new point of an
existing kind is data only (a catalogue file); a version is applied to the start events that
happened while it was in force (`ControlPoint.in_force`) and that its `applies_to` admits.
"""

from collections.abc import Callable, Mapping
from datetime import datetime
from types import MappingProxyType

from fazhi.core.catalog.model import ControlPoint, PointKind
from fazhi.core.legaltime import HolidayCalendar
from fazhi.core.rules import (
    authority,
    count_limit,
    deadline,
    duration_limit,
    forbidden_overlap,
    required_attribute,
    required_step,
    timed,
)
from fazhi.core.rules.base import Duty, Finding, Timeline

Rule = Callable[[ControlPoint, Timeline, datetime, HolidayCalendar], list[Finding]]

RULES: Mapping[PointKind, Rule] = MappingProxyType(
    {
        PointKind.DEADLINE: deadline.evaluate,
        PointKind.DURATION_LIMIT: duration_limit.evaluate,
        PointKind.REQUIRED_STEP: required_step.evaluate,
        PointKind.REQUIRED_ATTRIBUTE: required_attribute.evaluate,
        PointKind.FORBIDDEN_OVERLAP: forbidden_overlap.evaluate,
        PointKind.COUNT_LIMIT: count_limit.evaluate,
        PointKind.AUTHORITY: authority.evaluate,
    }
)

DutyRule = Callable[[ControlPoint, Timeline, datetime, HolidayCalendar], list[Duty]]


def _violations(rule: Rule) -> DutyRule:
    def duties(
        point: ControlPoint, timeline: Timeline, as_of: datetime, calendar: HolidayCalendar
    ) -> list[Duty]:
        return [Duty.of_violation(f) for f in rule(point, timeline, as_of, calendar)]

    return duties


_TIMED = frozenset({PointKind.DEADLINE, PointKind.DURATION_LIMIT})

DUTIES: Mapping[PointKind, DutyRule] = MappingProxyType(
    {kind: timed.duties if kind in _TIMED else _violations(rule) for kind, rule in RULES.items()}
)

__all__ = ["DUTIES", "RULES", "Duty", "DutyRule", "Finding", "Rule", "Timeline"]
