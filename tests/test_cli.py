"""The `fazhi` command line: Chinese help, the patrol contract's shape, generation."""

from __future__ import annotations

import json

import pytest
from tests.support import EXAMPLE

from fazhi.cli import main


def test_help_is_in_chinese(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["-h"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert "用法：" in out and "导入 CEIF 文件" in out and "审计日志" in out


def test_patrol_reads_a_file_into_a_private_store_and_prints_a_json_array(capsys):
    assert (
        main(["patrol", str(EXAMPLE), "--as-of", "2026-03-05T09:00:00+08:00", "--format", "json"])
        == 0
    )
    assert json.loads(capsys.readouterr().out) == []


def test_patrol_refuses_unreadable_input_with_exit_2(capsys, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert main(["patrol", str(empty), "--as-of", "2026-03-05T09:00:00+08:00"]) == 2
    assert "文件为空" in capsys.readouterr().err


def test_patrol_names_the_record_field_and_reason_of_invalid_input(capsys, write_jsonl):
    path = write_jsonl(
        [{"type": "event", "id": "E1", "case": "A1", "kind": "intake", "at": "2026-02-30T10:00:00"}]
    )
    assert main(["patrol", str(path), "--as-of", "2026-03-05T09:00:00+08:00"]) == 2
    err = capsys.readouterr().err
    assert "第1行 event.at（id=E1）" in err and "不存在" in err


def test_generate_writes_the_same_files_for_the_same_seed(capsys, tmp_path):
    args = ["generate", "--scale", "mini", "--from", "2026-01-01", "--to", "2026-06-30"]
    assert main([*args, "--seed", "7", "--out", str(tmp_path / "a")]) == 0
    assert main([*args, "--seed", "7", "--out", str(tmp_path / "b")]) == 0
    counts = json.loads(capsys.readouterr().out.splitlines()[0])
    assert counts["case"] > 50 and counts["event"] > counts["case"]
    for name in ("unit", "person", "grid", "alarm", "case", "subject", "event"):
        assert (tmp_path / "a" / f"{name}.jsonl").read_bytes() == (
            tmp_path / "b" / f"{name}.jsonl"
        ).read_bytes()
