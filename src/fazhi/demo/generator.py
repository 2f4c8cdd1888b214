"""generate_bureau: the organisation, then day by day the alarms and cases, streamed out; last
the assessment inputs of those people (`fazhi.demo.assessment`) under `assessment/`."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from pathlib import Path
from random import Random
from types import MappingProxyType
from typing import NamedTuple

from fazhi.demo import administrative, criminal
from fazhi.demo.assessment import generate_assessment
from fazhi.demo.cases import ADMINISTRATIVE, CRIMINAL, Case, Category, Crew, make_subject
from fazhi.demo.clock import DAY, HOUR, MINUTE, day_number, end_of_day, iso, to_date
from fazhi.demo.jsonl import JsonlFiles
from fazhi.demo.names import full_name
from fazhi.demo.org import Bureau, CaseUnit, Shape, build, pick
from fazhi.demo.timeline import Timeline


@dataclass(frozen=True, slots=True)
class Scale:
    shape: Shape
    cities: int  # 0: a county bureau; 1: a city bureau; more: a province
    sub_bureaus: tuple[int, int]  # county-level organs per city
    cases: int  # over the whole generated period


_COUNTY = Shape(leaders=(3, 5), legal_staff=(4, 6), stations=(12, 16), station_sworn=(9, 16),
                deputies=(1, 2), squads=(2, 4), squad_sworn=(4, 8), offices=2)
_MINI = Shape(leaders=(1, 1), legal_staff=(1, 1), stations=(2, 2), station_sworn=(3, 3),
              deputies=(1, 1), squads=(1, 1), squad_sworn=(2, 2), offices=1)

SCALES: Mapping[str, Scale] = MappingProxyType({
    "mini": Scale(_MINI, 0, (0, 0), 150),
    "county": Scale(_COUNTY, 0, (0, 0), 20_000),
    "city": Scale(_COUNTY, 1, (21, 25), 300_000),
    "province": Scale(_COUNTY, 10, (21, 25), 3_000_000),
})

CRIMINAL_SHARE = 0.3
ALARMS_PER_CASE = 1.6  # alarms that never become a case (disputes, help, traffic, other)

_WEEKDAY = (0.97, 0.95, 0.95, 0.97, 1.05, 1.1, 1.01)  # Monday first: weekends are busier
_ALARM_HOURS = (3, 2, 1.5, 1, 0.8, 0.8, 1.2, 2, 3, 4, 4.5, 4.5, 4, 4, 4.5, 4.5, 4.5, 5, 5.5, 6, 6,
                5.5, 4.5, 3.5)
_NOISE = (
    ("dispute", 35, ("邻里纠纷", "家庭纠纷", "消费纠纷", "劳资纠纷", "停车纠纷")),
    ("help", 25, ("老人走失", "儿童走失", "钥匙反锁求助", "醉酒人员需要帮助", "群众求助")),
    ("traffic", 30, ("交通事故（无人员伤亡）", "车辆违停堵路", "车辆刮擦")),
    ("other", 10, ("噪音扰民", "无效报警", "咨询", "误报警")),
)


@dataclass(frozen=True, slots=True)
class GenerationSummary:
    out_dir: Path
    scale: str
    seed: int
    counts: dict[str, int]  # records per file: unit, person, …, event, defects
    paths: dict[str, Path]  # the JSON Lines files by the same names, and "manifest"
    assessment: dict[str, int]  # records per file of assessment/ (fazhi.demo.assessment)


def generate_bureau(out_dir: Path, *, scale: str, seed: int, date_from: date, date_to: date,
                    defect_share: float = 0.03) -> GenerationSummary:
    """Write a synthetic bureau's CEIF files into out_dir; same arguments, same bytes."""
    if scale not in SCALES:
        raise ValueError(f"未知规模：{scale}（可选：{'、'.join(SCALES)}）")
    if date_to < date_from:
        raise ValueError("结束日期早于开始日期")
    if not 0 <= defect_share <= 1:
        raise ValueError("缺陷比例应在0到1之间")
    spec = SCALES[scale]
    rng = Random(seed)
    bureau = build(rng, spec.shape, spec.cities, spec.sub_bureaus)
    out_dir = Path(out_dir)
    with JsonlFiles(out_dir) as out:
        for unit in bureau.units:
            out.write("unit", unit.record())
        for person in bureau.people:
            out.write("person", person.record())
        for grid in bureau.grids:
            out.write("grid", grid)
        _Days(rng, bureau, out, defect_share, end_of_day(day_number(date_to))).run(
            spec.cases, date_from, date_to)
    counts = dict(out.counts)
    manifest = out_dir / "manifest.json"
    about = {"scale": scale, "seed": seed, "date_from": date_from.isoformat(),
             "date_to": date_to.isoformat(), "defect_share": defect_share, "counts": counts}
    _write_json(manifest, about)
    # the assessment inputs read the bureau just written (its manifest included); the manifest
    # then names their counts too, so a folder whose manifest has them is complete
    assessment = generate_assessment(out_dir, seed=seed)
    _write_json(manifest, {**about, "assessment": assessment})
    return GenerationSummary(out_dir, scale, seed, counts, {**out.paths, "manifest": manifest},
                             assessment)


def _write_json(path: Path, data: dict[str, object]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _day_counts(total: int, days: list[int]) -> list[int]:
    """Spread `total` over the days by weekday and season (summer peak), summing exactly."""
    weights = []
    for day in days:
        d = to_date(day)
        season = 1 + 0.15 * math.cos(2 * math.pi * (d.timetuple().tm_yday - 196) / 365.25)
        weights.append(_WEEKDAY[d.weekday()] * season)
    scale, acc, prev, counts = total / sum(weights), 0.0, 0, []
    for w in weights:
        acc += w
        cur = round(acc * scale)
        counts.append(cur - prev)
        prev = cur
    return counts


class _Draft(NamedTuple):
    """Where and when a case opens, before its id is given in order of opening."""

    opened: int
    alarm_at: int | None  # the alarm (接警) it came from, if any
    category: Category
    criminal: bool
    unit: CaseUnit


class _Days:
    def __init__(self, rng: Random, bureau: Bureau, out: JsonlFiles, defect_share: float,
                 cutoff: int) -> None:
        self.rng = rng
        self.out = out
        self.share = defect_share
        self.cutoff = cutoff
        self.desks = bureau.desks()
        self.pending = 0  # defects drawn but not yet placed on a case able to show one
        self.serial: dict[tuple[str, int], int] = {}
        self.alarm_units = self.desks["station"]
        self.traffic_units = self.desks["traffic"] if self.desks["traffic"][0] else self.alarm_units
        self.crim_cum = list(accumulate(c.weight for c in CRIMINAL))
        self.admin_cum = list(accumulate(c.weight for c in ADMINISTRATIVE))

    def run(self, total: int, date_from: date, date_to: date) -> None:
        days = list(range(day_number(date_from), day_number(date_to) + 1))
        noise = _day_counts(round(total * ALARMS_PER_CASE), days)
        for day, n_cases, n_noise in zip(days, _day_counts(total, days), noise, strict=True):
            self._day(day, n_cases, n_noise)

    def _day(self, day: int, n_cases: int, n_noise: int) -> None:
        rng = self.rng
        alarms: list[tuple[int, str, str, str, str | None]] = []  # at, unit, nature, summary, case
        drafts = sorted((self._draft(day) for _ in range(n_cases)), key=lambda d: d.opened)
        for d in drafts:
            case_id = self._case(d)
            if d.alarm_at is not None:
                nature = "criminal" if d.criminal else (
                    "traffic" if d.category.code == "traffic" else "administrative")
                alarms.append((d.alarm_at, d.unit.unit.id, nature,
                               rng.choice(d.category.summaries), case_id))
        for _ in range(n_noise):
            nature, summaries = _noise_nature(rng)
            units, cum = self.traffic_units if nature == "traffic" else self.alarm_units
            alarms.append((_alarm_time(rng, day), pick(rng, units, cum).unit.id, nature,
                           rng.choice(summaries), None))
        alarms.sort(key=lambda a: a[0])
        for n, (at, unit, nature, summary, case_id) in enumerate(alarms, 1):
            rec = {"type": "alarm", "id": f"J-{to_date(day):%Y%m%d}-{n:06d}", "unit": unit,
                   "at": iso(at), "nature": nature}
            if case_id:
                rec["case"] = case_id
            rec["summary"] = summary
            self.out.write("alarm", rec)

    def _draft(self, day: int) -> _Draft:
        rng = self.rng
        is_criminal = rng.random() < CRIMINAL_SHARE
        table, cum = (CRIMINAL, self.crim_cum) if is_criminal else (ADMINISTRATIVE, self.admin_cum)
        category = rng.choices(table, cum_weights=cum)[0]
        desk = rng.choices([d for d, _ in category.desks], [w for _, w in category.desks])[0]
        units, ucum = self.desks[desk] if self.desks[desk][0] else self.desks["station"]
        cu = pick(rng, units, ucum)
        if rng.random() < 0.75:
            alarm = _alarm_time(rng, day)
            delay = rng.randint(20 * MINUTE, 6 * HOUR) if is_criminal else rng.randint(
                10 * MINUTE, 3 * HOUR)
            return _Draft(min(alarm + delay, self.cutoff), alarm, category, is_criminal, cu)
        # Walk-in reports, self-surrender and transfers are registered in office hours.
        opened = day * DAY + rng.randint(8 * HOUR + 30 * MINUTE, 18 * HOUR)
        return _Draft(opened, None, category, is_criminal, cu)

    def _case(self, d: _Draft) -> str:
        """Generate one case to the end, inject its defect if drawn, write it; return its id."""
        rng, opened, category = self.rng, d.opened, d.category
        year = to_date(opened // DAY).year
        prefix = "A" if d.criminal else "X"
        n = self.serial[prefix, year] = self.serial.get((prefix, year), 0) + 1
        case_id = f"{prefix}-{year}-{n:07d}"
        if rng.random() < self.share:
            self.pending += 1
        tl = Timeline(case_id, self.cutoff, self.pending > 0)
        c = Case(case_id, "criminal" if d.criminal else "administrative", category,
                 rng.choice(category.verbs), d.unit, opened, opened // DAY, Crew(rng, d.unit), tl,
                 victim_name=full_name(rng, rng.choice(("male", "female"))))
        tl.public_order = c.public_order
        self._flags_and_subjects(c)
        (criminal if d.criminal else administrative).generate(c, rng)
        defect = tl.inject(rng) if tl.wants_defect else None
        events = tl.records()
        present = {ev["subject"] for ev in events if "subject" in ev}
        out = self.out
        out.write("case", c.record(present))
        for s in c.subjects:
            if s.id in present:
                out.write("subject", s.record(case_id))
        for ev in events:
            out.write("event", ev)
        if defect:
            self.pending -= 1
            code, kind, subject, note = defect
            out.write("defects", {"case": case_id, "subject": subject, "control_point": code,
                                  "defect": kind, "note": note})
        return case_id

    def _flags_and_subjects(self, c: Case) -> None:
        """Case flags, the act date, and the suspects (none if unsolved)."""
        rng, code = self.rng, c.category.code
        crim = c.kind == "criminal"
        if crim:
            solved = rng.random() < c.category.solved
            n = rng.choices((1, 2, 3, 4), (70, 18, 8, 4))[0] if solved else 0
        elif code == "gambling":
            n = rng.choices((1, 2, 3, 4, 5, 6), (30, 20, 20, 15, 10, 5))[0]
        else:
            n = rng.choices((1, 2, 3), (80, 16, 4) if code == "assault" else (90, 10, 0))[0]
        flags = []
        if crim and n and code in ("theft", "fraud", "robbery") and rng.random() < 0.05:
            flags.append("roving")
        if crim and n and code in ("theft", "fraud") and rng.random() < 0.2:
            flags.append("repeated")
        if crim and n >= 2:
            flags.append("gang")
        if rng.random() < (0.03 if crim else 0.01):
            flags.append("major_complex")
        victim = rng.random() < c.category.victim
        if crim and victim and rng.random() < 0.35:
            flags.append("complainant")
        if victim:
            flags.append("victim")
        if crim and code in ("fraud", "other") and rng.random() < 0.05:
            flags.append("from_admin_agency")
        if crim and rng.random() < 0.005:
            flags.append("procuratorate_notice")
        c.flags = flags
        back = rng.randint(0, 30) if code == "fraud" or "repeated" in flags else rng.choices(
            (0, 1, 2, 3), (70, 20, 6, 4))[0]
        c.act_day -= back
        opened_day = c.opened // DAY
        c.subjects = [make_subject(rng, f"S-{c.id}-{i + 1}", c.unit, c.category, crim, c.act_day,
                                   opened_day) for i in range(n)]


def _alarm_time(rng: Random, day: int) -> int:
    hour = rng.choices(range(24), _ALARM_HOURS)[0]
    return day * DAY + hour * HOUR + rng.randint(0, HOUR - 1)


def _noise_nature(rng: Random) -> tuple[str, tuple[str, ...]]:
    nature, _, summaries = rng.choices(_NOISE, [w for _, w, _ in _NOISE])[0]
    return nature, summaries
