"""`fazhi bench import`: the real command, on a mini bureau, prints its figures; the memory
of a process tree counts a page its processes share once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from multiprocessing import get_context
from pathlib import Path

import pytest

from fazhi.bench.imports import tree_memory

MIB = 1024


def _hold(megabytes: int, ready, done) -> None:
    block = bytearray(os.urandom(megabytes << 20))  # private, written pages
    ready.set()
    done.wait()
    del block


def test_tree_memory_sums_children_and_counts_shared_pages_once():
    before = tree_memory(os.getpid())
    context = get_context("fork")
    ready, done = context.Event(), context.Event()
    child = context.Process(target=_hold, args=(64, ready, done))
    child.start()
    try:
        assert ready.wait(60)
        during = tree_memory(os.getpid())
    finally:
        done.set()
        child.join()
    # the child's 64 MiB of its own is counted; the pages it shares with this process are
    # counted whole in the resident sum, but only in shares in the proportional one
    assert during.pss_kib - before.pss_kib >= 60 * MIB
    assert during.rss_kib - during.pss_kib > 0
    assert 0 < before.pss_kib <= before.rss_kib


@pytest.mark.slow
def test_bench_import_prints_rates_memory_and_load(tmp_path: Path):
    env = {**os.environ, "FAZHI_DATA_DIR": str(tmp_path)}
    env.pop("FAZHI_DATABASE_URL", None)  # each run imports into its own fresh store
    result = subprocess.run(
        [sys.executable, "-m", "fazhi.cli", "bench", "import"]
        + ["--scale", "mini", "--skip-postgres"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("SQLite"))
    numbers = [float(n.replace(",", "")) for n in re.findall(r"[\d,]+(?:\.\d+)?", line)]
    records, events, stored, _, events_per_s, total, total_rate, pss, rss, load = numbers
    assert (records, events) == (2693, 1873)  # every record of the mini bureau is new
    assert 0 < stored <= total
    # the seconds are printed to a tenth, the rates from the unrounded seconds
    assert events / (stored + 0.05) - 1 <= events_per_s <= events / (stored - 0.05) + 1
    assert events / (total + 0.05) - 1 <= total_rate <= events / (total - 0.05) + 1
    assert 0 < pss <= rss and load >= 0
    machine = next(x for x in result.stdout.splitlines() if x.startswith("机器"))
    assert "开始时负载" in machine
