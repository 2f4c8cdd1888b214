"""The store hands the patrol core the same timelines as the CEIF file it was imported from."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from tests.support import EXAMPLE

from fazhi.apps.patrol.derive import catalogue
from fazhi.apps.patrol.timelines import OverlapSource, load_timelines
from fazhi.core.legaltime import SHANGHAI
from fazhi.core.patrol import build_timelines, overlap_kinds
from fazhi.core.records import RECORD_TYPES
from fazhi.ingest.batch import Batch, EmptyStore
from fazhi.ingest.load import import_files

pytestmark = pytest.mark.django_db

AS_OF = datetime(2026, 12, 31, 12, 0, tzinfo=SHANGHAI)


def _file_records():
    with Batch(EmptyStore()) as batch:
        batch.add_file(EXAMPLE)
        batch.check()
        return [s.record for t in RECORD_TYPES for chunk in batch.staged(t) for s in chunk]


@pytest.mark.parametrize("preload", [False, True])
def test_stored_timelines_equal_the_files(preload):
    import_files([EXAMPLE], actor="tester", as_of=AS_OF, workers=0)
    cat = catalogue()
    expected = {t.case.id: t for t in build_timelines(_file_records(), AS_OF, cat)}
    overlap = OverlapSource(overlap_kinds(cat), AS_OF, preload=preload)
    stored = {t.case.id: t for t in load_timelines(list(expected), AS_OF, overlap)}
    assert stored.keys() == expected.keys() and len(stored) >= 2
    for case_id, want in expected.items():
        got = stored[case_id]
        assert got.case == replace(want.case, title=None)  # rules never read the title
        assert got.events == want.events
        assert got.alarms == tuple(replace(a, summary=None) for a in want.alarms)
        assert {k: (s.birth_date, s.flags) for k, s in got.subjects.items()} == {
            k: (s.birth_date, s.flags) for k, s in want.subjects.items()
        }
        assert sorted(e.id for e in got.others) == sorted(e.id for e in want.others)
        for event in got.events:
            for officer in event.officers:
                assert got.persons[officer] == want.persons[officer]
        assert got.units[got.case.unit] == want.units[want.case.unit]
