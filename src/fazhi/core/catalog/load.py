"""Reading the catalogue files: every error of every file, each with `path:line` and a reason.

Catalogue files are written by people; a loader that stops at the first mistake makes them
fix one line per run. So each file is read completely, every problem is collected as a
`CatalogError`, and only files without errors become `ControlPoint`s. Line numbers come from
the YAML node marks (a custom constructor keeps the line of every mapping key).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from fazhi.core import ceif
from fazhi.core.catalog.model import (
    Applicability,
    Basis,
    Catalogue,
    ControlPoint,
    Escalation,
    EventMatch,
    Example,
    Expectation,
    ExtensionMode,
    ExtensionRule,
    InForce,
    Level,
    PointKind,
    Role,
    State,
)
from fazhi.core.legaltime import Period, Unit, parse_period

AREAS: Mapping[str, str] = {
    "filing": "受案立案",
    "questioning": "传唤询问",
    "interrogation": "讯问询问规范",
    "detention": "刑事拘留",
    "arrest": "逮捕",
    "custody": "侦查羁押期限",
    "bail": "取保候审",
    "surveillance": "监视居住",
    "lawyers": "律师与法律援助",
    "prosecution": "侦查终结与移送起诉",
    "property": "涉案财物",
    "administrative": "行政案件",
    "compulsion": "行政强制措施",
    "other": "其他",
}
CODE_RE = re.compile(r"^[A-Z]{2,6}-\d{2,3}$")
VERSION_RE = re.compile(r"^[0-9A-Za-z_]+$")
POINT_SUFFIX = ".yaml"
EXAMPLES_SUFFIX = ".examples.yaml"
_SHANGHAI_OFFSET = timedelta(hours=8)

_TOP_KEYS = frozenset(
    {
        "code",
        "version",
        "name",
        "area",
        "kind",
        "basis",
        "in_force",
        "starts_at",
        "met_by",
        "superseded_by",
        "period",
        "extended_by",
        "excluded_by",
        "holiday_shift",
        "lead_time",
        "level",
        "escalation",
        "internal_standard",
        "needs_data",
        "applies_to",
        "params",
        "note",
    }
)
_TIMED_KINDS = (PointKind.DEADLINE, PointKind.DURATION_LIMIT)
_EXAMPLE_KEYS = frozenset(
    {"name", "as_of", "case", "subjects", "persons", "units", "events", "expect", "note"}
)
_EVENT_KEYS = frozenset({"id", "kind", "subject", "at", "end", "officers", "attrs"})
_CASE_KEYS = frozenset({"id", "kind", "category", "flags", "act_date", "act_end_date", "unit"})
_SUBJECT_KEYS = frozenset({"id", "birth_date", "gender", "flags"})
_APPLIES_KEYS = frozenset(
    {"case_kind", "public_order", "case_flags", "subject_flags", "start_attrs", "start_attrs_min"}
)


@dataclass(frozen=True, order=True)
class CatalogError:
    """A problem in a catalogue file: where (`path:line`) and why, in Chinese."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class CatalogueInvalid(Exception):
    """Raised by `load_catalogue` with every error found."""

    def __init__(self, errors: Iterable[CatalogError]) -> None:
        self.errors = tuple(sorted(errors))
        super().__init__("\n".join(str(e) for e in self.errors))


# --- YAML with line numbers -------------------------------------------------------------------


class LineDict(dict[Any, Any]):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int
    lines: dict[Any, int]


# libyaml's parser when the wheel has it (ten times faster; marks and errors alike).
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[valid-type,misc]
    duplicate_keys: list[tuple[int, Any]]


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            loader.duplicate_keys.append((key_node.start_mark.line + 1, key))
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> tuple[Any, list[CatalogError]]:
    """Parse one file; syntax errors and duplicate keys become `CatalogError`s."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [CatalogError(path, 0, f"无法读取文件：{exc}")]
    loader = _Loader(text)
    loader.duplicate_keys = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        return None, [CatalogError(path, line, f"YAML 语法错误：{exc.problem or exc}")]
    except yaml.YAMLError as exc:
        return None, [CatalogError(path, 0, f"YAML 错误：{exc}")]
    finally:
        loader.dispose()
    errors = [CatalogError(path, line, f"键 {key!r} 重复") for line, key in loader.duplicate_keys]
    return data, errors


# --- field readers ----------------------------------------------------------------------------


class _Reader:
    """Collects the errors of one file while its fields are read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[CatalogError] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append(CatalogError(self.path, line, message))

    @staticmethod
    def line_of(container: Any, key: Any = None, default: int = 0) -> int:
        if isinstance(container, LineDict):
            if key is not None and key in container.lines:
                return container.lines[key]
            return container.line
        return default

    def mapping(self, value: Any, where: str, line: int) -> LineDict | None:
        if isinstance(value, LineDict):
            return value
        self.error(line, f"{where}：应为映射（键: 值）")
        return None

    def unknown_keys(self, data: LineDict, allowed: frozenset[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                known = "、".join(sorted(allowed))
                self.error(data.lines[key], f"{where}：未知字段 {key!r}（可用：{known}）")

    def text(self, data: LineDict, key: str, where: str, *, required: bool = True) -> str | None:
        if key not in data:
            if required:
                self.error(data.line, f"{where}：缺少字段 {key}")
            return None
        value = data[key]
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.error(data.lines[key], f"{where}.{key}：应为非空文字")
            return None
        return value

    def boolean(self, data: LineDict, key: str, where: str) -> bool | None:
        if key not in data:
            return None
        value = data[key]
        if not isinstance(value, bool):
            self.error(data.lines[key], f"{where}.{key}：应为 true 或 false")
            return None
        return value

    def enum(
        self, data: LineDict, key: str, enum: Any, where: str, *, required: bool = True
    ) -> Any:
        if key not in data:
            if required:
                self.error(data.line, f"{where}：缺少字段 {key}")
            return None
        try:
            return enum(data[key])
        except ValueError:
            known = "、".join(m.value for m in enum)
            self.error(data.lines[key], f"{where}.{key}：未知取值 {data[key]!r}（可用：{known}）")
            return None

    def period(self, value: Any, where: str, line: int) -> Period | None:
        if not isinstance(value, Mapping):
            self.error(line, f"{where}：期间应写作 {{days: 3}} 这样的映射")
            return None
        try:
            return parse_period(value)
        except ValueError as exc:
            self.error(line, f"{where}：期间无效（{exc}）")
            return None

    def day(self, value: Any, where: str, line: int) -> date | None:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        self.error(line, f"{where}：应为日期 YYYY-MM-DD")
        return None

    def instant(
        self, value: Any, where: str, line: int, *, shanghai: bool = False
    ) -> datetime | None:
        if not isinstance(value, datetime):
            self.error(line, f"{where}：应为带时区的时间，如 2026-03-01T10:00:00+08:00")
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            self.error(line, f"{where}：缺少时区")
            return None
        if shanghai and value.utcoffset() != _SHANGHAI_OFFSET:
            self.error(line, f"{where}：应写作北京时间（+08:00）")
            return None
        return value

    def event_kind(self, value: Any, where: str, line: int) -> str | None:
        if not isinstance(value, str):
            self.error(line, f"{where}：事件类型应为文字")
            return None
        if value in ceif.EVENT_KINDS or (
            value.startswith(ceif.EXTENSION_KIND_PREFIX) and len(value) > 2
        ):
            return value
        self.error(
            line, f"{where}：未知事件类型 {value!r}（应为 CEIF 事件类型或以 x_ 开头的扩展类型）"
        )
        return None

    def attr_values(self, kind: str, attrs: Any, where: str, line: int, *, full: bool) -> None:
        """Check attribute names and values against the CEIF spec of `kind` (x_ kinds: free).
        `full` also requires the attributes CEIF marks required (real events, not matchers)."""
        if not isinstance(attrs, Mapping):
            self.error(line, f"{where}.attrs：应为映射")
            return
        spec = ceif.EVENT_KINDS.get(kind)
        if spec is None:
            return
        for name, value in attrs.items():
            attr_line = self.line_of(attrs, name, line)
            attr = spec.attrs.get(name)
            if attr is None and str(name).startswith(ceif.EXTENSION_KIND_PREFIX):
                continue  # CEIF allows new optional attributes; bureau ones are prefixed x_
            if attr is None:
                known = "、".join(spec.attrs) or "无"
                self.error(attr_line, f"{where}：事件 {kind} 没有属性 {name!r}（可用：{known}）")
                continue
            if not _attr_value_ok(attr, value):
                self.error(attr_line, f"{where}：事件 {kind} 的属性 {name} 取值 {value!r} 无效")
        if full:
            for name, attr in spec.attrs.items():
                if attr.required and name not in attrs:
                    self.error(line, f"{where}：事件 {kind} 缺少必填属性 {name}")

    def event_match(self, value: Any, where: str, line: int) -> EventMatch | None:
        """`kind` or `{event: kind, attrs: {...}}`."""
        if isinstance(value, str):
            kind = self.event_kind(value, where, line)
            return EventMatch(kind) if kind else None
        data = self.mapping(value, where, line)
        if data is None:
            return None
        self.unknown_keys(data, frozenset({"event", "attrs"}), where)
        kind = self.event_kind(data.get("event"), f"{where}.event", self.line_of(data, "event"))
        attrs = data.get("attrs", {})
        if kind is None:
            return None
        self.attr_values(kind, attrs, where, self.line_of(data, "attrs"), full=False)
        return EventMatch(kind, dict(attrs) if isinstance(attrs, Mapping) else {})

    def event_matches(self, data: LineDict, key: str, where: str) -> tuple[EventMatch, ...]:
        if key not in data:
            return ()
        value = data[key]
        items = value if isinstance(value, list) else [value]
        result = []
        for item in items:
            match = self.event_match(
                item, f"{where}.{key}", self.line_of(item, None, data.lines[key])
            )
            if match:
                result.append(match)
        return tuple(result)


def _attr_value_ok(attr: ceif.AttrSpec, value: Any) -> bool:
    if attr.type == "bool":
        return isinstance(value, bool)
    if attr.type == "enum":
        return value in attr.choices
    if attr.type == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return (
            ok
            and (attr.minimum is None or value >= attr.minimum)
            and (attr.maximum is None or value <= attr.maximum)
        )
    if attr.type == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if attr.type == "date":
        return isinstance(value, date) and not isinstance(value, datetime)
    return isinstance(value, str)


# --- control point files ----------------------------------------------------------------------


def _split_name(path: Path, suffix: str) -> tuple[str, str | None]:
    stem = path.name[: -len(suffix)]
    code, _, version = stem.partition("@")
    return code, version or None


def _read_point(path: Path, data: Any, reader: _Reader) -> ControlPoint | None:
    r = reader
    top = r.mapping(data, "控制点文件", 1)
    if top is None:
        return None
    r.unknown_keys(top, _TOP_KEYS, "控制点")
    code = r.text(top, "code", "控制点")
    if code and not CODE_RE.match(code):
        r.error(top.lines["code"], f"code：编号 {code!r} 格式应为 AA-01")
    version = r.text(top, "version", "控制点", required=False)
    if version and not VERSION_RE.match(version):
        r.error(top.lines["version"], f"version：版本名 {version!r} 只能含字母、数字、下划线")
    file_code, file_version = _split_name(path, POINT_SUFFIX)
    if code and (code, version) != (file_code, file_version):
        expected = f"{code}@{version}" if version else code
        r.error(top.lines["code"], f"文件名应为 {expected}{POINT_SUFFIX}（与 code/version 一致）")
    name = r.text(top, "name", "控制点")
    area = r.text(top, "area", "控制点")
    if area and area not in AREAS:
        r.error(top.lines["area"], f"area：未知领域 {area!r}（可用：{'、'.join(AREAS)}）")
    kind = r.enum(top, "kind", PointKind, "控制点")
    level = r.enum(top, "level", Level, "控制点")
    basis = _read_basis(top, r)
    in_force = _read_in_force(top, r)
    starts_at = None
    if "starts_at" in top:
        starts_at = r.event_match(top["starts_at"], "starts_at", top.lines["starts_at"])
    met_by = r.event_matches(top, "met_by", "控制点")
    superseded_by = r.event_matches(top, "superseded_by", "控制点")
    excluded_by = r.event_matches(top, "excluded_by", "控制点")
    period = r.period(top["period"], "period", top.lines["period"]) if "period" in top else None
    lead_time = (
        r.period(top["lead_time"], "lead_time", top.lines["lead_time"])
        if "lead_time" in top
        else None
    )
    holiday_shift = r.boolean(top, "holiday_shift", "控制点")
    internal_standard = bool(r.boolean(top, "internal_standard", "控制点"))
    needs_data = r.text(top, "needs_data", "控制点", required=False)
    extended_by = _read_extensions(top, r, period)
    escalation = _read_escalation(top, r)
    applies_to = _read_applies(top, r, starts_at)
    params = top.get("params", {})
    if not isinstance(params, Mapping):
        r.error(r.line_of(top, "params"), "params：应为映射")
        params = {}
    else:
        _check_params(params, r, starts_at, r.line_of(top, "params"))
    note = r.text(top, "note", "控制点", required=False) or ""

    if kind in _TIMED_KINDS:
        _check_timed(top, r, kind, starts_at, met_by, period, holiday_shift, lead_time, escalation)
    if internal_standard:
        if period is None:
            r.error(top.line, "internal_standard：内部标准须给出默认时限 period（如 {hours: 24}）")
        if "内部标准" not in note:
            r.error(top.line, "internal_standard：note 须写明“内部标准”，说明时限非法定")
    if not basis:
        r.error(top.line, "basis：至少需要一条法律依据")

    if r.errors or None in (code, name, area, kind, level, in_force):
        return None
    assert code and name and area and kind and level and in_force
    return ControlPoint(
        code=code,
        version=version,
        name=name,
        area=area,
        kind=kind,
        basis=basis,
        in_force=in_force,
        level=level,
        path=path,
        starts_at=starts_at,
        met_by=met_by,
        superseded_by=superseded_by,
        period=period,
        extended_by=extended_by,
        excluded_by=excluded_by,
        holiday_shift=holiday_shift,
        lead_time=lead_time,
        escalation=escalation,
        internal_standard=internal_standard,
        needs_data=needs_data,
        applies_to=applies_to,
        params=dict(params),
        note=note,
    )


def _check_params(
    params: Mapping[str, Any], r: _Reader, starts_at: EventMatch | None, line: int
) -> None:
    """Settings shared by several rule kinds: `tiers` (a different period when the case or the
    start event has a fact, e.g. 询问查证 24 小时 when `may_detain`), `due_rule`, `min_officers`."""
    for tier in params.get("tiers", []) or []:
        data = r.mapping(tier, "params.tiers", line)
        if data is None:
            continue
        r.unknown_keys(
            data, frozenset({"when", "period", "holiday_shift", "label"}), "params.tiers"
        )
        r.period(data.get("period"), "params.tiers.period", r.line_of(data, "period", line))
        when = r.mapping(data.get("when"), "params.tiers.when", data.line)
        if when is None:
            continue
        r.unknown_keys(
            when, frozenset({"case_flags", "subject_flags", "start_attrs"}), "params.tiers.when"
        )
        _flags(when, "case_flags", ceif.CASE_FLAGS, r)
        _flags(when, "subject_flags", ceif.SUBJECT_FLAGS, r)
        if "start_attrs" in when and starts_at is not None:
            r.attr_values(
                starts_at.kind,
                when["start_attrs"],
                "params.tiers.when.start_attrs",
                when.lines["start_attrs"],
                full=False,
            )
    rule = params.get("due_rule")
    if rule is not None:
        data = r.mapping(rule, "params.due_rule", line)
        if data is not None:
            r.unknown_keys(
                data, frozenset({"days_before_expiry", "description"}), "params.due_rule"
            )
            days = data.get("days_before_expiry")
            if days is not None and (
                not isinstance(days, int) or isinstance(days, bool) or days < 1
            ):
                r.error(data.line, "params.due_rule.days_before_expiry：应为正整数")
    findings = params.get("findings")
    if findings is not None and (
        not isinstance(findings, list)
        or any(f not in {"due_soon", "overdue", "late"} for f in findings)
    ):
        r.error(
            line, "params.findings：应为 due_soon、overdue、late 的子集（可选职责只报部分状态）"
        )
    restart = params.get("restarted_by")
    if restart is not None:
        data = r.mapping(restart, "params.restarted_by", line)
        if data is not None:
            r.unknown_keys(data, frozenset({"event", "date_attr"}), "params.restarted_by")
            kind = r.event_kind(data.get("event"), "params.restarted_by.event", data.line)
            attr = data.get("date_attr")
            if kind in ceif.EVENT_KINDS and attr not in ceif.EVENT_KINDS[kind].attrs:
                r.error(data.line, f"params.restarted_by.date_attr：事件 {kind} 没有属性 {attr!r}")
    officers = params.get("min_officers")
    if officers is not None and (not isinstance(officers, int) or officers < 1):
        r.error(line, "params.min_officers：应为正整数")


def _check_timed(
    top: LineDict,
    r: _Reader,
    kind: PointKind,
    starts_at: EventMatch | None,
    met_by: tuple[EventMatch, ...],
    period: Period | None,
    holiday_shift: bool | None,
    lead_time: Period | None,
    escalation: tuple[Escalation, ...],
) -> None:
    where = f"kind={kind.value}"
    for key in ("starts_at", "period", "lead_time", "holiday_shift", "escalation"):
        if key not in top:
            r.error(top.line, f"{where}：缺少字段 {key}")
    if kind is PointKind.DEADLINE and "met_by" not in top:
        r.error(top.line, f"{where}：缺少字段 met_by（哪些事件视为已办）")
    if period and holiday_shift and period.unit in (Unit.HOURS, Unit.WORKING_DAYS):
        r.error(
            top.lines["holiday_shift"],
            f"holiday_shift：{period.unit.label}期间没有“最后一日”，不适用节假日顺延（C2）",
        )
    if period and lead_time and period.unit is Unit.HOURS and lead_time.unit is not Unit.HOURS:
        r.error(top.lines["lead_time"], "lead_time：小时期间的提前量应以小时计")
    del starts_at, met_by, escalation


def _read_basis(top: LineDict, r: _Reader) -> tuple[Basis, ...]:
    value = top.get("basis")
    if value is None:
        return ()
    if not isinstance(value, list):
        r.error(top.lines["basis"], "basis：应为列表")
        return ()
    result = []
    for item in value:
        data = r.mapping(item, "basis 条目", top.lines["basis"])
        if data is None:
            continue
        r.unknown_keys(data, frozenset({"source", "file", "article", "quote"}), "basis")
        fields = [r.text(data, key, "basis") for key in ("source", "file", "article", "quote")]
        if all(fields):
            source, file, article, quote = (str(f) for f in fields)
            result.append(Basis(source, file, article, quote, data.lines["quote"]))
    return tuple(result)


def _read_in_force(top: LineDict, r: _Reader) -> InForce | None:
    if "in_force" not in top:
        r.error(top.line, "控制点：缺少字段 in_force")
        return None
    data = r.mapping(top["in_force"], "in_force", top.lines["in_force"])
    if data is None:
        return None
    r.unknown_keys(data, frozenset({"from", "to"}), "in_force")
    if "from" not in data:
        r.error(data.line, "in_force：缺少字段 from")
        return None
    start = r.day(data["from"], "in_force.from", data.lines["from"])
    end = r.day(data["to"], "in_force.to", data.lines["to"]) if "to" in data else None
    if start is None or ("to" in data and end is None):
        return None
    if end is not None and end < start:
        r.error(data.lines["to"], "in_force：to 早于 from")
        return None
    return InForce(start, end)


def _read_extensions(top: LineDict, r: _Reader, period: Period | None) -> tuple[ExtensionRule, ...]:
    if "extended_by" not in top:
        return ()
    value = top["extended_by"]
    items = value if isinstance(value, list) else [value]
    result = []
    for item in items:
        data = r.mapping(item, "extended_by", top.lines["extended_by"])
        if data is None:
            continue
        r.unknown_keys(data, frozenset({"event", "attr", "mode", "unit", "period"}), "extended_by")
        event = r.event_kind(data.get("event"), "extended_by.event", r.line_of(data, "event"))
        attr = r.text(data, "attr", "extended_by")
        if (
            event
            and attr
            and event in ceif.EVENT_KINDS
            and attr not in ceif.EVENT_KINDS[event].attrs
        ):
            r.error(data.lines["attr"], f"extended_by.attr：事件 {event} 没有属性 {attr!r}")
        if "period" in data:
            fixed = r.period(data["period"], "extended_by.period", data.lines["period"])
            if fixed and period and fixed.unit.counted_as is not period.unit.counted_as:
                r.error(data.lines["period"], "extended_by.period：单位须与 period 相同")
            if event and attr and fixed:
                result.append(ExtensionRule(event, attr, ExtensionMode.TO, period=fixed))
            continue
        mode = r.enum(data, "mode", ExtensionMode, "extended_by")
        unit = r.enum(data, "unit", Unit, "extended_by")
        if unit and period and unit.counted_as is not period.unit.counted_as:
            r.error(data.lines["unit"], "extended_by.unit：单位须与 period 相同")
        if event and attr and mode and unit:
            result.append(ExtensionRule(event, attr, mode, unit=unit))
    return tuple(result)


def _read_escalation(top: LineDict, r: _Reader) -> tuple[Escalation, ...]:
    if "escalation" not in top:
        return ()
    value = top["escalation"]
    if not isinstance(value, list) or not value:
        r.error(top.lines["escalation"], "escalation：应为非空列表")
        return ()
    result = []
    for item in value:
        data = r.mapping(item, "escalation 条目", top.lines["escalation"])
        if data is None:
            continue
        r.unknown_keys(data, frozenset({"after", "to"}), "escalation")
        role = r.enum(data, "to", Role, "escalation")
        after = r.period(data.get("after"), "escalation.after", r.line_of(data, "after"))
        if role and after:
            result.append(Escalation(after, role))
    return tuple(result)


def _read_applies(top: LineDict, r: _Reader, starts_at: EventMatch | None) -> Applicability:
    if "applies_to" not in top:
        return Applicability()
    data = r.mapping(top["applies_to"], "applies_to", top.lines["applies_to"])
    if data is None:
        return Applicability()
    r.unknown_keys(data, _APPLIES_KEYS, "applies_to")
    case_kind = data.get("case_kind")
    if case_kind is not None and case_kind not in ceif.CASE_KINDS:
        r.error(data.lines["case_kind"], f"applies_to.case_kind：未知案件类别 {case_kind!r}")
    public_order = r.boolean(data, "public_order", "applies_to")
    case_flags = _flags(data, "case_flags", ceif.CASE_FLAGS, r)
    subject_flags = _flags(data, "subject_flags", ceif.SUBJECT_FLAGS, r)
    start_attrs = data.get("start_attrs", {})
    if "start_attrs" in data:
        if starts_at is None:
            r.error(data.lines["start_attrs"], "applies_to.start_attrs：需要 starts_at")
        else:
            r.attr_values(
                starts_at.kind,
                start_attrs,
                "applies_to.start_attrs",
                data.lines["start_attrs"],
                full=False,
            )
    minimums = data.get("start_attrs_min", {})
    if "start_attrs_min" in data:
        minimums = _read_minimums(data, starts_at, r)
    return Applicability(
        case_kind=case_kind,
        public_order=public_order,
        case_flags=case_flags,
        subject_flags=subject_flags,
        start_attrs=dict(start_attrs) if isinstance(start_attrs, Mapping) else {},
        start_attrs_min=minimums,
    )


def _read_minimums(data: LineDict, starts_at: EventMatch | None, r: _Reader) -> dict[str, Any]:
    line = data.lines["start_attrs_min"]
    value = data["start_attrs_min"]
    if starts_at is None or not isinstance(value, Mapping):
        r.error(line, "applies_to.start_attrs_min：需要 starts_at，且应为 {属性: 下限} 映射")
        return {}
    spec = ceif.EVENT_KINDS.get(starts_at.kind)
    for name, bound in value.items():
        numeric = spec is None or (
            name in spec.attrs and spec.attrs[name].type in ("int", "number")
        )
        if not numeric or isinstance(bound, bool) or not isinstance(bound, int | float):
            r.error(
                line,
                f"applies_to.start_attrs_min：{name!r} 须为 {starts_at.kind} 的数值属性，下限为数字",
            )
    return dict(value)


def _flags(data: LineDict, key: str, known: Mapping[str, str], r: _Reader) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list):
        r.error(r.line_of(data, key), f"{key}：应为列表")
        return ()
    for flag in value:
        if flag not in known:
            r.error(r.line_of(data, key), f"{key}：未知标记 {flag!r}（可用：{'、'.join(known)}）")
    return tuple(value)


# --- example files ----------------------------------------------------------------------------


def _read_examples(path: Path, data: Any, r: _Reader) -> tuple[Example, ...]:
    if not isinstance(data, list) or not data:
        r.error(1, "示例文件：应为非空列表")
        return ()
    result = []
    for item in data:
        example = _read_example(item, r)
        if example:
            result.append(example)
    return tuple(result)


def _read_example(item: Any, r: _Reader) -> Example | None:
    data = r.mapping(item, "示例", 1)
    if data is None:
        return None
    before = len(r.errors)
    r.unknown_keys(data, _EXAMPLE_KEYS, "示例")
    name = r.text(data, "name", "示例")
    where = f"示例「{name}」" if name else "示例"
    as_of = r.instant(data.get("as_of"), f"{where}.as_of", r.line_of(data, "as_of"))
    case = _read_case(data, r, where)
    subjects = _read_list(data, "subjects", r, where, _read_subject)
    persons = _read_list(data, "persons", r, where, _read_person)
    units = _read_list(data, "units", r, where, _read_unit)
    events = _read_list(data, "events", r, where, _read_event, required=True)
    expect = _read_list(data, "expect", r, where, _read_expectation, required=True)
    subject_ids = {s["id"] for s in subjects if "id" in s} | {
        e["subject"] for e in events if e.get("subject")
    }
    for exp in expect:
        if exp.subject is not None and exp.subject not in subject_ids:
            r.error(data.line, f"{where}.expect：对象 {exp.subject!r} 在示例中没有出现")
    if len(r.errors) > before or name is None or as_of is None:
        return None
    return Example(
        name,
        as_of,
        tuple(events),
        tuple(expect),
        case,
        tuple(subjects),
        tuple(persons),
        tuple(units),
        data.line,
    )


def _read_list(
    data: LineDict,
    key: str,
    r: _Reader,
    where: str,
    read: Callable[[Any, _Reader, str, int], Any],
    *,
    required: bool = False,
) -> list[Any]:
    if key not in data:
        if required:
            r.error(data.line, f"{where}：缺少字段 {key}")
        return []
    value = data[key]
    if not isinstance(value, list):
        r.error(data.lines[key], f"{where}.{key}：应为列表")
        return []
    items = [
        read(item, r, f"{where}.{key}", r.line_of(item, None, data.lines[key])) for item in value
    ]
    return [item for item in items if item is not None]


def _read_case(data: LineDict, r: _Reader, where: str) -> dict[str, Any]:
    if "case" not in data:
        return {}
    case = r.mapping(data["case"], f"{where}.case", data.lines["case"])
    if case is None:
        return {}
    r.unknown_keys(case, _CASE_KEYS, f"{where}.case")
    if "kind" in case and case["kind"] not in ceif.CASE_KINDS:
        r.error(case.lines["kind"], f"{where}.case.kind：未知案件类别 {case['kind']!r}")
    _flags(case, "flags", ceif.CASE_FLAGS, r)
    for key in ("act_date", "act_end_date"):
        if key in case:
            r.day(case[key], f"{where}.case.{key}", case.lines[key])
    return dict(case)


def _read_subject(item: Any, r: _Reader, where: str, line: int) -> dict[str, Any] | None:
    data = r.mapping(item, where, line)
    if data is None:
        return None
    r.unknown_keys(data, _SUBJECT_KEYS, where)
    r.text(data, "id", where)
    _flags(data, "flags", ceif.SUBJECT_FLAGS, r)
    if "birth_date" in data:
        r.day(data["birth_date"], f"{where}.birth_date", data.lines["birth_date"])
    return dict(data)


def _read_person(item: Any, r: _Reader, where: str, line: int) -> dict[str, Any] | None:
    data = r.mapping(item, where, line)
    if data is None:
        return None
    r.unknown_keys(data, frozenset({"id", "roles"}), where)
    r.text(data, "id", where)
    roles = data.get("roles", [])
    if not isinstance(roles, list) or any(role not in ceif.PERSON_ROLES for role in roles):
        r.error(
            r.line_of(data, "roles"),
            f"{where}.roles：未知角色（可用：{'、'.join(ceif.PERSON_ROLES)}）",
        )
    return dict(data)


def _read_unit(item: Any, r: _Reader, where: str, line: int) -> dict[str, Any] | None:
    data = r.mapping(item, where, line)
    if data is None:
        return None
    r.unknown_keys(data, frozenset({"id", "kind"}), where)
    r.text(data, "id", where)
    if data.get("kind") not in ceif.UNIT_KINDS:
        r.error(r.line_of(data, "kind"), f"{where}.kind：未知单位类别 {data.get('kind')!r}")
    return dict(data)


def _read_event(item: Any, r: _Reader, where: str, line: int) -> dict[str, Any] | None:
    data = r.mapping(item, where, line)
    if data is None:
        return None
    r.unknown_keys(data, _EVENT_KEYS, where)
    kind = r.event_kind(data.get("kind"), f"{where}.kind", r.line_of(data, "kind"))
    r.instant(data.get("at"), f"{where}.at", r.line_of(data, "at"))
    if "end" in data:
        end = r.instant(data["end"], f"{where}.end", data.lines["end"])
        if end and isinstance(data.get("at"), datetime) and end < data["at"]:
            r.error(data.lines["end"], f"{where}.end：早于 at")
    if kind and kind in ceif.EVENT_KINDS:
        spec = ceif.EVENT_KINDS[kind]
        if spec.needs_subject and not data.get("subject"):
            r.error(data.line, f"{where}：事件 {kind} 须写明 subject")
        r.attr_values(kind, data.get("attrs", {}), where, r.line_of(data, "attrs"), full=True)
    officers = data.get("officers", [])
    if not isinstance(officers, list) or not all(isinstance(o, str) for o in officers):
        r.error(r.line_of(data, "officers"), f"{where}.officers：应为人员编号列表")
    return dict(data)


def _read_expectation(item: Any, r: _Reader, where: str, line: int) -> Expectation | None:
    data = r.mapping(item, where, line)
    if data is None:
        return None
    r.unknown_keys(data, frozenset({"subject", "state", "due_at", "at"}), where)
    state = r.enum(data, "state", State, where)
    subject = data.get("subject")
    if subject is not None and not isinstance(subject, str):
        r.error(r.line_of(data, "subject"), f"{where}.subject：应为对象编号或 null")
    due_at = at = None
    if state is State.VIOLATED:
        if "at" not in data:
            r.error(data.line, f"{where}：violated 须给出 at（违规事件的时间）")
        else:
            at = r.instant(data["at"], f"{where}.at", data.lines["at"], shanghai=True)
    elif state is not None:
        if "due_at" not in data:
            r.error(data.line, f"{where}：{state.value} 须给出 due_at")
        else:
            due_at = r.instant(
                data["due_at"], f"{where}.due_at", data.lines["due_at"], shanghai=True
            )
    if state is None or (due_at is None and at is None):
        return None
    return Expectation(subject, state, due_at, at)


# --- the catalogue ----------------------------------------------------------------------------


def read_catalogue(root: Path) -> tuple[Catalogue, list[CatalogError]]:
    """Read every control point under `root` with its examples; return the points that are
    valid and every error found (an empty list means the whole directory is valid)."""
    errors: list[CatalogError] = []
    points: list[ControlPoint] = []
    if not root.is_dir():
        return Catalogue(()), [CatalogError(root, 0, "目录不存在")]
    point_paths = sorted(
        p for p in root.rglob(f"*{POINT_SUFFIX}") if not p.name.endswith(EXAMPLES_SUFFIX)
    )
    for path in point_paths:
        reader = _Reader(path)
        data, yaml_errors = read_yaml(path)
        reader.errors.extend(yaml_errors)
        point = _read_point(path, data, reader) if not yaml_errors else None
        examples_path = path.with_name(path.name[: -len(POINT_SUFFIX)] + EXAMPLES_SUFFIX)
        examples: tuple[Example, ...] = ()
        if examples_path.exists():
            ex_reader = _Reader(examples_path)
            ex_data, ex_yaml_errors = read_yaml(examples_path)
            ex_reader.errors.extend(ex_yaml_errors)
            if not ex_yaml_errors:
                examples = _read_examples(examples_path, ex_data, ex_reader)
            errors.extend(ex_reader.errors)
        errors.extend(reader.errors)
        if point is not None:
            points.append(_with_examples(point, examples))
    for path in sorted(root.rglob(f"*{EXAMPLES_SUFFIX}")):
        partner = path.with_name(path.name[: -len(EXAMPLES_SUFFIX)] + POINT_SUFFIX)
        if not partner.exists():
            errors.append(CatalogError(path, 1, f"示例文件没有对应的控制点文件 {partner.name}"))
    points.sort(key=lambda p: (p.code, p.in_force.valid_from))
    return Catalogue(tuple(points)), sorted(errors)


def _with_examples(point: ControlPoint, examples: tuple[Example, ...]) -> ControlPoint:
    return replace(point, examples=examples)


def load_catalogue(root: Path) -> Catalogue:
    """The catalogue under `root`; raises `CatalogueInvalid` listing every error."""
    catalogue, errors = read_catalogue(root)
    if errors:
        raise CatalogueInvalid(errors)
    return catalogue
