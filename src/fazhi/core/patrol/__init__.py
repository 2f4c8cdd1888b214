"""The patrol (风险巡查): every control point of the catalogue on every case, as of a time.

    from fazhi.core.patrol import patrol, evaluate_case, build_timelines
    findings = patrol(records, catalogue, as_of, HolidayCalendar())
    [f.to_json() for f in findings]      # the CEIF patrol contract objects

Pure: no framework, no clock, no I/O. `as_of` is a parameter; records and events after it are
ignored (an event whose `end` lies after `as_of` is still running at `as_of`).
"""

from fazhi.core.patrol.engine import (
    build_timelines,
    case_duties,
    evaluate_case,
    needs_names,
    others_of,
    overlap_kinds,
    patrol,
    sort_findings,
    supplied_names,
    timeline_from_example,
)
from fazhi.core.rules.base import Duty, DutyState, Finding, Timeline

__all__ = [
    "Duty",
    "DutyState",
    "Finding",
    "Timeline",
    "build_timelines",
    "case_duties",
    "evaluate_case",
    "needs_names",
    "others_of",
    "overlap_kinds",
    "patrol",
    "sort_findings",
    "supplied_names",
    "timeline_from_example",
]
