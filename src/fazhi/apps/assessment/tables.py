"""Assessment inputs as tables: the CSV/XLSX templates, and reading filled-in ones back.

One table per input type, one row per record in a flat shape (an exam score per row, a task
per row). A header cell reads `field（说明）`, as in the CEIF templates; the reading reuses
`fazhi.ingest.sources` for encoding detection (UTF-8, BOM, GB18030/GBK), header notes and
merged header cells. Cells come out as text, the shape a CSV gives, so one reader per type
serves CSV and XLSX alike.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from fazhi.core.scoring import InspectionMethod, Severity
from fazhi.ingest.sources import (
    INSTRUCTIONS_SHEET,
    UnreadableFile,
    column_letter,
    detect_encoding,
    field_name,
    has_bad_bytes,
    merged_header_ranges,
    sheet_xml_path,
)

_DAY = "YYYY-MM-DD"
_PERSON = "人员编号"


@dataclass(frozen=True)
class Table:
    kind: str  # the record type the rows are read as
    sheet: str  # the Chinese sheet (or CSV file) name
    columns: dict[str, str]  # field → Chinese note, in template order
    required: frozenset[str]

    def header(self) -> list[str]:
        return [f"{name}（{note}）" for name, note in self.columns.items()]


def _table(kind: str, sheet: str, columns: dict[str, str]) -> Table:
    return Table(kind, sheet, columns, frozenset(n for n, t in columns.items() if "必填" in t))


_METHODS = "/".join(m.label for m in InspectionMethod)
_SEVERITIES = "/".join(s.label for s in Severity)
TABLES: tuple[Table, ...] = (
    _table(
        "inspection",
        "履职评查",
        {
            "person": f"被评查人{_PERSON}，必填",
            "scheme": "考核方案编号，必填，如 middle_manager_duty",
            "item": "评分项编号，必填，须为人工评查项，如 R1",
            "method": f"评查方式，必填：{_METHODS}",
            "day": f"评查日期 {_DAY}，必填",
            "severity": f"情节：{_SEVERITIES}；未发现问题留空",
            "finding": "发现问题（有情节时必写）",
            "evidence": "证据说明",
            "inspector": f"评查人{_PERSON}，必填",
            "rectified_on": f"整改核实日期 {_DAY}",
            "verified_by": f"整改核实人{_PERSON}（填了核实日期时必写）",
        },
    ),
    _table(
        "duty_shift",
        "值班坐堂",
        {
            "person": f"值班人{_PERSON}，必填",
            "day": f"值班日期 {_DAY}，必填",
            "hall_hours": "坐堂小时数 0-24，必填",
        },
    ),
    _table(
        "exam",
        "考试成绩",
        {
            "name": "考试名称，必填",
            "day": f"考试日期 {_DAY}，必填",
            "person": f"考生{_PERSON}，必填",
            "score": "成绩 0-100，必填",
        },
    ),
    _table(
        "study",
        "学法记录",
        {
            "person": f"学习人{_PERSON}，必填",
            "day": f"学习日期 {_DAY}，必填",
            "hours": "学时（大于 0，不超过 24），必填",
            "topic": "学习内容，必填",
        },
    ),
    _table(
        "task_list",
        "任务清单",
        {
            "person": f"社区民警{_PERSON}，必填",
            "month": "月份 YYYY-MM，必填",
            "grid": "网格编号",
            "title": "任务名称，必填",
            "due_on": f"完成期限 {_DAY}（须在本月内），必填",
            "done_on": f"完成日期 {_DAY}",
        },
    ),
    _table(
        "patrol_log",
        "巡逻日志",
        {
            "person": f"巡逻民警{_PERSON}，必填",
            "vehicle": "车辆，必填，如 铁骑001号",
            "day": f"日期 {_DAY}，必填",
            "start": "开始时间 HH:MM，必填",
            "end": "结束时间 HH:MM（晚于开始时间），必填",
            "km": "里程（公里，0-1000），必填",
        },
    ),
    _table(
        "case_quota",
        "年度办案任务",
        {
            "person": f"{_PERSON}，必填",
            "year": "年度，如 2026，必填",
            "cases": "办案任务（件，非负整数），必填",
        },
    ),
)
BY_NAME: dict[str, Table] = {
    **{t.kind: t for t in TABLES},
    **{t.sheet: t for t in TABLES},
}
_KIND_IN_NAME = re.compile(r"(?:^|[^a-z])(" + "|".join(t.kind for t in TABLES) + r")(?:[^a-z]|$)")
# Cells given as Chinese labels are read as the codes the records store.
_CODES = {
    "method": {m.label: m.value for m in InspectionMethod},
    "severity": {s.label: s.value for s in Severity},
}


@dataclass(frozen=True)
class Row:
    """One data row of a table: the file (and sheet) it is in, its line, its cells by field."""

    file: str
    line: int
    table: Table
    data: dict[str, str]


@dataclass(frozen=True)
class TableProblem:
    """A row or a whole table that cannot be read; `line` is None for a whole sheet."""

    file: str
    line: int | None
    kind: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.kind}：{self.reason}" if self.kind else f"{where}: {self.reason}"


def table_for_file(name: str) -> Table | None:
    """`duty_shift.csv`, `2026-03-duty_shift.csv` and `值班坐堂（三月）.csv` all name duty shifts."""
    stem = Path(name).stem
    if stem in BY_NAME:
        return BY_NAME[stem]
    match = _KIND_IN_NAME.search(stem.lower())
    if match:
        return BY_NAME[match.group(1)]
    return next((t for t in TABLES if t.sheet in stem), None)


def read_table_file(path: Path) -> Iterator[Row | TableProblem]:
    """The rows of a CSV file or of every sheet of an XLSX workbook, in file order."""
    if path.suffix.lower() == ".csv":
        return _read_csv(path)
    return _read_xlsx(path)


def _names() -> str:
    return "、".join(f"{t.kind}/{t.sheet}" for t in TABLES)


def _read_csv(path: Path) -> Iterator[Row | TableProblem]:
    table = table_for_file(path.name)
    if table is None:
        raise UnreadableFile(path.name, f"无法从文件名判断数据类型（文件名应含 {_names()}）")
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, errors="surrogateescape", newline="") as fh:
        reader = csv.reader(fh)
        try:
            yield from _rows(path.name, table, ((reader.line_num, row) for row in reader))
        except csv.Error as err:
            raise UnreadableFile(path.name, f"第{reader.line_num}行 CSV 格式错误：{err}") from None


def _read_xlsx(path: Path) -> Iterator[Row | TableProblem]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(path.name, f"不是有效的 XLSX 文件（{type(err).__name__}）") from None
    try:
        for ws in workbook.worksheets:
            if ws.title != INSTRUCTIONS_SHEET:
                yield from _read_sheet(path, ws)
    finally:
        workbook.close()


def _read_sheet(path: Path, ws: Any) -> Iterator[Row | TableProblem]:
    file = f"{path.name}[{ws.title}]"
    table = BY_NAME.get(ws.title.strip())
    if table is None:
        reason = f"未知的工作表名称“{ws.title}”（应为 {_names()}）；整张表未导入"
        yield TableProblem(file, None, None, reason)
        return
    merged = merged_header_ranges(path, sheet_xml_path(ws))
    if merged:
        reason = f"表头含合并单元格（{'、'.join(merged)}），请取消合并并使用模板表头；整张表未导入"
        yield TableProblem(file, 1, table.kind, reason)
        return
    rows = enumerate(ws.iter_rows(values_only=True), start=1)
    yield from _rows(file, table, ((n, [_text(c) for c in row]) for n, row in rows))


def _text(cell: Any) -> str | None:
    """An XLSX cell as the text a CSV would hold: dates ISO, whole numbers without `.0`."""
    if cell is None:
        return None
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time() else cell.isoformat()
    if isinstance(cell, date | time):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _header_problem(file: str, table: Table, header: list[str]) -> str | None:
    for column, name in enumerate(header, start=1):
        letter = column_letter(column)
        if not name:
            return f"表头第{letter}列为空（可能是合并单元格），请使用模板表头"
        if name not in table.columns:
            return f"第{letter}列“{name}”不是{table.sheet}的字段（多余的列），请删除或改正"
    if duplicates := sorted({n for n in header if header.count(n) > 1}):
        return f"表头中列名重复：{'、'.join(duplicates)}"
    if missing := [n for n in table.columns if n in table.required and n not in header]:
        return f"缺少必填列：{'、'.join(missing)}"
    return None


def _rows(
    file: str, table: Table, rows: Iterator[tuple[int, list[str | None]]]
) -> Iterator[Row | TableProblem]:
    """A header row of field names, then one record per non-empty row."""
    first = next(rows, None)
    if first is None:
        return
    header = [field_name(h) for h in first[1]]
    while header and not header[-1]:
        header.pop()  # trailing empty columns are not columns
    if reason := _header_problem(file, table, header):
        yield TableProblem(file, first[0], table.kind, f"{reason}；整张表未导入")
        return
    for number, cells in rows:
        values = [(c or "").strip() for c in cells]
        if not any(values):
            continue
        if any(values[len(header) :]):
            yield TableProblem(file, number, table.kind, "本行的值多于表头的列数")
            continue
        if any(has_bad_bytes(v) for v in values):
            yield TableProblem(
                file, number, table.kind, "本行含无法识别的字符（编码错误），请检查文件编码"
            )
            continue
        data = {name: value for name, value in zip(header, values, strict=False) if value}
        for name, codes in _CODES.items():
            if name in data:
                data[name] = codes.get(data[name], data[name])
        yield Row(file, number, table, data)


# --- templates ---------------------------------------------------------------------------------


def write_templates(kind: str, out: Path) -> list[Path]:
    """Blank templates: one CSV file per input type, or one XLSX workbook with a sheet each."""
    out.mkdir(parents=True, exist_ok=True)
    if kind == "csv":
        paths = []
        for table in TABLES:
            path = out / f"{table.kind}.csv"
            with path.open("w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel reads UTF-8
                csv.writer(fh).writerow(table.header())
            paths.append(path)
        return paths
    return [_write_xlsx(out / "fazhi-assessment-template.xlsx")]


def _write_xlsx(path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    guide = workbook.active
    guide.title = INSTRUCTIONS_SHEET
    guide.append(["工作表", "字段", "说明"])
    for table in TABLES:
        sheet = workbook.create_sheet(table.sheet)
        sheet.append(table.header())
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            sheet.column_dimensions[cell.column_letter].width = 24
        for name, note in table.columns.items():
            guide.append([table.sheet, name, note])
    guide.append([])
    guide.append(
        ["", "", "一行一条记录；考试成绩一行一名考生，任务清单一行一项任务。空单元格表示不填。"]
    )
    workbook.save(path)
    return path


def columns_help() -> str:
    """The columns of every table, for the command's help."""
    return "；".join(f"{t.sheet}（{t.kind}）：{', '.join(t.columns)}" for t in TABLES)
