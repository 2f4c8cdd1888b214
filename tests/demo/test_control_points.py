"""Clean cases keep every control point checked by tests/demo/rules.py; each injected defect
is found at the control point it names and nowhere else; recent cases stop mid-way."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest
from tests.demo.period import CUTOFF
from tests.demo.rules import Output, findings, when

from fazhi.demo import GenerationSummary

H = timedelta(hours=1)


@pytest.fixture(scope="module")
def county_findings(county_out: Output) -> dict[str, set[tuple[str, str | None]]]:
    return findings(county_out, CUTOFF)


def clean(out: Output) -> set[str]:
    return set(out.cases) - {d["case"] for d in out.defects}


def test_clean_cases_raise_nothing(county_out: Output, county_findings) -> None:
    raised = {cid: county_findings[cid] for cid in clean(county_out) if county_findings[cid]}
    assert not raised, dict(list(raised.items())[:5])


def test_each_defect_is_found_at_its_control_point_alone(county_out: Output, county_findings,
                                                         mini: GenerationSummary) -> None:
    small = Output.load(mini.out_dir)
    for out, found in ((county_out, county_findings), (small, findings(small, CUTOFF))):
        assert len({d["case"] for d in out.defects}) == len(out.defects)
        for d in out.defects:
            assert list(d) == ["case", "subject", "control_point", "defect", "note"]
            assert re.fullmatch(r"[A-Z]{2}-\d{2}", d["control_point"]) and d["note"]
            assert d["defect"] in ("late", "missing", "wrong")
            assert d["subject"] is None or out.subjects[d["subject"]]["case"] == d["case"]
            assert found[d["case"]] == {(d["control_point"], d["subject"])}, d


def test_defects_are_as_many_as_asked_and_varied(county: tuple[GenerationSummary, Output]) -> None:
    summary, out = county
    assert 0.025 <= len(out.defects) / summary.counts["case"] <= 0.035
    assert Counter(d["defect"] for d in out.defects).keys() == {"late", "missing", "wrong"}
    points = Counter(d["control_point"] for d in out.defects)
    assert len(points) >= 15
    assert {"JL-03", "XW-01", "CH-04", "XZ-03", "LA-01"} <= points.keys()


def test_clean_detentions_keep_the_detention_deadlines(county_out: Output) -> None:
    """JL-01, JL-02 and JL-03 spelled out: the arrest request within 3 days (7 or 30 when
    extended), custody within 24 hours, the family told within 24 hours."""
    checked = 0
    for cid in clean(county_out):
        evs = county_out.events[cid]
        for det in (e for e in evs if e["kind"] == "criminal_detention"):
            mine = [e for e in evs if e.get("subject") == det["subject"]]
            start = when(det["at"])
            limit = max([e["attrs"]["limit_days"] for e in mine
                         if e["kind"] == "arrest_request_extended"] or [3])
            met = [when(e["at"]) for e in mine if e["kind"] in (
                "arrest_requested", "bail", "released", "residential_surveillance")]
            if met:
                assert (min(met).date() - start.date()).days <= limit
            for e in mine:
                at = when(e["at"])
                if e["kind"] == "custody_delivered" and at - start < 48 * H:
                    assert at - start <= 24 * H
                if e["kind"] == "family_notified" and e["attrs"]["for"] == "criminal_detention":
                    assert at - start <= 24 * H
            kinds = {e["kind"] for e in mine}
            if start + 24 * H <= CUTOFF:
                assert {"custody_delivered", "family_notified", "interrogation"} <= kinds
            checked += 1
    assert checked > 500


def test_questioning_has_two_sworn_officers_in_clean_cases(county_out: Output) -> None:
    sworn = {p for p, rec in county_out.persons.items() if "auxiliary" not in rec["roles"]}
    aux_present = 0
    for cid in clean(county_out):
        for e in county_out.events[cid]:
            if e["kind"] in ("interrogation", "inquiry", "criminal_detention", "arrest_executed",
                             "admin_summons", "property_seized"):
                assert len(sworn & set(e["officers"])) >= 2
                aux_present += len(e["officers"]) > len(sworn & set(e["officers"]))
    assert aux_present > 1000  # auxiliaries assist, but never count as the second officer


def test_recent_cases_stop_mid_way(county_out: Output) -> None:
    """A case opened days before the cutoff shows its first acts and none of its last."""
    recent_open = old_done = 0
    for cid, case in county_out.cases.items():
        if case["kind"] != "criminal":
            continue
        kinds = {e["kind"] for e in county_out.events[cid]}
        age_days = (CUTOFF - when(case["opened_at"])).days
        detained = "criminal_detention" in kinds
        transferred = "transferred_for_prosecution" in kinds
        if age_days < 14 and detained:
            assert not transferred
            recent_open += 1
        if age_days > 200 and detained and transferred:
            old_done += 1
    assert recent_open >= 10 and old_done >= 300
