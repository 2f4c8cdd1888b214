"""Reads of stored cases as core records, for the patrol and other core computations."""

from __future__ import annotations

from collections.abc import Iterator

from fazhi.apps.cases.models import Alarm, Case, Event, Subject
from fazhi.apps.org.models import Person, Unit
from fazhi.apps.records import (
    alarm_record,
    case_record,
    event_record,
    person_record,
    subject_record,
    unit_record,
)
from fazhi.core.records import Record

_CHUNK = 5000


def stored_records() -> Iterator[Record]:
    """Every stored record the patrol reads, streamed in chunks (grids are not needed)."""
    yield from (unit_record(m) for m in Unit.objects.iterator(chunk_size=_CHUNK))
    yield from (person_record(m) for m in Person.objects.iterator(chunk_size=_CHUNK))
    cases = Case.objects.prefetch_related("handlers").iterator(chunk_size=_CHUNK)
    yield from (case_record(m) for m in cases)
    yield from (alarm_record(m) for m in Alarm.objects.iterator(chunk_size=_CHUNK))
    yield from (subject_record(m) for m in Subject.objects.iterator(chunk_size=_CHUNK))
    yield from (event_record(m) for m in Event.objects.iterator(chunk_size=_CHUNK))
