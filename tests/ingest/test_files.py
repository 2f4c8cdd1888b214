"""Reading CSV and XLSX as Chinese bureaus save them, and refusing what cannot be read."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from tests.support import base_records

from fazhi.apps.cases.models import Case, Event
from fazhi.apps.imports.models import ImportBatch
from fazhi.apps.org.models import Person, Unit
from fazhi.cli import main
from fazhi.ingest.templates import header

pytestmark = pytest.mark.django_db

FIELD_ORDER = {
    "unit": ["id", "name", "kind", "parent"],
    "person": ["id", "name", "unit", "roles"],
    "case": ["id", "kind", "unit", "opened_at", "handlers"],
    "subject": ["id", "case", "name", "birth_date"],
    "event": ["id", "case", "kind", "at", "subject", "officers"],
}


def cell(value):
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def rows_of(rtype: str) -> list[list]:
    fields = FIELD_ORDER[rtype]
    return [[cell(r.get(f)) for f in fields] for r in base_records() if r["type"] == rtype]


def write_csvs(folder: Path, encoding: str, prefix: str = "") -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for rtype, fields in FIELD_ORDER.items():
        path = folder / f"{prefix}{rtype}.csv"
        with path.open("w", encoding=encoding, newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(fields)
            writer.writerows([[("" if v is None else v) for v in row] for row in rows_of(rtype)])
        paths.append(path)
    return paths


def run(capsys, *paths) -> tuple[int, dict | None, str]:
    code = main(["import", *map(str, paths), "--format", "json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else None, captured.err


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_files_in_every_encoding_excel_saves_import_the_same(capsys, tmp_path, encoding):
    code, report, _ = run(capsys, *write_csvs(tmp_path / "in", encoding, prefix="2026Q1-"))
    assert code == 0, report
    assert report["new"] == 8
    assert Person.objects.get(pk="P1").name == "王某"
    assert Case.objects.get(pk="A1").unit.name == "某派出所"


def test_a_utf8_bom_does_not_leak_into_the_first_column_name(capsys, tmp_path):
    paths = write_csvs(tmp_path / "in", "utf-8-sig")
    assert paths[0].read_bytes().startswith(b"\xef\xbb\xbf")
    code, report, _ = run(capsys, *paths)
    assert code == 0 and Unit.objects.filter(pk="U1").exists()


def test_a_utf16_file_is_refused_with_its_encoding_named_and_nothing_is_stored(capsys, tmp_path):
    paths = write_csvs(tmp_path / "in", "utf-8")
    bad = tmp_path / "in" / "unit.csv"
    bad.write_bytes(bad.read_text(encoding="utf-8").encode("utf-16"))
    code, report, err = run(capsys, *paths)
    assert code == 2
    assert "UTF-16" in err and "unit.csv" in err
    assert report["reason"].startswith("文件为 UTF-16 编码")
    assert not ImportBatch.objects.exists() and not Person.objects.exists()


def test_bytes_valid_in_no_supported_encoding_are_refused(capsys, tmp_path):
    path = tmp_path / "event.csv"
    path.write_bytes(b"id,case\n\xff\xfe\xfa\x80\x81,\xff\n")
    code, _, err = run(capsys, path)
    assert code == 2 and "无法识别文件编码" in err


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_an_empty_file_is_refused(capsys, tmp_path, content):
    path = tmp_path / "batch.jsonl"
    path.write_bytes(content)
    code, _, err = run(capsys, path)
    assert code == 2 and "文件为空" in err


def test_a_missing_file_is_refused(capsys, tmp_path):
    code, _, err = run(capsys, tmp_path / "nowhere.jsonl")
    assert code == 2 and "不存在" in err


def test_a_csv_whose_name_names_no_record_type_is_refused(capsys, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("id,name\n1,2\n", encoding="utf-8")
    code, _, err = run(capsys, path)
    assert code == 2 and "记录类型" in err


def test_csv_row_errors_name_the_line(capsys, tmp_path):
    paths = write_csvs(tmp_path / "in", "utf-8")
    event_csv = tmp_path / "in" / "event.csv"
    with event_csv.open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(["E3", "A1", "intake", "2026-03-01 25:00:00", "", ""])
    code, report, _ = run(capsys, *paths)
    assert code == 1
    [problem] = report["rejected"]
    assert (problem["file"], problem["line"], problem["field"]) == ("event.csv", 4, "at")
    assert report["new"] == 8


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def xlsx_sheets(names: dict[str, str] | None = None) -> dict[str, list[list]]:
    names = names or {}
    return {names.get(t, t): [fields, *rows_of(t)] for t, fields in FIELD_ORDER.items()}


def test_an_xlsx_workbook_imports_one_sheet_per_record_type(capsys, tmp_path):
    code, report, _ = run(capsys, write_xlsx(tmp_path / "batch.xlsx", xlsx_sheets()))
    assert code == 0 and report["new"] == 8
    assert Event.objects.get(pk="E2").officers == ["P1", "P2"]


def test_xlsx_sheets_may_carry_the_chinese_template_names(capsys, tmp_path):
    names = {
        "unit": "单位",
        "person": "人员",
        "case": "案件",
        "subject": "涉案人员",
        "event": "办案事件",
    }
    code, report, _ = run(capsys, write_xlsx(tmp_path / "batch.xlsx", xlsx_sheets(names)))
    assert code == 0 and report["new"] == 8


def test_xlsx_row_errors_name_the_sheet_and_row(capsys, tmp_path):
    sheets = xlsx_sheets()
    sheets["event"].append(["E3", "A1", "teleport", "2026-03-01T10:00:00+08:00", None, None])
    code, report, _ = run(capsys, write_xlsx(tmp_path / "batch.xlsx", sheets))
    assert code == 1
    [problem] = report["rejected"]
    assert (problem["file"], problem["line"], problem["field"]) == ("batch.xlsx[event]", 4, "kind")


def test_an_xlsx_sheet_with_an_extra_column_is_refused_with_the_column_named(capsys, tmp_path):
    sheets = xlsx_sheets()
    sheets["event"][0] = [*sheets["event"][0], "备注"]
    code, report, _ = run(capsys, write_xlsx(tmp_path / "batch.xlsx", sheets))
    assert code == 1
    [problem] = report["rejected"]
    assert problem["file"] == "batch.xlsx[event]" and problem["field"] == "备注"
    assert "多余的列" in problem["reason"] and "整张表未导入" in problem["reason"]
    assert report["new"] == 6 and not Event.objects.exists()


def test_an_xlsx_sheet_with_merged_header_cells_is_refused(capsys, tmp_path):
    path = write_xlsx(tmp_path / "batch.xlsx", xlsx_sheets())
    workbook = openpyxl.load_workbook(path)
    workbook["person"].merge_cells("B1:C1")
    workbook.save(path)
    code, report, _ = run(capsys, path)
    assert code == 1
    [header_problem] = [r for r in report["rejected"] if r["file"] == "batch.xlsx[person]"]
    cascade = [r for r in report["rejected"] if r is not header_problem]
    assert "合并单元格" in header_problem["reason"] and "B1:C1" in header_problem["reason"]
    assert not Person.objects.exists()
    assert {c["type"] for c in cascade} == {
        "case",
        "subject",
        "event",
    }  # people missing, so all that rests on them


def test_an_unknown_sheet_is_reported(capsys, tmp_path):
    sheets = xlsx_sheets()
    sheets["车辆"] = [["id"], ["V1"]]
    code, report, _ = run(capsys, write_xlsx(tmp_path / "batch.xlsx", sheets))
    assert code == 1 and "未知的工作表名称" in report["rejected"][0]["reason"]


def test_a_damaged_xlsx_is_unreadable(capsys, tmp_path):
    path = tmp_path / "batch.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    code, _, err = run(capsys, path)
    assert code == 2 and "不是有效的 XLSX" in err


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_filled_in_templates_import_as_they_are(capsys, tmp_path, kind):
    assert main(["template", kind, "--out", str(tmp_path / "t")]) == 0
    capsys.readouterr()
    if kind == "xlsx":
        path = tmp_path / "t" / "fazhi-import-template.xlsx"
        workbook = openpyxl.load_workbook(path)
        assert workbook.sheetnames[0] == "填写说明"
        assert workbook["单位"]["A1"].value == header("unit")[0]
        workbook["单位"].append(["U1", "某市公安局", "bureau"])
        workbook.save(path)
        paths = [path]
    else:
        unit_csv = tmp_path / "t" / "unit.csv"
        assert unit_csv.read_text(encoding="utf-8-sig").startswith("id（单位编号，必填）")
        with unit_csv.open("a", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerow(["U1", "某市公安局", "bureau"])
        paths = sorted((tmp_path / "t").glob("*.csv"))
    code, report, _ = run(capsys, *paths)
    assert code == 0 and report["new"] == 1
    assert Unit.objects.get(pk="U1").name == "某市公安局"
