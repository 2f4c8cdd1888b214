"""Field-level validation: each kind of bad value gets a Chinese reason naming the field."""

from __future__ import annotations

from datetime import datetime

import pytest

from fazhi.core.records import CHINA_TZ, Event
from fazhi.ingest.validate import Problem, validate


def problems_of(raw: dict) -> list[Problem]:
    result = validate(raw, "f.jsonl", 7)
    assert isinstance(result, list), f"expected problems, got {result!r}"
    return result


def event(**overrides) -> dict:
    raw = {
        "type": "event",
        "id": "E1",
        "case": "A1",
        "kind": "intake",
        "at": "2026-03-01T10:00:00+08:00",
    }
    raw.update(overrides)
    return {k: v for k, v in raw.items() if v is not None}


def test_a_valid_event_becomes_a_typed_record_in_beijing_time():
    record = validate(event(at="2026-03-01T02:00:00Z"), "f.jsonl", 1)
    assert isinstance(record, Event)
    assert record.at == datetime(2026, 3, 1, 10, 0, tzinfo=CHINA_TZ)
    assert record.at.utcoffset().total_seconds() == 8 * 3600


def test_a_time_without_offset_is_beijing_time():
    record = validate(event(at="2026-03-01T10:00:00"), "f.jsonl", 1)
    assert record.at == datetime(2026, 3, 1, 10, 0, tzinfo=CHINA_TZ)


@pytest.mark.parametrize(
    "bad", ["2026-13-01T10:00:00+08:00", "2026-03-01T25:00:00+08:00", "2026-02-30T10:00:00+08:00"]
)
def test_an_impossible_timestamp_is_refused(bad):
    [problem] = problems_of(event(at=bad))
    assert (problem.field, problem.line, problem.id) == ("at", 7, "E1")
    assert "不存在" in problem.reason


@pytest.mark.parametrize("bad", ["yesterday", "2026/03/01 10:00", "20260301"])
def test_a_malformed_timestamp_is_refused(bad):
    [problem] = problems_of(event(at=bad))
    assert problem.field == "at" and "格式无效" in problem.reason


def test_end_before_at_is_refused():
    [problem] = problems_of(event(kind="inquiry", end="2026-03-01T09:00:00+08:00"))
    assert problem.field == "end" and "早于" in problem.reason


def test_an_unknown_event_kind_is_refused_but_x_kinds_are_extensions():
    [problem] = problems_of(event(kind="teleport"))
    assert problem.field == "kind" and "未知的事件类型" in problem.reason
    assert isinstance(validate(event(kind="x_bureau_check"), "f", 1), Event)


def test_an_unknown_record_type_is_refused():
    [problem] = problems_of({"type": "vehicle", "id": "V1"})
    assert problem.field == "type" and "未知的记录类型" in problem.reason


def test_every_missing_required_field_is_reported_at_once():
    found = problems_of({"type": "case", "id": "A1"})
    assert {p.field for p in found} == {"kind", "unit", "opened_at"}
    assert all(p.reason == "缺少必填字段" for p in found)


def test_a_measure_on_a_person_needs_its_subject():
    [problem] = problems_of(event(kind="criminal_detention"))
    assert problem.field == "subject" and "刑事拘留" in problem.reason


def test_required_attributes_and_their_allowed_values_are_checked():
    [missing] = problems_of(event(kind="family_notified", subject="S1"))
    assert missing.field == "attrs.for"
    [wrong] = problems_of(event(kind="custody_extended", subject="S1", attrs={"months": 5}))
    assert wrong.field == "attrs.months" and "无效" in wrong.reason


def test_unknown_attributes_are_kept_as_extensions():
    record = validate(event(attrs={"x_note": "备注", "recorded": True}, kind="inquiry"), "f", 1)
    assert record.attrs == {"x_note": "备注", "recorded": True}


def test_an_unknown_top_level_field_is_refused():
    [problem] = problems_of(event(colour="red"))
    assert problem.field == "colour" and "未知字段" in problem.reason


def test_a_unit_cannot_be_its_own_parent():
    [problem] = problems_of(
        {"type": "unit", "id": "U1", "name": "x", "kind": "bureau", "parent": "U1"}
    )
    assert problem.field == "parent"


def test_list_fields_from_spreadsheets_are_json_text():
    record = validate(
        {
            "type": "person",
            "id": "P1",
            "name": "王某",
            "unit": "U1",
            "roles": '["officer", "legal_officer"]',
        },
        "person.csv",
        2,
    )
    assert record.roles == ("officer", "legal_officer")
    [problem] = problems_of(
        {"type": "person", "id": "P1", "name": "王某", "unit": "U1", "roles": "[officer"}
    )
    assert problem.field == "roles" and "JSON" in problem.reason


def test_problem_reads_as_a_sentence_naming_file_line_record_and_field():
    [problem] = problems_of(event(at="2026-13-01T10:00:00+08:00"))
    assert str(problem).startswith("f.jsonl 第7行 event.at（id=E1）：")
