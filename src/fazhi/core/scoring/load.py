"""Reading scheme files: every error of every file, each with `path:line` and a reason.

Like the control-point loader (whose YAML reader with line numbers this reuses), a scheme file
is read completely and every problem collected, so the person editing it fixes them all in one
pass; only files without errors become `Scheme`s, with their examples attached.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Any

from fazhi.core import ceif
from fazhi.core.catalog.load import CatalogError, LineDict, read_yaml
from fazhi.core.scoring.facts import FACT_TYPES, PersonFact, Severity, facts
from fazhi.core.scoring.model import (
    RANK_GROUPS,
    Example,
    Expectation,
    Exposure,
    InForce,
    Item,
    Population,
    Recovery,
    Scheme,
    Source,
)
from fazhi.core.scoring.periods import PeriodError, PeriodKind, parse_period
from fazhi.core.scoring.ranking import TIE_BREAKERS
from fazhi.core.scoring.scorers import KINDS, Param, parse_window

SCHEME_SUFFIX = ".yaml"
EXAMPLES_SUFFIX = ".examples.yaml"
CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
ITEM_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
RESERVED_ITEMS = frozenset({"base", "total"})

_TOP_KEYS = frozenset(
    {
        "code",
        "version",
        "name",
        "in_force",
        "source",
        "population",
        "periods",
        "rank_by",
        "dimensions",
        "base",
        "floor",
        "cap",
        "severities",
        "recovery",
        "ties",
        "items",
        "note",
    }
)
_ITEM_KEYS = frozenset(
    {"code", "name", "dimension", "kind", "params", "cap", "floor", "exposure", "source", "note"}
)
_EXAMPLE_KEYS = frozenset({"name", "period", "persons", "expect", "note", *FACT_TYPES})


class SchemesInvalid(Exception):
    """Raised by `load_schemes` with every error found."""

    def __init__(self, errors: Iterable[CatalogError]) -> None:
        self.errors = tuple(sorted(errors))
        super().__init__("\n".join(str(e) for e in self.errors))


class _Reader:
    """Collects the errors of one file while its fields are read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[CatalogError] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append(CatalogError(self.path, line, message))

    @staticmethod
    def line(data: Any, key: Any = None, default: int = 1) -> int:
        if isinstance(data, LineDict):
            return data.lines.get(key, data.line) if key is not None else data.line
        return default

    def mapping(self, value: Any, where: str, line: int) -> LineDict | None:
        if isinstance(value, LineDict):
            return value
        self.error(line, f"{where}：应为映射（键: 值）")
        return None

    def unknown_keys(self, data: LineDict, allowed: Iterable[str], where: str) -> None:
        allowed = frozenset(allowed)
        for key in data:
            if key not in allowed:
                known = "、".join(sorted(allowed))
                self.error(data.lines[key], f"{where}：未知字段 {key!r}（可用：{known}）")

    def required(self, data: LineDict, key: str, where: str) -> bool:
        if key in data:
            return True
        self.error(data.line, f"{where}：缺少字段 {key}")
        return False

    def text(self, data: LineDict, key: str, where: str, *, required: bool = True) -> str | None:
        if key not in data:
            if required:
                self.error(data.line, f"{where}：缺少字段 {key}")
            return None
        value = data[key]
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.error(data.lines[key], f"{where}.{key}：应为非空文字")
            return None
        return value

    def number(self, value: Any, where: str, line: int) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.error(line, f"{where}：应为数字，而不是 {value!r}")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.error(line, f"{where}：应为数字，而不是 {value!r}")
            return None
        if not number.is_finite():
            self.error(line, f"{where}：应为有限的数字")
            return None
        return number

    def optional_number(self, data: LineDict, key: str, where: str) -> Decimal | None:
        return self.number(data[key], f"{where}.{key}", data.lines[key]) if key in data else None

    def count(self, value: Any, where: str, line: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.error(line, f"{where}：应为非负整数，而不是 {value!r}")
            return None
        return value

    def day(self, value: Any, where: str, line: int) -> date | None:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        self.error(line, f"{where}：应为日期 YYYY-MM-DD，而不是 {value!r}")
        return None

    def choices(self, value: Any, known: Iterable[Any], where: str, line: int) -> tuple[Any, ...]:
        known = tuple(known)
        if not isinstance(value, list):
            self.error(line, f"{where}：应为列表")
            return ()
        for item in value:
            if item not in known:
                self.error(
                    line, f"{where}：未知取值 {item!r}（可用：{'、'.join(map(str, known))}）"
                )
        return tuple(v for v in value if v in known)

    def source(self, data: LineDict, where: str) -> Source | None:
        if not self.required(data, "source", where):
            return None
        src = self.mapping(data["source"], f"{where}.source", data.lines["source"])
        if src is None:
            return None
        self.unknown_keys(src, ("seed", "quote"), f"{where}.source")
        seed = self.text(src, "seed", f"{where}.source")
        quote = self.text(src, "quote", f"{where}.source")
        return Source(seed, quote) if seed and quote else None


# --- scheme files -----------------------------------------------------------------------------


def _read_scheme(path: Path, data: Any, r: _Reader) -> Scheme | None:
    top = r.mapping(data, "考核方案文件", 1)
    if top is None:
        return None
    r.unknown_keys(top, _TOP_KEYS, "考核方案")
    code = r.text(top, "code", "考核方案")
    if code and not CODE_RE.match(code):
        r.error(top.lines["code"], f"code：编号 {code!r} 只能含小写字母、数字、下划线")
    version = r.text(top, "version", "考核方案")
    stem = path.name[: -len(SCHEME_SUFFIX)]
    if code and stem not in (code, f"{code}@{version}"):
        r.error(
            top.lines["code"],
            f"文件名应为 {code}{SCHEME_SUFFIX} 或 {code}@{version}{SCHEME_SUFFIX}",
        )
    name = r.text(top, "name", "考核方案")
    in_force = _read_in_force(top, r)
    source = r.source(top, "考核方案")
    population = _read_population(top, r)
    periods = _read_periods(top, r)
    rank_by = top.get("rank_by", "sequence")
    if rank_by not in RANK_GROUPS:
        r.error(
            r.line(top, "rank_by"),
            f"rank_by：未知取值 {rank_by!r}（可用：{'、'.join(RANK_GROUPS)}）",
        )
    dimensions = _read_dimensions(top, r)
    base = r.optional_number(top, "base", "考核方案") or Decimal(0)
    floor = r.optional_number(top, "floor", "考核方案")
    cap = r.optional_number(top, "cap", "考核方案")
    if floor is not None and cap is not None and floor > cap:
        r.error(top.lines["floor"], "floor：最低分高于最高分 cap")
    severities = _read_severities(top, r)
    recovery = _read_recovery(top, r)
    ties = r.choices(top.get("ties", []), TIE_BREAKERS, "ties", r.line(top, "ties"))
    items = _read_items(top, r, dimensions, severities)
    if r.errors or None in (code, version, name, in_force, source, periods):
        return None
    assert code and version and name and in_force and source and periods
    return Scheme(
        code=code,
        version=version,
        name=name,
        in_force=in_force,
        population=population,
        periods=periods,
        items=items,
        source=source,
        rank_by=rank_by,
        dimensions=dimensions,
        base=base,
        floor=floor,
        cap=cap,
        severities=severities,
        recovery=recovery,
        ties=ties,
    )


def _read_in_force(top: LineDict, r: _Reader) -> InForce | None:
    if not r.required(top, "in_force", "考核方案"):
        return None
    data = r.mapping(top["in_force"], "in_force", top.lines["in_force"])
    if data is None or not r.required(data, "from", "in_force"):
        return None
    r.unknown_keys(data, ("from", "to"), "in_force")
    start = r.day(data["from"], "in_force.from", data.lines["from"])
    end = r.day(data["to"], "in_force.to", data.lines["to"]) if "to" in data else None
    if start is None or ("to" in data and end is None):
        return None
    if end is not None and end < start:
        r.error(data.lines["to"], "in_force：to 早于 from")
        return None
    return InForce(start, end)


def _read_population(top: LineDict, r: _Reader) -> Population:
    if "population" not in top:
        return Population()
    data = r.mapping(top["population"], "population", top.lines["population"])
    if data is None:
        return Population()
    r.unknown_keys(data, ("sequences", "roles", "units"), "population")
    sequences = r.choices(
        data.get("sequences", []), ceif.SEQUENCES, "population.sequences", r.line(data, "sequences")
    )
    roles = r.choices(
        data.get("roles", []), ceif.PERSON_ROLES, "population.roles", r.line(data, "roles")
    )
    units = data.get("units", [])
    if not isinstance(units, list) or not all(isinstance(u, str) and u for u in units):
        r.error(r.line(data, "units"), "population.units：应为单位编号列表（含其下级单位）")
        units = []
    return Population(sequences, roles, tuple(units))


def _read_periods(top: LineDict, r: _Reader) -> tuple[PeriodKind, ...] | None:
    if not r.required(top, "periods", "考核方案"):
        return None
    known = [k.value for k in PeriodKind]
    values = r.choices(top["periods"], known, "periods", top.lines["periods"])
    if not values:
        r.error(top.lines["periods"], "periods：至少需要一种考核期间（day、month、quarter、year）")
        return None
    return tuple(PeriodKind(v) for v in values)


def _read_dimensions(top: LineDict, r: _Reader) -> dict[str, str]:
    if "dimensions" not in top:
        return {}
    data = r.mapping(top["dimensions"], "dimensions", top.lines["dimensions"])
    if data is None:
        return {}
    result = {}
    for key, label in data.items():
        if not isinstance(label, str) or not label.strip():
            r.error(data.lines[key], f"dimensions.{key}：应为中文名称")
        else:
            result[str(key)] = label
    return result


def _read_severities(top: LineDict, r: _Reader) -> dict[Severity, Decimal]:
    if "severities" not in top:
        return {}
    data = r.mapping(top["severities"], "severities", top.lines["severities"])
    if data is None:
        return {}
    known = [s.value for s in Severity]
    r.unknown_keys(data, known, "severities")
    result = {}
    for severity in Severity:
        if severity.value not in data:
            r.error(data.line, f"severities：缺少 {severity.value}（{severity.label}）的扣分")
            continue
        value = r.number(
            data[severity.value], f"severities.{severity.value}", data.lines[severity.value]
        )
        if value is not None and value > 0:
            r.error(data.lines[severity.value], f"severities.{severity.value}：扣分应为负数或 0")
        elif value is not None:
            result[severity] = value
    return result


def _read_recovery(top: LineDict, r: _Reader) -> Recovery | None:
    if "recovery" not in top:
        return None
    data = r.mapping(top["recovery"], "recovery", top.lines["recovery"])
    if data is None:
        return None
    r.unknown_keys(data, ("window_days", "share", "cap"), "recovery")
    if not all(r.required(data, key, "recovery") for key in ("window_days", "share", "cap")):
        return None
    window = r.count(data["window_days"], "recovery.window_days", data.lines["window_days"])
    share = r.number(data["share"], "recovery.share", data.lines["share"])
    cap = r.number(data["cap"], "recovery.cap", data.lines["cap"])
    if share is not None and not 0 < share <= 1:
        r.error(data.lines["share"], "recovery.share：回血比例应在 0 与 1 之间（如 0.5）")
        return None
    if cap is not None and cap < 0:
        r.error(data.lines["cap"], "recovery.cap：回血上限应为非负数")
        return None
    if window is None or share is None or cap is None:
        return None
    return Recovery(window, share, cap)


def _read_items(
    top: LineDict, r: _Reader, dimensions: dict[str, str], severities: dict[Severity, Decimal]
) -> tuple[Item, ...]:
    if not r.required(top, "items", "考核方案"):
        return ()
    value = top["items"]
    if not isinstance(value, list) or not value:
        r.error(top.lines["items"], "items：应为非空列表")
        return ()
    items: list[Item] = []
    seen: set[str] = set()
    for entry in value:
        item = _read_item(entry, r, dimensions, severities, top.lines["items"])
        if item is None:
            continue
        if item.code in seen:
            r.error(item.line, f"items：评分项编号 {item.code} 重复")
        seen.add(item.code)
        items.append(item)
    return tuple(items)


def _read_item(
    entry: Any,
    r: _Reader,
    dimensions: dict[str, str],
    severities: dict[Severity, Decimal],
    line: int,
) -> Item | None:
    data = r.mapping(entry, "评分项", line)
    if data is None:
        return None
    before = len(r.errors)
    code = r.text(data, "code", "评分项")
    where = f"评分项 {code}" if code else "评分项"
    r.unknown_keys(data, _ITEM_KEYS, where)
    if code and (not ITEM_RE.match(code) or code in RESERVED_ITEMS):
        r.error(data.lines["code"], f"{where}：编号只能含字母、数字、-、_，且不能是 base 或 total")
    name = r.text(data, "name", where)
    dimension = data.get("dimension")
    if dimensions and dimension not in dimensions:
        r.error(
            r.line(data, "dimension"),
            f"{where}.dimension：应为 dimensions 中的一项（{'、'.join(dimensions)}）",
        )
    if not dimensions and dimension is not None:
        r.error(data.lines["dimension"], f"{where}.dimension：方案没有定义 dimensions")
    kind = data.get("kind")
    if kind not in KINDS:
        r.error(
            r.line(data, "kind"), f"{where}.kind：未知评分种类 {kind!r}（可用：{'、'.join(KINDS)}）"
        )
    params = _read_params(data, r, where, KINDS[kind].params if kind in KINDS else None)
    if kind == "manual" and not severities:
        r.error(data.line, f"{where}：人工评查项需要方案给出 severities（按情节轻重的扣分）")
    cap = r.optional_number(data, "cap", where)
    floor = r.optional_number(data, "floor", where)
    exposure = _read_exposure(data, r, where)
    source = r.source(data, where)
    if len(r.errors) > before or None in (code, name, source) or kind not in KINDS:
        return None
    assert code and name and source
    return Item(
        code=code,
        name=name,
        kind=kind,
        source=source,
        params=params,
        dimension=dimension,
        cap=cap,
        floor=floor,
        exposure=exposure,
        line=data.line,
    )


def _read_params(
    data: LineDict, r: _Reader, where: str, spec: typing.Mapping[str, Param] | None
) -> dict[str, Any]:
    if "params" in data:
        raw = r.mapping(data["params"], f"{where}.params", data.lines["params"])
    else:
        raw = LineDict()
        raw.line, raw.lines = data.line, {}
    if raw is None or spec is None:
        return {}
    r.unknown_keys(raw, spec, f"{where}.params")
    result: dict[str, Any] = {}
    for name, param in spec.items():
        if name not in raw:
            if param.required:
                r.error(raw.line, f"{where}.params：缺少参数 {name}")
            continue
        value = _read_param(raw[name], param, r, f"{where}.params.{name}", raw.lines[name])
        if value is not None:
            result[name] = value
    if "excellent_mark" in result and "excellent_points" not in result:
        r.error(raw.line, f"{where}.params：给出 excellent_mark 时须给出 excellent_points")
    return result


def _read_param(value: Any, param: Param, r: _Reader, where: str, line: int) -> Any:
    if param.type == "number":
        return r.number(value, where, line)
    if param.type == "int":
        return r.count(value, where, line)
    if param.type == "list":
        return r.choices(value, param.choices, where, line)
    if param.type == "windows":
        if not isinstance(value, list) or not value:
            r.error(line, f'{where}：应为时段列表，如 ["09:00-09:30"]')
            return None
        windows = [parse_window(v) for v in value]
        for text, window in zip(value, windows, strict=True):
            if window is None:
                r.error(line, f'{where}：时段 {text!r} 应写作带引号的 "09:00-09:30"')
        return tuple(w for w in windows if w is not None)
    data = r.mapping(value, where, line)
    if data is None:
        return None
    if param.choices:
        r.unknown_keys(data, param.choices, where)
    numbers = {str(k): r.number(v, f"{where}.{k}", data.lines[k]) for k, v in data.items()}
    return {k: v for k, v in numbers.items() if v is not None}


def _read_exposure(data: LineDict, r: _Reader, where: str) -> Exposure | None:
    if "exposure" not in data:
        return None
    exp = r.mapping(data["exposure"], f"{where}.exposure", data.lines["exposure"])
    if exp is None:
        return None
    r.unknown_keys(exp, ("per_cases", "min_cases"), f"{where}.exposure")
    if not (
        r.required(exp, "per_cases", f"{where}.exposure")
        and r.required(exp, "min_cases", f"{where}.exposure")
    ):
        return None
    per = r.count(exp["per_cases"], f"{where}.exposure.per_cases", exp.lines["per_cases"])
    least = r.count(exp["min_cases"], f"{where}.exposure.min_cases", exp.lines["min_cases"])
    if not per or not least:
        r.error(exp.line, f"{where}.exposure：per_cases 与 min_cases 应为正整数")
        return None
    return Exposure(per, least)


# --- example files ----------------------------------------------------------------------------


def _read_examples(data: Any, r: _Reader, scheme: Scheme | None) -> tuple[Example, ...]:
    if not isinstance(data, list) or not data:
        r.error(1, "示例文件：应为非空列表")
        return ()
    result = []
    for entry in data:
        example = _read_example(entry, r, scheme)
        if example is not None:
            result.append(example)
    return tuple(result)


def _read_example(entry: Any, r: _Reader, scheme: Scheme | None) -> Example | None:
    data = r.mapping(entry, "示例", 1)
    if data is None:
        return None
    before = len(r.errors)
    name = r.text(data, "name", "示例")
    where = f"示例「{name}」" if name else "示例"
    r.unknown_keys(data, _EXAMPLE_KEYS, where)
    period = _read_example_period(data, r, where, scheme)
    persons = _read_records(data, "persons", PersonFact, r, where)
    records = {kind: _read_records(data, kind, cls, r, where) for kind, cls in FACT_TYPES.items()}
    ids = {p.id for p in persons}
    for kind, items in records.items():
        for item in items:
            if item.person not in ids:
                r.error(data.lines[kind], f"{where}.{kind}：人员 {item.person!r} 不在 persons 中")
    expect = _read_expectations(data, r, where, ids, scheme)
    if len(r.errors) > before or name is None or period is None:
        return None
    return Example(name, period, facts(persons, **records), expect, data.line)


def _read_example_period(
    data: LineDict, r: _Reader, where: str, scheme: Scheme | None
) -> str | None:
    if not r.required(data, "period", where):
        return None
    text = str(data["period"])
    try:
        period = parse_period(text)
    except PeriodError as exc:
        r.error(data.lines["period"], f"{where}.period：{exc}")
        return None
    if scheme is not None and period.kind not in scheme.periods:
        r.error(data.lines["period"], f"{where}.period：方案不按{period.kind.label}考核")
    return period.text


def _read_expectations(
    data: LineDict, r: _Reader, where: str, ids: set[str], scheme: Scheme | None
) -> tuple[Expectation, ...]:
    if not r.required(data, "expect", where) or not isinstance(data["expect"], list):
        if "expect" in data:
            r.error(data.lines["expect"], f"{where}.expect：应为列表")
        return ()
    items = {i.code for i in scheme.items} | {"base", "total"} if scheme else set()
    result = []
    for entry in data["expect"]:
        exp = r.mapping(entry, f"{where}.expect", data.lines["expect"])
        if exp is None:
            continue
        r.unknown_keys(exp, ("person", "score", "rank", "items"), f"{where}.expect")
        person = exp.get("person")
        if person not in ids:
            r.error(exp.line, f"{where}.expect：人员 {person!r} 不在 persons 中")
        score = r.number(exp.get("score"), f"{where}.expect.score", r.line(exp, "score"))
        rank = exp.get("rank")
        if rank is not None and (isinstance(rank, bool) or not isinstance(rank, int) or rank < 1):
            r.error(exp.lines["rank"], f"{where}.expect.rank：应为正整数")
        by_item: dict[str, Decimal] = {}
        for code, value in (exp.get("items") or {}).items():
            if scheme and code not in items:
                r.error(exp.lines["items"], f"{where}.expect.items：方案没有评分项 {code!r}")
            number = r.number(value, f"{where}.expect.items.{code}", exp.lines["items"])
            if number is not None:
                by_item[str(code)] = number
        if person in ids and score is not None:
            result.append(Expectation(person, score, rank, by_item))
    return tuple(result)


def _read_records(data: LineDict, key: str, cls: type, r: _Reader, where: str) -> list[Any]:
    if key not in data:
        return []
    if not isinstance(data[key], list):
        r.error(data.lines[key], f"{where}.{key}：应为列表")
        return []
    result = []
    for entry in data[key]:
        record = _read_record(entry, cls, r, f"{where}.{key}", r.line(entry, None, data.lines[key]))
        if record is not None:
            result.append(record)
    return result


def _read_record(entry: Any, cls: type, r: _Reader, where: str, line: int) -> Any:
    """A fact dataclass from a mapping, each field converted by its annotated type."""
    data = r.mapping(entry, where, line)
    if data is None:
        return None
    fields = {f.name: f for f in dataclasses.fields(cls)}
    hints = typing.get_type_hints(cls)
    r.unknown_keys(data, fields, where)
    values, ok = {}, True
    for name, f in fields.items():
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if name not in data:
            if required:
                r.error(data.line, f"{where}：缺少字段 {name}")
                ok = False
            continue
        converted = _convert(data[name], hints[name], r, f"{where}.{name}", data.lines[name])
        ok = ok and converted is not _BAD
        values[name] = converted
    return cls(**values) if ok else None


_BAD = object()


def _convert(value: Any, hint: Any, r: _Reader, where: str, line: int) -> Any:
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType):
        if value is None:
            return None
        hint = next(a for a in args if a is not type(None))
        args = typing.get_args(hint)
    converted: Any = _BAD
    if hint is str:
        converted = (
            str(value) if isinstance(value, str | int) and not isinstance(value, bool) else _BAD
        )
    elif hint is int:
        converted = r.count(value, where, line)
        return _BAD if converted is None else converted
    elif hint is Decimal:
        converted = r.number(value, where, line)
        return _BAD if converted is None else converted
    elif hint is date:
        converted = r.day(value, where, line)
        return _BAD if converted is None else converted
    elif hint is time:
        converted = _time(value)
    elif typing.get_origin(hint) is tuple and isinstance(value, list):
        converted = tuple(str(v) for v in value)
    elif isinstance(hint, type) and issubclass(hint, Enum):
        try:
            converted = hint(value)
        except ValueError:
            known = "、".join(m.value for m in hint)
            r.error(line, f"{where}：未知取值 {value!r}（可用：{known}）")
            return _BAD
    if converted is _BAD:
        r.error(line, f"{where}：取值 {value!r} 无效")
    return converted


def _time(value: Any) -> Any:
    if not isinstance(value, str):
        return _BAD  # YAML reads an unquoted 14:00 as a number: times must be quoted
    try:
        return time.fromisoformat(value)
    except ValueError:
        return _BAD


# --- the scheme directory ---------------------------------------------------------------------


def read_schemes(root: Path) -> tuple[tuple[Scheme, ...], list[CatalogError]]:
    """Every scheme under `root` with its examples, and every error found."""
    if not root.is_dir():
        return (), [CatalogError(root, 0, "目录不存在")]
    errors: list[CatalogError] = []
    schemes: list[Scheme] = []
    paths: dict[tuple[str, str], Path] = {}
    files = sorted(
        p for p in root.glob(f"*{SCHEME_SUFFIX}") if not p.name.endswith(EXAMPLES_SUFFIX)
    )
    for path in files:
        reader = _Reader(path)
        data, yaml_errors = read_yaml(path)
        reader.errors.extend(yaml_errors)
        scheme = _read_scheme(path, data, reader) if not yaml_errors else None
        errors.extend(reader.errors)
        examples_path = path.with_name(path.name[: -len(SCHEME_SUFFIX)] + EXAMPLES_SUFFIX)
        if not examples_path.exists():
            errors.append(CatalogError(path, 1, f"缺少示例文件 {examples_path.name}"))
            continue
        ex_reader = _Reader(examples_path)
        ex_data, ex_errors = read_yaml(examples_path)
        ex_reader.errors.extend(ex_errors)
        examples = _read_examples(ex_data, ex_reader, scheme) if not ex_errors else ()
        errors.extend(ex_reader.errors)
        if scheme is not None:
            schemes.append(dataclasses.replace(scheme, examples=examples))
            paths[scheme.code, scheme.version] = path
    for path in sorted(root.glob(f"*{EXAMPLES_SUFFIX}")):
        partner = path.with_name(path.name[: -len(EXAMPLES_SUFFIX)] + SCHEME_SUFFIX)
        if not partner.exists():
            errors.append(CatalogError(path, 1, f"示例文件没有对应的方案文件 {partner.name}"))
    errors.extend(_check_versions(schemes, paths))
    schemes.sort(key=lambda s: (s.code, s.in_force.valid_from))
    return tuple(schemes), sorted(errors)


def _check_versions(
    schemes: list[Scheme], paths: dict[tuple[str, str], Path]
) -> list[CatalogError]:
    """Versions of one code may not be in force on the same day."""
    errors = []
    by_code: dict[str, list[Scheme]] = {}
    for s in schemes:
        by_code.setdefault(s.code, []).append(s)
    for versions in by_code.values():
        versions.sort(key=lambda s: s.in_force.valid_from)
        for earlier, later in zip(versions, versions[1:], strict=False):
            end = earlier.in_force.valid_to
            if end is None or end >= later.in_force.valid_from:
                message = f"in_force：与版本 {earlier.version} 的生效期间重叠"
                errors.append(CatalogError(paths[later.code, later.version], 1, message))
    return errors


def load_schemes(root: Path) -> tuple[Scheme, ...]:
    """The schemes under `root`; raises `SchemesInvalid` listing every error."""
    schemes, errors = read_schemes(root)
    if errors:
        raise SchemesInvalid(errors)
    return schemes


def scheme_in_force(schemes: Iterable[Scheme], code: str, day: date) -> Scheme | None:
    """The version of scheme `code` in force on `day` (a period is scored under the version in
    force on its first day)."""
    return next((s for s in schemes if s.code == code and s.in_force.covers(day)), None)
