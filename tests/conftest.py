from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

@pytest.fixture
def write_jsonl(tmp_path: Path) -> Callable[..., Path]:
    """Write records (dicts, or raw strings for broken lines) as a JSON Lines file."""

    def write(records: list[dict | str], name: str = "batch.jsonl") -> Path:
        path = tmp_path / name
        lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write
