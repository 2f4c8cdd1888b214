"""Stored rows as core records (`fazhi.core.records`): what the patrol and the import's
before-images read. Times come back in China time, as CEIF writes them."""

from __future__ import annotations

from datetime import datetime

from fazhi.apps.cases.models import Alarm, Case, Event, Subject
from fazhi.apps.org.models import Grid, Person, Unit
from fazhi.core import records as r


def _local(value: datetime) -> datetime:
    return value.astimezone(r.CHINA_TZ)


def unit_record(m: Unit) -> r.Unit:
    return r.Unit(id=m.pk, name=m.name, kind=m.kind, parent=m.parent_id, code=m.code)


def person_record(m: Person) -> r.Person:
    return r.Person(
        id=m.pk,
        name=m.name,
        unit=m.unit_id,
        roles=tuple(m.roles),
        sequence=m.sequence,
        qualification=m.qualification,
    )


def grid_record(m: Grid) -> r.Grid:
    officers = tuple(
        t.person_id for t in sorted(m.officers.through.objects.filter(grid=m), key=lambda t: t.pk)
    )
    return r.Grid(
        id=m.pk, name=m.name, level=m.level, unit=m.unit_id, parent=m.parent_id, officers=officers
    )


def alarm_record(m: Alarm) -> r.Alarm:
    return r.Alarm(
        id=m.pk, unit=m.unit_id, at=_local(m.at), nature=m.nature, case=m.case_id, summary=m.summary
    )


def case_record(m: Case) -> r.Case:
    handlers = tuple(
        r.Handler(h.person_id, h.role) for h in sorted(m.handlers.all(), key=lambda h: h.position)
    )
    return r.Case(
        id=m.pk,
        kind=m.kind,
        unit=m.unit_id,
        opened_at=_local(m.opened_at),
        category=m.category,
        title=m.title,
        handlers=handlers,
        flags=tuple(m.flags),
        act_date=m.act_date,
        act_end_date=m.act_end_date,
    )


def subject_record(m: Subject) -> r.Subject:
    return r.Subject(
        id=m.pk,
        case=m.case_id,
        name=m.name,
        birth_date=m.birth_date,
        gender=m.gender,
        id_number=m.id_number,
        flags=tuple(m.flags),
    )


def event_record(m: Event) -> r.Event:
    return r.Event(
        id=m.pk,
        case=m.case_id,
        kind=m.kind,
        at=_local(m.at),
        end=_local(m.end) if m.end else None,
        subject=m.subject_id,
        officers=tuple(m.officers),
        attrs=m.attrs,
    )
