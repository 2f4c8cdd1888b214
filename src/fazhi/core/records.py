"""Typed CEIF records, the shape the rest of the core reads.

One canonical dict form (`to_ceif`) serves hashing, the audit trail and export, so that "the
same record" means the same thing everywhere: absent optional fields are omitted and times are
written in +08:00 to the second (fractions kept only when present).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta, timezone
from typing import Any, ClassVar

import orjson

CHINA_TZ = timezone(timedelta(hours=8))


@dataclass(frozen=True, slots=True)
class Unit:
    TYPE: ClassVar[str] = "unit"
    id: str
    name: str
    kind: str
    parent: str | None = None
    code: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    TYPE: ClassVar[str] = "person"
    id: str
    name: str
    unit: str
    roles: tuple[str, ...] = ()
    sequence: str | None = None
    qualification: str | None = None

    @property
    def is_auxiliary(self) -> bool:
        return "auxiliary" in self.roles


@dataclass(frozen=True, slots=True)
class Grid:
    """Fazhi extension: a 4-level community grid cell and its community officers."""

    TYPE: ClassVar[str] = "grid"
    id: str
    name: str
    level: int
    unit: str
    parent: str | None = None
    officers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Alarm:
    TYPE: ClassVar[str] = "alarm"
    id: str
    unit: str
    at: datetime
    nature: str
    case: str | None = None
    summary: str | None = None


@dataclass(frozen=True, slots=True)
class Handler:
    person: str
    role: str


@dataclass(frozen=True, slots=True)
class Case:
    TYPE: ClassVar[str] = "case"
    id: str
    kind: str
    unit: str
    opened_at: datetime
    category: str | None = None
    title: str | None = None
    handlers: tuple[Handler, ...] = ()
    flags: tuple[str, ...] = ()
    act_date: date | None = None
    act_end_date: date | None = None


@dataclass(frozen=True, slots=True)
class Subject:
    TYPE: ClassVar[str] = "subject"
    id: str
    case: str
    name: str | None = None
    birth_date: date | None = None
    gender: str | None = None
    id_number: str | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Event:
    TYPE: ClassVar[str] = "event"
    id: str
    case: str
    kind: str
    at: datetime
    subject: str | None = None
    end: datetime | None = None
    officers: tuple[str, ...] = ()
    attrs: dict[str, Any] | None = None


Record = Unit | Person | Grid | Alarm | Case | Subject | Event
RECORD_CLASSES: dict[str, type[Record]] = {
    cls.TYPE: cls for cls in (Unit, Person, Grid, Alarm, Case, Subject, Event)
}
# Order in which a batch is written: referenced types first.
RECORD_TYPES: tuple[str, ...] = ("unit", "person", "grid", "case", "alarm", "subject", "event")
RECORD_TYPE_NAMES_ZH: dict[str, str] = {
    "unit": "单位",
    "person": "人员",
    "grid": "网格",
    "alarm": "警情",
    "case": "案件",
    "subject": "涉案人员",
    "event": "办案事件",
}


def format_time(value: datetime) -> str:
    return value.astimezone(CHINA_TZ).isoformat()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Handler):
        return {"person": value.person, "role": value.role}
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


_FIELD_NAMES: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in fields(cls))
    for cls in (Unit, Person, Grid, Alarm, Case, Subject, Event)
}


def to_ceif(record: Record) -> dict[str, Any]:
    """The canonical CEIF dict of a record: `type` first, absent and empty optionals omitted."""
    out: dict[str, Any] = {"type": record.TYPE}
    for name in _FIELD_NAMES[type(record)]:
        value = getattr(record, name)
        if value is None or value == () or value == {}:
            continue
        out[name] = value if type(value) is str else _plain(value)
    return out


_TIME_FIELDS = frozenset({"at", "end", "opened_at"})
_DATE_FIELDS = frozenset({"act_date", "act_end_date", "birth_date"})
_TUPLE_FIELDS = frozenset({"roles", "officers", "flags"})


def from_ceif(data: dict[str, Any]) -> Record:
    """Rebuild a record from its canonical dict (trusted: it was validated before)."""
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name == "type":
            continue
        if name in _TIME_FIELDS:
            value = datetime.fromisoformat(value)
        elif name in _DATE_FIELDS:
            value = date.fromisoformat(value)
        elif name in _TUPLE_FIELDS:
            value = tuple(value)
        elif name == "handlers":
            value = tuple(Handler(h["person"], h["role"]) for h in value)
        values[name] = value
    return RECORD_CLASSES[data["type"]](**values)


def canonical_json(data: Any) -> str:
    """Compact UTF-8 JSON with sorted keys: the one text of a record that hashes compare."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()


def digest(text: str) -> str:
    """A short stable fingerprint of canonical JSON: equal digests mean an identical record."""
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

