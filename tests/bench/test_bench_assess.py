"""`fazhi bench assess`: the real command, on a mini bureau built from scratch, prints the
recompute of a year (first posting everything, then nothing) and the incremental update."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

FIRST, AGAIN = "首次计算（台账为空）", "再次重算（数据未变）"


def figures(out: str, label: str) -> tuple[int, int, int]:
    """Periods scored, entries posted and reversed, from the line of `label`."""
    line = next(line for line in out.splitlines() if line.startswith(label))
    runs = re.search(r"(\d+) 个方案期间", line)
    posted = re.search(r"新记 ([\d,]+) 条", line)
    reversed_ = re.search(r"冲销 ([\d,]+) 条", line)
    assert runs and posted and reversed_, line
    return tuple(int(m.group(1).replace(",", "")) for m in (runs, posted, reversed_))  # type: ignore[return-value]


@pytest.mark.slow
def test_bench_assess_builds_its_store_and_prints_every_figure(tmp_path: Path):
    env = {**os.environ, "FAZHI_DATA_DIR": str(tmp_path)}
    env.pop("FAZHI_DATABASE_URL", None)  # the benchmark keeps its own store
    result = subprocess.run(
        [sys.executable, "-m", "fazhi.cli", "bench", "assess", "--scale", "mini"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "核，Python 3.11" in out and "负载" in out
    runs, posted, reversed_ = figures(out, FIRST)
    # 2026 of the bench year: 6 months ×3 schemes, 2 quarters ×4, the year ×3, the last day
    assert runs == 30 and posted > 0 and reversed_ == 0, out
    assert figures(out, AGAIN) == (30, 0, 0), out
    update = re.search(r"台账更新\s+中位 ([\d.]+) ms\s+p95 ([\d.]+) ms\s+（(\d+) 起", out)
    assert update, out
    median, p95, sampled = float(update.group(1)), float(update.group(2)), int(update.group(3))
    assert 0 < median <= p95 and sampled > 0
    assert re.search(r"峰值内存 [\d,]+ MiB", out)
    # the base store is kept for the next run to reuse, the working copy is gone
    base = tmp_path / "bench" / "assess-mini-seed1-2026-06-30"
    assert (base / "ready").exists() and (base / "fazhi.sqlite3").exists()
    assert not list(tmp_path.glob("fazhi-bench-*"))
