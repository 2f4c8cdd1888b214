"""Every example of every catalogue entry, run through the patrol: one test id per example.

The example's timeline becomes CEIF records (one case), the whole catalogue is evaluated as
of the example's `as_of`, and the findings of the example's code must equal `expect` exactly:
subject, state and due_at/at to the second.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi.core.catalog import ControlPoint, Example, load_catalogue
from fazhi.core.legaltime import HolidayCalendar
from fazhi.core.patrol import evaluate_case, timeline_from_example

REPO = Path(__file__).resolve().parents[3]
CATALOGUE = load_catalogue(REPO / "catalog" / "control_points")
CALENDAR = HolidayCalendar()

CASES = [
    pytest.param(point, example, id=f"{point.key}#{n:02d}-{example.name}")
    for point in CATALOGUE.points
    for n, example in enumerate(point.examples, start=1)
]


def _expected(example: Example) -> list[tuple[str | None, str, str]]:
    return sorted(
        (
            e.subject,
            e.state.value,
            (e.due_at if e.due_at is not None else e.at).isoformat(),  # type: ignore[union-attr]
        )
        for e in example.expect
    )


@pytest.mark.parametrize(("point", "example"), CASES)
def test_catalogue_example(point: ControlPoint, example: Example) -> None:
    timeline = timeline_from_example(point, example)
    findings = evaluate_case(timeline, CATALOGUE, example.as_of, CALENDAR)
    got = sorted(
        (f.subject, f.state.value, f.to_json().get("due_at") or f.to_json()["at"])
        for f in findings
        if f.control_point == point.code
    )
    expected = [(s, st, _norm(t)) for s, st, t in _expected(example)]
    assert got == expected, f"{point.key}「{example.name}」 as of {example.as_of}"


def _norm(text: str) -> str:
    from datetime import datetime

    from fazhi.core.legaltime import SHANGHAI

    return datetime.fromisoformat(text).astimezone(SHANGHAI).replace(microsecond=0).isoformat()


def test_every_example_of_every_entry_is_a_test() -> None:
    assert len(CASES) == sum(len(p.examples) for p in CATALOGUE.points) >= 455
    assert len({c.id for c in CASES}) == len(CASES)
