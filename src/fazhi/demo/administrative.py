"""Administrative (mostly public-order) case timelines, kept within every deadline.

Conservative across the 2012 and the 2025 治安管理处罚法 (the latter in force from 2026-01-01):
询问查证 stays within 8 hours unless detention is possible (24 h), hearing rights are given
from 2000 yuan, decisions with detention or fines above 500 yuan go to the county-level
organ, and a decision comes within 30 days of filing unless the period was extended.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from fazhi.demo import defects
from fazhi.demo.cases import Case, Subject, minutes, office_time
from fazhi.demo.clock import DAY, HOUR, day_of, end_of_day
from fazhi.demo.timeline import Ev

_TRANSFER_TO = ("市场监督管理局", "文化市场综合执法大队", "邻县公安局", "铁路公安处")


@dataclass(slots=True)
class _Plan:
    """The penalty a subject will get and how the decision is reached."""

    days: int  # administrative detention
    fine: int
    on_spot: bool  # 当场处罚 (simple procedure)
    same_day: bool  # decided while still under the summons, as most simple cases are

    @property
    def hearing(self) -> bool:
        return self.fine >= 2000


def generate(c: Case, rng: Random) -> None:
    tl, crew = c.tl, c.crew
    tl.add("intake", c.opened, officers=crew.one())
    if rng.random() < 0.02:
        tl.add("transferred", c.opened + rng.randint(HOUR, 20 * HOUR), officers=crew.one(),
               attrs={"to": rng.choice(_TRANSFER_TO)})
        return
    filed = tl.add("filed", c.opened if rng.random() < 0.6 else c.opened + minutes(rng, 5, 120),
                   officers=crew.one())
    if "victim" in c.flags and rng.random() < 0.6:
        at = c.opened + minutes(rng, 15, 120)
        tl.add("inquiry", at, officers=crew.two(), attrs={"recorded": True, "in_case_area":
                                                         rng.random() < 0.5},
               end=at + minutes(rng, 20, 60))
    cat = c.category
    mediation = cat.mediation > 0 and rng.random() < cat.mediation
    plans = [_plan(c, rng, s) for s in c.subjects]
    if (len(plans) == 1 and not mediation and not c.subjects[0].minor and not plans[0].on_spot
            and not plans[0].hearing and plans[0].days < 10 and rng.random() < 0.3):
        c.flags.append("fast_track")  # 快速办理: decided within 48 h of arrival (CH-09)
        plans[0].same_day = True
    extended = (not mediation and "fast_track" not in c.flags and
                not any(p.on_spot for p in plans) and
                ("major_complex" in c.flags or rng.random() < 0.05))
    # On-the-spot penalties and suspects caught in the act arrive at once.
    caught = any(p.on_spot for p in plans) or rng.random() < 0.6
    hearing = any(p.hearing for p in plans)
    first = filed.at + (minutes(rng, 10, 90) if caught else
                        rng.randint(HOUR, (3 if hearing else 5) * DAY))
    if mediation or rng.random() < 0.04:
        ends = [_arrive(c, rng, s, first + minutes(rng, 0, 30), _Plan(0, 0, False, False))[1]
                for s in c.subjects]
        _settle(c, rng, max(ends), plans if mediation else [])
        return
    if extended:
        tl.add("admin_case_extended", office_time(rng, day_of(filed.at) + rng.randint(20, 28)),
               officers=crew.one(), attrs={"days": 30})
    stored = None
    if not any(p.on_spot for p in plans) and rng.random() < cat.seizure:
        stored = _seize(c, rng, first + minutes(rng, 5, 30), extended)
    lasts = [_subject(c, rng, s, p, first + minutes(rng, 0, 30), filed, extended, stored)
             for s, p in zip(c.subjects, plans, strict=True)]
    if stored is not None:
        _dispose(c, rng, stored)
    if rng.random() < 0.4:
        tl.add("closed", office_time(rng, day_of(max(lasts)) + rng.randint(1, 10)),
               officers=crew.one(), attrs={"reason": "decided"})


def _plan(c: Case, rng: Random, s: Subject) -> _Plan:
    cat = c.category
    if rng.random() < cat.on_spot and "major_complex" not in c.flags:
        return _Plan(0, rng.choice((0, 50, 100, 150, 200)), True, True)
    days = rng.randint(*cat.days) if rng.random() < cat.detention and not s.exempt else 0
    fine = round(rng.randint(*cat.fine), -2) if rng.random() < (0.5 if days else 0.9) else 0
    same_day = rng.random() < (0.85 if days else 0.5) and fine < 2000
    return _Plan(days, fine, False, same_day)


def _arrive(c: Case, rng: Random, s: Subject, at: int, plan: _Plan) -> tuple[Ev | None, int]:
    """传唤 (or coming in) and 询问: returns the summons and when the questioning ended."""
    tl, crew = c.tl, c.crew
    summons = None
    if rng.random() < 0.85:
        attrs = {"may_detain": plan.days > 0}
        if len(c.subjects) >= 3:
            attrs["many_or_unidentified"] = True
        attrs |= {"recorded": True, "in_case_area": True}
        summons = tl.add("admin_summons", at, s.id, crew.two(), attrs)
        fam = tl.add("family_notified", at + minutes(rng, 5, 50), s.id, crew.one(),
                     {"for": "admin_summons"})
        tl.offer("CH-05", "missing", s.id, lambda: defects.drop(
            tl, [fam], at + 24 * HOUR, "传唤后未通知被传唤人家属"), at)
        if plan.days == 0 and len(c.subjects) < 3:
            over = at + rng.randint(9 * HOUR, 11 * HOUR + 30 * 60)
            tl.offer("CH-04", "wrong", s.id, lambda: defects.alter(
                tl, summons, f"询问查证{(over - at) / HOUR:.1f}小时，超过8小时", end=over))
    q_at = at + minutes(rng, 10, 40)
    inq = tl.add("inquiry", q_at, s.id, crew.two(), s.questioning(recorded=True, in_case_area=True),
                 end=q_at + minutes(rng, 30, 90))
    tl.offer("CH-06", "wrong", s.id, lambda: defects.alter(
        tl, inq, "在执法办案场所询问违法嫌疑人未全程同步录音录像", recorded=False), q_at)
    tl.offer("XW-02", "wrong", s.id, lambda: defects.alter(
        tl, inq, "在执法办案场所外询问，人民警察不足二人（辅警不计入）",
        officers=crew.understaffed(), in_case_area=False), q_at)
    if s.minor:
        tl.offer("XW-05", "wrong", s.id, lambda: defects.alter(
            tl, inq, "询问未成年违法嫌疑人时监护人未到场", guardian_present=False), q_at)
    if summons is not None:
        summons.end = inq.end + minutes(rng, 10, 40)
    return summons, inq.end


def _seize(c: Case, rng: Random, at: int, extended: bool) -> Ev:
    """扣押 on arrival, handed to the property managers within 24 h (CW-01, CW-02), the
    seizure extended with the case (CW-04); returns the hand-over."""
    tl, crew = c.tl, c.crew
    seized = tl.add("property_seized", at, officers=crew.two(),
                    attrs={"items": rng.randint(1, 5), "list_issued": True})
    c.seized = seized
    tl.offer("CW-01", "wrong", None, lambda: defects.alter(
        tl, seized, "扣押物品未当场开列清单", list_issued=False), at)
    if extended:
        tl.add("property_seizure_extended", office_time(rng, day_of(at) + rng.randint(20, 28)),
               officers=crew.one(), attrs={"days": 30})
    return tl.add("property_stored", at + minutes(rng, 20, 60), officers=crew.one())


def _dispose(c: Case, rng: Random, stored: Ev) -> None:
    """The property is dealt with just before the first decision takes it into account
    (CW-09), so every decision of the case finds it disposed of."""
    tl = c.tl
    first = min(ev.at for ev in tl.events if ev.kind == "penalty_decided")
    returned = tl.add("property_returned", first - rng.randint(60, 180), officers=c.crew.one())
    seized = c.seized

    def late_storage() -> str | None:
        late = seized.at + rng.randint(30 * HOUR, 72 * HOUR)
        if late >= returned.at:
            return None
        return defects.delay(tl, [stored], late - stored.at,
                             "扣押物品超过24小时才移交涉案财物管理人员")

    tl.offer("CW-02", "late", None, late_storage)


def _subject(c: Case, rng: Random, s: Subject, plan: _Plan, at: int, filed: Ev,
             extended: bool, stored: Ev | None) -> int:
    """One subject from arrival to the served decision; returns the time of its last act."""
    tl, crew = c.tl, c.crew
    if plan.on_spot:
        tl.add("pre_penalty_notice", at, s.id, crew.two(), _notice_attrs(s))
        attrs = {"fine": plan.fine} if plan.fine else {}
        dec = tl.add("penalty_decided", at + minutes(rng, 3, 15), s.id, crew.two(),
                     attrs | {"on_the_spot": True, "present": True})
        return tl.add("decision_served", _at_once(rng, dec.at), s.id, crew.two()).at
    summons, t = _arrive(c, rng, s, at, plan)
    if plan.same_day:
        pre = tl.add("pre_penalty_notice", t + minutes(rng, 10, 30), s.id, crew.two(),
                     _notice_attrs(s))
        last = _decide(c, rng, s, plan, pre, None, stored, True)
        if summons is not None:
            summons.end = last if plan.days else last + minutes(rng, 5, 20)
        return last
    filed_day = day_of(filed.at)
    pre_day = max(day_of(t) + rng.randint(1, 5 if plan.hearing else 12), filed_day + 1)
    pre = tl.add("pre_penalty_notice", office_time(rng, pre_day), s.id, crew.two(),
                 _notice_attrs(s))
    rights = None
    if plan.hearing:
        rights = tl.add("hearing_rights_notified", pre.at + minutes(rng, 1, 5), s.id, crew.two())
        # No decision before the 5-working-day window to ask for a hearing has closed.
        dec_day = pre_day + rng.randint(15, 20)
        if rng.random() < 0.25:
            h_at = office_time(rng, pre_day + rng.randint(8, 11))
            tl.add("hearing", h_at, s.id, [crew.reviewer, crew.lead],
                   end=h_at + minutes(rng, 60, 180))
    else:
        dec_day = pre_day + rng.randint(0, 4)
    if extended:
        dec_day = max(dec_day, filed_day + rng.randint(31, 55))
    return _decide(c, rng, s, plan, pre, rights, stored, plan.days > 0 or rng.random() < 0.7,
                   dec_day, filed_day)


def _at_once(rng: Random, decided: int) -> int:
    """当场交付: service on the spot, hence on the day of the decision."""
    return min(decided + minutes(rng, 1, 10), end_of_day(day_of(decided)))


def _notice_attrs(s: Subject) -> dict[str, bool] | None:
    # CEIF extension attribute: a minor's guardian was told too (治安法2025§112 ¶3).
    return {"guardian_notified": True} if s.minor else None


def _decide(c: Case, rng: Random, s: Subject, plan: _Plan, pre: Ev, rights: Ev | None,
            stored: Ev | None, present: bool, day: int | None = None,
            filed_day: int | None = None) -> int:
    """法制审核, the decision (after the seized property is stored), service and execution.
    `day` is the day of the decision when it is not taken at once; `filed_day` is given when
    the case period counts from filing (not after a failed mediation)."""
    tl, crew = c.tl, c.crew
    t = pre.at + minutes(rng, 10, 40)
    if day is not None:
        t = max(t, office_time(rng, day))
    review = tl.add("legal_review_passed", t, s.id, [crew.reviewer])
    t += minutes(rng, 10, 40)
    if stored is not None:
        t = max(t, stored.at + minutes(rng, 10, 30))
    attrs: dict[str, object] = {}
    if plan.days:
        attrs["detention_days"] = plan.days
    if plan.fine:
        attrs["fine"] = plan.fine
    attrs["present"] = present
    if plan.days or plan.fine > 500:
        attrs["decided_by"] = c.unit.organ
    dec = tl.add("penalty_decided", t, s.id, crew.one(), attrs)
    if present:
        served = tl.add("decision_served", _at_once(rng, t), s.id, crew.two())
    else:
        served = tl.add("decision_served", max(office_time(rng, day_of(t) + rng.randint(0, 1)),
                                               t + minutes(rng, 10, 60)), s.id, crew.one())
    last = served.at
    if plan.days:
        fam = tl.add("family_notified", last + minutes(rng, 5, 60), s.id, crew.one(),
                     {"for": "admin_detention"})
        exe = tl.add("admin_detention_executed", last + minutes(rng, 30, 180), s.id, crew.two())
        last = exe.at
        tl.offer("XZ-09", "missing", s.id, lambda: defects.drop(
            tl, [fam], dec.at + 24 * HOUR, "决定行政拘留后未通知被处罚人家属"), dec.at)
        tl.offer("XZ-10", "missing", s.id, lambda: defects.drop(
            tl, [exe], dec.at + 7 * DAY, "行政拘留决定作出后未送拘留所执行"), dec.at)
        if c.unit.unit.kind == "station":
            tl.offer("XZ-22", "wrong", s.id, lambda: defects.alter(
                tl, dec, "派出所自行作出行政拘留决定，超越决定权限", decided_by=c.unit.unit.id),
                dec.at)
    _offer_decision(c, rng, s, pre, rights, review, dec, served, filed_day,
                    stored is not None or len(c.subjects) > 1)
    return last


def _offer_decision(c: Case, rng: Random, s: Subject, pre: Ev, rights: Ev | None, review: Ev,
                    dec: Ev, served: Ev, filed_day: int | None, shared: bool) -> None:
    tl = c.tl
    tl.offer("XZ-03", "missing", s.id, lambda: defects.drop(
        tl, [pre], dec.at, "作出处罚决定前未告知拟处罚的事实、理由、依据和陈述申辩权"), dec.at)
    fine = (dec.attrs or {}).get("fine", 0)
    held = any(ev.kind == "hearing" and ev.subject == s.id for ev in tl.events)
    if rights is not None and fine >= 4000 and not held:
        tl.offer("XZ-04", "missing", s.id, lambda: defects.drop(
            tl, [rights], dec.at, f"拟罚款{fine}元，处罚前未告知听证权利"), dec.at)
    if held or "major_complex" in c.flags:
        tl.offer("XZ-17", "missing", s.id, lambda: defects.drop(
            tl, [review], dec.at, "应当法制审核的案件未经法制审核即作出处罚决定"), dec.at)
    if shared or not c.public_order or filed_day is None or rights is not None:
        return
    # Single-subject 治安 cases without seized property: moving the decision (and what
    # follows it) breaks the case period alone.
    if "fast_track" not in c.flags and not any(e.kind == "admin_case_extended" for e in tl.events):
        target = (filed_day + rng.randint(41, 50)) * DAY + rng.randint(9 * HOUR, 17 * HOUR)
        tl.offer("XZ-01", "late", None, lambda: defects.delay(
            tl, [e for e in tl.events if e.at >= review.at], target - review.at,
            f"立案后{day_of(target) - filed_day}日才作出处罚决定，超过办案期限且未延长"),
            filed_day * DAY)
    if not (dec.attrs or {}).get("present", True) and "detention_days" not in (dec.attrs or {}):
        late = (day_of(dec.at) + rng.randint(12, 16)) * DAY + rng.randint(9 * HOUR, 17 * HOUR)
        tl.offer("XZ-06", "late", s.id, lambda: defects.delay(
            tl, [e for e in tl.events if e.at >= served.at], late - served.at,
            f"处罚决定作出后{day_of(late) - day_of(dec.at)}日才送达被处罚人"), dec.at)


def _settle(c: Case, rng: Random, after: int, plans: list[_Plan]) -> None:
    """治安调解 (plans given) or a decision not to punish; a failed mediation goes on to
    penalties, with the case period counted afresh from the failure (XZ-18)."""
    tl, crew = c.tl, c.crew
    day = day_of(after) + rng.randint(0, 5)
    if not plans:
        if "fast_track" in c.flags:
            # 快速办理: the decision not to punish, like any 处理决定, comes within 48 hours of
            # arrival (公安行政规定§47, CH-09); `after` is the end of the last questioning.
            at = after + minutes(rng, 30, 20 * 60)
        else:
            at = office_time(rng, day + rng.randint(2, 10))
        tl.add("closed", at, officers=crew.one(), attrs={"reason": "decided"})
        return
    med = tl.add("mediation", max(office_time(rng, day), after + HOUR), officers=crew.two(),
                 attrs={"succeeded": rng.random() < 0.85})
    if med.attrs["succeeded"]:
        tl.add("closed", med.at + minutes(rng, 30, 48 * 60), officers=crew.one(),
               attrs={"reason": "decided"})
        return
    for s, plan in zip(c.subjects, plans, strict=True):
        pre = tl.add("pre_penalty_notice", office_time(rng, day_of(med.at) + rng.randint(1, 3)),
                     s.id, crew.two(), _notice_attrs(s))
        rights = (tl.add("hearing_rights_notified", pre.at + minutes(rng, 1, 5), s.id, crew.two())
                  if plan.hearing else None)
        dec_day = day_of(pre.at) + (rng.randint(15, 20) if rights else rng.randint(0, 3))
        _decide(c, rng, s, plan, pre, rights, None, True, dec_day)
