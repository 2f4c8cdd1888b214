"""Criminal case timelines under the CPL and the 公安刑事规定, kept within every deadline.

Margins are chosen so that a clean timeline is on time whatever the holiday calendar (police
duties only ever gain days from holidays) and whichever reading of an hour period (choice C1)
is applied. Each step that a defect can target offers that defect to the timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from fazhi.demo import defects
from fazhi.demo.cases import MUST_RECORD, Case, Subject, minutes, office_time
from fazhi.demo.clock import DAY, HOUR, add_months, day_of
from fazhi.demo.timeline import Ev, Timeline

_TRANSFER_TO = ("铁路公安处", "森林公安局", "邻县公安局", "市公安局经济犯罪侦查支队",
                "海关缉私分局")
_ANY_DAY_HOURS = (1, 1, 1, 1, 1, 1, 3, 6, 9, 9, 8, 7, 5, 6, 7, 7, 6, 5, 5, 6, 6, 5, 3, 2)


@dataclass(slots=True)
class _Outcome:
    """Where a suspect stands once the first measures are over."""

    subject: Subject
    state: str  # arrested, bail, rs (residential surveillance) or free
    since: int
    ready: int  # the case is not transferred before this


def generate(c: Case, rng: Random) -> None:
    tl, crew = c.tl, c.crew
    intake = tl.add("intake", c.opened, officers=crew.one())
    r = rng.random()
    if r < 0.03:
        tl.add("transferred", intake.at + rng.randint(HOUR, 20 * HOUR), officers=crew.one(),
               attrs={"to": rng.choice(_TRANSFER_TO)})
        return
    if r < 0.13:
        _not_filed(c, rng)
        return
    # Drug, gambling and drink-driving suspects are mostly caught in the act.
    caught = rng.random() < (0.8 if c.category.solved == 1.0 else 0.3)
    filed = _filing(c, rng, caught)
    if "victim" in c.flags:
        at = intake.at + minutes(rng, 20, 180)
        tl.add("inquiry", at, officers=crew.two(), attrs={"recorded": rng.random() < 0.7},
               end=at + minutes(rng, 20, 60))
    if c.category.code in ("assault", "theft", "intentional_homicide") and rng.random() < 0.6:
        at = office_time(rng, day_of(filed.at) + rng.randint(1, 5))
        tl.add("appraisal", at, officers=crew.one(), end=at + rng.randint(3, 20) * DAY)
    if not c.subjects:
        return
    first = filed.at + minutes(rng, 10, 120) if caught else _later(rng, filed.at, 60)
    outcomes = []
    for i, s in enumerate(c.subjects):
        # Accomplices are mostly taken together, the others within days.
        at = first if i == 0 or rng.random() < 0.7 else _later(rng, first, 3)
        outcomes.append(_measures(c, rng, s, at))
    _seizure(c, rng, first)
    _conclude(c, rng, outcomes)


def _later(rng: Random, after: int, days: int) -> int:
    """1..days days later, at an hour when police typically act."""
    day = day_of(after) + rng.randint(1, days)
    hour = rng.choices(range(24), _ANY_DAY_HOURS)[0]
    return day * DAY + hour * HOUR + rng.randint(0, HOUR - 1)


def _not_filed(c: Case, rng: Random) -> None:
    tl, crew = c.tl, c.crew
    d0 = day_of(c.opened)
    nf_day = d0 + rng.choices((0, 1, 2, 3), (30, 35, 20, 15))[0]
    nf = tl.add("not_filed", max(office_time(rng, nf_day), c.opened + minutes(rng, 30, 90)),
                officers=crew.one())
    if "complainant" in c.flags:
        served_day = day_of(nf.at) + rng.randint(0, 3)
        served = tl.add("not_filed_notice_served",
                        max(office_time(rng, served_day), nf.at + minutes(rng, 10, 60)),
                        officers=crew.one())
        tl.offer("LA-06", "missing", None, lambda: defects.drop(
            tl, [served], defects.day_due(nf.at, 3, True),
            "不予立案后未向控告人送达不予立案通知书"))
        if rng.random() < 0.1:
            req_day = day_of(served.at) + rng.randint(1, 7)
            tl.add("reconsideration_requested", office_time(rng, req_day),
                   officers=crew.one(), attrs={"of": "not_filed"})
            tl.add("reconsideration_decided", office_time(rng, req_day + rng.randint(5, 28)),
                   officers=crew.one())
    if rng.random() < 0.03:
        q_day = day_of(nf.at) + rng.randint(10, 40)
        tl.add("procuratorate_query", office_time(rng, q_day), officers=[])
        tl.add("procuratorate_query_answered", office_time(rng, q_day + rng.randint(1, 6)),
               officers=crew.one())


def _filing(c: Case, rng: Random, caught: bool) -> Ev:
    """立案 within the review period (LA-01), extended to 7 or 30 days where approved."""
    tl, crew = c.tl, c.crew
    d0 = day_of(c.opened)
    limit = 3
    if "from_admin_agency" in c.flags:
        # A case transferred by an administrative agency is reviewed within 3 days, without
        # extension (公安刑事规定§180, LA-08; the 受案立案意见's 7/30 days yield to it).
        pass
    elif not caught and "major_complex" in c.flags and rng.random() < 0.5:
        limit = 30
    elif not caught and rng.random() < 0.06:
        limit = 7
    if caught:
        at = c.opened + minutes(rng, 10, 90)
    elif limit == 3:
        at = max(office_time(rng, d0 + rng.choices((0, 1, 2, 3), (45, 30, 15, 10))[0]),
                 c.opened + minutes(rng, 20, 120))
    else:
        tl.add("filing_review_extended", office_time(rng, d0 + rng.randint(1, 3)),
               officers=crew.one(), attrs={"limit_days": limit})
        at = office_time(rng, d0 + rng.randint(4 if limit == 7 else 8, limit))
    filed = tl.add("filed", at, officers=crew.one())
    if limit == 3 and not c.subjects and "from_admin_agency" not in c.flags:
        late = (d0 + rng.randint(13, 18)) * DAY + rng.randint(9 * HOUR, 17 * HOUR)
        tl.offer("LA-01", "late", None, lambda: defects.delay(
            tl, [filed], late - filed.at, f"受案后{day_of(late) - d0}日才立案，超过立案审查期限"))
        tl.offer("LA-01", "missing", None, lambda: defects.drop(
            tl, [filed], defects.day_due(c.opened, 3, True), "受案后逾期未作出立案或不予立案决定"))
    return filed


def _measures(c: Case, rng: Random, s: Subject, at: int) -> _Outcome:
    tl, crew = c.tl, c.crew
    tl.add("rights_advised", at, s.id, crew.two())
    if s.minor or "deaf_mute" in s.flags:
        tl.add("legal_aid_notified", at + minutes(rng, 120, 48 * 60), s.id, crew.one())
    code = c.category.code
    if "pregnant_or_nursing" in s.flags:
        path = rng.choice(("summons_bail", "summons_rs"))
    elif code == "traffic":
        path = "summons_bail" if rng.random() < 0.85 else "detention"
    else:
        path = rng.choices(("detention", "summons_detention", "summons_bail", "summons_only",
                            "compelled_bail", "summons_rs"),
                           (40, 15, 25, 7, 5, 4) if not s.minor else (15, 10, 60, 10, 5, 0))[0]
    if path == "detention":
        return _detention(c, rng, s, at)
    kind = "compelled_appearance" if path == "compelled_bail" else "summons"
    summons = tl.add(kind, at, s.id, crew.two())
    i_at = at + minutes(rng, 10, 40)
    i_end = i_at + minutes(rng, 40, 150)
    tl.add("interrogation", i_at, s.id, crew.two(),
           s.questioning(recorded=True, location="case_area"), end=i_end)
    summons.end = i_end + minutes(rng, 20, 120)
    if path == "summons_detention":
        return _detention(c, rng, s, summons.end)
    if path == "summons_only":
        return _Outcome(s, "free", summons.end, summons.end + 3 * DAY)
    measure = tl.add("residential_surveillance" if path == "summons_rs" else "bail", summons.end,
                     s.id, crew.two())
    if kind == "summons":
        over = summons.at + rng.randint(13 * HOUR, 16 * HOUR)
        tl.offer("CH-01", "wrong", s.id, lambda: _overlong_summons(tl, summons, measure, over))
    return _Outcome(s, "rs" if path == "summons_rs" else "bail", measure.at, measure.at + 3 * DAY)


def _overlong_summons(tl: Timeline, summons: Ev, measure: Ev, over: int) -> str | None:
    note = defects.delay(tl, [measure], over - measure.at,
                         f"传唤持续{(over - summons.at) / HOUR:.1f}小时，超过12小时且未经批准延长")
    if note:
        summons.end = over
    return note


def _detention(c: Case, rng: Random, s: Subject, at: int) -> _Outcome:
    """刑事拘留 and what must follow it: JL-02, JL-03, XW-06, then JL-01 and JL-07."""
    tl, crew = c.tl, c.crew
    tl.add("criminal_detention", at, s.id, crew.two())
    fam = tl.add("family_notified", at + minutes(rng, 60, 20 * 60), s.id, crew.one(),
                 {"for": "criminal_detention"})
    i_at = at + minutes(rng, 20, 360)
    i_end = i_at + minutes(rng, 60, 180)
    intr = tl.add("interrogation", i_at, s.id, crew.two(),
                  s.questioning(recorded=True, location="case_area"), end=i_end)
    delivered = tl.add("custody_delivered", i_end + minutes(rng, 20, 120), s.id, crew.two())
    _offer_questioning(c, rng, s, intr)
    tl.offer("JL-03", "late", s.id, lambda: defects.delay(
        tl, [fam], at + rng.randint(28 * HOUR, 60 * HOUR) - fam.at, "拘留后超过24小时才通知家属"))
    tl.offer("JL-03", "missing", s.id, lambda: defects.drop(
        tl, [fam], at + 24 * HOUR, "拘留后未通知家属，也未记录无法通知的原因"))
    d0 = day_of(at)
    r = rng.random()
    if c.category.code == "traffic" or r < 0.25:
        # 危险驾驶 carries no sentence that allows arrest: bail within the period.
        bail = tl.add("bail", office_time(rng, d0 + rng.randint(1, 3)), s.id, crew.two())
        return _Outcome(s, "bail", bail.at, bail.at + 3 * DAY)
    if r < 0.3:
        return _surveillance(c, rng, s, office_time(rng, d0 + rng.randint(1, 3)))
    if r < 0.4:
        out = tl.add("released", office_time(rng, d0 + rng.randint(1, 3)), s.id, crew.two())
        return _Outcome(s, "free", out.at, out.at + 3 * DAY)
    # The rest stay in custody at least until the procuratorate decides: later acts are safe.
    tl.offer("JL-02", "late", s.id, lambda: defects.delay(
        tl, [delivered], at + rng.randint(26 * HOUR, 40 * HOUR) - delivered.at,
        "拘留后超过24小时才送看守所羁押"))
    tl.offer("XW-06", "late", s.id, lambda: _late_interrogation(
        tl, intr, at + rng.randint(26 * HOUR, 36 * HOUR), "拘留后超过24小时才进行讯问"))
    return _arrest(c, rng, s, d0)


def _late_interrogation(tl: Timeline, intr: Ev, new_at: int, note: str) -> str | None:
    """Interrogation moved past its deadline, held in the detention centre by then (XW-08)."""
    note = defects.delay(tl, [intr], new_at - intr.at, note)
    if note:
        intr.attrs = {**intr.attrs, "location": "detention_center"}
    return note


def _offer_questioning(c: Case, rng: Random, s: Subject, intr: Ev) -> None:
    tl, crew = c.tl, c.crew
    tl.offer("XW-01", "wrong", s.id, lambda: defects.alter(
        tl, intr, "讯问时侦查人员不足二人（辅警不计入）", officers=crew.understaffed()))
    if c.category.code in MUST_RECORD:
        tl.offer("XW-03", "wrong", s.id, lambda: defects.alter(
            tl, intr, "重大犯罪案件讯问未同步录音录像", recorded=False))
    if s.minor:
        tl.offer("XW-04", "wrong", s.id, lambda: defects.alter(
            tl, intr, "讯问未成年犯罪嫌疑人时法定代理人或合适成年人未到场", guardian_present=False))


def _surveillance(c: Case, rng: Random, s: Subject, at: int) -> _Outcome:
    tl, crew = c.tl, c.crew
    designated = rng.random() < 0.15
    rs = tl.add("residential_surveillance", at, s.id, crew.two(),
                {"designated_place": designated})
    if designated:
        fam = tl.add("family_notified", at + minutes(rng, 60, 20 * 60), s.id, crew.one(),
                     {"for": "residential_surveillance"})
        tl.offer("JS-02", "missing", s.id, lambda: defects.drop(
            tl, [fam], at + 24 * HOUR, "指定居所监视居住后未通知家属"))
    return _Outcome(s, "rs", rs.at, rs.at + 3 * DAY)


def _arrest(c: Case, rng: Random, s: Subject, d0: int) -> _Outcome:
    """提请批准逮捕 within 3 days (7 or 30 when extended), a decision within 7 days."""
    tl, crew = c.tl, c.crew
    limit = 3
    if {"roving", "repeated", "gang"} & set(c.flags) and rng.random() < 0.3:
        limit = 30
    elif rng.random() < 0.25:
        limit = 7
    if limit > 3:
        tl.add("arrest_request_extended", office_time(rng, d0 + rng.randint(1, 3)), s.id,
               crew.one(), {"limit_days": limit})
    req_day = d0 + (rng.randint(4, limit) if limit > 3 else rng.randint(1, 3))
    tl.add("arrest_requested", office_time(rng, req_day), s.id, crew.one())
    decided = (req_day + rng.randint(2, 7)) * DAY + rng.randint(9 * HOUR, 17 * HOUR)
    if rng.random() < 0.15:
        tl.add("arrest_denied", decided, s.id, [])
        out = decided + minutes(rng, 30, 180)
        if rng.random() < 0.5:
            tl.add("released", out, s.id, crew.two())
            return _Outcome(s, "free", out, out + 3 * DAY)
        tl.add("bail", out, s.id, crew.two())
        return _Outcome(s, "bail", out, out + 3 * DAY)
    tl.add("arrest_approved", decided, s.id, [])
    ex_at = decided + minutes(rng, 60, 300)
    ex = tl.add("arrest_executed", ex_at, s.id, crew.two())
    tl.add("custody_delivered", ex_at + minutes(rng, 20, 120), s.id, crew.two())
    fam = tl.add("family_notified", ex_at + minutes(rng, 60, 20 * 60), s.id, crew.one(),
                 {"for": "arrest"})
    i_at = ex_at + minutes(rng, 120, 20 * 60)
    intr = tl.add("interrogation", i_at, s.id, crew.two(),
                  s.questioning(recorded=True, location="detention_center"),
                  end=i_at + minutes(rng, 40, 120))
    tl.offer("DB-03", "late", s.id, lambda: defects.delay(
        tl, [fam], ex_at + rng.randint(28 * HOUR, 60 * HOUR) - fam.at,
        "逮捕后超过24小时才通知家属"))
    tl.offer("DB-03", "missing", s.id, lambda: defects.drop(
        tl, [fam], ex_at + 24 * HOUR, "逮捕后未通知家属"))
    tl.offer("DB-04", "wrong", s.id, lambda: defects.alter(
        tl, ex, "执行逮捕的侦查人员少于二人", officers=crew.partner()))
    tl.offer("XW-07", "late", s.id, lambda: defects.delay(
        tl, [intr], ex_at + rng.randint(30 * HOUR, 60 * HOUR) - intr.at,
        "逮捕后超过24小时才进行讯问"))
    return _Outcome(s, "arrested", ex_at, ex_at + DAY)


def _seizure(c: Case, rng: Random, at: int) -> None:
    """Property seized at the first measure (CW-01), stored within 24 h."""
    if rng.random() >= c.category.seizure:
        return
    tl, crew = c.tl, c.crew
    seized = tl.add("property_seized", at + minutes(rng, 10, 60), officers=crew.two(),
                    attrs={"items": rng.randint(1, 6), "list_issued": True})
    tl.add("property_stored", seized.at + minutes(rng, 60, 20 * 60), officers=crew.one())
    c.seized = seized
    tl.offer("CW-01", "wrong", None, lambda: defects.alter(
        tl, seized, "扣押涉案财物未当场开列清单", list_issued=False), seized.at)
    # No CW-02 defect here: the criminal-side 24-hour hand-over rests on 《公安机关涉案财物管理若干
    # 规定》, a source not obtained, so the catalogue judges CW-02 on administrative cases only
    # (公安行政规定§190); a late hand-over here would be a defect no control point can see.


def _conclude(c: Case, rng: Random, outcomes: list[_Outcome]) -> None:
    """移送审查起诉 (or 撤销案件) within every custody and measure period."""
    tl, crew = c.tl, c.crew
    ready = max(day_of(o.ready) for o in outcomes) + 1
    arrested = [o for o in outcomes if o.state == "arrested"]
    big = "gang" in c.flags or "major_complex" in c.flags
    # The latest day each suspect allows: custody 2 months (+1, +2 when extended), bail 12
    # months, surveillance 6 months, less a week to lift them after the transfer.
    limits = [add_months(day_of(o.since), 5 if big else 3) - 1 for o in arrested]
    limits += [add_months(day_of(o.since), 12) - 8 for o in outcomes if o.state == "bail"]
    limits += [add_months(day_of(o.since), 6) - 8 for o in outcomes if o.state == "rs"]
    if arrested:
        # Most are transferred within the 2 months of custody; some need one extension, big
        # gang or complex cases a second one.
        base = min(day_of(o.since) for o in arrested)
        r = rng.random()
        if r < 0.7:
            want = base + rng.randint(20, 55)
        elif r < 0.95 or not big:
            want = base + rng.randint(62, 88)
        else:
            want = base + rng.randint(95, 145)
    else:
        want = ready + rng.randint(10, 150)
    day = max(ready, min([want, *limits]))
    at = office_time(rng, day)
    _dispose(c, rng, day)
    if not arrested and rng.random() < 0.08:
        closed = tl.add("closed", at, officers=crew.one(), attrs={"reason": "revoked"})
        _lift(c, outcomes, closed.at + minutes(rng, 10, 120))
        return
    for o in arrested:
        _extend_custody(c, rng, o, day)
        _lawyer(c, rng, o, day)
    for o in outcomes:
        attrs = {"notified": True}
        if c.seized:
            attrs["property_list"] = True
        ev = tl.add("transferred_for_prosecution", at, o.subject.id, crew.one(), attrs)
        _offer_transfer(c, o.subject, ev, c.seized is not None)
    _lift(c, outcomes, office_time(rng, day + rng.randint(1, 7)))
    if rng.random() < 0.05:
        back = day + rng.randint(20, 40)
        tl.add("returned_for_supplementary_investigation", office_time(rng, back), officers=[])
        tl.add("supplementary_investigation_completed", office_time(rng, back + rng.randint(5, 28)),
               officers=crew.one())


def _dispose(c: Case, rng: Random, before_day: int) -> None:
    """Before the case moves on, some seized property goes back: to the victim, or to its
    owner within 3 days of being found unrelated to the case (CW-03)."""
    if c.seized is None:
        return
    seized_day = day_of(c.seized.at)
    if rng.random() < 0.05 and seized_day + 12 < before_day:
        found = office_time(rng, seized_day + rng.randint(1, 10))
        c.tl.add("property_found_unrelated", found, officers=c.crew.one())
        c.tl.add("property_returned", max(office_time(rng, day_of(found) + rng.randint(0, 2)),
                                          found + minutes(rng, 30, 120)), officers=c.crew.one())
    elif "victim" in c.flags and rng.random() < 0.3 and seized_day + 20 < before_day:
        c.tl.add("property_returned", office_time(rng, seized_day + rng.randint(3, 20)),
                 officers=c.crew.one())


def _offer_transfer(c: Case, s: Subject, ev: Ev, seized: bool) -> None:
    tl = c.tl
    tl.offer("YS-01", "wrong", s.id, lambda: defects.alter(
        tl, ev, "移送审查起诉未告知犯罪嫌疑人及其辩护律师", notified=False))
    if seized:
        # The property goes with the case file (公安刑事规定§288), not with one suspect: CW-08 is
        # a whole-case point (subject null), and only while seized property is still held (none
        # returned before the transfer; the catalogue's only_if).
        def no_list() -> str | None:
            if any(e.kind == "property_returned" and e.at <= ev.at for e in tl.events):
                return None
            return defects.alter(tl, ev, "移送审查起诉时涉案财物未随案移送清单",
                                 property_list=False)

        tl.offer("CW-08", "wrong", None, no_list)


def _lift(c: Case, outcomes: list[_Outcome], at: int) -> None:
    for o in outcomes:
        if o.state == "bail":
            c.tl.add("bail_lifted", at, o.subject.id, c.crew.one())
        elif o.state == "rs":
            c.tl.add("residential_surveillance_lifted", at, o.subject.id, c.crew.one())


def _extend_custody(c: Case, rng: Random, o: _Outcome, transfer_day: int) -> None:
    """Extensions (YJ-03, YJ-04) asked for a week before expiry (YJ-02), approved before it."""
    start = day_of(o.since)
    for months, more in ((2, 1), (3, 2)):
        expiry = add_months(start, months)
        if transfer_day <= expiry:
            return
        asked = expiry - 7 - rng.randint(0, 5)
        c.tl.add("custody_extension_requested", office_time(rng, asked), o.subject.id,
                 c.crew.one())
        c.tl.add("custody_extended", office_time(rng, expiry - rng.randint(1, 5)), o.subject.id,
                 [], {"months": more})


def _lawyer(c: Case, rng: Random, o: _Outcome, transfer_day: int) -> None:
    """Some defence lawyers ask to meet; the meeting is arranged within 48 h (LS-01)."""
    first, last = day_of(o.since) + 1, transfer_day - 3
    if last < first or rng.random() >= 0.2:
        return
    asked = office_time(rng, rng.randint(first, last))
    c.tl.add("lawyer_meeting_requested", asked, o.subject.id, [])
    c.tl.add("lawyer_meeting_arranged", asked + minutes(rng, 120, 40 * 60), o.subject.id,
             c.crew.one())
