"""Buffered JSON Lines output, one file per record type.

Records are dicts built in their fixed key order (dicts keep insertion order), so the bytes
depend only on the generated values.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

RECORD_FILES = ("unit", "person", "grid", "alarm", "case", "subject", "event", "defects")

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class JsonlFiles:
    def __init__(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.paths = {name: out_dir / f"{name}.jsonl" for name in RECORD_FILES}
        self.counts = dict.fromkeys(RECORD_FILES, 0)
        self._files: dict[str, IO[str]] = {}
        for name, path in self.paths.items():
            self._files[name] = path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20)

    def write(self, name: str, record: dict[str, Any]) -> None:
        self._files[name].write(_encode(record) + "\n")
        self.counts[name] += 1

    def close(self) -> None:
        for f in self._files.values():
            f.close()

    def __enter__(self) -> JsonlFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
