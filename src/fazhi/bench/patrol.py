"""`fazhi bench patrol`: the patrol over a store holding a generated bureau.

Prints, for one store (a fresh SQLite file, or PostgreSQL when given):
- the import of the bureau (which re-evaluates every case it touches);
- `fazhi patrol rebuild` in its own process: seconds and peak memory of it and its workers;
- incremental re-evaluation of one case after one new event: median and p95 over a sample;
- listing every due-soon and overdue obligation as of now: median of repeated queries.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta

from fazhi.bench.imports import _fresh_postgres_database, _measure, dataset
from fazhi.config import data_dir

SAMPLE = 200
AS_OF = "2026-06-30T12:00:00+08:00"


def run_patrol_benchmark(*, scale: str, postgres: str | None) -> int:
    folder = dataset(scale)
    order = ["unit", "person", "grid", "case", "alarm", "subject", "event"]
    files = [folder / f"{t}.jsonl" for t in order]
    store = "PostgreSQL" if postgres else "SQLite"
    print(
        f"机器：{os.cpu_count()} 核，Python {sys.version.split()[0]}；数据：{folder.name}；{store}"
    )
    with tempfile.TemporaryDirectory(prefix="fazhi-bench-", dir=data_dir()) as tmp:
        url = _fresh_postgres_database(postgres) if postgres else f"sqlite:///{tmp}/bench.sqlite3"
        env = {**os.environ, "FAZHI_DATABASE_URL": url, "FAZHI_DATA_DIR": tmp}
        cli = [sys.executable, "-m", "fazhi.cli"]
        subprocess.run([*cli, "migrate"], env=env, check=True, capture_output=True)
        seconds, peak, _ = _measure(
            [*cli, "import", *map(str, files), "--format", "json", "--as-of", AS_OF], env
        )
        print(f"导入（含逐案巡查）      {seconds:8.1f} s   峰值内存 {peak:,.0f} MiB", flush=True)
        seconds, peak, out = _measure([*cli, "patrol", "rebuild", "--as-of", AS_OF], env)
        print(f"全量重建（并行）        {seconds:8.1f} s   峰值内存 {peak:,.0f} MiB", flush=True)
        print(f"  {out.strip()}")
        os.environ.update(FAZHI_DATABASE_URL=url, FAZHI_DATA_DIR=tmp)
        _in_process_figures()
    return 0


def _in_process_figures() -> None:
    from fazhi.cli import parse_as_of, setup_django

    setup_django()
    from django.db import transaction

    from fazhi.apps.cases.models import Case, Event
    from fazhi.apps.patrol.derive import catalogue, reevaluate
    from fazhi.apps.patrol.models import Obligation, ObligationState
    from fazhi.apps.patrol.timelines import Rows

    as_of = parse_as_of(AS_OF)
    open_states = [ObligationState.DUE_SOON.value, ObligationState.OVERDUE.value]
    catalogue()  # loaded once per process, as in the server
    ids = list(Case.objects.values_list("pk", flat=True))
    sample = random.Random(1).sample(ids, min(SAMPLE, len(ids)))
    timings = []
    for n, case_id in enumerate(sample):
        with transaction.atomic():
            # the new event repeats the case's latest one, a little later
            last = Event.objects.filter(case_id=case_id, at__lte=as_of).order_by("-at").first()
            if last is None:
                continue
            Event.objects.create(
                id=f"BENCH-{n}",
                case_id=case_id,
                kind=last.kind,
                subject_id=last.subject_id,
                at=min(last.at + timedelta(minutes=5), as_of),
                officers=last.officers,
                attrs=last.attrs,
                content_hash="bench",
            )
            started = time.perf_counter()
            reevaluate([case_id], as_of)
            timings.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    timings.sort()
    print(
        f"单案增量巡查（新增一事件） 中位 {statistics.median(timings):.2f} ms   "
        f"p95 {timings[int(len(timings) * 0.95) - 1]:.2f} ms   （{len(timings)} 起案件）"
    )
    # plain SQL, as the patrol's own reads: the ORM's per-row work would be measured instead
    # of the store (16,856 rows of the city: 157 ms through `values_list`)
    sql = (
        f"SELECT id, case_id, control_point, due_at FROM {Obligation._meta.db_table} "
        "WHERE state IN (%s, %s)"
    )
    runs = []
    for _ in range(7):
        started = time.perf_counter()
        rows = Rows()
        found = [
            (pk, case, point, rows.when(due))
            for pk, case, point, due in rows.fetch(sql, open_states)
        ]
        runs.append((time.perf_counter() - started) * 1000)
    print(
        f"列出全部临期/超期义务     中位 {statistics.median(runs):.1f} ms   "
        f"（{len(found):,} 项，库中义务 {Obligation.objects.count():,} 项）"
    )
