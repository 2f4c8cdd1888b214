"""Rule kinds of the patrol: one module per `PointKind`, each a pure function

    evaluate(point: ControlPoint, timeline: Timeline, as_of: datetime,
             calendar: HolidayCalendar) -> list[Finding]

that judges one catalogue entry (one version of a code) on one case. A new point of an
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
)
from fazhi.core.rules.base import Finding, Timeline

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

__all__ = ["RULES", "Finding", "Rule", "Timeline"]
