"""The patrol engine beyond the catalogue examples: timelines from records, cross-case
overlaps, needs_data activation, the explanation carried by findings, purity properties and
speed."""

from __future__ import annotations

import time as clock
from datetime import date, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.core.catalog import (
    Catalogue,
    ControlPoint,
    InForce,
    Level,
    PointKind,
    State,
    load_catalogue,
)
from fazhi.core.legaltime import SHANGHAI, HolidayCalendar
from fazhi.core.patrol import (
    build_timelines,
    evaluate_case,
    patrol,
    supplied_names,
)
from fazhi.core.records import Alarm, Case, Event, Person, Subject, Unit

REPO = Path(__file__).resolve().parents[3]
CATALOGUE = load_catalogue(REPO / "catalog" / "control_points")
CALENDAR = HolidayCalendar()


def t(text: str) -> datetime:
    return datetime.fromisoformat(f"2026-{text}:00+08:00")


def world() -> list:
    return [
        Unit("U1", "某分局", "sub_bureau"),
        Unit("U2", "某派出所", "station", parent="U1"),
        Person("P1", "王某", "U2", ("officer",)),
        Person("P2", "李某", "U2", ("officer",)),
        Person("A9", "赵某", "U2", ("auxiliary",)),
    ]


def case(cid: str, kind: str = "criminal", opened: str = "03-01T09:00", **kw) -> Case:
    return Case(cid, kind, "U2", t(opened), **kw)


# --- findings carry their explanation ---------------------------------------------------


def test_a_finding_carries_the_due_steps_and_the_triggering_events():
    records = [
        *world(),
        case("A1"),
        Subject("S1", "A1"),
        Event("E1", "A1", "criminal_detention", t("03-01T10:00"), "S1"),
        Event(
            "E2", "A1", "arrest_request_extended", t("03-03T10:00"), "S1", attrs={"limit_days": 7}
        ),
    ]
    found = [
        f
        for f in patrol(records, CATALOGUE, t("03-09T09:00"), CALENDAR)
        if f.control_point == "JL-01"
    ]
    assert len(found) == 1
    finding = found[0]
    assert finding.state is State.OVERDUE
    assert finding.due_at == datetime(2026, 3, 8, 23, 59, 59, tzinfo=SHANGHAI)
    assert finding.events == ("E1", "E2")
    assert [type(s).__name__ for s in finding.steps] == [
        "Start",
        "Limit",
        "Extended",
        "NoHolidayShift",
    ]
    assert finding.to_json() == {
        "case": "A1",
        "subject": "S1",
        "control_point": "JL-01",
        "state": "overdue",
        "due_at": "2026-03-08T23:59:59+08:00",
    }


def test_the_code_is_reported_without_its_version():
    records = [
        *world(),
        Case(
            "X1",
            "administrative",
            "U2",
            datetime(2025, 6, 1, 9, tzinfo=SHANGHAI),
            category="public_order",
        ),
        Subject("S1", "X1"),
        Event(
            "E1",
            "X1",
            "admin_summons",
            datetime(2025, 6, 1, 10, tzinfo=SHANGHAI),
            "S1",
            end=datetime(2025, 6, 1, 20, tzinfo=SHANGHAI),
            officers=("P1", "P2"),
        ),
    ]
    found = [
        f
        for f in patrol(records, CATALOGUE, datetime(2025, 6, 2, tzinfo=SHANGHAI), CALENDAR)
        if f.control_point == "CH-04"
    ]
    # 2012 law: 8 hours (no 12-hour tier before 2026) → ended 2 h late
    assert [(f.state, f.due_at, f.version) for f in found] == [
        (State.LATE, datetime(2025, 6, 1, 18, tzinfo=SHANGHAI), "2012")
    ]


# --- DB-02: already in the 看守所 --------------------------------------------------------


def test_an_arrest_after_bail_needs_a_new_delivery_to_the_detention_centre():
    base = [
        *world(),
        case("A1"),
        Subject("S1", "A1"),
        Event("E1", "A1", "criminal_detention", t("03-05T21:30"), "S1"),
        Event("E2", "A1", "custody_delivered", t("03-06T02:15"), "S1"),
    ]
    arrest = Event("E9", "A1", "arrest_executed", t("03-18T09:00"), "S1", officers=("P1", "P2"))
    as_of = t("03-20T09:00")
    still_in = [
        f for f in patrol([*base, arrest], CATALOGUE, as_of, CALENDAR) if f.control_point == "DB-02"
    ]
    assert still_in == []
    bailed = [*base, Event("E3", "A1", "bail", t("03-08T10:00"), "S1"), arrest]
    found = [f for f in patrol(bailed, CATALOGUE, as_of, CALENDAR) if f.control_point == "DB-02"]
    assert [(f.state, f.due_at) for f in found] == [(State.OVERDUE, t("03-19T09:00"))]


# --- needs_data: silent until the data arrives ------------------------------------------


def _victim_case(extra: list) -> list:
    return [
        *world(),
        case("X1", "administrative", category="public_order", flags=("victim",)),
        Subject("S1", "X1"),
        Event("E1", "X1", "penalty_decided", t("03-18T10:00"), "S1", attrs={"fine": 200}),
        *extra,
    ]


def test_a_needs_data_point_is_silent_until_its_extension_data_arrives():
    as_of = t("03-25T09:00")
    silent = patrol(_victim_case([]), CATALOGUE, as_of, CALENDAR)
    assert "XZ-07" not in {f.control_point for f in silent}
    # another case of the same file carries x_copy_served_to_victim: the data source sends it
    other = [
        case("X2", "administrative", category="public_order", flags=("victim",)),
        Subject("S2", "X2"),
        Event("F1", "X2", "penalty_decided", t("03-18T10:00"), "S2", attrs={"fine": 200}),
        Event("F2", "X2", "x_copy_served_to_victim", t("03-19T10:00"), "S2"),
    ]
    records = _victim_case(other)
    assert supplied_names(records) == {"x_copy_served_to_victim"}
    found = [f for f in patrol(records, CATALOGUE, as_of, CALENDAR) if f.control_point == "XZ-07"]
    # 2 days from 03-18 → 03-20 (Friday) 23:59:59; X2 served in time
    assert [(f.case, f.state, f.due_at) for f in found] == [
        ("X1", State.OVERDUE, datetime(2026, 3, 20, 23, 59, 59, tzinfo=SHANGHAI))
    ]
    # and a caller may declare the data supplied (None: every point active)
    everything = patrol(_victim_case([]), CATALOGUE, as_of, CALENDAR, supplied=None)
    assert "XZ-07" in {f.control_point for f in everything}


# --- LA-02: the start is the alarm record -----------------------------------------------


def test_the_alarm_record_starts_the_intake_deadline():
    records = [
        *world(),
        case("X1", "administrative", opened="03-07T08:00", category="public_order"),
        Alarm("J1", "U2", t("03-06T20:00"), "administrative", case="X1"),
        Event("E1", "X1", "intake", t("03-07T21:00")),
    ]
    found = [
        f
        for f in patrol(records, CATALOGUE, t("03-08T09:00"), CALENDAR)
        if f.control_point == "LA-02"
    ]
    assert [(f.subject, f.state, f.due_at, f.events) for f in found] == [
        (None, State.LATE, t("03-07T20:00"), ("alarm:J1", "E1"))
    ]


# --- forbidden_overlap: one officer in two questionings at once -------------------------

OVERLAP = ControlPoint(
    code="ZZ-01",
    name="同一民警同时参与两场讯问询问",
    area="interrogation",
    kind=PointKind.FORBIDDEN_OVERLAP,
    basis=(),
    in_force=InForce(date(2018, 10, 26)),
    level=Level.MEDIUM,
    path=Path("ZZ-01.yaml"),
    params={"events": ["interrogation", "inquiry", "admin_summons"], "same_officer": True},
)


def test_one_officer_cannot_question_in_two_cases_at_once():
    records = [
        *world(),
        case("A1"),
        Subject("S1", "A1"),
        case("B1", "administrative", category="public_order"),
        Subject("S2", "B1"),
        case("C1"),
        Subject("S3", "C1"),
        Event(
            "A-E1",
            "A1",
            "interrogation",
            t("03-02T23:00"),
            "S1",
            end=t("03-03T01:00"),
            officers=("P1", "P2"),
        ),
        # P1 again, after midnight, in another case, while the first still runs
        Event(
            "B-E1",
            "B1",
            "inquiry",
            t("03-03T00:30"),
            "S2",
            end=t("03-03T01:30"),
            officers=("P1", "A9"),
        ),
        # P2 after the first ended: no overlap
        Event(
            "C-E1",
            "C1",
            "interrogation",
            t("03-03T01:00"),
            "S3",
            end=t("03-03T02:00"),
            officers=("P2",),
        ),
    ]
    catalogue = Catalogue((OVERLAP,))
    found = patrol(records, catalogue, t("03-04T09:00"), CALENDAR)
    assert [(f.case, f.subject, f.state, f.at, f.events) for f in found] == [
        ("B1", "S2", State.VIOLATED, t("03-03T00:30"), ("B-E1", "A-E1"))
    ]
    timelines = {tl.case.id: tl for tl in build_timelines(records, t("03-04T09:00"), catalogue)}
    # each case sees only the other cases' events of its officers on its days
    assert {e.id for e in timelines["B1"].others} == {"A-E1"}
    assert {e.id for e in timelines["C1"].others} == {"A-E1"}


# --- properties -------------------------------------------------------------------------

KINDS = [
    "intake",
    "filed",
    "criminal_detention",
    "custody_delivered",
    "family_notified",
    "arrest_request_extended",
    "arrest_requested",
    "arrest_approved",
    "arrest_executed",
    "released",
    "bail",
    "custody_extended",
    "appraisal",
    "interrogation",
    "rights_advised",
    "summons",
    "transferred_for_prosecution",
    "admin_summons",
    "inquiry",
    "penalty_decided",
    "admin_detention_executed",
    "property_seized",
    "closed",
    "mediation",
]
ATTRS = {
    "family_notified": st.fixed_dictionaries(
        {
            "for": st.sampled_from(
                ["criminal_detention", "arrest", "admin_summons", "admin_detention"]
            )
        }
    ),
    "arrest_request_extended": st.fixed_dictionaries({"limit_days": st.sampled_from([7, 30])}),
    "custody_extended": st.fixed_dictionaries({"months": st.sampled_from([1, 2])}),
    "appraisal": st.fixed_dictionaries({"psychiatric": st.booleans()}),
    "summons": st.fixed_dictionaries({"extended": st.booleans()}),
    "admin_summons": st.fixed_dictionaries(
        {"may_detain": st.booleans(), "in_case_area": st.booleans()}
    ),
    "penalty_decided": st.fixed_dictionaries(
        {"detention_days": st.integers(0, 15), "fine": st.sampled_from([0, 500, 5000])}
    ),
    "closed": st.fixed_dictionaries({"reason": st.sampled_from(["revoked", "decided"])}),
    "mediation": st.fixed_dictionaries({"succeeded": st.booleans()}),
}
WITH_END = {"interrogation", "summons", "appraisal", "admin_summons", "inquiry"}
START = datetime(2026, 3, 1, 8, tzinfo=SHANGHAI)


@st.composite
def timelines(draw):
    n = draw(st.integers(1, 14))
    events = []
    for i in range(n):
        kind = draw(st.sampled_from(KINDS))
        at = START + timedelta(hours=draw(st.integers(0, 24 * 90)))
        subject = draw(st.sampled_from([None, "S1", "S2"]))
        end = at + timedelta(hours=draw(st.integers(1, 30))) if kind in WITH_END else None
        attrs = draw(ATTRS[kind]) if kind in ATTRS else None
        officers = tuple(draw(st.lists(st.sampled_from(["P1", "P2", "A9"]), max_size=3)))
        events.append(Event(f"E{i:02d}", "A1", kind, at, subject, end, officers, attrs))
    as_of = START + timedelta(hours=draw(st.integers(0, 24 * 100)))
    kind = draw(st.sampled_from(["criminal", "administrative"]))
    return events, as_of, kind


def _records(events, kind="criminal"):
    category = "public_order" if kind == "administrative" else "theft"
    return [
        *world(),
        case("A1", kind, opened="03-01T08:00", category=category),
        Subject("S1", "A1", birth_date=date(2009, 6, 1)),
        Subject("S2", "A1"),
        *events,
    ]


@settings(max_examples=60, deadline=None)
@given(timelines(), st.sampled_from(KINDS), st.integers(1, 500))
def test_an_event_after_as_of_never_changes_the_findings(drawn, kind, minutes):
    events, as_of, case_kind = drawn
    before = patrol(_records(events, case_kind), CATALOGUE, as_of, CALENDAR)
    later = Event("LATE", "A1", kind, as_of + timedelta(minutes=minutes), "S1")
    after = patrol(_records([*events, later], case_kind), CATALOGUE, as_of, CALENDAR)
    assert [f.to_json() for f in after] == [f.to_json() for f in before]


@settings(max_examples=60, deadline=None)
@given(timelines(), st.randoms(use_true_random=False))
def test_findings_are_deterministic_and_sorted_whatever_the_record_order(drawn, rnd):
    events, as_of, case_kind = drawn
    records = _records(events, case_kind)
    first = patrol(records, CATALOGUE, as_of, CALENDAR)
    shuffled = list(records)
    rnd.shuffle(shuffled)
    second = patrol(shuffled, CATALOGUE, as_of, CALENDAR)
    assert first == second
    keys = [(f.case, f.subject or "", f.control_point) for f in first]
    assert keys == sorted(keys)
    for f in first:
        assert (f.due_at is None) == (f.state is State.VIOLATED)
        assert str(next(reversed(f.to_json().values()))).endswith("+08:00")


# --- speed ------------------------------------------------------------------------------


def test_evaluating_a_typical_case_is_fast():
    example = REPO.parent / "shared" / "interchange" / "example.jsonl"
    import json

    from fazhi.core.records import from_ceif

    records = [from_ceif(json.loads(line)) for line in example.read_text().splitlines()]
    as_of = t("06-01T09:00")
    timeline = next(tl for tl in build_timelines(records, as_of) if tl.case.id == "A-2026-0031")
    assert len(timeline.events) == 13
    evaluate_case(timeline, CATALOGUE, as_of, CALENDAR)  # warm the compiled catalogue
    runs = 200
    started = clock.perf_counter()
    for _ in range(runs):
        evaluate_case(timeline, CATALOGUE, as_of, CALENDAR)
    per_case = (clock.perf_counter() - started) / runs
    assert per_case < 0.010, f"{per_case * 1000:.2f} ms per case"


def test_two_officers_are_required_and_auxiliaries_do_not_count():
    def arrest(officers: tuple[str, ...]) -> list:
        return [
            *world(),
            case("A1"),
            Subject("S1", "A1"),
            Event("E1", "A1", "arrest_executed", t("03-02T10:00"), "S1", officers=officers),
        ]

    def db04(officers: tuple[str, ...]) -> list:
        found = patrol(arrest(officers), CATALOGUE, t("03-02T12:00"), CALENDAR)
        return [(f.state, f.at) for f in found if f.control_point == "DB-04"]

    assert db04(("P1", "A9")) == [(State.VIOLATED, t("03-02T10:00"))]
    assert db04(("P1", "P1")) == [(State.VIOLATED, t("03-02T10:00"))]  # one person twice
    assert db04(("P1", "P2")) == []
    assert db04(("P1", "P-unknown")) == []  # an id without a person record counts
    assert db04(()) == []  # nobody recorded: not judged
