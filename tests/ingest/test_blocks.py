"""Workers split JSON Lines files themselves, from blocks of whole lines the reading process
cuts (`sources.jsonl_blocks`): every line, and every line number, as reading the file as
text gives them."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from tests.support import base_records

from fazhi.ingest.batch import Batch, EmptyStore
from fazhi.ingest.sources import _jsonl_lines, jsonl_blocks

LINES = [json.dumps(r, ensure_ascii=False) for r in base_records()]


def awkward_bytes(encoding: str) -> bytes:
    """Every kind of line end, blank lines, a broken line and Chinese text."""
    ends = ["\r\n", "\n", "\r", "\n\n", "\r\n   \r\n", "\n", "\r", "\n"]
    text = "".join(line + end for line, end in zip(LINES, ends, strict=True))
    text += "{broken\n" + LINES[0].replace("U1", "U9")  # the last line has no end
    return text.encode(encoding)


@pytest.mark.parametrize(
    "encoding, prefix",
    [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("gb18030", b"")],
    ids=["utf-8", "utf-8-bom", "gb18030"],
)
@pytest.mark.parametrize("size", [1, 5, 64, 1 << 20])
def test_blocks_give_the_lines_and_numbers_reading_as_text_gives(
    tmp_path: Path, encoding: str, prefix: bytes, size: int
):
    path = tmp_path / "batch.jsonl"
    path.write_bytes(prefix + awkward_bytes(encoding))
    as_text = [tuple(line) for line in _jsonl_lines(path)]
    from_blocks = [tuple(line) for block in jsonl_blocks(path, size) for line in block.lines()]
    assert from_blocks == as_text
    assert len(as_text) == len(LINES) + 2
    assert "王某" in from_blocks[2][2] and not from_blocks[0][2].startswith("\ufeff")


@pytest.mark.parametrize("size", [1, 5, 64])
def test_a_file_ending_its_lines_with_carriage_returns_only_is_cut_into_blocks(
    tmp_path: Path, size: int
):
    path = tmp_path / "mac.jsonl"
    path.write_bytes(("\r".join(LINES) + "\r\r" + LINES[0]).encode())
    blocks = list(jsonl_blocks(path, size))
    from_blocks = [tuple(line) for block in blocks for line in block.lines()]
    assert from_blocks == [tuple(line) for line in _jsonl_lines(path)]
    assert [n for _, n, _ in from_blocks] == [*range(1, len(LINES) + 1), len(LINES) + 2]
    assert len(blocks) > 1


def staged(path: Path, workers: int) -> tuple[list, list]:
    with Batch(EmptyStore(), workers=workers) as batch:
        batch.parallel_from_bytes = 0
        batch.block_bytes = 100  # a block of a line or two: many blocks, in order
        batch.add_file(path)
        batch.check()
        rows = [
            (s.id, s.hash)
            for t in ("unit", "person", "case", "subject", "event")
            for chunk in batch.staged(t)
            for s in chunk
        ]
        return rows, [p.as_dict() for p in batch.sorted_problems()]


def test_workers_stage_blocks_exactly_as_this_process_stages_lines(tmp_path: Path):
    path = tmp_path / "batch.jsonl"
    path.write_bytes(awkward_bytes("utf-8"))
    serial, parallel = staged(path, 0), staged(path, 2)
    assert parallel == serial
    assert len(serial[0]) == 9
    assert [(p["line"], p["reason"][:6]) for p in serial[1]] == [(11, "不是有效的 ")]


def test_a_file_of_blank_lines_is_unreadable_in_workers_too(tmp_path: Path):
    from fazhi.ingest.sources import UnreadableFile

    path = tmp_path / "blank.jsonl"
    path.write_bytes(b"   \n" * 20 + b"\n" * (70 * 1024))
    with Batch(EmptyStore(), workers=2) as batch, pytest.raises(UnreadableFile) as err:
        batch.parallel_from_bytes = 0
        batch.add_file(path)
    assert err.value.reason == "文件为空"
