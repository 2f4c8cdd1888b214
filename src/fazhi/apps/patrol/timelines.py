"""Cases as the patrol core sees them (`core.patrol.Timeline`), read from the store.

One query per record type for a whole chunk of cases. These reads are plain SQL on purpose:
re-evaluating one case after an event is a hot path (goal ≤ 2 ms), and compiling a Django
query costs more than SQLite takes to run it. `Rows` turns each backend's values (SQLite
hands back text for times and JSON) into the core's types.

Cross-case overlap rules need the other cases' events of the same officers on the same days;
`OverlapSource` finds them, either by a bounded window query per case (a few cases) or from
all such events loaded once (many cases, a rebuild). Both hand the core the same events, so
both derive the same duties.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType
from typing import Any

import orjson
from django.db import connection

from fazhi.apps.cases.models import Alarm, Case, CaseHandler, Event, Subject
from fazhi.apps.org.models import Person, Unit
from fazhi.core.legaltime import SHANGHAI
from fazhi.core.patrol import Timeline, others_of
from fazhi.core.records import Alarm as AlarmRecord
from fazhi.core.records import Case as CaseRecord
from fazhi.core.records import Event as EventRecord
from fazhi.core.records import Handler
from fazhi.core.records import Person as PersonRecord
from fazhi.core.records import Subject as SubjectRecord
from fazhi.core.records import Unit as UnitRecord
from fazhi.core.rules.forbidden_overlap import officer_buckets

# An overlap event (a questioning, a hearing) lasts well under this; other cases' events
# are looked for this far around the case's own, then matched exactly by (officer, day).
_OVERLAP_REACH = timedelta(days=3)

_FACT_CHARS = 64

# China has kept UTC+8 without daylight saving since 1992 (naive UTC, as SQLite stores it).
_FIXED_OFFSET_SINCE = datetime(1992, 1, 1)
_CHINA_OFFSET = timedelta(hours=8)

Buckets = Mapping[tuple[str, date], list[EventRecord]]


class Rows:
    """Plain SQL on the current connection, with values converted to the core's types."""

    def __init__(self) -> None:
        self.sqlite = connection.vendor == "sqlite"

    def fetch(self, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """Rows a batch at a time: a case with tens of thousands of events must not sit in
        memory twice, once as raw rows and once as records."""
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(2000):
                yield from batch

    def when(self, value: Any) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:  # SQLite keeps naive UTC
            if value >= _FIXED_OFFSET_SINCE:  # millions of these per rebuild: skip the zone rules
                return (value + _CHINA_OFFSET).replace(tzinfo=SHANGHAI)
            value = value.replace(tzinfo=UTC)
        # in the core's own zone object: its arithmetic then takes no conversions
        return value.astimezone(SHANGHAI)

    @staticmethod
    def day(value: Any) -> date | None:
        return date.fromisoformat(value) if isinstance(value, str) else value

    @staticmethod
    def data(value: Any) -> Any:
        return orjson.loads(value) if isinstance(value, str) else value

    @classmethod
    def facts(cls, value: Any) -> dict[str, Any] | None:
        """An event's attributes as the rules read them: facts (flags, numbers, codes, ids),
        never prose. A long text (a note, a summary) keeps only its start, which is all a
        rule can test of it (that it is there)."""
        attrs = cls.data(value)
        if not attrs:
            return attrs
        return {
            k: v[:_FACT_CHARS] if isinstance(v, str) and len(v) > _FACT_CHARS else v
            for k, v in attrs.items()
        }

    def param(self, value: datetime) -> Any:
        return connection.ops.adapt_datetimefield_value(value)


def _marks(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


# On SQLite the times are read as text: Django's converter for the column type parses each
# with a regular expression, and a rebuild reads millions (`Rows.when` parses them itself).
_EVENT_SQL = {
    True: 'SELECT id, case_id, kind, CAST("at" AS TEXT), CAST("end" AS TEXT), subject_id, '
    f"officers, attrs FROM {Event._meta.db_table} ",
    False: 'SELECT id, case_id, kind, "at", "end", subject_id, officers, attrs '
    f"FROM {Event._meta.db_table} ",
}


def _events(rows: Rows, where: str, params: Sequence[Any], as_of: datetime) -> list[EventRecord]:
    """Core events as known at `as_of` (an end recorded after it is not yet known)."""
    out = []
    for id_, case, kind, at, end, subject, officers, attrs in rows.fetch(
        _EVENT_SQL[rows.sqlite] + where, params
    ):
        at, end = rows.when(at), rows.when(end)
        if at > as_of:  # type: ignore[operator]
            continue
        out.append(
            EventRecord(
                id=id_,
                case=case,
                kind=kind,
                at=at,  # type: ignore[arg-type]
                subject=subject,
                end=end if end is not None and end <= as_of else None,
                officers=tuple(rows.data(officers) or ()),
                attrs=rows.facts(attrs),
            )
        )
    return out


class OverlapSource:
    """Other cases' events of the overlap kinds, for `Timeline.others`."""

    def __init__(self, kinds: frozenset[str], as_of: datetime, preload: bool = False) -> None:
        self.kinds, self.as_of = sorted(kinds), as_of
        self.kind_set = frozenset(kinds)
        self._all: Buckets | None = None
        if preload and kinds:
            rows = Rows()
            events = _events(rows, f"WHERE kind IN ({_marks(self.kinds)})", self.kinds, as_of)
            self._all = officer_buckets(events, as_of)

    def buckets(self, own: Sequence[EventRecord]) -> Buckets:
        """(officer, day) buckets covering the case's own overlap events."""
        mine = [e for e in own if e.kind in self.kind_set]
        if not mine:
            return {}
        if self._all is not None:
            return self._all
        rows = Rows()
        first = min(e.at for e in mine) - _OVERLAP_REACH
        last = max(e.end or e.at for e in mine) + _OVERLAP_REACH
        where = f'WHERE kind IN ({_marks(self.kinds)}) AND "at" >= %s AND "at" <= %s'
        params = [*self.kinds, rows.param(first), rows.param(last)]
        return officer_buckets(_events(rows, where, params, self.as_of), self.as_of)


def load_timelines(
    case_ids: Iterable[str],
    as_of: datetime,
    overlap: OverlapSource,
    units: dict[str, UnitRecord] | None = None,
) -> list[Timeline]:
    """The timelines of `case_ids` as of `as_of`, in id order (missing ids are skipped)."""
    ids = sorted(set(case_ids))
    if not ids:
        return []
    rows = Rows()
    cases = case_records(ids, rows)
    subjects = _subjects(ids, rows)
    events: dict[str, list[EventRecord]] = defaultdict(list)
    where = f'WHERE case_id IN ({_marks(ids)}) AND "at" <= %s ORDER BY "at", id'
    for record in _events(rows, where, [*ids, rows.param(as_of)], as_of):
        events[record.case].append(record)
    alarms = _alarms(ids, rows, as_of)
    person_ids = {h.person for c in cases for h in c.handlers}
    person_ids.update(o for evs in events.values() for e in evs for o in e.officers)
    persons = MappingProxyType(_persons(sorted(person_ids), rows))
    if units is None:  # only the units a rule may look up: the case's, a deciding organ's
        wanted = {c.unit for c in cases}
        wanted.update(
            a["decided_by"]
            for evs in events.values()
            for e in evs
            if (a := e.attrs) and isinstance(a.get("decided_by"), str)
        )
        units = unit_records(sorted(wanted), rows)
    shared_units = MappingProxyType(units)
    timelines = []
    for case in cases:
        if case.opened_at > as_of:
            continue
        own = events.get(case.id, [])
        buckets = overlap.buckets(own)
        timelines.append(
            Timeline(
                case=case,
                subjects=subjects.get(case.id, {}),
                events=tuple(own),
                persons=persons,
                units=shared_units,
                alarms=tuple(alarms.get(case.id, ())),
                others=others_of(case.id, own, buckets, overlap.kind_set, as_of),
            )
        )
    return timelines


def case_records(ids: Sequence[str], rows: Rows) -> list[CaseRecord]:
    """The cases with their handlers, in id order."""
    handlers: dict[str, list[Handler]] = defaultdict(list)
    for case, person, role in rows.fetch(
        f"SELECT case_id, person_id, role FROM {CaseHandler._meta.db_table} "
        f"WHERE case_id IN ({_marks(ids)}) ORDER BY case_id, position",
        ids,
    ):
        handlers[case].append(Handler(person, role))
    found = rows.fetch(
        "SELECT id, kind, unit_id, opened_at, category, flags, act_date, act_end_date "
        f"FROM {Case._meta.db_table} WHERE id IN ({_marks(ids)}) ORDER BY id",
        ids,
    )
    return [
        CaseRecord(
            id=id_,
            kind=kind,
            unit=unit,
            opened_at=rows.when(opened),  # type: ignore[arg-type]
            category=category,
            handlers=tuple(handlers.get(id_, ())),
            flags=tuple(rows.data(flags) or ()),
            act_date=rows.day(act),
            act_end_date=rows.day(act_end),
        )
        for id_, kind, unit, opened, category, flags, act, act_end in found
    ]


def _subjects(ids: Sequence[str], rows: Rows) -> dict[str, dict[str, SubjectRecord]]:
    """What the rules read of a subject: age and flags (no names or ID numbers)."""
    out: dict[str, dict[str, SubjectRecord]] = defaultdict(dict)
    for id_, case, birth, flags in rows.fetch(
        f"SELECT id, case_id, birth_date, flags FROM {Subject._meta.db_table} "
        f"WHERE case_id IN ({_marks(ids)})",
        ids,
    ):
        out[case][id_] = SubjectRecord(
            id=id_, case=case, birth_date=rows.day(birth), flags=tuple(rows.data(flags) or ())
        )
    return out


def _alarms(ids: Sequence[str], rows: Rows, as_of: datetime) -> dict[str, list[AlarmRecord]]:
    out: dict[str, list[AlarmRecord]] = defaultdict(list)
    for id_, unit, at, nature, case in rows.fetch(
        f'SELECT id, unit_id, "at", nature, case_id FROM {Alarm._meta.db_table} '
        f'WHERE case_id IN ({_marks(ids)}) AND "at" <= %s ORDER BY "at", id',
        [*ids, rows.param(as_of)],
    ):
        out[case].append(AlarmRecord(id_, unit, rows.when(at), nature, case))  # type: ignore[arg-type]
    return out


def _persons(ids: Sequence[str], rows: Rows) -> dict[str, PersonRecord]:
    if not ids:
        return {}
    return {
        id_: PersonRecord(id_, name, unit, tuple(rows.data(roles) or ()), sequence, qualification)
        for id_, name, unit, roles, sequence, qualification in rows.fetch(
            "SELECT id, name, unit_id, roles, sequence, qualification "
            f"FROM {Person._meta.db_table} WHERE id IN ({_marks(ids)})",
            ids,
        )
    }


def unit_records(ids: Sequence[str] | None, rows: Rows) -> dict[str, UnitRecord]:
    """The units named (all of them when `ids` is None)."""
    sql = f"SELECT id, name, kind, parent_id, code FROM {Unit._meta.db_table}"
    if ids is not None:
        if not ids:
            return {}
        sql += f" WHERE id IN ({_marks(ids)})"
    return {row[0]: UnitRecord(*row) for row in rows.fetch(sql, ids or [])}


def all_units() -> dict[str, UnitRecord]:
    return unit_records(None, Rows())
