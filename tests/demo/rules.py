"""An independent reading of the control points (shared/control-points.md) for the tests.

It holds the generator to its promise: a clean case raises nothing, and an injected defect is
found at the control point it names. Day periods are the raw ones, without the holiday
extension — stricter than the law, so a clean case that passes them passes the real rule —
and thresholds the law leaves to the bureau ("立即", "及时") are taken as 24 hours.
"""

from __future__ import annotations

import json
from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

H = timedelta(hours=1)
LAW_2025 = datetime(2026, 1, 1)
MUST_RECORD = {"intentional_homicide", "robbery", "drug_trafficking"}
OTHER_ADMIN = {"exit_entry", "drug_control", "fire_control", "traffic", "other_admin"}
CUSTODY_ENDS = ("arrest_executed", "released", "bail", "residential_surveillance")
MEASURES = ("interrogation", "compelled_appearance", "criminal_detention", "bail",
            "residential_surveillance", "arrest_executed")


def when(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=None)


def eod(d: date, days: int = 0) -> datetime:
    return datetime.combine(d + timedelta(days=days), time(23, 59, 59))


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    y, m = d.year + y, m + 1
    last = monthrange(y, m)[1]
    return date(y, m, last if d.day == monthrange(d.year, d.month)[1] else min(d.day, last))


def age(birth: str, on: date) -> int:
    b = date.fromisoformat(birth)
    return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


def read(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@dataclass
class Ev:
    kind: str
    at: datetime
    end: datetime | None
    subject: str | None
    officers: list[str]
    attrs: dict[str, Any]

    @classmethod
    def of(cls, rec: dict[str, Any]) -> Ev:
        return cls(rec["kind"], when(rec["at"]), when(rec["end"]) if "end" in rec else None,
                   rec.get("subject"), rec["officers"], rec.get("attrs", {}))


@dataclass
class Output:
    """Everything a generated directory holds, indexed."""

    units: dict[str, dict[str, Any]]
    persons: dict[str, dict[str, Any]]
    grids: dict[str, dict[str, Any]]
    alarms: list[dict[str, Any]]
    cases: dict[str, dict[str, Any]]
    subjects: dict[str, dict[str, Any]]
    events: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    defects: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(cls, d: Path) -> Output:
        out = cls(*({r["id"]: r for r in read(d / f"{n}.jsonl")}
                    for n in ("unit", "person", "grid")),
                  read(d / "alarm.jsonl"),
                  {r["id"]: r for r in read(d / "case.jsonl")},
                  {r["id"]: r for r in read(d / "subject.jsonl")})
        for rec in read(d / "event.jsonl"):
            out.events[rec["case"]].append(rec)
        out.defects = read(d / "defects.jsonl")
        return out


def findings(out: Output, cutoff: datetime) -> dict[str, set[tuple[str, str | None]]]:
    """(control point, subject) found per case, as of the cutoff."""
    alarm_at: dict[str, datetime] = {}
    for a in out.alarms:
        if "case" in a:
            alarm_at[a["case"]] = when(a["at"])
    result = {}
    for cid, case in out.cases.items():
        evs = sorted((Ev.of(r) for r in out.events[cid]), key=lambda e: e.at)
        subjects = {s: out.subjects[s] for s in {e.subject for e in evs if e.subject}}
        check = _Check(case, evs, subjects, out, cutoff)
        check.run(alarm_at.get(cid))
        result[cid] = check.found
    return result


class _Check:
    def __init__(self, case: dict[str, Any], evs: list[Ev], subjects: dict[str, dict[str, Any]],
                 out: Output, cutoff: datetime) -> None:
        self.case = case
        self.evs = evs
        self.subjects = subjects
        self.out = out
        self.cutoff = cutoff
        self.flags = set(case.get("flags", ()))
        self.found: set[tuple[str, str | None]] = set()

    # -- helpers ---------------------------------------------------------------------------
    def of(self, *kinds: str, subject: str | None = None, after: datetime | None = None,
           **attrs: Any) -> list[Ev]:
        return [e for e in self.evs if e.kind in kinds
                and (subject is None or e.subject == subject)
                and (after is None or e.at >= after)
                and all(e.attrs.get(k) == v for k, v in attrs.items())]

    def first(self, *kinds: str, **kw: Any) -> datetime | None:
        found = self.of(*kinds, **kw)
        return found[0].at if found else None

    def due(self, code: str, subject: str | None, due: datetime, done: datetime | None) -> None:
        if (done is None and due < self.cutoff) or (done is not None and done > due):
            self.found.add((code, subject))

    def flag(self, code: str, subject: str | None, broken: bool) -> None:
        if broken:
            self.found.add((code, subject))

    def sworn(self, ids: list[str]) -> int:
        return sum("auxiliary" not in self.out.persons[p].get("roles", ()) for p in ids)

    def minor(self, subject: str, on: datetime) -> bool:
        return age(self.subjects[subject]["birth_date"], on.date()) < 18

    # -- rules -----------------------------------------------------------------------------
    def run(self, alarm: datetime | None) -> None:
        intake = self.first("intake")
        if intake is None:
            self.found.add(("intake", None))
            return
        if self.case["kind"] == "criminal":
            self.filing(intake)
            for s in self.subjects:
                self.detention(s)
                self.arrest(s)
                self.measures(s)
                self.questioning_criminal(s)
            self.criminal_case()
        else:
            self.admin_case(intake, alarm)
            for s in self.subjects:
                self.admin_subject(s)
        self.property()

    def filing(self, intake: datetime) -> None:
        limit = max([e.attrs["limit_days"] for e in self.of("filing_review_extended")] or [3])
        self.due("LA-01", None, eod(intake.date(), limit),
                 self.first("filed", "not_filed", "transferred"))
        for t in self.of("transferred"):
            if not self.of("filed"):
                self.due("LA-04", None, intake + 24 * H, t.at)
        for nf in self.of("not_filed"):
            if "complainant" in self.flags:
                self.due("LA-06", None, eod(nf.at.date(), 3),
                         self.first("not_filed_notice_served", after=nf.at))
        for r in self.of("reconsideration_requested"):
            self.due("LA-07", None, eod(r.at.date(), 30),
                     self.first("reconsideration_decided", after=r.at))
        for q in self.of("procuratorate_query"):
            self.due("LA-09", None, eod(q.at.date(), 7),
                     self.first("procuratorate_query_answered", after=q.at))

    def detention(self, s: str) -> None:
        for det in self.of("criminal_detention", subject=s):
            ext = [e.attrs["limit_days"] for e in self.of("arrest_request_extended", subject=s)]
            jl01 = eod(det.at.date(), max(ext or [3]))
            self.due("JL-01", s, jl01, self.first("arrest_requested", "released", "bail",
                                                   "residential_surveillance",
                                                   "transferred_for_prosecution",
                                                   subject=s, after=det.at))
            self.due("JL-02", s, det.at + 24 * H,
                     self.first("custody_delivered", subject=s, after=det.at))
            told = self.of("family_notified", "notification_impossible", subject=s,
                           after=det.at, **{"for": "criminal_detention"})
            self.due("JL-03", s, det.at + 24 * H, told[0].at if told else None)
            self.due("XW-06", s, det.at + 24 * H, self.first("interrogation", subject=s,
                                                             after=det.at))
            req = self.first("arrest_requested", subject=s, after=det.at)
            cap = eod(req.date(), 7) if req and req <= jl01 else jl01
            self.due("JL-07", s, cap, self.first(*CUSTODY_ENDS, subject=s, after=det.at))

    def arrest(self, s: str) -> None:
        for req in self.of("arrest_requested", subject=s):
            self.due("JL-04", s, eod(req.at.date(), 7),
                     self.first("arrest_approved", "arrest_denied", subject=s, after=req.at))
        for no in self.of("arrest_denied", subject=s):
            self.due("JL-05", s, no.at + 24 * H,
                     self.first("released", "bail", "residential_surveillance", subject=s,
                                after=no.at))
        for ok in self.of("arrest_approved", subject=s):
            self.due("DB-01", s, ok.at + 24 * H,
                     self.first("arrest_executed", subject=s, after=ok.at))
        for ex in self.of("arrest_executed", subject=s):
            self.flag("DB-04", s, self.sworn(ex.officers) < 2)
            self.due("DB-02", s, ex.at + 24 * H,
                     self.first("custody_delivered", subject=s, after=ex.at))
            self.due("DB-03", s, ex.at + 24 * H, self.first(
                "family_notified", subject=s, after=ex.at, **{"for": "arrest"}))
            self.due("XW-07", s, ex.at + 24 * H,
                     self.first("interrogation", subject=s, after=ex.at))
            extensions = self.of("custody_extended", subject=s, after=ex.at)
            requests = self.of("custody_extension_requested", subject=s, after=ex.at)
            months = 2
            for i, extension in enumerate(extensions):
                expiry = add_months(ex.at.date(), months)
                asked = requests[i].at if i < len(requests) else None
                self.due("YJ-02", s, eod(expiry, -7), asked)
                months += extension.attrs["months"]
            ends = [t for t in (self.first("transferred_for_prosecution", "released", "bail",
                                           "residential_surveillance", subject=s, after=ex.at),
                                self.first("closed", after=ex.at)) if t]
            self.due("YJ-01", s, eod(add_months(ex.at.date(), months)), min(ends, default=None))

    def measures(self, s: str) -> None:
        for bail in self.of("bail", subject=s):
            self.due("QB-01", s, eod(add_months(bail.at.date(), 12)),
                     self.first("bail_lifted", "criminal_detention", "arrest_executed",
                                "residential_surveillance", subject=s, after=bail.at))
        for rs in self.of("residential_surveillance", subject=s):
            self.due("JS-01", s, eod(add_months(rs.at.date(), 6)),
                     self.first("residential_surveillance_lifted", "criminal_detention",
                                "arrest_executed", "bail", subject=s, after=rs.at))
            if rs.attrs.get("designated_place"):
                self.due("JS-02", s, rs.at + 24 * H, self.first(
                    "family_notified", subject=s, after=rs.at,
                    **{"for": "residential_surveillance"}))
        for kind in ("summons", "compelled_appearance"):
            code = "CH-01" if kind == "summons" else "CH-02"
            for ev in self.of(kind, subject=s):
                limit = 24 if ev.attrs.get("extended") else 12
                self.due(code, s, ev.at + limit * H, ev.end)
        for ask in self.of("lawyer_meeting_requested", subject=s):
            self.due("LS-01", s, ask.at + 48 * H,
                     self.first("lawyer_meeting_arranged", subject=s, after=ask.at))
        first = self.first(*MEASURES, "summons", subject=s)
        if first and (self.minor(s, first) or "deaf_mute" in self.subjects[s].get("flags", ())):
            self.due("LS-03", s, eod(first.date(), 3),
                     self.first("legal_aid_notified", subject=s))
        measured = self.first(*MEASURES, subject=s)
        if measured:
            advised = self.first("rights_advised", subject=s)
            self.flag("XW-09", s, advised is None or advised > measured)
        self.flag("QT-02", s, "deputy" in self.subjects[s].get("flags", ()))

    def questioning_criminal(self, s: str) -> None:
        delivered = self.first("custody_delivered", subject=s)
        for q in self.of("interrogation", subject=s):
            self.flag("XW-01", s, self.sworn(q.officers) < 2)
            self.flag("XW-03", s, self.case.get("category") in MUST_RECORD
                      and q.attrs.get("recorded") is not True)
            self.flag("XW-04", s, self.minor(s, q.at) and q.attrs.get("guardian_present") is not True)
            self.flag("XW-08", s, delivered is not None and q.at >= delivered
                      and q.attrs.get("location") != "detention_center")

    def criminal_case(self) -> None:
        seized = bool(self.of("property_seized"))
        for t in self.of("transferred_for_prosecution"):
            self.flag("YS-01", t.subject, t.attrs.get("notified") is not True)
            # The property list goes with the case file (公安刑事规定§288): a whole-case point,
            # judged while seized property is still held (none returned before the transfer).
            returned = self.first("property_returned")
            held = seized and (returned is None or returned > t.at)
            self.flag("CW-08", None, held and t.attrs.get("property_list") is not True)
        for back in self.of("returned_for_supplementary_investigation"):
            self.due("BC-01", None, eod(add_months(back.at.date(), 1)),
                     self.first("supplementary_investigation_completed", after=back.at))
        for closed in self.of("closed"):
            if closed.attrs.get("reason") not in ("revoked", "terminated"):
                continue
            for s in self.subjects:
                for start, lift in (("bail", "bail_lifted"),
                                    ("residential_surveillance", "residential_surveillance_lifted")):
                    began = self.first(start, subject=s)
                    lifted = self.first(lift, subject=s)
                    if began and began < closed.at and (lifted is None or lifted >= closed.at):
                        self.due("CA-01", s, closed.at + 24 * H, lifted)

    def admin_case(self, intake: datetime, alarm: datetime | None) -> None:
        if alarm is not None:
            self.due("LA-02", None, alarm + 24 * H, self.first("intake", "filed", "transferred"))
        for t in self.of("transferred"):
            self.due("LA-05", None, intake + 24 * H, t.at)
        filed = self.first("filed")
        if filed is None:
            return
        public_order = self.case.get("category") not in OTHER_ADMIN
        failed = self.of("mediation", succeeded=False)
        start = failed[-1].at.date() if failed else filed.date()
        extra = sum(e.attrs["days"] for e in self.of("admin_case_extended"))
        decisions = self.of("penalty_decided")
        done = (max(d.at for d in decisions) if decisions
                else self.first("closed", "transferred", after=filed))
        self.due("XZ-01" if public_order else "XZ-02", None,
                 eod(start, (30 if public_order else 90) + extra), done)
        for seized in self.of("property_seized"):
            more = sum(e.attrs["days"] for e in self.of("property_seizure_extended"))
            self.due("CW-04", None, eod(seized.at.date(), 30 + more),
                     self.first("property_returned", "penalty_decided", after=seized.at))
        for dec in decisions:
            before = [e for e in self.evs if e.at <= dec.at]
            seized = sum(e.kind == "property_seized" for e in before)
            self.flag("CW-09", dec.subject, seized > sum(e.kind == "property_returned"
                                                         for e in before))

    def admin_subject(self, s: str) -> None:
        public_order = self.case.get("category") not in OTHER_ADMIN
        subject = self.subjects[s]
        flags = set(subject.get("flags", ()))
        for sm in self.of("admin_summons", subject=s):
            if sm.attrs.get("may_detain"):
                limit = 24
            elif sm.attrs.get("many_or_unidentified") and public_order and sm.at >= LAW_2025:
                limit = 12
            else:
                limit = 8
            self.due("CH-04", s, sm.at + limit * H, sm.end)
            self.due("CH-05", s, sm.at + 24 * H, self.first(
                "family_notified", subject=s, after=sm.at, **{"for": "admin_summons"}))
        for q in self.of("inquiry", "admin_summons", subject=s):
            self.flag("CH-06", s, q.at >= LAW_2025 and q.attrs.get("in_case_area") is True
                      and q.attrs.get("recorded") is not True)
        for q in self.of("inquiry", subject=s):
            alone_ok = q.attrs.get("in_case_area") and q.attrs.get("recorded")
            self.flag("XW-02", s, self.sworn(q.officers) < 2 and not alone_ok)
            self.flag("XW-05", s, self.minor(s, q.at) and q.attrs.get("guardian_present") is not True)
        detention_total = 0
        for dec in self.of("penalty_decided", subject=s):
            days = dec.attrs.get("detention_days", 0)
            fine = dec.attrs.get("fine", 0)
            detention_total += days
            self.flag("XZ-03", s, not self.of("pre_penalty_notice", subject=s) or
                      self.first("pre_penalty_notice", subject=s) > dec.at)
            threshold = 4000 if public_order and dec.at >= LAW_2025 else 2000
            rights = self.first("hearing_rights_notified", subject=s)
            self.flag("XZ-04", s, fine >= threshold and (rights is None or rights > dec.at))
            self.flag("XZ-05", s, rights is not None and dec.at.date() <= rights.date() + timedelta(5))
            reviewed = self.first("legal_review_passed", subject=s)
            needs_review = self.of("hearing", subject=s) or "major_complex" in self.flags
            self.flag("XZ-17", s, bool(needs_review) and (reviewed is None or reviewed > dec.at))
            organ = self.out.units[dec.attrs.get("decided_by", self.case["unit"])]
            cap = 1000 if dec.at >= LAW_2025 else 500
            self.flag("XZ-22", s, organ["kind"] == "station" and (days > 0 or fine > cap))
            served = self.first("decision_served", subject=s, after=dec.at)
            if dec.attrs.get("present"):
                limit = eod(dec.at.date())
            else:
                limit = eod(dec.at.date(), 2 if public_order else 7)
            self.due("XZ-06", s, limit, served)
            if "act_date" in self.case and public_order:
                act = date.fromisoformat(self.case["act_date"])
                self.flag("LA-12", s, when(self.case["opened_at"]).date() > add_months(act, 6))
            if "fast_track" in self.flags:
                arrived = self.first("admin_summons", "inquiry", subject=s)
                self.flag("CH-09", s, arrived is None or dec.at > arrived + 48 * H)
            if days:
                self.due("XZ-09", s, dec.at + 24 * H, self.first(
                    "family_notified", subject=s, after=dec.at, **{"for": "admin_detention"}))
                act_age = age(subject["birth_date"], date.fromisoformat(self.case["act_date"]))
                exempt = (act_age < 16 or act_age >= 70 or "pregnant_or_nursing" in flags
                          or (act_age < 18 and "first_offence" in flags))
                executed = self.first("admin_detention_executed", subject=s, after=dec.at)
                if exempt:
                    self.flag("XZ-11", s, executed is not None)
                else:
                    self.due("XZ-10", s, dec.at + 24 * H, executed)
        self.flag("XZ-13", s, detention_total > 20)

    def property(self) -> None:
        seized = self.of("property_seized")
        stored = self.of("property_stored")
        admin = self.case["kind"] == "administrative"
        for i, ev in enumerate(seized):
            self.flag("CW-01", None, ev.attrs.get("list_issued") is not True)
            self.due("CW-02", None, ev.at + 24 * H, stored[i].at if i < len(stored) else None)
            if admin:
                alone_ok = ev.attrs.get("in_case_area") and ev.attrs.get("recorded")
                self.flag("XW-02", None, self.sworn(ev.officers) < 2 and not alone_ok)
        for found in self.of("property_found_unrelated"):
            self.due("CW-03", None, eod(found.at.date(), 3),
                     self.first("property_returned", after=found.at))
