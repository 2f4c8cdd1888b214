"""Field-level validation of one CEIF record: raw values in, a typed record or problems out.

Cross-record checks (references, duplicates, cycles) need the whole batch and live in
`fazhi.ingest.batch`. Every problem names the field and says why in Chinese.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fazhi.core import ceif
from fazhi.core.records import (
    CHINA_TZ,
    RECORD_CLASSES,
    Handler,
    Record,
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a record (or a whole file) was refused."""

    file: str
    line: int | None
    type: str | None
    id: str | None
    field: str | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "type": self.type,
            "id": self.id,
            "field": self.field,
            "reason": self.reason,
        }

    def __str__(self) -> str:
        where = f"{self.file} 第{self.line}行" if self.line else self.file
        what = ".".join(p for p in (self.type, self.field) if p)
        ident = f"（id={self.id}）" if self.id else ""
        return f"{where} {what}{ident}：{self.reason}"


class FieldError(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


_TIME_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ID_NUMBER_RE = re.compile(r"^(\d{17}[\dXx]|\d{15})$")
_MAX_ID_LENGTH = 64


def parse_time(value: Any, field: str) -> datetime:
    """ISO 8601 with offset; without one it is Beijing time (CEIF)."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and _TIME_RE.match(value.strip()):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise FieldError(field, f"时间“{value}”不存在（月、日、时、分或秒超出范围）") from None
    else:
        raise FieldError(field, f"时间格式无效：“{value}”，应为 2026-03-01T10:00:00+08:00")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=CHINA_TZ)
    return parsed.astimezone(CHINA_TZ)


def parse_date(value: Any, field: str) -> date:
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE_RE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise FieldError(field, f"日期“{value}”不存在") from None
    raise FieldError(field, f"日期格式无效：“{value}”，应为 YYYY-MM-DD")


def parse_text(value: Any, field: str) -> str:
    if type(value) is str:  # the common case, first
        text = value.strip()
        if text:
            return text
        raise FieldError(field, "不能为空")
    if isinstance(value, bool) or value is None:
        raise FieldError(field, "应为文本")
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel turns 1001 into 1001.0
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        raise FieldError(field, "应为文本")
    text = value.strip()
    if not text:
        raise FieldError(field, "不能为空")
    return text


def parse_id(value: Any, field: str) -> str:
    text = parse_text(value, field)
    if len(text) > _MAX_ID_LENGTH:
        raise FieldError(field, f"编号过长（最多{_MAX_ID_LENGTH}个字符）")
    return text


def parse_int(value: Any, field: str) -> int:
    if isinstance(value, bool):
        raise FieldError(field, "应为整数")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value.strip())
    raise FieldError(field, f"应为整数，实际为“{value}”")


def parse_enum(value: Any, field: str, choices: Mapping[str, str]) -> str:
    text = parse_text(value, field)
    if text not in choices:
        allowed = "、".join(f"{k}（{v}）" for k, v in choices.items())
        raise FieldError(field, f"取值“{text}”无效，可选：{allowed}")
    return text


def parse_json_cell(value: Any, field: str) -> Any:
    """List and object fields arrive as JSON text in CSV and XLSX cells."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise FieldError(field, f"不是有效的 JSON：“{value[:40]}”") from None
    return value


def parse_list(value: Any, field: str, item: Callable[[Any, str], Any]) -> tuple[Any, ...]:
    value = parse_json_cell(value, field)
    if not isinstance(value, list):
        raise FieldError(field, '应为列表，例如 ["a", "b"]')
    return tuple(item(v, f"{field}[{i}]") for i, v in enumerate(value))


def _enum_item(choices: Mapping[str, str]) -> Callable[[Any, str], str]:
    return lambda v, f: parse_enum(v, f, choices)


def parse_handler(value: Any, field: str) -> Handler:
    if not isinstance(value, dict):
        raise FieldError(field, '应为 {"person": 人员编号, "role": "lead" 或 "assist"}')
    unknown = set(value) - {"person", "role"}
    if unknown:
        raise FieldError(field, f"未知字段：{'、'.join(sorted(unknown))}")
    if "person" not in value:
        raise FieldError(f"{field}.person", "缺少必填字段")
    if "role" not in value:
        raise FieldError(f"{field}.role", "缺少必填字段")
    return Handler(
        person=parse_id(value["person"], f"{field}.person"),
        role=parse_enum(value["role"], f"{field}.role", ceif.HANDLER_ROLES),
    )


def _bool(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    raise FieldError(field, f"应为 true 或 false，实际为“{value}”")


def parse_attr(value: Any, field: str, spec: ceif.AttrSpec) -> Any:
    if spec.type == "bool":
        return _bool(value, field)
    if spec.type == "date":
        return parse_date(value, field).isoformat()
    if spec.type in {"str", "unit"}:
        return parse_text(value, field)
    if spec.type == "enum":
        if value not in spec.choices:
            allowed = "、".join(str(c) for c in spec.choices)
            raise FieldError(field, f"取值“{value}”无效，可选：{allowed}")
        return value
    number = parse_int(value, field) if spec.type == "int" else _number(value, field)
    if spec.minimum is not None and number < spec.minimum:
        raise FieldError(field, f"不能小于 {spec.minimum}")
    if spec.maximum is not None and number > spec.maximum:
        raise FieldError(field, f"不能大于 {spec.maximum}")
    return number


def _number(value: Any, field: str) -> int | float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    raise FieldError(field, f"应为数字，实际为“{value}”")


def parse_attrs(value: Any, kind: str) -> dict[str, Any] | None:
    value = parse_json_cell(value, "attrs")
    if not isinstance(value, dict):
        raise FieldError("attrs", '应为对象，例如 {"recorded": true}')
    spec = ceif.EVENT_KINDS.get(kind)
    if spec is None:  # an x_ extension kind: attributes are the bureau's own
        return value or None
    out = dict(value)  # unknown attributes are allowed extensions and kept as they are
    for name, attr in spec.attrs.items():
        if name in value and value[name] is not None:
            out[name] = parse_attr(value[name], f"attrs.{name}", attr)
    return out or None


def parse_event_kind(value: Any, field: str) -> str:
    kind = parse_text(value, field)
    if kind not in ceif.EVENT_KINDS and not kind.startswith(ceif.EXTENSION_KIND_PREFIX):
        raise FieldError(field, f"未知的事件类型“{kind}”（扩展类型须以 x_ 开头）")
    return kind


def parse_id_number(value: Any, field: str) -> str:
    text = parse_text(value, field)
    if not _ID_NUMBER_RE.match(text):
        raise FieldError(field, "身份证号码应为18位（末位可为X）或15位数字")
    return text.upper()


def parse_grid_level(value: Any, field: str) -> int:
    level = parse_int(value, field)
    if level not in ceif.GRID_LEVELS:
        raise FieldError(field, "网格层级应为 1 至 4")
    return level


Parser = Callable[[Any, str], Any]
_ID: Parser = parse_id
_TEXT: Parser = parse_text
_TIME: Parser = parse_time
_DATE: Parser = parse_date

# type -> field -> (parser, required)
FIELDS: dict[str, dict[str, tuple[Parser, bool]]] = {
    "unit": {
        "id": (_ID, True),
        "name": (_TEXT, True),
        "kind": (lambda v, f: parse_enum(v, f, ceif.UNIT_KINDS), True),
        "parent": (_ID, False),
        "code": (_TEXT, False),
    },
    "person": {
        "id": (_ID, True),
        "name": (_TEXT, True),
        "unit": (_ID, True),
        "roles": (lambda v, f: parse_list(v, f, _enum_item(ceif.PERSON_ROLES)), False),
        "sequence": (lambda v, f: parse_enum(v, f, ceif.SEQUENCES), False),
        "qualification": (lambda v, f: parse_enum(v, f, ceif.QUALIFICATIONS), False),
    },
    "grid": {
        "id": (_ID, True),
        "name": (_TEXT, True),
        "level": (parse_grid_level, True),
        "unit": (_ID, True),
        "parent": (_ID, False),
        "officers": (lambda v, f: parse_list(v, f, parse_id), False),
    },
    "alarm": {
        "id": (_ID, True),
        "unit": (_ID, True),
        "at": (_TIME, True),
        "nature": (lambda v, f: parse_enum(v, f, ceif.ALARM_NATURES), True),
        "case": (_ID, False),
        "summary": (_TEXT, False),
    },
    "case": {
        "id": (_ID, True),
        "kind": (lambda v, f: parse_enum(v, f, ceif.CASE_KINDS), True),
        "unit": (_ID, True),
        "opened_at": (_TIME, True),
        "category": (_TEXT, False),
        "title": (_TEXT, False),
        "handlers": (lambda v, f: parse_list(v, f, parse_handler), False),
        "flags": (lambda v, f: parse_list(v, f, _enum_item(ceif.CASE_FLAGS)), False),
        "act_date": (_DATE, False),
        "act_end_date": (_DATE, False),
    },
    "subject": {
        "id": (_ID, True),
        "case": (_ID, True),
        "name": (_TEXT, False),
        "birth_date": (_DATE, False),
        "gender": (lambda v, f: parse_enum(v, f, ceif.GENDERS), False),
        "id_number": (parse_id_number, False),
        "flags": (lambda v, f: parse_list(v, f, _enum_item(ceif.SUBJECT_FLAGS)), False),
    },
    "event": {
        "id": (_ID, True),
        "case": (_ID, True),
        "kind": (parse_event_kind, True),
        "at": (_TIME, True),
        "subject": (_ID, False),
        "end": (_TIME, False),
        "officers": (lambda v, f: parse_list(v, f, parse_id), False),
        "attrs": (lambda v, f: v, False),  # checked against the kind below
    },
}


def validate(raw: Mapping[str, Any], file: str, line: int | None) -> Record | list[Problem]:
    """Turn one raw record into a typed record, or list every problem found in it."""
    rtype = raw.get("type")
    rid = raw.get("id")
    ident = str(rid).strip() if isinstance(rid, str | int) and not isinstance(rid, bool) else None
    if rtype is None or rtype == "":
        return [Problem(file, line, None, ident, "type", "缺少记录类型（type）")]
    if not isinstance(rtype, str) or rtype not in FIELDS:
        known = "、".join(FIELDS)
        return [
            Problem(
                file, line, str(rtype), ident, "type", f"未知的记录类型“{rtype}”，可选：{known}"
            )
        ]
    specs = FIELDS[rtype]
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for name in raw:
        if name == "type" or name.startswith("x_"):
            continue  # x_ fields are a source system's own notes; CEIF allows extensions
        if name not in specs:
            problems.append(Problem(file, line, rtype, ident, name, "未知字段，CEIF 中没有此字段"))
    for name, (parse, required) in specs.items():
        value = raw.get(name)
        if value is None or (type(value) is str and not value.strip()):
            if required:
                problems.append(Problem(file, line, rtype, ident, name, "缺少必填字段"))
            continue
        try:
            values[name] = parse(value, name)
        except FieldError as err:
            problems.append(Problem(file, line, rtype, ident, err.field, err.reason))
    if not problems:
        problems.extend(_check_record(rtype, values, file, line, ident))
    if problems:
        return problems
    return RECORD_CLASSES[rtype](**values)


def _check_record(
    rtype: str, values: dict[str, Any], file: str, line: int | None, ident: str | None
) -> list[Problem]:
    """Rules that relate fields of one record to each other."""

    def problem(field: str, reason: str) -> list[Problem]:
        return [Problem(file, line, rtype, ident, field, reason)]

    if rtype == "unit" and values.get("parent") == values["id"]:
        return problem("parent", "上级单位不能是自身")
    if rtype == "grid":
        if values["level"] > 1 and "parent" not in values:
            return problem("parent", "二至四级网格必须指明上级网格")
        if values["level"] == 1 and "parent" in values:
            return problem("parent", "一级网格没有上级网格")
    if rtype == "case":
        leads = [h for h in values.get("handlers", ()) if h.role == "lead"]
        if len(leads) > 1:
            return problem("handlers", "主办民警只能有一名")
        start, end = values.get("act_date"), values.get("act_end_date")
        if start and end and end < start:
            return problem("act_end_date", "行为终了日早于行为发生日")
    if rtype == "event":
        return _check_event(values, problem)
    return []


def _check_event(
    values: dict[str, Any], problem: Callable[[str, str], list[Problem]]
) -> list[Problem]:
    kind = values["kind"]
    if "end" in values and values["end"] < values["at"]:
        return problem("end", "结束时间早于开始时间")
    spec = ceif.EVENT_KINDS.get(kind)
    if spec and spec.needs_subject and "subject" not in values:
        return problem("subject", f"“{spec.name_zh}”是对人的措施，必须指明涉案人员（subject）")
    try:
        attrs = parse_attrs(values.get("attrs", {}), kind)
    except FieldError as err:
        return problem(err.field, err.reason)
    for name, attr in spec.attrs.items() if spec else ():
        if attr.required and (not attrs or attrs.get(name) is None):
            return problem(f"attrs.{name}", f"“{spec.name_zh}”事件必须填写此属性")
    values["attrs"] = attrs
    return []
