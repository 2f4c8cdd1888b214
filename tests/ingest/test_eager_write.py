"""Records are written while the batch is still being read (`load.EagerWriter`); whatever the
cross-record checks find afterwards, the store and the audit log end up exactly as if every
record had been written after the checks."""

from __future__ import annotations

import json

import pytest
from tests.support import base_records

from fazhi.apps.audit.chain import verify_chain
from fazhi.apps.audit.models import AuditEntry
from fazhi.apps.cases.models import Case, Event, Subject
from fazhi.apps.imports.models import ImportBatch
from fazhi.cli import main
from fazhi.core.records import RECORD_TYPES

pytestmark = pytest.mark.django_db


def run_import(capsys, *paths) -> dict:
    main(["import", *map(str, paths), "--format", "json"])
    return json.loads(capsys.readouterr().out)


def record_entries() -> list[tuple[str, str, str]]:
    """(action, type, id) of the import's audit entries about records, in chain order."""
    return list(
        AuditEntry.objects.filter(actor="import", action__in=["create", "update"])
        .order_by("seq")
        .values_list("action", "object_type", "object_id")
    )


def test_records_arriving_out_of_type_order_are_audited_in_type_order(capsys, write_jsonl):
    records = base_records()
    report = run_import(capsys, write_jsonl(list(reversed(records))))
    assert report == {"new": 8, "updated": 0, "unchanged": 0, "rejected": []}
    in_type_order = sorted(
        reversed(records), key=lambda rec: RECORD_TYPES.index(rec["type"])
    )  # stable: file order within a type
    assert record_entries() == [("create", rec["type"], rec["id"]) for rec in in_type_order]
    assert verify_chain()[1] is None


def test_an_identical_record_twice_in_one_chunk_is_stored_and_audited_once(capsys, write_jsonl):
    records = base_records()
    records.insert(6, dict(records[5]))  # S1 again, identical, on the next line
    report = run_import(capsys, write_jsonl(records))
    assert report == {"new": 8, "updated": 0, "unchanged": 0, "rejected": []}
    assert Subject.objects.filter(pk="S1").count() == 1
    assert record_entries().count(("create", "subject", "S1")) == 1
    assert verify_chain()[1] is None


def test_a_record_the_checks_refuse_leaves_nothing_written_early_behind(capsys, write_jsonl):
    records = base_records()
    # the last record points at a case that exists nowhere: only the checks after reading
    # can tell, by when the records before it were already written
    records.append(
        {
            "type": "event",
            "id": "E9",
            "case": "A404",
            "kind": "intake",
            "at": "2026-03-01T09:00:00+08:00",
        }
    )
    report = run_import(capsys, write_jsonl(records))
    assert (report["new"], [r["id"] for r in report["rejected"]]) == (8, ["E9"])
    assert report["rejected"][0]["field"] == "case"
    assert not Event.objects.filter(pk="E9").exists()
    assert record_entries() == [("create", rec["type"], rec["id"]) for rec in base_records()]
    batch = ImportBatch.objects.get()
    assert (batch.new, batch.rejected, batch.problems[0]["id"]) == (8, 1, "E9")
    assert verify_chain()[1] is None


def test_a_re_import_after_a_refused_batch_compares_with_the_store_before_it(capsys, write_jsonl):
    records = base_records()
    run_import(capsys, write_jsonl(records, "first.jsonl"))
    changed = [*records[:4], {**records[4], "title": "改过的标题"}, *records[5:]]
    changed.append({"type": "subject", "id": "S9", "case": "A404"})
    report = run_import(capsys, write_jsonl(changed, "second.jsonl"))
    assert (report["new"], report["updated"], report["unchanged"]) == (0, 1, 7)
    assert [r["id"] for r in report["rejected"]] == ["S9"]
    assert Case.objects.get(pk="A1").title == "改过的标题"
    update = AuditEntry.objects.get(action="update")
    assert "title" not in json.loads(update.before)
    assert verify_chain()[1] is None
