"""`fazhi bench web`: the real command, on a mini bureau, prints a complete table."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fazhi.bench.web import PAGES, percentile, refuse_remote


def run_bench_web(data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FAZHI_DATA_DIR": str(data)}
    env.pop("FAZHI_DATABASE_URL", None)  # the benchmark keeps its own store
    return subprocess.run(
        [sys.executable, "-m", "fazhi.cli", "bench", "web"]
        + ["--scale", "mini", "--users", "2", "--seconds", "3", "--ramp", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def table_rows(out: str) -> dict[str, list[str]]:
    """Page → its cells (requests, errors, p50, p95, p99), from the printed table."""
    rows = {}
    for line in out.splitlines():
        cells = line.split()
        if cells and cells[0].rstrip("　") in PAGES:
            rows[cells[0].rstrip("　")] = cells[1:]
    return rows


@pytest.mark.slow
def test_bench_web_prints_every_page_with_ordered_percentiles(tmp_path: Path):
    result = run_bench_web(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "核，Python 3.11" in result.stdout
    assert "2 个并发虚拟用户（在前 1 s 内均匀进入）" in result.stdout
    rows = table_rows(result.stdout)
    assert set(rows) == set(PAGES), result.stdout
    for page, (requests, errors, p50, p95, p99) in rows.items():
        assert int(requests) > 0, page
        assert int(errors) == 0, page
        assert 0 < float(p50) <= float(p95) <= float(p99), page
    assert "次/秒" in result.stdout
    # the store is kept for the next run to reuse
    assert (tmp_path / "bench" / "web-mini-seed1-2026-06-30" / "ready").exists()


@pytest.mark.parametrize(
    "base", ["http://10.1.2.3:8000", "http://localhost:8000", "https://example.org"]
)
def test_load_is_refused_for_anything_but_127_0_0_1(base: str):
    with pytest.raises(SystemExit, match="只允许对 127.0.0.1 施加负载"):
        refuse_remote(base)


def test_local_server_is_accepted():
    refuse_remote("http://127.0.0.1:8123")


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert [percentile(values, p) for p in (50, 95, 99)] == [50.0, 95.0, 99.0]
    assert percentile([7.0], 99) == 7.0
