"""Reading CEIF files as streams of raw records: JSON Lines, CSV and XLSX.

Files are streamed, never loaded whole, so a 100 MB export costs little memory. A file that
cannot be read at all raises `UnreadableFile`; a line that cannot be read becomes a `Problem`
for that line and reading goes on.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from fazhi.core.records import RECORD_TYPE_NAMES_ZH, RECORD_TYPES
from fazhi.ingest.validate import Problem

SNIFF_BYTES = 64 * 1024
INSTRUCTIONS_SHEET = "填写说明"
_TYPE_BY_SHEET = {**{t: t for t in RECORD_TYPES}, **{v: k for k, v in RECORD_TYPE_NAMES_ZH.items()}}
_HEADER_NOTE = re.compile(r"\s*[（(].*[)）]\s*$")
_TYPE_IN_NAME = re.compile(r"(?:^|[^a-z])(" + "|".join(RECORD_TYPES) + r")(?:[^a-z]|$)")

csv.field_size_limit(16 * 1024 * 1024)


class UnreadableFile(Exception):
    """The file as a whole cannot be read; nothing of it can be imported."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}：{reason}")
        self.file = file
        self.reason = reason


@dataclass(frozen=True, slots=True)
class RawRecord:
    file: str
    line: int
    data: dict[str, Any]


Item = RawRecord | Problem


def read_records(path: Path) -> Iterator[Item]:
    """Every raw record of a file, in file order, with its line (or XLSX row) number."""
    if not path.is_file():
        raise UnreadableFile(str(path), "文件不存在或不可读")
    if path.stat().st_size == 0:
        raise UnreadableFile(path.name, "文件为空")
    suffix = path.suffix.lower()
    if is_jsonl(path):
        return _read_jsonl(path)
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    raise UnreadableFile(path.name, "不支持的文件类型（支持 .jsonl、.csv、.xlsx）")


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) or GB18030/GBK, which is what Excel in China saves."""
    with path.open("rb") as fh:
        sample = fh.read(SNIFF_BYTES)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFile(path.name, "文件为 UTF-16 编码，请另存为 UTF-8 或 GBK 编码")
    if b"\x00" in sample:
        raise UnreadableFile(path.name, "文件含二进制内容，无法识别编码（支持 UTF-8、GB18030/GBK）")
    if not sample.strip():
        raise UnreadableFile(path.name, "文件为空")
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
            return encoding
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(path.name, "无法识别文件编码（支持 UTF-8、GB18030/GBK）")


_BAD_BYTES = re.compile("[\udc80-\udcff]")


def has_bad_bytes(text: str) -> bool:
    """Surrogate escapes mark bytes that were not valid in the detected encoding."""
    return _BAD_BYTES.search(text) is not None


def _encoding_problem(file: str, line: int) -> Problem:
    return Problem(file, line, None, None, None, "本行含无法识别的字符（编码错误），请检查文件编码")


class RawLine(NamedTuple):
    """A JSON Lines line not parsed yet: parsing can then happen in a worker process
    (a named tuple, as it crosses to that process a few thousand times a second)."""

    file: str
    line: int
    text: str

    def parse(self) -> Item:
        if has_bad_bytes(self.text):
            return _encoding_problem(self.file, self.line)
        try:
            data = orjson.loads(self.text)
        except orjson.JSONDecodeError as err:
            return Problem(
                self.file, self.line, None, None, None, f"不是有效的 JSON（第{err.colno}列）"
            )
        if not isinstance(data, dict):
            return Problem(self.file, self.line, None, None, None, "每行应为一个 JSON 对象")
        return RawRecord(self.file, self.line, data)


def read_lazily(path: Path) -> Iterator[Item | RawLine]:
    """Like `read_records`, but JSON Lines come unparsed (call `.parse()` on each)."""
    if is_jsonl(path) and path.is_file() and path.stat().st_size:
        return _jsonl_lines(path)
    return read_records(path)


def _jsonl_lines(path: Path) -> Iterator[RawLine]:
    encoding = detect_encoding(path)
    seen_any = False
    with path.open(encoding=encoding, errors="surrogateescape", newline="") as fh:
        for number, text in enumerate(fh, start=1):
            if text.strip():
                seen_any = True
                yield RawLine(path.name, number, text)
    if not seen_any:
        raise UnreadableFile(path.name, "文件为空")


def is_jsonl(path: Path) -> bool:
    return path.suffix.lower() in {".jsonl", ".ndjson", ".json"}


class LineBlock(NamedTuple):
    """Whole lines of a JSON Lines file as raw bytes, from line `first_line` on: a worker
    process decodes and splits them, so the reading process only finds where lines end."""

    file: str
    encoding: str
    first_line: int
    data: bytes

    def lines(self) -> Iterator[RawLine]:
        """The block's non-blank lines, split and numbered as `_jsonl_lines` does."""
        text = self.data.decode(self.encoding, errors="surrogateescape")
        for number, line in enumerate(io.StringIO(text, newline=""), start=self.first_line):
            if line.strip():
                yield RawLine(self.file, number, line)


def _line_breaks(data: bytes) -> int:
    # "\n", "\r\n" and a lone "\r" each end a line (text mode with newline=""); neither
    # byte occurs inside a UTF-8 or GB18030 character
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def jsonl_blocks(path: Path, size: int) -> Iterator[LineBlock]:
    """The file in blocks of about `size` bytes, each ending at the end of a line."""
    encoding = detect_encoding(path)
    line, tail = 1, b""
    with path.open("rb") as fh:
        while data := fh.read(size):
            data = tail + data
            # after the last "\n", or a later "\r" known not to open a "\r\n"
            cut = max(data.rfind(b"\n"), data.rfind(b"\r", 0, len(data) - 1)) + 1
            if not cut:  # no line ends in this block yet
                tail = data
                continue
            block, tail = data[:cut], data[cut:]
            yield LineBlock(path.name, encoding, line, block)
            line += _line_breaks(block)
            encoding = "utf-8" if encoding == "utf-8-sig" else encoding  # the BOM opens the file
    if tail:
        yield LineBlock(path.name, encoding, line, tail)


def _read_jsonl(path: Path) -> Iterator[Item]:
    for raw in _jsonl_lines(path):
        yield raw.parse()


def record_type_from_name(name: str) -> str | None:
    """`event.csv`, `2026Q3-event.csv` and `办案事件.csv` all name the event type."""
    stem = Path(name).stem
    if stem in _TYPE_BY_SHEET:
        return _TYPE_BY_SHEET[stem]
    match = _TYPE_IN_NAME.search(stem.lower())
    if match:
        return match.group(1)
    for zh, rtype in _TYPE_BY_SHEET.items():
        if zh in stem and zh not in RECORD_TYPES:
            return rtype
    return None


def field_name(header: Any) -> str:
    """Header cells are field names, optionally followed by a Chinese note in brackets."""
    text = "" if header is None else str(header).strip()
    return _HEADER_NOTE.sub("", text)


def _check_header(file: str, rtype: str, header: list[str]) -> None:
    from fazhi.ingest.validate import FIELDS

    known = set(FIELDS[rtype])
    for column, name in enumerate(header, start=1):
        letter = column_letter(column)
        if not name:
            raise _HeaderError(
                file, rtype, None, f"表头第{letter}列为空（可能是合并单元格），请使用模板表头"
            )
        if name not in known and name != "type" and not name.startswith("x_"):
            raise _HeaderError(
                file,
                rtype,
                name,
                f"第{letter}列“{name}”不是{RECORD_TYPE_NAMES_ZH[rtype]}的字段（多余的列），请删除或改正",
            )
    duplicates = {n for n in header if header.count(n) > 1}
    if duplicates:
        raise _HeaderError(file, rtype, min(duplicates), "表头中列名重复")


class _HeaderError(Exception):
    def __init__(self, file: str, rtype: str, field: str | None, reason: str) -> None:
        super().__init__(reason)
        self.problem = Problem(file, 1, rtype, None, field, reason + "；整张表未导入")


def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, rem = divmod(column - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _rows_to_records(
    file: str, rtype: str, rows: Iterator[tuple[int, list[Any]]]
) -> Iterator[Item]:
    """Shared by CSV and XLSX: a header row of field names, then one record per row."""
    first = next(rows, None)
    if first is None:
        return
    header = [field_name(h) for h in first[1]]
    while header and not header[-1]:
        header.pop()  # trailing empty columns are not columns
    try:
        _check_header(file, rtype, header)
    except _HeaderError as err:
        yield err.problem
        return
    for number, cells in rows:
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if len(cells) > len(header) and any(
            c is not None and str(c).strip() for c in cells[len(header) :]
        ):
            yield Problem(file, number, rtype, None, None, "本行的值多于表头的列数")
            continue
        data: dict[str, Any] = {"type": rtype}
        for name, cell in zip(header, cells, strict=False):
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                continue  # an empty cell is an absent field
            data[name] = cell
        if any(isinstance(v, str) and has_bad_bytes(v) for v in data.values()):
            yield _encoding_problem(file, number)
            continue
        yield RawRecord(file, number, data)


def _read_csv(path: Path) -> Iterator[Item]:
    rtype = record_type_from_name(path.name)
    if rtype is None:
        raise UnreadableFile(
            path.name,
            "无法从文件名判断记录类型（文件名应含 unit、person、grid、alarm、case、subject 或 event）",
        )
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, errors="surrogateescape", newline="") as fh:
        reader = csv.reader(fh)
        try:
            yield from _rows_to_records(
                path.name, rtype, ((reader.line_num, row) for row in reader)
            )
        except csv.Error as err:
            raise UnreadableFile(path.name, f"第{reader.line_num}行 CSV 格式错误：{err}") from None


def merged_header_ranges(path: Path, sheet_xml: str) -> list[str]:
    """Merged ranges touching row 1, read by scanning the sheet XML (read-only mode hides them)."""
    pattern = re.compile(rb'<(?:\w+:)?mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
    found: list[str] = []
    tail = b""
    with zipfile.ZipFile(path) as zf, zf.open(sheet_xml) as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            for m in pattern.finditer(data):
                if int(m.group(2)) == 1:
                    found.append(
                        f"{m.group(1).decode()}1:{m.group(3).decode()}{m.group(4).decode()}"
                    )
            tail = data[-200:]
    return sorted(set(found))


def _read_xlsx(path: Path) -> Iterator[Item]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(path.name, f"不是有效的 XLSX 文件（{type(err).__name__}）") from None
    try:
        sheets = [ws for ws in workbook.worksheets if ws.title != INSTRUCTIONS_SHEET]
        if not sheets:
            raise UnreadableFile(path.name, "工作簿中没有工作表")
        for ws in sheets:
            yield from _read_sheet(path, ws)
    finally:
        workbook.close()


def _read_sheet(path: Path, ws: Any) -> Iterator[Item]:
    file = f"{path.name}[{ws.title}]"
    rtype = _TYPE_BY_SHEET.get(ws.title.strip())
    if rtype is None:
        names = "、".join(f"{t}/{RECORD_TYPE_NAMES_ZH[t]}" for t in RECORD_TYPES)
        yield Problem(
            file,
            None,
            None,
            None,
            None,
            f"未知的工作表名称“{ws.title}”（应为 {names}）；整张表未导入",
        )
        return
    merged = merged_header_ranges(path, sheet_xml_path(ws))
    if merged:
        yield Problem(
            file,
            1,
            rtype,
            None,
            None,
            f"表头含合并单元格（{'、'.join(merged)}），请取消合并并使用模板表头；整张表未导入",
        )
        return
    rows = (
        (number, list(row)) for number, row in enumerate(ws.iter_rows(values_only=True), start=1)
    )
    yield from _rows_to_records(file, rtype, rows)


def sheet_xml_path(ws: Any) -> str:
    # read-only worksheets keep the archive member they stream from
    return str(ws._worksheet_path).lstrip("/")
