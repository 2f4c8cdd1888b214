"""法制人才库 and 执法办案能手 candidates by thresholds written as data (`catalog/talent.yaml`).

The seeds say the points decide who enters the talent pool and who is put up as a case-handling
expert (积分的高低将作为法制人才库入选的一个重要考量 / 执法办案能手评选的重要依据); the file
names each pool's criteria with their thresholds and the seed words behind them:

    version: "2026"
    name: 法制人才库与执法办案能手推荐标准
    in_force: {from: 2026-01-01}
    pools:
      - code: talent_pool
        name: 法制人才库
        population: {sequences: [], roles: [], units: []}
        source: {seed: 001_2c44ee295507b47e.txt, quote: "…"}
        criteria:
          - code: qualification
            name: 执法资格中级及以上
            kind: qualification          # a kind of CRITERIA
            params: {at_least: intermediate}
            source: {seed: …, quote: …}

Criterion kinds and their params (optional ones with ?): `qualification` {at_least}: 执法资格 at
least that level; `ranking` {scheme, top_share, min_score?}: within the top share of the
scheme's yearly ranking of their group; `exam_average` {min_score, min_exams?}: law exams of the
year; `fault_warnings` {max, findings?}: warnings of the person's fault (not closed by an
approved exception); `cases_handled` {min, roles?}: cases first closed in the year.

A person is a candidate of a pool when they meet every criterion of it, over one year. The
selection reads a `Profile` per person (gathered by the caller from a store or an examples
file): pure Python, no framework, no database, no clock.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from fazhi.core import ceif
from fazhi.core.catalog.load import CatalogError, LineDict, read_yaml
from fazhi.core.scoring.facts import CaseFact, ExamFact, PersonFact, WarningFact
from fazhi.core.scoring.load import (
    CODE_RE,
    SchemesInvalid,
    _read_in_force,
    _read_population,
    _read_records,
    _Reader,
)
from fazhi.core.scoring.model import InForce, Population, Source, frozen

QUALIFICATION_ORDER = tuple(ceif.QUALIFICATIONS)  # none < basic < intermediate < advanced
FAULT_FINDINGS = ("overdue", "late", "violated")


@dataclass(frozen=True)
class RankStanding:
    """Where a person stands in a scheme's yearly ranking: rank among `of` in their group."""

    person: str
    scheme: str
    score: Decimal
    rank: int
    of: int


@dataclass(frozen=True)
class Profile:
    """What the selection reads about one person for one year."""

    person: PersonFact
    qualification: str | None = None
    standings: Mapping[str, RankStanding] = field(default_factory=dict)
    exams: tuple[ExamFact, ...] = ()
    warnings: tuple[WarningFact, ...] = ()
    cases: tuple[CaseFact, ...] = ()


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    kind: str
    source: Source
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", frozen(self.params))


@dataclass(frozen=True)
class Pool:
    code: str
    name: str
    source: Source
    population: Population
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class TalentExpectation:
    person: str
    pool: str
    failed: tuple[str, ...]  # codes of the criteria not met; () = a candidate


@dataclass(frozen=True)
class TalentExample:
    name: str
    year: int
    profiles: tuple[Profile, ...]
    expect: tuple[TalentExpectation, ...]


@dataclass(frozen=True)
class TalentRules:
    version: str
    name: str
    in_force: InForce
    pools: tuple[Pool, ...]
    examples: tuple[TalentExample, ...] = ()

    def pool(self, code: str) -> Pool:
        return next(p for p in self.pools if p.code == code)


@dataclass(frozen=True)
class Check:
    """One criterion applied to one person: met or not, and the figure behind it in Chinese."""

    criterion: Criterion
    met: bool
    detail: str


@dataclass(frozen=True)
class Candidacy:
    person: PersonFact
    pool: Pool
    checks: tuple[Check, ...]

    @property
    def met(self) -> bool:
        return all(c.met for c in self.checks)

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(c.criterion.code for c in self.checks if not c.met)


# --- criteria -------------------------------------------------------------------------------


def _qualification(p: Mapping[str, Any], profile: Profile) -> tuple[bool, str]:
    have = profile.qualification or "none"
    met = QUALIFICATION_ORDER.index(have) >= QUALIFICATION_ORDER.index(p["at_least"])
    wanted = ceif.QUALIFICATIONS[p["at_least"]]
    shown = f"执法资格{ceif.QUALIFICATIONS[have]}" if have != "none" else "无执法资格"
    return met, f"{shown}（要求{wanted}及以上）"


def _ranking(p: Mapping[str, Any], profile: Profile) -> tuple[bool, str]:
    standing = profile.standings.get(p["scheme"])
    share = p["top_share"]
    wanted = f"要求前 {share * 100:.0f}%"
    if standing is None or standing.of == 0:
        return False, f"{p['scheme']} 未排名（{wanted}）"
    # Rank r of n is in the top share s when r ≤ ⌈s·n⌉ (at least the first is always in).
    cutoff = max(1, math.ceil(share * standing.of))
    met = standing.rank <= cutoff and standing.score >= p.get("min_score", Decimal("-Infinity"))
    floor = f"、不低于 {p['min_score']} 分" if "min_score" in p else ""
    return met, (
        f"积分 {standing.score:.2f}，第 {standing.rank}/{standing.of} 名（{wanted}，即前 "
        f"{cutoff} 名{floor}）"
    )


def _exam_average(p: Mapping[str, Any], profile: Profile) -> tuple[bool, str]:
    scores = [e.score for e in profile.exams]
    if len(scores) < p.get("min_exams", 1):
        return False, f"参加考试 {len(scores)} 次（要求至少 {p.get('min_exams', 1)} 次）"
    average = (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.01"))
    detail = f"考试 {len(scores)} 次平均 {average} 分（要求 ≥ {p['min_score']}）"
    return average >= p["min_score"], detail


def _fault_warnings(p: Mapping[str, Any], profile: Profile) -> tuple[bool, str]:
    # A warning closed by an approved exception (已核销) is not the person's fault.
    findings = p.get("findings", FAULT_FINDINGS)
    own = [w for w in profile.warnings if w.finding in findings and w.status != "closed"]
    return len(own) <= p["max"], f"本人过错预警 {len(own)} 条（最多 {p['max']} 条）"


def _cases_handled(p: Mapping[str, Any], profile: Profile) -> tuple[bool, str]:
    roles = p.get("roles", ("lead",))
    done = {c.id for c in profile.cases if c.role in roles and c.closed_on is not None}
    label = "、".join(ceif.HANDLER_ROLES.get(r, r) for r in roles)
    return len(done) >= p["min"], f"{label}办结案件 {len(done)} 起（要求 ≥ {p['min']}）"


@dataclass(frozen=True)
class CriterionKind:
    judge: Callable[[Mapping[str, Any], Profile], tuple[bool, str]]
    params: Mapping[str, str]  # name → number | int | qualification | scheme | findings | roles
    required: tuple[str, ...]


CRITERIA: Mapping[str, CriterionKind] = {
    "qualification": CriterionKind(_qualification, {"at_least": "qualification"}, ("at_least",)),
    "ranking": CriterionKind(
        _ranking,
        {"scheme": "scheme", "top_share": "share", "min_score": "number"},
        ("scheme", "top_share"),
    ),
    "exam_average": CriterionKind(
        _exam_average,
        {"min_score": "number", "min_exams": "int"},
        ("min_score",),
    ),
    "fault_warnings": CriterionKind(
        _fault_warnings, {"max": "int", "findings": "findings"}, ("max",)
    ),
    "cases_handled": CriterionKind(_cases_handled, {"min": "int", "roles": "roles"}, ("min",)),
}


def judge(pool: Pool, profile: Profile) -> Candidacy:
    checks = []
    for criterion in pool.criteria:
        met, detail = CRITERIA[criterion.kind].judge(criterion.params, profile)
        checks.append(Check(criterion, met, detail))
    return Candidacy(profile.person, pool, tuple(checks))


def select(pool: Pool, profiles: Iterable[Profile]) -> list[Candidacy]:
    """Everyone of the pool's population, candidates first, then by criteria met, then id."""
    judged = [judge(pool, p) for p in profiles if pool.population.includes(p.person)]
    return sorted(judged, key=lambda c: (len(c.failed), c.person.id))


def schemes_named(rules: TalentRules) -> set[str]:
    """The assessment schemes whose yearly rankings the criteria read."""
    return {c.params["scheme"] for p in rules.pools for c in p.criteria if c.kind == "ranking"}


# --- reading the file -----------------------------------------------------------------------

_TOP_KEYS = ("version", "name", "in_force", "pools", "note")
_POOL_KEYS = ("code", "name", "population", "source", "criteria", "note")
_CRITERION_KEYS = ("code", "name", "kind", "params", "source", "note")
_EXAMPLE_KEYS = (
    "name",
    "year",
    "persons",
    "qualifications",
    "standings",
    "exams",
    "warnings",
    "cases",
    "expect",
    "note",
)


def _param(value: Any, kind: str, r: _Reader, where: str, line: int) -> Any:
    if kind == "qualification":
        if value not in QUALIFICATION_ORDER:
            known = "、".join(QUALIFICATION_ORDER)
            r.error(line, f"{where}：未知执法资格 {value!r}（可用：{known}）")
            return None
        return value
    if kind == "scheme":
        if not isinstance(value, str) or not CODE_RE.match(value):
            r.error(line, f"{where}：应为考核方案编号，如 case_handling")
            return None
        return value
    if kind == "share":
        share = r.number(value, where, line)
        if share is not None and not 0 < share <= 1:
            r.error(line, f"{where}：比例应在 0 与 1 之间（如 0.2 即前 20%）")
            return None
        return share
    if kind == "number":
        return r.number(value, where, line)
    if kind == "int":
        return r.count(value, where, line)
    known = FAULT_FINDINGS if kind == "findings" else tuple(ceif.HANDLER_ROLES)
    chosen = r.choices(value, known, where, line)
    if not chosen:
        r.error(line, f"{where}：至少需要一项")
        return None
    return chosen


def _read_criterion(entry: Any, r: _Reader, line: int) -> Criterion | None:
    data = r.mapping(entry, "标准", line)
    if data is None:
        return None
    before = len(r.errors)
    code = r.text(data, "code", "标准")
    where = f"标准 {code}" if code else "标准"
    r.unknown_keys(data, _CRITERION_KEYS, where)
    name = r.text(data, "name", where)
    kind = data.get("kind")
    if kind not in CRITERIA:
        known = "、".join(CRITERIA)
        r.error(r.line(data, "kind"), f"{where}.kind：未知标准种类 {kind!r}（可用：{known}）")
    params: dict[str, Any] = {}
    raw = data.get("params", LineDict())
    if not isinstance(raw, LineDict):
        r.error(r.line(data, "params"), f"{where}.params：应为映射（键: 值）")
    elif kind in CRITERIA:
        spec = CRITERIA[kind]
        r.unknown_keys(raw, spec.params, f"{where}.params")
        for missing in (k for k in spec.required if k not in raw):
            r.error(r.line(data, "params", data.line), f"{where}.params：缺少参数 {missing}")
        for key in (k for k in spec.params if k in raw):
            value = _param(raw[key], spec.params[key], r, f"{where}.params.{key}", raw.lines[key])
            if value is not None:
                params[key] = value
    source = r.source(data, where)
    if len(r.errors) > before or None in (code, name, source):
        return None
    assert code and name and source
    return Criterion(code, name, kind, source, params)


def _read_pool(entry: Any, r: _Reader, line: int) -> Pool | None:
    data = r.mapping(entry, "人才类别", line)
    if data is None:
        return None
    before = len(r.errors)
    code = r.text(data, "code", "人才类别")
    where = f"人才类别 {code}" if code else "人才类别"
    if code and not CODE_RE.match(code):
        r.error(data.lines["code"], f"{where}：编号只能含小写字母、数字、下划线")
    r.unknown_keys(data, _POOL_KEYS, where)
    name = r.text(data, "name", where)
    source = r.source(data, where)
    population = _read_population(data, r)
    criteria: list[Criterion] = []
    value = data.get("criteria")
    if not isinstance(value, list) or not value:
        r.error(r.line(data, "criteria", data.line), f"{where}.criteria：应为非空列表")
    else:
        for item in value:
            criterion = _read_criterion(item, r, data.lines["criteria"])
            if criterion is not None:
                if criterion.code in {c.code for c in criteria}:
                    r.error(r.line(item), f"{where}：标准编号 {criterion.code} 重复")
                criteria.append(criterion)
    if len(r.errors) > before or None in (code, name, source):
        return None
    assert code and name and source
    return Pool(code, name, source, population, tuple(criteria))


def _read_rules(data: Any, r: _Reader) -> TalentRules | None:
    top = r.mapping(data, "人才库标准文件", 1)
    if top is None:
        return None
    r.unknown_keys(top, _TOP_KEYS, "人才库标准")
    version = r.text(top, "version", "人才库标准")
    name = r.text(top, "name", "人才库标准")
    in_force = _read_in_force(top, r)
    pools: list[Pool] = []
    value = top.get("pools")
    if not isinstance(value, list) or not value:
        r.error(r.line(top, "pools"), "pools：应为非空列表")
    else:
        for entry in value:
            pool = _read_pool(entry, r, top.lines["pools"])
            if pool is not None:
                if pool.code in {p.code for p in pools}:
                    r.error(r.line(entry), f"人才类别编号 {pool.code} 重复")
                pools.append(pool)
    if r.errors or None in (version, name, in_force):
        return None
    assert version and name and in_force
    return TalentRules(version, name, in_force, tuple(pools))


# --- examples -------------------------------------------------------------------------------


def _read_example(entry: Any, r: _Reader, rules: TalentRules | None) -> TalentExample | None:
    data = r.mapping(entry, "示例", 1)
    if data is None:
        return None
    before = len(r.errors)
    name = r.text(data, "name", "示例")
    where = f"示例「{name}」" if name else "示例"
    r.unknown_keys(data, _EXAMPLE_KEYS, where)
    year = r.count(data.get("year"), f"{where}.year", r.line(data, "year"))
    persons = _read_records(data, "persons", PersonFact, r, where)
    ids = {p.id for p in persons}
    records = {
        kind: _read_records(data, kind, cls, r, where)
        for kind, cls in (
            ("standings", RankStanding),
            ("exams", ExamFact),
            ("warnings", WarningFact),
            ("cases", CaseFact),
        )
    }
    for kind, items in records.items():
        for item in items:
            if item.person not in ids:
                r.error(data.lines[kind], f"{where}.{kind}：人员 {item.person!r} 不在 persons 中")
    qualifications = data.get("qualifications", {})
    if not isinstance(qualifications, dict):
        r.error(r.line(data, "qualifications"), f"{where}.qualifications：应为 人员: 等级")
        qualifications = {}
    for pid, level in qualifications.items():
        _param(
            level, "qualification", r, f"{where}.qualifications.{pid}", data.lines["qualifications"]
        )
    expect = _read_expect(data, r, where, ids, rules)
    if len(r.errors) > before or name is None or year is None:
        return None
    profiles = tuple(
        Profile(
            p,
            qualifications.get(p.id),
            {s.scheme: s for s in records["standings"] if s.person == p.id},
            tuple(e for e in records["exams"] if e.person == p.id),
            tuple(w for w in records["warnings"] if w.person == p.id),
            tuple(c for c in records["cases"] if c.person == p.id),
        )
        for p in persons
    )
    return TalentExample(name, year, profiles, expect)


def _read_expect(
    data: LineDict, r: _Reader, where: str, ids: set[str], rules: TalentRules | None
) -> tuple[TalentExpectation, ...]:
    value = data.get("expect")
    if not isinstance(value, list) or not value:
        r.error(r.line(data, "expect"), f"{where}.expect：应为非空列表")
        return ()
    result = []
    for entry in value:
        exp = r.mapping(entry, f"{where}.expect", data.lines["expect"])
        if exp is None:
            continue
        r.unknown_keys(exp, ("person", "pool", "failed"), f"{where}.expect")
        person, pool, failed = exp.get("person"), exp.get("pool"), exp.get("failed", [])
        if person not in ids:
            r.error(exp.line, f"{where}.expect：人员 {person!r} 不在 persons 中")
        pools = {p.code: p for p in rules.pools} if rules else {}
        if rules and pool not in pools:
            r.error(exp.line, f"{where}.expect：没有人才类别 {pool!r}")
        elif rules:
            codes = [c.code for c in pools[pool].criteria]
            r.choices(failed, codes, f"{where}.expect.failed", exp.line)
        if person in ids and isinstance(pool, str) and isinstance(failed, list):
            result.append(TalentExpectation(person, pool, tuple(failed)))
    return tuple(result)


def read_talent(path: Path) -> tuple[TalentRules | None, list[CatalogError]]:
    """The rules in `path` with the examples beside it (`<stem>.examples.yaml`), and every error."""
    reader = _Reader(path)
    data, yaml_errors = (
        read_yaml(path) if path.exists() else (None, [CatalogError(path, 0, "文件不存在")])
    )
    reader.errors.extend(yaml_errors)
    rules = _read_rules(data, reader) if not yaml_errors else None
    examples_path = path.with_name(f"{path.stem}.examples.yaml")
    ex_reader = _Reader(examples_path)
    if examples_path.exists():
        ex_data, ex_errors = read_yaml(examples_path)
        ex_reader.errors.extend(ex_errors)
        if not ex_errors and (not isinstance(ex_data, list) or not ex_data):
            ex_reader.error(1, "示例文件：应为非空列表")
        elif not ex_errors:
            found = (_read_example(e, ex_reader, rules) for e in ex_data)
            examples = tuple(e for e in found if e is not None)
            if rules is not None:
                rules = dataclasses.replace(rules, examples=examples)
    else:
        ex_reader.error(1, f"缺少示例文件 {examples_path.name}")
    errors = sorted(reader.errors + ex_reader.errors)
    return (rules if not errors else None), errors


def load_talent(path: Path) -> TalentRules:
    """The rules in `path`; raises `SchemesInvalid` listing every `文件:行: 原因`."""
    rules, errors = read_talent(path)
    if errors or rules is None:
        raise SchemesInvalid(errors)
    return rules
