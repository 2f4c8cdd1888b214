"""`fazhi bench import`: records/s and peak memory of importing a generated bureau.

Each run imports into a fresh store in a separate `fazhi import` process, exactly as a user
would; memory is the peak of that process and its workers together: their proportional set
size (a page shared by several processes counted once, in shares), and beside it the plain sum
of their resident sizes, which counts the pages a forked worker shares with its parent twice.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fazhi.config import data_dir

# A fixed year keeps the data set, and so the figures, comparable between runs.
BENCH_FROM, BENCH_TO = date(2025, 7, 1), date(2026, 6, 30)


@dataclass(frozen=True)
class Memory:
    """Of a process tree at one moment, in KiB."""

    pss_kib: int = 0
    rss_kib: int = 0


@dataclass(frozen=True)
class Figures:
    """`seconds`: the whole `fazhi import` run; `stored`: from its start until the batch's
    records were committed (the patrol then derives the obligations of large batches)."""

    store: str
    records: int
    events: int
    seconds: float
    stored: float
    peak: Memory
    load: float  # the machine's 5-minute load average at the end: other work inflates times

    def line(self) -> str:
        return (
            f"{self.store:<10} {self.records:>10,} 条  {self.events:>10,} 事件  "
            f"入库 {self.stored:7.1f} s  {self.records / self.stored:>9,.0f} 条/s  "
            f"{self.events / self.stored:>9,.0f} 事件/s  含巡查共 {self.seconds:7.1f} s  "
            f"{self.events / self.seconds:>9,.0f} 事件/s  "
            f"峰值内存 {self.peak.pss_kib / 1024:,.0f} MiB"
            f"（各进程驻留内存之和 {self.peak.rss_kib / 1024:,.0f} MiB）  "
            f"机器负载 {self.load:.2f}"
        )


def batch_seconds(database_url: str) -> float:
    """How long the import took to commit its records, from the batch row it wrote."""
    sql = "SELECT started_at, finished_at FROM imports_importbatch ORDER BY id DESC LIMIT 1"
    if database_url.startswith("sqlite:///"):
        import sqlite3
        from datetime import datetime as dt

        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
            started, finished = conn.execute(sql).fetchone()
        return (dt.fromisoformat(finished) - dt.fromisoformat(started)).total_seconds()
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as conn:
        started, finished = conn.execute(sql).fetchone()
    return (finished - started).total_seconds()


def dataset(scale: str) -> Path:
    from fazhi.demo import generate_bureau

    folder = data_dir() / "bench" / f"{scale}-seed1-{BENCH_TO.isoformat()}"
    if not (folder / "manifest.json").exists():
        print(f"生成 {scale} 规模数据到 {folder} ……", flush=True)
        started = time.perf_counter()
        generate_bureau(folder, scale=scale, seed=1, date_from=BENCH_FROM, date_to=BENCH_TO)
        print(f"生成用时 {time.perf_counter() - started:.1f} s", flush=True)
    return folder


def _kib(text: str, field: str) -> int:
    return next((int(line.split()[1]) for line in text.splitlines() if line.startswith(field)), 0)


def tree_memory(root: int) -> Memory:
    """Memory of a process and its descendants, from /proc."""
    pss = rss = 0
    pids = [root]
    while pids:
        pid = pids.pop()
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:  # the process ended meanwhile
            continue
        pss += _kib(rollup, "Pss:")
        rss += _kib(rollup, "Rss:")
        pids.extend(int(c) for c in children)
    return Memory(pss, rss)


def _measure(args: list[str], env: dict[str, str]) -> tuple[float, Memory, str]:
    proc = subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = Memory()
    done = threading.Event()

    def poll() -> None:
        nonlocal peak
        while not done.is_set():
            now = tree_memory(proc.pid)
            peak = Memory(max(peak.pss_kib, now.pss_kib), max(peak.rss_kib, now.rss_kib))
            time.sleep(0.2)

    watcher = threading.Thread(target=poll, daemon=True)
    started = time.perf_counter()
    watcher.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    done.set()
    watcher.join()
    if proc.returncode != 0:
        raise SystemExit(f"导入失败（退出码 {proc.returncode}）：{err[-2000:]}")
    return seconds, peak, out


def import_once(store: str, database_url: str | None, files: list[Path]) -> Figures:
    """Import into a fresh store; None means a new SQLite file."""
    with tempfile.TemporaryDirectory(prefix="fazhi-bench-", dir=data_dir()) as tmp:
        database_url = database_url or f"sqlite:///{tmp}/bench.sqlite3"
        env = {**os.environ, "FAZHI_DATABASE_URL": database_url, "FAZHI_DATA_DIR": tmp}
        cli = [sys.executable, "-m", "fazhi.cli"]
        subprocess.run([*cli, "migrate"], env=env, check=True, capture_output=True)
        seconds, peak, out = _measure([*cli, "import", *map(str, files), "--format", "json"], env)
        stored = batch_seconds(database_url)
    report = json.loads(out)
    with (files[0].parent / "manifest.json").open(encoding="utf-8") as fh:
        events = json.load(fh)["counts"]["event"]
    return Figures(store, report["new"], events, seconds, stored, peak, os.getloadavg()[1])


def _fresh_postgres_database(admin_url: str) -> str:
    import psycopg

    name = f"fazhi_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def run_import_benchmark(
    *, scale: str, postgres: str | None, skip_postgres: bool, skip_sqlite: bool = False
) -> int:
    folder = dataset(scale)
    order = ["unit", "person", "grid", "case", "alarm", "subject", "event"]
    files = [folder / f"{t}.jsonl" for t in order]
    print(
        f"机器：{os.cpu_count()} 核，Python {sys.version.split()[0]}，"
        f"开始时负载 {os.getloadavg()[1]:.2f}；数据：{folder.name}",
        flush=True,
    )
    if not skip_sqlite:
        print(import_once("SQLite", None, files).line(), flush=True)
    if not skip_postgres:
        admin = postgres or os.environ.get("FAZHI_BENCH_POSTGRES_URL")
        if not admin:
            print(
                "未给出 PostgreSQL 地址（--postgres 或 FAZHI_BENCH_POSTGRES_URL），跳过 PostgreSQL。"
                "用 scripts/bench.sh 会自动启动临时集群。"
            )
            return 0
        print(import_once("PostgreSQL", _fresh_postgres_database(admin), files).line(), flush=True)
    return 0
