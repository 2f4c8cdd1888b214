"""`fazhi rank` and `fazhi ledger` print the JSON shapes of issue 5 item 9; `fazhi assess`
recomputes; errors are Chinese on stderr with exit 2."""

from __future__ import annotations

import argparse
import json
from datetime import date
from decimal import Decimal as D

import pytest

from fazhi.apps.assessment import services
from fazhi.apps.assessment.cli import HANDLERS, add_parsers
from fazhi.apps.assessment.models import LedgerEntry

from .conftest import AT

pytestmark = pytest.mark.django_db


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="fazhi")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return HANDLERS[args.command](args)


def test_rank_prints_people_ordered_by_rank_computing_the_period_first(world, capsys):
    assert run("rank", "--scheme", "case_handling", "--period", "2026-03", "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert next(r for r in rows if r["person"] == "P2") == {
        "person": "P2",
        "name": "李某",
        "unit": "U2",
        "sequence": "station_officer",
        "score": 4.0,
        "rank": 1,
    }
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
    assert [(r["person"], r["rank"]) for r in rows][:3] == [("I9", 1), ("M1", 1), ("M2", 1)]
    assert {r["person"] for r in rows} == {"M1", "M2", "P1", "P2", "C1", "T1", "I9"}
    assert LedgerEntry.objects.filter(scheme="case_handling", actor="rank").count() == 7


def test_rank_keeps_one_sequence(world, capsys):
    args = ["rank", "--scheme", "case_handling", "--period", "2026-03", "--format", "json"]
    assert run(*args, "--sequence", "station_officer") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["person"], r["score"], r["rank"]) for r in rows] == [
        ("P2", 4.0, 1),
        ("P1", 3.5, 2),
        ("C1", 0.0, 3),
    ]


def test_ledger_prints_a_persons_entries_with_their_sources(world, person, capsys):
    services.record_duty_shift(
        person=person("M1"), day=date(2026, 2, 3), hall_hours=D("7.5"), actor="tester", at=AT
    )
    services.recompute("middle_manager_duty", "2026-Q1", actor="tester", at=AT)
    assert run("ledger", "--person", "M1", "--period", "2026-Q1", "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)
    shift = LedgerEntry.objects.get(item="D1")
    assert rows == [
        {
            "id": rows[0]["id"],
            "scheme": "middle_manager_duty",
            "item": "base",
            "points": 100.0,
            "reason": "基础分：+100",
            "source": [],
        },
        {
            "id": shift.pk,
            "scheme": "middle_manager_duty",
            "item": "D1",
            "points": -2.0,
            "reason": "2026-02-03 值班坐堂 7.5 小时，少于 8 小时：-2",
            "source": [f"duty_shift:{shift.sources[0].split(':')[1]}"],
        },
    ]


def test_assess_reports_what_it_posted(world, capsys):
    assert run("assess", "--scheme", "case_handling", "--period", "2026-03") == 0
    assert "case_handling（版本 2026）2026-03：新增 7 条，冲销 0 条" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["rank", "--scheme", "case_handling", "--period", "2026-3"], "期间 '2026-3' 格式无效"),
        (["ledger", "--person", "NOBODY", "--period", "2026"], "人员 'NOBODY' 不存在"),
        (["assess", "--scheme", "nope", "--period", "2026"], "考核方案 'nope' 不存在"),
    ],
)
def test_errors_are_chinese_on_stderr_with_exit_2(world, capsys, argv, message):
    assert run(*argv) == 2
    assert message in capsys.readouterr().err


def test_help_is_in_chinese(capsys):
    with pytest.raises(SystemExit) as exit_:
        run("rank", "-h")
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert "--sequence" in out and "只列出一个序列" in out and "显示帮助并退出" in out


def test_assess_import_reads_a_folder_and_exits_1_when_something_is_refused(
    world, tmp_path, capsys
):
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "duty_shift.jsonl").write_text(
        '{"type":"duty_shift","person":"M1","day":"2026-03-02","hall_hours":9}\n'
        '{"type":"duty_shift","person":"M1","day":"2026-03-03","hall_hours":30}\n',
        encoding="utf-8",
    )
    assert run("assess-import", str(folder), "--format", "json") == 1
    out = json.loads(capsys.readouterr().out)
    assert out["created"] == {"dutyshift": 1}
    assert out["rejected"] == [
        "duty_shift.jsonl:2: duty_shift：嵇某（M1）2026-03-03 的值班记录 hall_hours：坐堂小时数应在 0 到 24 之间"
    ]


def test_the_fazhi_command_ranks_and_lists_the_ledger_in_its_own_process(
    fazhi_process, write_jsonl
):
    from .conftest import WORLD

    assert fazhi_process("import", str(write_jsonl(WORLD))).returncode == 0
    ranked = fazhi_process(
        "rank",
        "--scheme",
        "case_handling",
        "--period",
        "2026-03",
        "--sequence",
        "station_officer",
        "--format",
        "json",
    )
    assert ranked.returncode == 0, ranked.stderr
    assert [(r["person"], r["score"], r["rank"]) for r in json.loads(ranked.stdout)] == [
        ("P2", 4.0, 1),
        ("P1", 3.5, 2),
        ("C1", 0.0, 3),
    ]
    ledger = fazhi_process("ledger", "--person", "P2", "--period", "2026-03", "--format", "json")
    assert ledger.returncode == 0, ledger.stderr
    rows = json.loads(ledger.stdout)
    assert sum(r["points"] for r in rows) == 4.0
    assert {r["item"] for r in rows} == {"Q1", "E1"}
    refused = fazhi_process("rank", "--scheme", "case_handling", "--period", "2026-Q5")
    assert refused.returncode == 2 and "格式无效" in refused.stderr
