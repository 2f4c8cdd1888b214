"""What the generated records look like: sizes, the org tree, grids, people and subjects,
references, times, alarms and the spread of cases — on a county and on the mini scale."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime

from tests.demo.period import CUTOFF, FROM
from tests.demo.rules import OTHER_ADMIN, Output, age, when

from fazhi.demo import GenerationSummary
from fazhi.ingest.batch import Batch, EmptyStore

CEIF_FILES = ("unit", "person", "grid", "alarm", "case", "subject", "event")
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def test_the_importer_accepts_every_record(mini: GenerationSummary) -> None:
    with Batch(EmptyStore()) as batch:
        for name in CEIF_FILES:
            batch.add_file(mini.paths[name])
        batch.check()
        assert batch.sorted_problems() == []


def test_mini_scale_is_small_and_complete(mini: GenerationSummary) -> None:
    counts = mini.counts
    assert 30 <= counts["person"] <= 55
    assert counts["case"] == 150
    assert 8 * 150 <= counts["event"] <= 14 * 150
    assert counts["alarm"] > 2 * counts["case"]
    assert counts["defects"] >= 8


def test_county_scale_matches_the_design_table(county: tuple[GenerationSummary, Output]) -> None:
    counts = county[0].counts
    assert 400 <= counts["person"] <= 600
    assert counts["case"] == 20_000
    assert 180_000 <= counts["event"] <= 250_000
    assert 18_000 <= counts["subject"] <= 26_000


def test_ids_are_unique_per_type(county: tuple[GenerationSummary, Output]) -> None:
    summary, out = county
    indexed = {"unit": out.units, "person": out.persons, "grid": out.grids, "case": out.cases,
               "subject": out.subjects}
    for name, records in indexed.items():
        assert len(records) == summary.counts[name], name
    assert len({a["id"] for a in out.alarms}) == len(out.alarms)
    event_ids = [e["id"] for evs in out.events.values() for e in evs]
    assert len(set(event_ids)) == len(event_ids) == summary.counts["event"]


def test_every_reference_resolves(county_out: Output) -> None:
    out = county_out
    for u in out.units.values():
        assert u.get("parent") is None or u["parent"] in out.units
    for p in out.persons.values():
        assert p["unit"] in out.units
    for a in out.alarms:
        assert a["unit"] in out.units and ("case" not in a or a["case"] in out.cases)
    for c in out.cases.values():
        assert c["unit"] in out.units
        assert all(h["person"] in out.persons for h in c["handlers"])
    for s in out.subjects.values():
        assert s["case"] in out.cases
    for cid, evs in out.events.items():
        assert cid in out.cases
        for e in evs:
            assert all(p in out.persons for p in e["officers"])
            if "subject" in e:
                assert out.subjects[e["subject"]]["case"] == cid
            assert e.get("attrs", {}).get("decided_by", out.cases[cid]["unit"]) in out.units


def test_every_subject_and_case_has_events(county_out: Output) -> None:
    out = county_out
    with_events = {e["subject"] for evs in out.events.values() for e in evs if "subject" in e}
    assert set(out.subjects) == with_events
    for cid, case in out.cases.items():
        intake = [e for e in out.events[cid] if e["kind"] == "intake"]
        assert len(intake) == 1 and intake[0]["at"] == case["opened_at"]


def test_handlers_are_sworn_qualified_officers_of_the_case_unit(county_out: Output) -> None:
    for case in county_out.cases.values():
        roles = [h["role"] for h in case["handlers"]]
        assert roles.count("lead") == 1 and 2 <= len(roles) <= 3
        for h in case["handlers"]:
            person = county_out.persons[h["person"]]
            assert person["unit"] == case["unit"]
            assert "auxiliary" not in person["roles"] and person["qualification"] != "none"


def test_times_are_local_to_the_second_and_inside_the_period(county_out: Output) -> None:
    start = datetime.combine(FROM, datetime.min.time())
    for a in county_out.alarms:
        assert TIME.match(a["at"]) and start <= when(a["at"]) <= CUTOFF
    linked = {a["case"]: when(a["at"]) for a in county_out.alarms if "case" in a}
    for cid, case in county_out.cases.items():
        opened = when(case["opened_at"])
        assert start <= opened <= CUTOFF and linked.get(cid, opened) <= opened
        assert date.fromisoformat(case["act_date"]) <= opened.date()
        for e in county_out.events[cid]:
            assert TIME.match(e["at"]) and opened <= when(e["at"]) <= CUTOFF
            if "end" in e:
                assert TIME.match(e["end"]) and when(e["at"]) <= when(e["end"]) <= CUTOFF


def test_the_org_tree_has_every_kind_of_unit_and_role(county_out: Output) -> None:
    out = county_out
    kinds = Counter(u["kind"] for u in out.units.values())
    assert kinds["bureau"] == 1 and kinds["station"] >= 10
    assert {"brigade", "squad", "office", "legal_dept", "inspection_dept"} <= set(kinds)
    legal = [u for u in out.units.values() if u["kind"] == "legal_dept"]
    assert all(u["name"].endswith("法制大队") for u in legal)
    people = list(out.persons.values())
    auxiliaries = [p for p in people if "auxiliary" in p["roles"]]
    assert 0.28 <= len(auxiliaries) / len(people) <= 0.42
    assert all(p["qualification"] == "none" and "sequence" not in p for p in auxiliaries)
    for p in people:
        heads = {"station_head", "deputy_head", "brigade_head", "squad_head"} & set(p["roles"])
        assert (p.get("sequence") == "middle_manager") == bool(heads)
    for station in (u for u in out.units.values() if u["kind"] == "station"):
        staff = [p for p in people if p["unit"] == station["id"]]
        assert sum("station_head" in p["roles"] for p in staff) == 1
        assert 1 <= sum("legal_officer" in p["roles"] for p in staff) <= 2
        assert all(p.get("sequence") in ("middle_manager", "station_officer")
                   for p in staff if "auxiliary" not in p["roles"])
    assert {"bureau_leader", "community_officer", "traffic_officer"} <= {
        r for p in people for r in (*p["roles"], p.get("sequence"))}


def test_grids_nest_four_levels_under_each_station(county_out: Output) -> None:
    out = county_out
    stations = {u["id"] for u in out.units.values() if u["kind"] == "station"}
    assert {g["unit"] for g in out.grids.values()} == stations
    for g in out.grids.values():
        assert g["unit"] in stations and g["officers"]
        if g["level"] == 1:
            assert "parent" not in g
        else:
            parent = out.grids[g["parent"]]
            assert parent["level"] == g["level"] - 1 and parent["unit"] == g["unit"]
        for p in g["officers"]:
            officer = out.persons[p]
            assert officer["unit"] == g["unit"] and "community_officer" in officer["roles"]
    assert Counter(g["level"] for g in out.grids.values()).keys() == {1, 2, 3, 4}


def test_subjects_are_plausible_people(county_out: Output) -> None:
    minors = 0
    for s in county_out.subjects.values():
        case = county_out.cases[s["case"]]
        years = age(s["birth_date"], date.fromisoformat(case["act_date"]))
        assert 14 <= years <= 80
        minors += years < 18
        assert 2 <= len(s["name"]) <= 4 and s["gender"] in ("male", "female")
        if "foreigner" in s.get("flags", ()):
            assert "id_number" not in s
            continue
        number = s["id_number"]
        check = sum(int(c) * w for c, w in zip(number[:17], ID_WEIGHTS, strict=True)) % 11
        assert number[17] == "10X98765432"[check]
        assert number[6:14] == s["birth_date"].replace("-", "")
        assert int(number[16]) % 2 == (1 if s["gender"] == "male" else 0)
    assert 0.03 <= minors / len(county_out.subjects) <= 0.08


def test_cases_are_mostly_administrative_with_theft_leading(county_out: Output) -> None:
    cases = list(county_out.cases.values())
    criminal = [c for c in cases if c["kind"] == "criminal"]
    assert 0.27 <= len(criminal) / len(cases) <= 0.33
    assert Counter(c["category"] for c in criminal).most_common(1)[0][0] == "theft"
    assert Counter(c["category"] for c in cases).most_common(2)[1][0] in ("theft", "assault")
    assert {c["category"] for c in cases} >= {"theft", "fraud", "assault", "drug_trafficking",
                                            "gambling", "public_order", "traffic", *OTHER_ADMIN}
    for c in cases:
        assert re.fullmatch(r"\w{1,2}某(等人)?\S+案", c["title"]), c["title"]


def test_most_alarms_never_become_cases(county_out: Output) -> None:
    linked = [a for a in county_out.alarms if "case" in a]
    assert 0.25 <= len(linked) / len(county_out.alarms) <= 0.45
    assert len({a["case"] for a in linked}) == len(linked)
    assert {a["nature"] for a in county_out.alarms if "case" not in a} == {
        "dispute", "help", "traffic", "other"}
    assert {a["nature"] for a in linked} == {"criminal", "administrative", "traffic"}


def test_cases_follow_the_week_and_the_seasons(county_out: Output) -> None:
    opened = [when(c["opened_at"]) for c in county_out.cases.values()]
    by_month = Counter(t.month for t in opened)
    assert by_month[7] > 1.2 * by_month[1]
    by_weekday = Counter(t.weekday() for t in opened)
    assert by_weekday[5] > 1.08 * by_weekday[1]  # Saturday busier than Tuesday
