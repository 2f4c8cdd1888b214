"""The organisation: units, people and grids of a bureau.

One county-level organ (县公安局/分局) is the building block: leaders, a 法制大队, 刑侦/治安/
交警 brigades with their 中队, and 派出所 with 警务室 and a four-level grid. A county
deployment is one such organ as the root; a city bureau (市公安局, with 法制支队 and 督察支队)
holds many; a province (省公安厅) holds several cities.
"""

from __future__ import annotations

from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate
from random import Random
from typing import Any

from fazhi.demo.names import PROVINCE_CODES, PlaceNames, full_name

_ORDINALS = "一二三四五六七八九十"
# Brigades of a county-level organ: id suffix, name, the desk their cases go to, the sequence
# of their officers, and their auxiliaries per sworn officer.
_BRIGADES = (
    ("XZ", "刑事侦查大队", "criminal", "brigade_officer", 0.3),
    ("ZA", "治安管理大队", "public_order", "brigade_officer", 0.4),
    ("JJ", "交通警察大队", "traffic", "traffic_officer", 0.7),
)


@dataclass(frozen=True, slots=True)
class Shape:
    """How big a county-level organ is; each pair is an inclusive random range."""

    leaders: tuple[int, int]
    legal_staff: tuple[int, int]
    stations: tuple[int, int]
    station_sworn: tuple[int, int]
    deputies: tuple[int, int]
    squads: tuple[int, int]
    squad_sworn: tuple[int, int]
    offices: int  # 警务室 per township, each with an auxiliary on post


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    unit: str
    roles: tuple[str, ...]
    sequence: str | None
    qualification: str

    @property
    def sworn(self) -> bool:
        return "auxiliary" not in self.roles

    def record(self) -> dict[str, Any]:
        rec: dict[str, Any] = {"type": "person", "id": self.id, "name": self.name,
                               "unit": self.unit, "roles": list(self.roles)}
        if self.sequence:
            rec["sequence"] = self.sequence
        rec["qualification"] = self.qualification
        return rec


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    name: str
    kind: str
    parent: str | None
    code: str

    def record(self) -> dict[str, Any]:
        rec: dict[str, Any] = {"type": "unit", "id": self.id, "name": self.name, "kind": self.kind}
        if self.parent:
            rec["parent"] = self.parent
        rec["code"] = self.code
        return rec


@dataclass(slots=True)
class CaseUnit:
    """A unit that handles cases, with the people a case of it draws on."""

    unit: Unit
    desk: str  # station, criminal, public_order or traffic
    organ: str  # the county-level organ that decides detention and large fines
    region: str  # division code of the area, for local residents' id numbers
    handlers: list[Person] = field(default_factory=list)  # sworn, with a qualification
    auxiliaries: list[Person] = field(default_factory=list)
    # Who passes legal review (法制审核): the unit's legal officers, then the organ's 法制大队.
    reviewers: list[Person] = field(default_factory=list)


@dataclass(slots=True)
class Bureau:
    units: list[Unit] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    grids: list[dict[str, Any]] = field(default_factory=list)
    case_units: list[CaseUnit] = field(default_factory=list)

    def desks(self) -> dict[str, tuple[list[CaseUnit], list[int]]]:
        """Case units per desk with cumulative weights by the number of handlers."""
        out: dict[str, tuple[list[CaseUnit], list[int]]] = {}
        for desk in ("station", "criminal", "public_order", "traffic"):
            units = [cu for cu in self.case_units if cu.desk == desk and len(cu.handlers) >= 2]
            out[desk] = (units, list(accumulate(len(cu.handlers) for cu in units)))
        return out


def pick(rng: Random, units: list[CaseUnit], cum: list[int]) -> CaseUnit:
    return units[bisect(cum, rng.random() * cum[-1])]


class _Builder:
    def __init__(self, rng: Random, shape: Shape) -> None:
        self.rng = rng
        self.shape = shape
        self.b = Bureau()
        self.region = ""  # division code of the organ being built, for the unit codes
        self.serial = 0

    # -- primitives -------------------------------------------------------------------
    def n(self, bounds: tuple[int, int]) -> int:
        return self.rng.randint(*bounds)

    def unit(self, uid: str, name: str, kind: str, parent: str | None) -> Unit:
        """A unit; its 12-digit code (机构代码) is the organ's division code and a serial."""
        u = Unit(uid, name, kind, parent, f"{self.region}{self.serial:06d}")
        self.serial += 1
        self.b.units.append(u)
        return u

    def organ(self, region: str) -> None:
        self.region, self.serial = region, 0

    def person(self, unit: Unit, roles: tuple[str, ...], sequence: str | None) -> Person:
        rng = self.rng
        aux = "auxiliary" in roles
        gender = "male" if rng.random() < (0.8 if aux else 0.86) else "female"
        if aux:
            qual = "none"
        elif any(r.endswith("_head") or r in ("legal_officer", "bureau_leader") for r in roles):
            qual = "advanced" if rng.random() < 0.45 else "intermediate"
        else:
            # A few recruits have no enforcement qualification yet and cannot handle cases.
            qual = rng.choices(("basic", "intermediate", "advanced", "none"), (55, 30, 12, 3))[0]
        p = Person(f"P-{len(self.b.people) + 1:06d}", full_name(rng, gender), unit.id, roles,
                   None if aux else sequence, qual)
        self.b.people.append(p)
        return p

    def staff(self, unit: Unit, heads: list[str], sworn: int, sequence: str, aux_ratio: float,
              duties: list[str] | None = None) -> list[Person]:
        """Heads (middle managers), sworn officers of whom the first carry `duties` (one role
        each), then auxiliaries in proportion."""
        duties = duties or []
        people = [self.person(unit, ("officer", h), "middle_manager") for h in heads]
        for i in range(sworn):
            extra = (duties[i],) if i < len(duties) else ()
            people.append(self.person(unit, ("officer", *extra), sequence))
        aux = round(len(people) * aux_ratio * self.rng.uniform(0.8, 1.2))
        people += [self.person(unit, ("auxiliary",), None) for _ in range(aux)]
        return people

    def leaders(self, unit: Unit) -> None:
        for _ in range(self.n(self.shape.leaders)):
            self.person(unit, ("officer", "bureau_leader"), None)

    # -- organs ---------------------------------------------------------------------------
    def root(self, region: str, name: str, depts: tuple[str, str], parent: str | None,
             legal_staff: int) -> tuple[Unit, list[Person]]:
        """A bureau with its leaders, its legal department and its inspection department;
        returns the bureau and the legal department's people."""
        self.organ(region)
        uid = f"U-{region}"
        root = self.unit(uid, name, "bureau", parent)
        self.leaders(root)
        fz = self.unit(f"{uid}-FZ", name + depts[0], "legal_dept", uid)
        legal = self.staff(fz, ["brigade_head", "deputy_head"], legal_staff, "brigade_officer",
                           0.15)
        dc = self.unit(f"{uid}-DC", name + depts[1], "inspection_dept", uid)
        self.staff(dc, ["brigade_head"], max(2, legal_staff - 2), "brigade_officer", 0)
        return root, legal

    def county(self, region: str, name: str, parent: str | None, places: PlaceNames) -> None:
        """A county-level organ with brigades and stations; the root in a county deployment."""
        if parent is None:
            organ, legal = self.root(region, name, ("法制大队", "督察大队"), None,
                                     self.n(self.shape.legal_staff))
        else:
            self.organ(region)
            organ = self.unit(f"U-{region}", name, "sub_bureau", parent)
            self.leaders(organ)
            fz = self.unit(f"{organ.id}-FZ", name + "法制大队", "legal_dept", organ.id)
            legal = self.staff(fz, ["brigade_head"], self.n(self.shape.legal_staff),
                               "brigade_officer", 0.15)
        county_legal = [p for p in legal if p.sworn]
        for brigade in _BRIGADES:
            self._brigade(organ, *brigade, county_legal)
        for i in range(self.n(self.shape.stations)):
            self._station(organ, i + 1, places.take(), county_legal)

    def _brigade(self, organ: Unit, key: str, label: str, desk: str, seq: str, aux: float,
                 county_legal: list[Person]) -> None:
        bid = f"{organ.id}-{key}"
        brigade = self.unit(bid, organ.name + label, "brigade", organ.id)
        squads = self.n(self.shape.squads)
        self.staff(brigade, ["brigade_head"] + ["deputy_head"] * (squads > 1), 0, seq, 0)
        reviewers: list[Person] = []
        for i in range(squads):
            squad = self.unit(f"{bid}-{i + 1}", f"{brigade.name}{_ORDINALS[i % 10]}中队", "squad",
                              bid)
            # The brigade's part-time legal officer (兼职法制员) sits in its first squad and
            # reviews for all its squads.
            people = self.staff(squad, ["squad_head"], self.n(self.shape.squad_sworn), seq, aux,
                                ["legal_officer"] if i == 0 else [])
            if i == 0:
                reviewers = [p for p in people if "legal_officer" in p.roles]
            self._case_unit(squad, desk, organ.id, people, reviewers + county_legal)

    def _station(self, organ: Unit, n: int, place: str, county_legal: list[Person]) -> None:
        sid = f"{organ.id}-P{n:02d}"
        station = self.unit(sid, f"{place}派出所", "station", organ.id)
        rng = self.rng
        sworn = self.n(self.shape.station_sworn)
        duties = ["legal_officer"] * rng.randint(1, 2)
        duties += ["community_officer"] * max(2, round(sworn * rng.uniform(0.3, 0.4)))
        heads = ["station_head"] + ["deputy_head"] * self.n(self.shape.deputies)
        people = self.staff(station, heads, sworn, "station_officer", rng.uniform(0.35, 0.5),
                            duties)
        self._grids(station, place, [p for p in people if "community_officer" in p.roles])
        self._case_unit(station, "station", organ.id, people,
                        [p for p in people if "legal_officer" in p.roles] + county_legal)

    def _case_unit(self, unit: Unit, desk: str, organ: str, people: list[Person],
                   reviewers: list[Person]) -> None:
        cu = CaseUnit(unit, desk, organ, self.region, reviewers=reviewers)
        for p in people:
            if not p.sworn:
                cu.auxiliaries.append(p)
            elif p.qualification != "none" and "station_head" not in p.roles:
                cu.handlers.append(p)
        self.b.case_units.append(cu)

    # -- grids ------------------------------------------------------------------------------
    def _grids(self, station: Unit, place: str, officers: list[Person]) -> None:
        """Township → community/village → officer zone → compound, zones shared round-robin."""
        rng = self.rng
        names = PlaceNames(rng, place)
        serial = station.id[2:].replace("-", "")
        zone_no = 0
        for t in range(rng.randint(1, 2)):
            town = place if t == 0 else names.take()
            tid = f"G-{serial}-{t + 1}"
            town_rec = self._grid(tid, town + rng.choice(("镇", "街道", "街道", "乡")), 1, station,
                                  None, [])
            for c in range(rng.randint(3, 7)):
                village = rng.random() < 0.35
                cname = names.take() + ("村" if village else "社区")
                cid = f"{tid}-{c + 1:02d}"
                comm_rec = self._grid(cid, cname, 2, station, tid, [])
                for z in range(rng.randint(1, 2)):
                    officer = officers[zone_no % len(officers)].id
                    zone_no += 1
                    zid = f"{cid}-{z + 1}"
                    self._grid(zid, f"{cname}第{_ORDINALS[z]}警务区", 3, station, cid, [officer])
                    for k in range(rng.randint(2, 4)):
                        compound = (f"{cname[:-1]}{k + 1 + 3 * z}组" if village else
                                    names.take() + rng.choice(("小区", "花园", "苑", "新村")))
                        self._grid(f"{zid}-{k + 1:02d}", compound, 4, station, zid, [officer])
                    for rec in (comm_rec, town_rec):
                        if officer not in rec["officers"]:
                            rec["officers"].append(officer)
                if c < self.shape.offices:
                    # Each community's police office (警务室) keeps an auxiliary on post.
                    office = self.unit(f"{station.id}-W{t + 1}{c + 1}", f"{cname}警务室", "office",
                                       station.id)
                    self.person(office, ("auxiliary",), None)

    def _grid(self, gid: str, name: str, level: int, station: Unit, parent: str | None,
              officers: list[str]) -> dict[str, Any]:
        rec: dict[str, Any] = {"type": "grid", "id": gid, "name": name, "level": level,
                               "unit": station.id}
        if parent:
            rec["parent"] = parent
        rec["officers"] = officers
        self.b.grids.append(rec)
        return rec


def build(rng: Random, shape: Shape, cities: int, sub_bureaus: tuple[int, int]) -> Bureau:
    """cities = 0: a county bureau; 1: a city bureau; more: a province of cities."""
    builder = _Builder(rng, shape)
    province = rng.choice(PROVINCE_CODES)
    places = PlaceNames(rng)
    if cities == 0:
        region = f"{province}{rng.randint(1, 9):02d}{rng.randint(21, 29)}"
        builder.county(region, f"{places.take()}县公安局", None, places)
    elif cities == 1:
        _city(builder, f"{province}02", None, sub_bureaus, places)
    else:
        root, _ = builder.root(f"{province}0000", f"{places.take()}省公安厅",
                               ("法制总队", "督察总队"), None, 30)
        for c in range(cities):
            _city(builder, f"{province}{c + 1:02d}", root.id, sub_bureaus, PlaceNames(rng))
    return builder.b


def _city(builder: _Builder, city: str, parent: str | None, sub_bureaus: tuple[int, int],
          places: PlaceNames) -> None:
    """A city bureau: a third of its organs are district 分局, the rest 县公安局."""
    cname = places.take() + "市"
    root, _ = builder.root(f"{city}00", f"{cname}公安局", ("法制支队", "督察支队"), parent, 12)
    count = builder.n(sub_bureaus)
    districts = count // 3
    for i in range(count):
        place = places.take()
        if i < districts:
            builder.county(f"{city}{i + 1:02d}", f"{cname}公安局{place}分局", root.id, places)
        else:
            builder.county(f"{city}{i - districts + 21:02d}", f"{place}县公安局", root.id, places)
