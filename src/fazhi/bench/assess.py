"""`fazhi bench assess`: scoring a year of a generated bureau, and keeping its ledger in step.

The store is the bureau of `fazhi bench web` (imported once through `fazhi import`, patrol
derived) with the bureau's assessment inputs imported through `fazhi assess-import`, kept under
the data folder as a base file and reused; each run works on a fresh copy of it, so the first
recompute always starts from an empty ledger. Prints:

- the recompute of every period of every scheme in the bench year (months, quarters, the year
  and the year's last day, as the demo scores them), in its own process: seconds, entries
  posted and peak memory — first over the empty ledger, then once more over the unchanged
  store (which posts nothing);
- the ledger update after one new event: for a sample of open cases, a closing event is
  stored and the people of the case are re-scored for the open periods
  (`fazhi.apps.assessment.incremental`); median and p95 of that step, each rolled back.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from fazhi.bench.imports import BENCH_FROM, BENCH_TO, _measure, dataset
from fazhi.bench.web import READY, prepare_store, store_env
from fazhi.config import data_dir

SAMPLE = 200
AS_OF = "2026-06-30T12:00:00+08:00"  # the bench year's last day: its periods are the open ones
ACTOR = "bench"


def run_assess_benchmark(*, scale: str) -> int:
    base = prepare_base(scale)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"机器：{os.cpu_count()} 核，Python {sys.version.split()[0]}；负载 {load}", flush=True)
    with tempfile.TemporaryDirectory(prefix="fazhi-bench-", dir=data_dir()) as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        shutil.copyfile(base / "fazhi.sqlite3", work / "fazhi.sqlite3")
        print(f"复制基准库 {time.perf_counter() - started:.1f} s", flush=True)
        env = store_env(work)
        for label in ("首次计算（台账为空）", "再次重算（数据未变）"):
            cpu = _children_cpu()
            seconds, peak, out = _measure([sys.executable, "-m", "fazhi.bench.assess"], env)
            cpu = _children_cpu() - cpu
            figures = json.loads(out)
            print(
                f"{label}：{figures['runs']} 个方案期间  {seconds:7.1f} s（其中计分 "
                f"{figures['seconds']:.1f} s；占用 CPU {cpu:.1f} s）  新记 {figures['posted']:,} 条、冲销 "
                f"{figures['reversed']:,} 条  峰值内存 {peak.pss_kib / 1024:,.0f} MiB",
                flush=True,
            )
        os.environ.update(FAZHI_DATABASE_URL=env["FAZHI_DATABASE_URL"], FAZHI_DATA_DIR=tmp)
        _incremental_figures()
    print(f"结束时负载 {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


def prepare_base(scale: str) -> Path:
    """The folder of the base store of `scale`: made once, then reused (built beside its final
    place and renamed when complete, so an interrupted run leaves nothing to reuse)."""
    from fazhi.demo.assessment import generate_assessment

    folder = data_dir() / "bench" / f"assess-{scale}-seed1-{BENCH_TO.isoformat()}"
    if (folder / READY).exists():
        print(f"沿用已准备的数据库：{folder}", flush=True)
        return folder
    source = dataset(scale)
    if not (source / "assessment" / "case_quota.jsonl").exists():  # generated before inputs
        generate_assessment(source, seed=1)
    bureau = prepare_store(scale)
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    shutil.copyfile(bureau / "fazhi.sqlite3", partial / "fazhi.sqlite3")
    env = store_env(partial)
    cli = [sys.executable, "-m", "fazhi.cli"]
    subprocess.run([*cli, "migrate"], env=env, check=True, capture_output=True)
    inputs = sorted(str(p) for p in (source / "assessment").glob("*.jsonl"))
    result = subprocess.run(
        [*cli, "assess-import", *inputs], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"考评数据导入失败（退出码 {result.returncode}）：{result.stderr[-2000:]}")
    print(result.stdout.strip(), flush=True)
    (partial / READY).write_text("ok\n", encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return folder


def recompute_year() -> dict[str, float]:
    """Every period of every scheme in the bench year, scored (by forked workers) and posted
    (by this process)."""
    from fazhi.apps.assessment.demo import demo_periods
    from fazhi.apps.assessment.schemes import shipped_schemes
    from fazhi.apps.assessment.services import recompute_all
    from fazhi.cli import parse_as_of

    runs = [
        (scheme.code, period.text)
        for scheme in shipped_schemes()
        for period in demo_periods(scheme, BENCH_FROM, BENCH_TO)
    ]
    started = time.perf_counter()
    done = recompute_all(runs, actor=ACTOR, at=parse_as_of(AS_OF))
    return {
        "runs": len(done),
        "posted": sum(d.posted for d in done),
        "reversed": sum(d.reversed for d in done),
        "seconds": time.perf_counter() - started,
    }


def _incremental_figures() -> None:
    from fazhi.cli import parse_as_of, setup_django

    setup_django()
    from django.db import transaction

    from fazhi.apps.assessment.incremental import cases_changed
    from fazhi.apps.assessment.schemes import shipped_schemes
    from fazhi.apps.cases.models import Event

    as_of = parse_as_of(AS_OF)
    shipped_schemes()  # loaded once per process, as in the server
    cases = _open_cases(as_of)
    if not cases:
        print("新增一事件后的台账更新   （库中没有未结案件，未测）")
        return
    sample = random.Random(1).sample(cases, min(SAMPLE, len(cases)))
    timings: list[float] = []
    cpu_ms: list[float] = []
    written: list[int] = []
    for n, case_id in enumerate(sample):
        with transaction.atomic():
            last = Event.objects.filter(case_id=case_id).order_by("-at").first()
            Event.objects.create(
                id=f"BENCH-CLOSE-{n}",
                case_id=case_id,
                kind="closed",
                at=max(as_of - timedelta(hours=1), last.at if last else as_of),
                officers=last.officers if last else [],
                attrs={},
                content_hash="bench",
            )
            started, cpu = time.perf_counter(), time.process_time()
            written.append(cases_changed({case_id}, as_of, actor=ACTOR))
            timings.append((time.perf_counter() - started) * 1000)
            cpu_ms.append((time.process_time() - cpu) * 1000)
            transaction.set_rollback(True)
    print(
        f"新增一事件后的台账更新   中位 {statistics.median(timings):.2f} ms   "
        f"p95 {_p95(timings):.2f} ms   （{len(timings)} 起未结案件办结，"
        f"平均每次记账 {statistics.mean(written):.1f} 条；占用 CPU 中位 "
        f"{statistics.median(cpu_ms):.2f} ms、p95 {_p95(cpu_ms):.2f} ms）"
    )


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def _children_cpu() -> float:
    """CPU seconds of the finished child processes: on a machine shared with other work,
    the wall time grows with the load, the CPU time much less."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _open_cases(as_of: datetime) -> list[str]:
    """Cases opened in the open year, not closed by `as_of`, with a lead handler."""
    from fazhi.apps.assessment.store import CLOSING_EVENTS
    from fazhi.apps.cases.models import Case, CaseHandler, Event

    closed = Event.objects.filter(kind__in=CLOSING_EVENTS, at__lte=as_of).values("case_id")
    led = CaseHandler.objects.filter(role="lead").values("case_id")
    year = as_of.replace(month=1, day=1, hour=0, minute=0)
    rows = Case.objects.filter(opened_at__gte=year, opened_at__lte=as_of, pk__in=led)
    return list(rows.exclude(pk__in=closed).order_by("pk").values_list("pk", flat=True))


if __name__ == "__main__":  # the recompute, in a process of its own (`_measure`)
    from fazhi.cli import setup_django

    setup_django()
    print(json.dumps(recompute_year()))
