"""`fazhi import`: batch semantics of CEIF.md — all valid records stored, every invalid one
reported with file, line, field and a Chinese reason, idempotent re-import, audited updates."""

from __future__ import annotations

import json

import pytest
from tests.support import EXAMPLE, base_records

from fazhi.apps.audit.models import AuditEntry
from fazhi.apps.cases.models import Case, CaseHandler, Event, Subject
from fazhi.apps.imports.models import ImportBatch
from fazhi.apps.org.models import Unit, UnitClosure
from fazhi.cli import main

pytestmark = pytest.mark.django_db


def run_import(capsys, *paths) -> tuple[int, dict]:
    code = main(["import", *map(str, paths), "--format", "json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def rejected_by_id(report: dict) -> dict[str, dict]:
    return {r["id"]: r for r in report["rejected"]}


def test_the_example_batch_imports_whole_and_again_as_a_no_op(capsys):
    code, report = run_import(capsys, EXAMPLE)
    assert code == 0
    assert report == {"new": 34, "updated": 0, "unchanged": 0, "rejected": []}
    assert Event.objects.filter(case_id="A-2026-0031").count() == 13
    assert list(
        CaseHandler.objects.filter(case_id="A-2026-0031")
        .order_by("position")
        .values_list("person_id", "role")
    ) == [("P-0102", "lead"), ("P-0103", "assist")]
    entries = AuditEntry.objects.count()

    code, report = run_import(capsys, EXAMPLE)
    assert code == 0
    assert report == {"new": 0, "updated": 0, "unchanged": 34, "rejected": []}
    assert AuditEntry.objects.count() == entries + 1  # only the batch's own entry
    assert ImportBatch.objects.count() == 2


def test_a_changed_record_is_updated_and_audited_with_before_and_after(capsys, write_jsonl):
    records = base_records()
    run_import(capsys, write_jsonl(records, "first.jsonl"))
    records[4] = {**records[4], "title": "张某盗窃案"}
    code, report = run_import(capsys, write_jsonl(records, "second.jsonl"))
    assert code == 0
    assert (report["new"], report["updated"], report["unchanged"]) == (0, 1, 7)
    assert Case.objects.get(pk="A1").title == "张某盗窃案"
    entry = AuditEntry.objects.filter(object_type="case", object_id="A1").latest("seq")
    assert entry.action == "update"
    assert "title" not in json.loads(entry.before)
    assert json.loads(entry.after)["title"] == "张某盗窃案"
    assert entry.actor == "import"


def test_a_dangling_reference_is_refused_and_its_neighbours_are_kept(capsys, write_jsonl):
    records = base_records() + [
        {
            "type": "event",
            "id": "E9",
            "case": "NO-SUCH-CASE",
            "kind": "intake",
            "at": "2026-03-02T10:00:00+08:00",
        }
    ]
    code, report = run_import(capsys, write_jsonl(records))
    assert code == 1
    assert report["new"] == 8
    [problem] = report["rejected"]
    assert problem == {
        "file": "batch.jsonl",
        "line": 9,
        "type": "event",
        "id": "E9",
        "field": "case",
        "reason": "引用的案件“NO-SUCH-CASE”不存在（本批次和数据库中都没有）",
    }
    assert not Event.objects.filter(pk="E9").exists()


def test_records_depending_on_an_invalid_record_are_refused_with_the_cause(capsys, write_jsonl):
    records = base_records()
    records[4] = {**records[4], "opened_at": "2026-02-30T09:00:00+08:00"}  # the case is invalid
    code, report = run_import(capsys, write_jsonl(records))
    assert code == 1
    rejected = rejected_by_id(report)
    assert set(rejected) == {"A1", "S1", "E1", "E2"}
    assert "在本批次中无效" in rejected["S1"]["reason"]
    assert Unit.objects.count() == 2 and not Case.objects.exists()


def test_references_resolve_against_the_store_across_batches(capsys, write_jsonl):
    records = base_records()
    run_import(capsys, write_jsonl(records[:6], "people-and-case.jsonl"))
    code, report = run_import(capsys, write_jsonl(records[6:], "events.jsonl"))
    assert code == 0 and report["new"] == 2


def test_references_may_point_forward_in_the_file(capsys, write_jsonl):
    code, report = run_import(capsys, write_jsonl(list(reversed(base_records()))))
    assert code == 0 and report["new"] == 8
    assert set(
        UnitClosure.objects.filter(ancestor_id="U1").values_list("descendant_id", flat=True)
    ) == {"U1", "U2"}


def test_a_duplicate_id_with_different_content_rejects_every_copy(capsys, write_jsonl):
    records = base_records()
    records.append({**records[6], "at": "2026-03-01T09:30:00+08:00"})  # E1 again, different
    records.append(dict(records[5]))  # S1 again, identical: harmless
    code, report = run_import(capsys, write_jsonl(records))
    assert code == 1
    dupes = [r for r in report["rejected"] if r["id"] == "E1"]
    assert [d["line"] for d in dupes] == [7, 9]
    assert all("出现多次且内容不同" in d["reason"] and d["field"] == "id" for d in dupes)
    assert Subject.objects.filter(pk="S1").exists() and not Event.objects.filter(pk="E1").exists()


def test_a_cycle_in_the_unit_tree_is_refused(capsys, write_jsonl):
    records = base_records() + [
        {"type": "unit", "id": "U8", "name": "甲", "kind": "other", "parent": "U9"},
        {"type": "unit", "id": "U9", "name": "乙", "kind": "other", "parent": "U8"},
    ]
    code, report = run_import(capsys, write_jsonl(records))
    assert code == 1
    rejected = rejected_by_id(report)
    assert set(rejected) == {"U8", "U9"}
    assert "循环" in rejected["U8"]["reason"] and rejected["U8"]["field"] == "parent"
    assert report["new"] == 8


def test_a_cycle_through_stored_units_is_refused(capsys, write_jsonl):
    run_import(capsys, write_jsonl(base_records()))
    code, report = run_import(
        capsys,
        write_jsonl(
            [{"type": "unit", "id": "U1", "name": "某市公安局", "kind": "bureau", "parent": "U2"}]
        ),
    )
    assert code == 1 and "U1 → U2 → U1" in report["rejected"][0]["reason"]
    assert Unit.objects.get(pk="U1").parent_id is None


def test_an_events_subject_must_belong_to_the_events_case(capsys, write_jsonl):
    records = base_records() + [
        {
            "type": "case",
            "id": "A2",
            "kind": "criminal",
            "unit": "U2",
            "opened_at": "2026-03-02T09:00:00+08:00",
        },
        {
            "type": "event",
            "id": "E9",
            "case": "A2",
            "kind": "criminal_detention",
            "subject": "S1",
            "at": "2026-03-02T10:00:00+08:00",
        },
    ]
    code, report = run_import(capsys, write_jsonl(records))
    assert code == 1
    [problem] = report["rejected"]
    assert problem["id"] == "E9" and problem["field"] == "subject"
    assert problem["reason"] == "涉案人员“S1”属于案件“A1”，不属于本事件的案件“A2”"


def test_broken_json_lines_are_reported_by_line(capsys, write_jsonl):
    records = base_records()
    code, report = run_import(capsys, write_jsonl(records[:2] + ["{not json", "[1, 2]"]))
    assert code == 1
    assert [(r["line"], r["reason"]) for r in report["rejected"]] == [
        (3, "不是有效的 JSON（第2列）"),
        (4, "每行应为一个 JSON 对象"),
    ]
    assert Unit.objects.count() == 2


def test_text_output_summarises_in_chinese(capsys, write_jsonl):
    code = main(["import", str(write_jsonl(base_records()))])
    out = capsys.readouterr().out
    assert code == 0
    assert "导入完成：新增 8，更新 0，未变 0，拒收 0" in out


def test_parallel_validation_stages_exactly_what_serial_validation_does(tmp_path, write_jsonl):
    from fazhi.ingest.batch import Batch, EmptyStore

    records = base_records() * 3 + [
        {
            "type": "event",
            "id": "BAD",
            "case": "A1",
            "kind": "intake",
            "at": "2026-02-30T10:00:00+08:00",
        }
    ]
    path = write_jsonl(records)

    def staged(workers: int) -> tuple[list, list]:
        with Batch(EmptyStore(), workers=workers) as batch:
            batch.parallel_from_bytes = 0
            batch.add_file(path)
            batch.check()
            rows = [
                (s.id, s.hash)
                for t in ("unit", "person", "case", "subject", "event")
                for chunk in batch.staged(t)
                for s in chunk
            ]
            return rows, [p.as_dict() for p in batch.sorted_problems()]

    serial, parallel = staged(0), staged(2)
    assert serial == parallel
    assert len(serial[0]) == 8 and serial[1][0]["id"] == "BAD"


BAD_RECORDS = {
    "unknown record type": ({"type": "vehicle", "id": "V1"}, "type", "未知的记录类型"),
    "unknown event kind": (
        {
            "type": "event",
            "id": "E9",
            "case": "A1",
            "kind": "teleport",
            "at": "2026-03-02T10:00:00+08:00",
        },
        "kind",
        "未知的事件类型",
    ),
    "missing required field": (
        {"type": "event", "id": "E9", "case": "A1", "kind": "intake"},
        "at",
        "缺少必填字段",
    ),
    "impossible month": (
        {
            "type": "event",
            "id": "E9",
            "case": "A1",
            "kind": "intake",
            "at": "2026-13-01T10:00:00+08:00",
        },
        "at",
        "不存在",
    ),
    "impossible hour": (
        {
            "type": "event",
            "id": "E9",
            "case": "A1",
            "kind": "intake",
            "at": "2026-03-01T25:00:00+08:00",
        },
        "at",
        "不存在",
    ),
    "end before at": (
        {
            "type": "event",
            "id": "E9",
            "case": "A1",
            "kind": "inquiry",
            "at": "2026-03-02T10:00:00+08:00",
            "end": "2026-03-02T09:00:00+08:00",
        },
        "end",
        "结束时间早于开始时间",
    ),
}


@pytest.mark.parametrize("name", BAD_RECORDS)
def test_each_kind_of_bad_record_is_refused_alone_and_nothing_valid_is_lost(
    capsys, write_jsonl, name
):
    bad, field, reason = BAD_RECORDS[name]
    code, report = run_import(capsys, write_jsonl(base_records() + [bad]))
    assert code == 1
    [problem] = report["rejected"]
    assert (problem["line"], problem["field"]) == (9, field)
    assert reason in problem["reason"]
    assert report["new"] == 8
    assert Event.objects.count() == 2 and Subject.objects.count() == 1


def test_a_file_of_events_whose_cases_are_missing_is_refused_line_by_line(capsys, tmp_path):
    path = tmp_path / "orphans.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(20_000):
            fh.write(
                json.dumps(
                    {
                        "type": "event",
                        "id": f"E{i}",
                        "case": f"A{i % 500}",
                        "kind": "intake",
                        "at": "2026-03-01T10:00:00+08:00",
                    }
                )
                + "\n"
            )
    code, report = run_import(capsys, path)
    assert code == 1 and report["new"] == 0 and len(report["rejected"]) == 20_000
    assert report["rejected"][0]["reason"] == "引用的案件“A0”不存在（本批次和数据库中都没有）"


def test_an_auxiliary_officer_is_stored_as_such(capsys, write_jsonl):
    from fazhi.apps.org.models import Person

    records = base_records() + [
        {"type": "person", "id": "P9", "name": "周某", "unit": "U2", "roles": ["auxiliary"]}
    ]
    code, _ = run_import(capsys, write_jsonl(records))
    assert code == 0
    assert Person.objects.get(pk="P9").is_auxiliary is True
    assert Person.objects.get(pk="P1").is_auxiliary is False
