"""`fazhi patrol FILE --as-of TIME --format json`: the CEIF patrol contract end to end.

Expected findings are worked out by hand from the law and C1–C6 (comments give the sums).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.support import EXAMPLE, REPO

from fazhi.cli import main

SHARED_EXAMPLE = EXAMPLE  # shared/interchange/example.jsonl

A, SA = "A-2026-0031", "S-0031-1"
X, SX = "X-2026-0112", "S-0112-1"


def run(capsys, path: Path, as_of: str, fmt: str = "json") -> tuple[int, str, str]:
    code = main(["patrol", str(path), "--as-of", as_of, "--format", fmt])
    out = capsys.readouterr()
    return code, out.out, out.err


def patrol_json(capsys, path: Path, as_of: str) -> list[dict]:
    code, out, err = run(capsys, path, as_of)
    assert code == 0, err
    assert out.count("\n") == 1  # one array on one line
    return json.loads(out)


def f(case, subject, point, state, when):
    key = "at" if state == "violated" else "due_at"
    return {"case": case, "subject": subject, "control_point": point, "state": state, key: when}


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # before the detention (03-05 21:30) nothing is open: intake 03-03 filed 03-04
        ("2026-03-05T09:00:00+08:00", []),
        # everything done on time (送所 02:15, 通知 09:00, 讯问 22:10, 告知 21:30)
        ("2026-03-06T12:00:00+08:00", []),
        # 提请批捕 extended to 7 days: 03-05 + 7 = 03-12, not yet within 24 h
        ("2026-03-08T09:00:00+08:00", []),
        # 检察院 7 days from the request 03-11: 03-18 23:59:59; lead 2 days → due_soon
        ("2026-03-17T09:00:00+08:00", [f(A, SA, "JL-04", "due_soon", "2026-03-18T23:59:59+08:00")]),
        # approved 03-17: JL-04 met; 羁押上限 JL-07 (提请日 + 7) is within its 24 h lead
        ("2026-03-18T08:00:00+08:00", [f(A, SA, "JL-07", "due_soon", "2026-03-18T23:59:59+08:00")]),
        # arrested 03-18 09:00 already in the 看守所 (DB-02 met); no 通知家属, no 讯问 in 24 h
        (
            "2026-03-20T09:00:00+08:00",
            [
                f(A, SA, "DB-03", "overdue", "2026-03-19T09:00:00+08:00"),
                f(A, SA, "XW-07", "overdue", "2026-03-19T09:00:00+08:00"),
            ],
        ),
        # the administrative case: 询问查证 5.5 h within 24 h (may_detain), notified, recorded
        (
            "2026-04-21T09:00:00+08:00",
            [
                f(A, SA, "DB-03", "overdue", "2026-03-19T09:00:00+08:00"),
                f(A, SA, "XW-07", "overdue", "2026-03-19T09:00:00+08:00"),
            ],
        ),
        # 侦查羁押 2 months from 03-18: 05-18 23:59:59 (在押, no shift). 行政拘留 decided
        # 04-23 15:00: family not notified within 24 h (XZ-09); the 17-year-old first offender
        # is not sent to the 拘留所 (治安法2025§23), so no XZ-10 and no XZ-11.
        (
            "2026-06-01T09:00:00+08:00",
            [
                f(A, SA, "DB-03", "overdue", "2026-03-19T09:00:00+08:00"),
                f(A, SA, "XW-07", "overdue", "2026-03-19T09:00:00+08:00"),
                f(A, SA, "YJ-01", "overdue", "2026-05-18T23:59:59+08:00"),
                f(X, SX, "XZ-09", "overdue", "2026-04-24T15:00:00+08:00"),
            ],
        ),
    ],
)
def test_the_shared_example_as_of_several_times(capsys, as_of, expected):
    assert patrol_json(capsys, SHARED_EXAMPLE, as_of) == expected


def _world() -> list[dict]:
    return [
        {"type": "unit", "id": "U1", "name": "某分局", "kind": "sub_bureau"},
        {"type": "unit", "id": "U2", "name": "某派出所", "kind": "station", "parent": "U1"},
        {"type": "person", "id": "P1", "name": "王某", "unit": "U2", "roles": ["officer"]},
        {"type": "person", "id": "P2", "name": "李某", "unit": "U2", "roles": ["officer"]},
        {"type": "person", "id": "A9", "name": "赵某", "unit": "U2", "roles": ["auxiliary"]},
    ]


def _case(cid: str, opened: str, kind: str = "criminal", **extra) -> dict:
    return {"type": "case", "id": cid, "kind": kind, "unit": "U2", "opened_at": opened, **extra}


def _event(eid, case, kind, at, subject=None, **extra) -> dict:
    record = {"type": "event", "id": eid, "case": case, "kind": kind, "at": at}
    if subject:
        record["subject"] = subject
    record.update(extra)
    return record


def test_findings_are_sorted_by_case_subject_point_with_null_subject_for_the_case(
    capsys, write_jsonl
):
    records = [
        *_world(),
        # listed B before A, and events out of order: the output is sorted all the same
        _case("B1", "2026-03-01T09:00:00+08:00"),
        {"type": "subject", "id": "S2", "case": "B1"},
        _event(
            "B-E1",
            "B1",
            "criminal_detention",
            "2026-03-01T10:00:00+08:00",
            "S2",
            officers=["P1", "P2"],
        ),
        _case("A1", "2026-03-01T09:00:00+08:00"),
        {"type": "subject", "id": "S1", "case": "A1"},
        _event(
            "A-E2",
            "A1",
            "arrest_executed",
            "2026-03-02T10:00:00+08:00",
            "S1",
            officers=["P1", "A9"],
        ),
        _event("A-E1", "A1", "intake", "2026-03-01T09:00:00+08:00"),
    ]
    path = write_jsonl(records)
    got = patrol_json(capsys, path, "2026-03-05T09:00:00+08:00")
    assert got == [
        # 受案 03-01: 立案审查 3 days → 03-04 (Wednesday) 23:59:59, whole case
        f("A1", None, "LA-01", "overdue", "2026-03-04T23:59:59+08:00"),
        # 逮捕 by one officer and one 辅警: 侦查人员不得少于二人
        f("A1", "S1", "DB-02", "overdue", "2026-03-03T10:00:00+08:00"),
        f("A1", "S1", "DB-03", "overdue", "2026-03-03T10:00:00+08:00"),
        f("A1", "S1", "DB-04", "violated", "2026-03-02T10:00:00+08:00"),
        f("A1", "S1", "XW-07", "overdue", "2026-03-03T10:00:00+08:00"),
        f("A1", "S1", "XW-09", "violated", "2026-03-02T10:00:00+08:00"),
        # 拘留 03-01 10:00 by two officers, nothing else recorded
        f("B1", "S2", "JL-01", "overdue", "2026-03-04T23:59:59+08:00"),
        f("B1", "S2", "JL-02", "overdue", "2026-03-02T10:00:00+08:00"),
        f("B1", "S2", "JL-03", "overdue", "2026-03-02T10:00:00+08:00"),
        f("B1", "S2", "JL-07", "overdue", "2026-03-04T23:59:59+08:00"),
        f("B1", "S2", "XW-06", "overdue", "2026-03-02T10:00:00+08:00"),
        f("B1", "S2", "XW-09", "violated", "2026-03-01T10:00:00+08:00"),
    ]
    keys = [(x["case"], x["subject"] or "", x["control_point"]) for x in got]
    assert keys == sorted(keys)


def test_records_and_events_after_as_of_are_ignored(capsys, write_jsonl):
    records = [
        *_world(),
        _case("A1", "2026-03-01T09:00:00+08:00"),
        {"type": "subject", "id": "S1", "case": "A1"},
        _event("E1", "A1", "criminal_detention", "2026-03-01T10:00:00+08:00", "S1"),
        _event("E2", "A1", "custody_delivered", "2026-03-01T18:00:00+08:00", "S1"),
        _event(
            "E3",
            "A1",
            "family_notified",
            "2026-03-01T19:00:00+08:00",
            "S1",
            attrs={"for": "criminal_detention"},
        ),
        _event("E4", "A1", "rights_advised", "2026-03-01T10:00:00+08:00", "S1"),
        _event(
            "E5",
            "A1",
            "interrogation",
            "2026-03-01T11:00:00+08:00",
            "S1",
            end="2026-03-01T12:00:00+08:00",
            officers=["P1", "P2"],
        ),
        # after as_of: the request that would make JL-01 late, and a whole later case
        _event("E6", "A1", "arrest_requested", "2026-03-06T10:00:00+08:00", "S1"),
        _case("B1", "2026-03-06T09:00:00+08:00"),
        {"type": "subject", "id": "S2", "case": "B1"},
        _event("B-E1", "B1", "criminal_detention", "2026-03-06T10:00:00+08:00", "S2"),
        # a 传唤 still running at as_of (its end lies after as_of): 12 h limit passed
        _case("C1", "2026-03-04T09:00:00+08:00"),
        {"type": "subject", "id": "S3", "case": "C1"},
        _event(
            "C-E1",
            "C1",
            "summons",
            "2026-03-04T18:00:00+08:00",
            "S3",
            end="2026-03-05T10:00:00+08:00",
        ),
    ]
    path = write_jsonl(records)
    assert patrol_json(capsys, path, "2026-03-05T09:00:00+08:00") == [
        f("A1", "S1", "JL-01", "overdue", "2026-03-04T23:59:59+08:00"),
        f("A1", "S1", "JL-07", "overdue", "2026-03-04T23:59:59+08:00"),
        # 12 h from 18:00 → 06:00 next day, still running at 09:00
        f("C1", "S3", "CH-01", "overdue", "2026-03-05T06:00:00+08:00"),
    ]
    # once the request is known it is late, and the 传唤 ended (16 h): late as well
    later = patrol_json(capsys, path, "2026-03-06T10:00:00+08:00")
    assert f("A1", "S1", "JL-01", "late", "2026-03-04T23:59:59+08:00") in later
    assert f("C1", "S3", "CH-01", "late", "2026-03-05T06:00:00+08:00") in later
    assert any(x["case"] == "B1" for x in later) is False  # B1 detained 10:00, nothing due


def test_the_table_format_is_readable_chinese(capsys):
    code, out, _ = run(capsys, SHARED_EXAMPLE, "2026-06-01T09:00:00+08:00", "table")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["案件", "涉案人员", "控制点", "状态", "到期/发生时间"]
    assert any(
        "YJ-01" in line and "超期" in line and "2026-05-18 23:59:59" in line for line in lines
    )
    assert "逮捕后通知家属" in out
    assert lines[-1] == "共 4 条"


def test_the_table_says_so_when_nothing_is_found(capsys):
    code, out, _ = run(capsys, SHARED_EXAMPLE, "2026-03-05T09:00:00+08:00", "table")
    assert code == 0 and out.strip() == "没有发现问题"


def test_an_invalid_as_of_exits_2_with_a_message(capsys):
    code, out, err = run(capsys, SHARED_EXAMPLE, "2026-02-30T09:00:00+08:00")
    assert code == 2 and out == "" and "--as-of" in err


def test_invalid_input_exits_2_naming_record_field_and_reason(capsys, write_jsonl):
    path = write_jsonl(
        [
            *_world(),
            _case("A1", "2026-03-01T09:00:00+08:00"),
            _event("E1", "A1", "no_such_kind", "2026-03-01T10:00:00+08:00"),
        ]
    )
    code, out, err = run(capsys, path, "2026-03-05T09:00:00+08:00")
    assert code == 2 and out == ""
    assert "event.kind" in err and "E1" in err


def test_the_catalogue_directory_can_be_overridden(capsys, tmp_path, monkeypatch):
    only = tmp_path / "catalogue" / "detention"
    only.mkdir(parents=True)
    source = REPO / "catalog" / "control_points" / "detention"
    for name in ("JL-03.yaml", "JL-03.examples.yaml"):
        shutil.copy(source / name, only / name)
    monkeypatch.setenv("FAZHI_CATALOG_DIR", str(tmp_path / "catalogue"))
    assert patrol_json(capsys, SHARED_EXAMPLE, "2026-06-01T09:00:00+08:00") == []
    monkeypatch.setenv("FAZHI_CATALOG_DIR", str(tmp_path / "missing"))
    code, _, err = run(capsys, SHARED_EXAMPLE, "2026-06-01T09:00:00+08:00")
    assert code == 2 and err
