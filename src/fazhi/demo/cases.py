"""What every case has: its category, its handlers, its subjects and its case record."""

from __future__ import annotations

from dataclasses import dataclass, field
from random import Random
from typing import Any

from fazhi.demo.clock import DAY, HOUR, MINUTE, iso, to_date
from fazhi.demo.names import foreign_name, full_name, id_number, masked, migrant_region
from fazhi.demo.org import CaseUnit
from fazhi.demo.timeline import Ev, Timeline


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    verbs: tuple[str, ...]  # 案由 in titles: 张某盗窃案
    weight: float
    desks: tuple[tuple[str, int], ...]  # which kinds of unit handle it, weighted
    victim: float  # share of cases with a victim (被侵害人)
    seizure: float  # share of cases where property is seized
    summaries: tuple[str, ...]  # alarm summaries (警情摘要)
    solved: float = 1.0  # criminal: share with an identified suspect
    detention: float = 0.0  # administrative: share of subjects given detention
    days: tuple[int, int] = (5, 10)  # administrative detention days
    fine: tuple[int, int] = (200, 500)  # administrative fine in yuan
    mediation: float = 0.0  # administrative: share settled by 治安调解
    on_spot: float = 0.0  # administrative: share decided on the spot (当场处罚)


CRIMINAL = (
    Category("theft", ("盗窃",), 44, (("station", 85), ("criminal", 15)), 1, 0.55,
             ("电动车被盗", "手机被盗", "家中财物被盗", "车内财物被盗", "店铺被盗"), solved=0.45),
    Category("fraud", ("诈骗",), 16, (("station", 55), ("criminal", 45)), 1, 0.35,
             ("被电信网络诈骗", "网购被骗", "冒充客服诈骗", "刷单返利被骗"), solved=0.25),
    Category("assault", ("故意伤害",), 6, (("station", 80), ("criminal", 20)), 1, 0.1,
             ("打架致人受伤", "纠纷中被人打伤"), solved=0.85),
    Category("robbery", ("抢劫",), 2, (("criminal", 60), ("station", 40)), 1, 0.5,
             ("路边被抢", "持刀抢劫"), solved=0.7),
    Category("drug_trafficking", ("贩卖毒品",), 4, (("criminal", 70), ("station", 30)), 0, 0.9,
             ("举报有人贩卖毒品",)),
    Category("gambling", ("开设赌场",), 3, (("public_order", 50), ("station", 50)), 0, 0.9,
             ("举报有人开设赌场",)),
    Category("public_order", ("寻衅滋事", "聚众斗殴"), 5, (("station", 85), ("criminal", 15)), 0.8,
             0.1, ("酒后滋事", "多人持械斗殴"), solved=0.9),
    Category("traffic", ("危险驾驶",), 14, (("traffic", 90), ("station", 10)), 0, 0,
             ("查获醉酒驾驶", "交通事故驾驶人涉嫌醉驾")),
    Category("intentional_homicide", ("故意杀人",), 0.3, (("criminal", 100),), 1, 0.5,
             ("发现有人死亡",), solved=0.95),
    Category("other", ("妨害公务", "非法拘禁", "故意毁坏财物", "掩饰、隐瞒犯罪所得",
                       "帮助信息网络犯罪活动"), 5, (("station", 80), ("criminal", 20)), 0.5, 0.3,
             ("有人阻碍民警执行职务", "有人被限制人身自由", "财物被人故意损坏"), solved=0.8),
)

ADMINISTRATIVE = (
    Category("theft", ("盗窃",), 20, (("station", 100),), 1, 0.5,
             ("超市商品被盗", "电动车电瓶被盗", "手机被盗"), detention=0.55, days=(5, 15),
             fine=(200, 1000)),
    Category("assault", ("殴打他人",), 22, (("station", 100),), 1, 0,
             ("两人发生口角并动手", "被人殴打"), detention=0.45, mediation=0.35),
    Category("public_order", ("寻衅滋事", "扰乱公共秩序", "故意损毁财物"), 10,
             (("station", 95), ("public_order", 5)), 0.5, 0.1, ("酒后滋事", "有人在医院吵闹"),
             detention=0.35, mediation=0.2),
    Category("gambling", ("赌博",), 8, (("station", 70), ("public_order", 30)), 0, 0.9,
             ("举报聚众赌博",), detention=0.35, fine=(500, 3000)),
    Category("prostitution", ("卖淫", "嫖娼"), 3, (("station", 60), ("public_order", 40)), 0, 0.2,
             ("举报卖淫嫖娼",), detention=0.7, days=(10, 15), fine=(1000, 5000)),
    Category("fraud", ("诈骗",), 4, (("station", 100),), 1, 0.3, ("被人骗取财物",),
             detention=0.5, fine=(500, 1000), mediation=0.1),
    Category("drug_control", ("吸毒",), 8, (("station", 70), ("public_order", 30)), 0, 0.6,
             ("举报有人吸毒",), detention=0.9, days=(10, 15), fine=(500, 2000)),
    Category("traffic", ("饮酒后驾驶机动车", "无证驾驶"), 16, (("traffic", 95), ("station", 5)), 0,
             0.3, ("查获饮酒驾驶", "交通事故"), detention=0.05, days=(10, 15), fine=(1000, 1500),
             on_spot=0.5),
    Category("exit_entry", ("非法居留", "非法就业"), 2, (("station", 100),), 0, 0,
             ("发现外籍人员非法居留",), detention=0.2, days=(5, 15), fine=(2000, 5000)),
    Category("fire_control", ("违反消防管理",), 2, (("station", 100),), 0, 0,
             ("消防检查发现违法行为",), fine=(500, 5000)),
    Category("other_admin", ("违反危险物品管理", "违反枪支管理", "非法携带管制器具"), 5,
             (("station", 80), ("public_order", 20)), 0, 0.6, ("有人携带管制刀具",),
             detention=0.2, fine=(200, 1000)),
)

# Case flags in the order CEIF lists them, which is the order they are written in.
CASE_FLAGS = ("roving", "repeated", "gang", "major_complex", "fast_track", "complainant", "victim",
              "from_admin_agency", "procuratorate_notice")

# 治安案件: an administrative case whose category is none of the other fields (CEIF).
OTHER_ADMIN_FIELDS = frozenset({"exit_entry", "drug_control", "fire_control", "traffic",
                                "other_admin"})

# Categories whose interrogations must be recorded (刑诉法§123, 公安刑事规定§208): serious
# crimes against the person and serious drug crime. Named as in the catalogue's XW-03 list
# (must_record_categories), which is how the patrol knows them.
MUST_RECORD = frozenset({"intentional_homicide", "robbery", "drug_trafficking"})

# Offences a 14–15-year-old answers for (刑法§17): only these have such suspects.
_YOUNG_LIABLE = frozenset({"intentional_homicide", "robbery", "drug_trafficking", "assault"})


# Titles of cases without a known suspect name the victim: 张某被盗案.
_PASSIVE = {"盗窃": "被盗", "故意杀人": "被害", "聚众斗殴": "被殴打", "寻衅滋事": "被殴打"}


def minutes(rng: Random, lo: int, hi: int) -> int:
    return rng.randint(lo * MINUTE, hi * MINUTE)


def office_time(rng: Random, day: int) -> int:
    """When paperwork happens: office hours mostly, some evenings."""
    if rng.random() < 0.85:
        return day * DAY + rng.randint(8 * HOUR + 30 * MINUTE, 17 * HOUR + 30 * MINUTE)
    return day * DAY + rng.randint(18 * HOUR, 21 * HOUR + 30 * MINUTE)


@dataclass(slots=True)
class Subject:
    id: str
    name: str
    gender: str
    birth_day: int
    flags: list[str]
    id_number: str | None
    minor: bool  # under 18 when the case opened, hence at every act of it
    exempt: bool  # administrative detention is not executed on them (治安法2025§23)

    def record(self, case_id: str) -> dict[str, Any]:
        rec: dict[str, Any] = {"type": "subject", "id": self.id, "case": case_id,
                               "name": self.name, "birth_date": to_date(self.birth_day).isoformat(),
                               "gender": self.gender}
        if self.id_number:
            rec["id_number"] = self.id_number
        if self.flags:
            rec["flags"] = self.flags
        return rec

    def questioning(self, **attrs: Any) -> dict[str, Any]:
        """Attributes of a questioning of this subject, with what the person requires."""
        if self.minor:
            attrs["guardian_present"] = True
        if "deaf_mute" in self.flags or "needs_interpreter" in self.flags:
            # CEIF extension attribute: a sign-language or language interpreter took part.
            attrs["interpreter"] = True
        return attrs


def make_subject(rng: Random, sid: str, cu: CaseUnit, category: Category, criminal: bool,
                 act_day: int, opened_day: int) -> Subject:
    foreigner = category.code == "exit_entry"
    gender = "male" if rng.random() < (0.86 if criminal else 0.8) else "female"
    if rng.random() < 0.05 and not foreigner:
        age = rng.randint(14 if category.code in _YOUNG_LIABLE or not criminal else 16, 17)
    elif rng.random() < 0.01 and not criminal:
        age = rng.randint(70, 78)
    else:
        age = int(rng.triangular(18, 70, 30))
    birth_day = act_day - age * 365 - age // 4 - rng.randint(1, 360)
    while _age(birth_day, act_day) > age:  # leap-year slack: keep the drawn age exact
        birth_day += 1
    flags: list[str] = []
    if foreigner:
        flags.append("foreigner")
        if rng.random() < 0.6:
            flags.append("needs_interpreter")
    elif rng.random() < 0.004:
        flags.append(rng.choice(("deaf_mute", "needs_interpreter")))
    if gender == "female" and 20 <= age <= 40 and rng.random() < 0.04:
        flags.append("pregnant_or_nursing")
    if not criminal and rng.random() < 0.4:
        flags.append("first_offence")
    minor = _age(birth_day, opened_day) < 18
    region = cu.region if rng.random() < 0.75 else migrant_region(rng)
    return Subject(
        sid,
        foreign_name(rng, gender) if foreigner else full_name(rng, gender),
        gender,
        birth_day,
        flags,
        None if foreigner else id_number(rng, region, to_date(birth_day), gender),
        minor,
        age < 18 or age >= 70 or "pregnant_or_nursing" in flags,
    )


def _age(birth_day: int, on_day: int) -> int:
    b, d = to_date(birth_day), to_date(on_day)
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))


class Crew:
    """The handlers of a case and who of the unit is present at its acts."""

    def __init__(self, rng: Random, cu: CaseUnit) -> None:
        self.rng = rng
        chosen = rng.sample(cu.handlers, min(len(cu.handlers), rng.choice((2, 2, 3))))
        self.lead = chosen[0].id
        self.assists = [p.id for p in chosen[1:]]
        self.aux = [p.id for p in cu.auxiliaries]
        handler_ids = {p.id for p in chosen}
        self.reviewer = next((p.id for p in cu.reviewers if p.id not in handler_ids),
                             self.assists[0])

    def handlers(self) -> list[dict[str, str]]:
        return ([{"person": self.lead, "role": "lead"}] +
                [{"person": a, "role": "assist"} for a in self.assists])

    def two(self) -> list[str]:
        """Two sworn officers, sometimes with an auxiliary: questioning and measures."""
        ids = [self.lead, self.rng.choice(self.assists)]
        if self.aux and self.rng.random() < 0.3:
            ids.append(self.rng.choice(self.aux))
        return ids

    def one(self) -> list[str]:
        return [self.lead if self.rng.random() < 0.8 else self.rng.choice(self.assists)]

    def partner(self) -> list[str]:
        """A single sworn officer with an auxiliary: the classic defect of questioning."""
        return [self.lead, self.rng.choice(self.aux)] if self.aux else [self.lead]

    def understaffed(self) -> list[str]:
        """Questioning short of two sworn officers: one alone, one with an auxiliary, or an
        auxiliary alone."""
        if not self.aux:
            return [self.lead]
        return self.rng.choice(([self.lead], self.partner(), [self.rng.choice(self.aux)]))


@dataclass(slots=True)
class Case:
    id: str
    kind: str
    category: Category
    verb: str
    unit: CaseUnit
    opened: int
    act_day: int
    crew: Crew
    tl: Timeline
    flags: list[str] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)
    victim_name: str = ""
    seized: Ev | None = None  # the case's seizure of property, if any

    @property
    def public_order(self) -> bool:
        """治安案件: the 治安管理处罚法 and its shorter periods apply."""
        return self.kind == "administrative" and self.category.code not in OTHER_ADMIN_FIELDS

    def record(self, present: set[str]) -> dict[str, Any]:
        """The case record; the title names the first subject still on record at the cutoff."""
        named = [s for s in self.subjects if s.id in present]
        if named:
            who = masked(named[0].name) + ("等人" if len(named) > 1 else "")
            title = f"{who}{self.verb}案"
        else:
            title = f"{masked(self.victim_name)}{_PASSIVE.get(self.verb, '被' + self.verb)}案"
        rec: dict[str, Any] = {"type": "case", "id": self.id, "kind": self.kind,
                               "category": self.category.code, "unit": self.unit.unit.id,
                               "opened_at": iso(self.opened), "title": title,
                               "handlers": self.crew.handlers()}
        if self.flags:
            rec["flags"] = sorted(self.flags, key=CASE_FLAGS.index)
        rec["act_date"] = to_date(self.act_day).isoformat()
        return rec
