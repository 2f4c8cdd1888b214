"""The shipped catalogue: it passes the lint, it holds the points it says it holds, and the due
times written in its examples are the ones the legal time arithmetic computes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from fazhi.core.catalog import (
    Catalogue,
    ControlPoint,
    Example,
    ExtensionMode,
    PointKind,
    State,
    default_law_dir,
    lint_catalogue,
    load_catalogue,
)
from fazhi.core.legaltime import (
    Exclusion,
    ExtendBy,
    ExtendTo,
    HolidayCalendar,
    Period,
    compute_due,
    days_before_expiry,
    parse_period,
)

REPO = Path(__file__).resolve().parents[2]
CATALOGUE_DIR = REPO / "catalog" / "control_points"
LAW_DIR = default_law_dir(REPO)

# The 115 codes of shared/control-points.md §3.
ALL_CODES = (
    [f"LA-{i:02d}" for i in range(1, 13)]
    + [f"CH-{i:02d}" for i in range(1, 11)]
    + [f"XW-{i:02d}" for i in range(1, 11)]
    + [f"JL-{i:02d}" for i in range(1, 8)]
    + [f"DB-{i:02d}" for i in range(1, 8)]
    + [f"YJ-{i:02d}" for i in range(1, 9)]
    + [f"QB-{i:02d}" for i in range(1, 9)]
    + [f"JS-{i:02d}" for i in range(1, 5)]
    + [f"LS-{i:02d}" for i in range(1, 7)]
    + ["YS-01", "YS-02", "YS-03", "BC-01", "BC-02", "CA-01"]
    + [f"CW-{i:02d}" for i in range(1, 11)]
    + [f"XZ-{i:02d}" for i in range(1, 23)]
    + ["ZC-01", "ZC-02", "QT-01", "QT-02", "QT-03"]
)
# What this catalogue ships (keep in step with the files): all 115 codes, in 124 entries
# because nine codes have a second or third version (2012 治安管理处罚法; other fields).
PRESENT = 115
VERSIONED = {
    "CH-04@2012",
    "CH-04@other",
    "CH-05@2012",
    "CW-01@2012",
    "XZ-01@2012",
    "XZ-03@2012",
    "XZ-09@2012",
    "XZ-10@2012",
    "XZ-22@2012",
}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(CATALOGUE_DIR)


def test_the_shipped_catalogue_passes_the_lint():
    errors = lint_catalogue(CATALOGUE_DIR, LAW_DIR)
    assert [str(e) for e in errors] == []


def test_the_specification_lists_115_control_points():
    assert len(ALL_CODES) == len(set(ALL_CODES)) == 115


def test_the_catalogue_holds_the_stated_number_of_the_115_points(catalogue):
    present = catalogue.codes & set(ALL_CODES)
    assert len(present) == PRESENT, sorted(set(ALL_CODES) - catalogue.codes)
    assert catalogue.codes <= set(ALL_CODES), "a code not in control-points.md"
    assert {p.key for p in catalogue.points if p.version} == VERSIONED
    assert len(catalogue.points) == PRESENT + len(VERSIONED)


def test_every_point_proves_itself_with_firing_and_quiet_examples(catalogue):
    for point in catalogue.points:
        assert point.examples, point.key
        if point.needs_data is None:
            assert any(e.must_fire for e in point.examples), point.key
            assert any(not e.must_fire for e in point.examples), point.key


def test_a_case_is_judged_by_the_version_in_force_on_its_start_day(catalogue):
    for code in catalogue.codes:
        for point in catalogue.versions(code):
            assert point in catalogue.in_force(code, point.in_force.valid_from)
    old = catalogue.in_force("CH-04", date(2025, 12, 31))
    new = catalogue.in_force("CH-04", date(2026, 1, 1))
    assert [p.version for p in old] == ["2012"]
    assert {(p.version, p.applies_to.public_order) for p in new} == {(None, True), ("other", False)}


# Points whose 2012 治安管理处罚法 version ends on 2025-12-31 and whose 2025 text takes over
# on 2026-01-01 (shared/control-points.md: the text in force on the day of the start event).
SPLIT_AT_2026 = sorted(k.split("@")[0] for k in VERSIONED if k.endswith("@2012"))


@pytest.mark.parametrize("code", SPLIT_AT_2026)
def test_the_2012_version_hands_over_to_the_2025_text_on_2026_01_01(catalogue, code):
    old = catalogue.in_force(code, date(2025, 12, 31))
    new = catalogue.in_force(code, date(2026, 1, 1))
    assert "2012" in [p.version for p in old]
    assert "2012" not in [p.version for p in new]
    assert None in [p.version for p in new]
    assert None not in [p.version for p in old]
    old_2012 = next(p for p in old if p.version == "2012")
    assert old_2012.in_force.valid_to == date(2025, 12, 31)
    assert all(b.source != "治安法2025" for b in old_2012.basis)


# --- example due times against legaltime -----------------------------------------------------

CALENDAR = HolidayCalendar()


def _timed_points() -> list[ControlPoint]:
    points = load_catalogue(CATALOGUE_DIR).points
    return [
        p
        for p in points
        if p.kind in (PointKind.DEADLINE, PointKind.DURATION_LIMIT)
        and p.period is not None
        and "description" not in (p.params.get("due_rule") or {})
    ]


def _tier(point: ControlPoint, example: Example, start: Mapping[str, Any]) -> tuple[Period, bool]:
    """The period and holiday rule for this case: the first matching tier, else the point's."""
    case_flags = set(example.case.get("flags", ()))
    subject_flags = {
        f
        for s in example.subjects
        if s.get("id") == start.get("subject")
        for f in s.get("flags", ())
    }
    attrs = start.get("attrs") or {}
    for tier in point.params.get("tiers", ()):
        when = tier["when"]
        if (
            set(when.get("case_flags", ())) <= case_flags
            and set(when.get("subject_flags", ())) <= subject_flags
            and all(attrs.get(k) == v for k, v in (when.get("start_attrs") or {}).items())
        ):
            return parse_period(tier["period"]), tier.get("holiday_shift", point.holiday_shift)
    assert point.period is not None and point.holiday_shift is not None
    return point.period, point.holiday_shift


def _expected_due(point: ControlPoint, example: Example, subject: str | None):
    assert point.starts_at is not None
    starts = sorted(
        (
            e
            for e in example.events
            if point.starts_at.matches(e)
            and (subject is None or e.get("subject") in (None, subject))
        ),
        key=lambda e: e["at"],
    )
    assert starts, f"{point.key}「{example.name}」: no start event for {subject}"
    start = starts[0]
    period, shift = _tier(point, example, start)
    extensions = []
    for rule in point.extended_by:
        sources = (
            [start]
            if rule.event == start["kind"]
            else [
                e
                for e in example.events
                if e["kind"] == rule.event
                and e["at"] <= example.as_of
                and (e.get("subject") in (None, start.get("subject")))
            ]
        )
        for event in sources:
            value = (event.get("attrs") or {}).get(rule.attr)
            if value in (None, False):
                continue
            if rule.period is not None:
                extensions.append(ExtendTo(rule.period))
            else:
                assert rule.unit is not None
                cls = ExtendBy if rule.mode is ExtensionMode.BY else ExtendTo
                extensions.append(cls(Period(rule.unit, int(value))))
    exclusions = [
        Exclusion(e["at"], e["end"], e["kind"])
        for match in point.excluded_by
        for e in example.events
        if match.matches(e) and "end" in e
    ]
    due = compute_due(
        start["at"],
        period,
        holiday_shift=shift,
        calendar=CALENDAR,
        extensions=extensions,
        exclusions=exclusions,
    )
    before = (point.params.get("due_rule") or {}).get("days_before_expiry")
    if before:
        due = days_before_expiry(due, before)
    return due.due_at


@pytest.mark.parametrize("point", _timed_points(), ids=lambda p: p.key)
def test_example_due_times_are_those_legaltime_computes(point: ControlPoint):
    checked = 0
    for example in point.examples:
        for expectation in example.expect:
            if expectation.due_at is None:
                continue
            expected = _expected_due(point, example, expectation.subject)
            assert expectation.due_at == expected, f"{point.key}「{example.name}」"
            checked += 1
    assert checked or point.needs_data, f"{point.key}: no example states a due time"


def _lead(point: ControlPoint) -> timedelta:
    assert point.lead_time is not None
    amount = point.lead_time.amount
    return (
        timedelta(hours=amount) if point.lead_time.unit.value == "hours" else timedelta(days=amount)
    )


@pytest.mark.parametrize("point", _timed_points(), ids=lambda p: p.key)
def test_example_states_agree_with_as_of_and_due_time(point: ControlPoint):
    for example in point.examples:
        for expectation in example.expect:
            due_at, as_of = expectation.due_at, example.as_of
            assert due_at is not None
            where = f"{point.key}「{example.name}」"
            if expectation.state is State.DUE_SOON:
                assert due_at - _lead(point) <= as_of <= due_at, where
                continue
            assert as_of > due_at, where
            assert point.starts_at is not None
            start = min(
                (e for e in example.events if point.starts_at.matches(e)), key=lambda e: e["at"]
            )
            acts = [
                e["end"] if point.kind is PointKind.DURATION_LIMIT and "end" in e else e["at"]
                for e in example.events
                if e is not start and any(m.matches(e) for m in point.met_by)
            ]
            if point.kind is PointKind.DURATION_LIMIT and "end" in start:
                acts.append(start["end"])
            done_late = any(due_at < t <= as_of for t in acts)
            done_on_time = any(t <= due_at for t in acts)
            if expectation.state is State.LATE:
                assert done_late and not done_on_time, where
            else:
                assert not done_late and not done_on_time, where
