"""`fazhi bench web`: response times of the pages users open every morning, under load.

A SQLite store holding a generated bureau is prepared once per scale through the real
`fazhi migrate` and `fazhi import` (which also derives the obligations and warnings) and kept
under the data folder; each run then starts the real `fazhi serve` on 127.0.0.1 in its own
process, signs in N virtual users with CSRF (half as the legal department on the bureau root,
half as a station head) and lets them loop, for a bounded time, over 首页, the warning list
(first page and a filtered page) and the page of a case they may see. It prints, per page,
requests, errors and p50/p95/p99, and the overall requests per second.

The load comes from a pool of threads, one `httpx.Client` (its own cookies and keep-alive
connection) per virtual user, rather than from locust: locust imports gevent, which
monkeypatches the standard library of the process importing it, brings flask and pyzmq
along, and reports bucketed percentiles (rounded to two significant figures) through CSV
files of a separate process. The users spend their time waiting on sockets, where threads
release the GIL, and each request's time is measured exactly with `perf_counter`.
"""

from __future__ import annotations

import math
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from fazhi.bench.imports import dataset
from fazhi.config import data_dir

LOCAL = "127.0.0.1"
READY = "ready"  # written into a store's folder once it holds the whole bureau
ORDER = ["unit", "person", "grid", "case", "alarm", "subject", "event"]
CASES_SAMPLED = 500  # case pages each account draws from
SIGN_IN, HOME, WARNINGS, WARNINGS_FILTERED, CASE = (
    "登录",
    "首页",
    "风险预警",
    "风险预警（筛选）",
    "案件页",
)
PAGES = (SIGN_IN, HOME, WARNINGS, WARNINGS_FILTERED, CASE)
FILTERED_WARNINGS = "/warnings/?level=high&sort=due_at"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    label: str  # role and unit, for the printed header
    case_ids: tuple[str, ...]


@dataclass
class Timings:
    """Milliseconds of the successful requests of each page, and its failed requests."""

    ms: dict[str, list[float]] = field(default_factory=lambda: {p: [] for p in PAGES})
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PAGES, 0))

    def merge(self, other: Timings) -> None:
        for page in PAGES:
            self.ms[page].extend(other.ms[page])
            self.errors[page] += other.errors[page]


# --- the store -------------------------------------------------------------------------------


def store_env(folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "FAZHI_DATA_DIR": str(folder),
        "FAZHI_DATABASE_URL": f"sqlite:///{folder / 'fazhi.sqlite3'}",
    }


def prepare_store(scale: str) -> Path:
    """The folder of a store holding the bureau of `scale`: made once, then reused. It is built
    beside its final place and renamed when complete, so an interrupted run leaves no half
    store behind to be reused."""
    source = dataset(scale)
    store = data_dir() / "bench" / f"web-{source.name}"
    if (store / READY).exists():
        print(f"沿用已导入的数据库：{store}", flush=True)
        return store
    partial = store.with_name(store.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    env = store_env(partial)
    cli = [sys.executable, "-m", "fazhi.cli"]
    subprocess.run([*cli, "migrate"], env=env, check=True, capture_output=True)
    print(f"导入 {source.name}（含巡查推导）到 {store} ……", flush=True)
    started = time.perf_counter()
    files = [str(source / f"{t}.jsonl") for t in ORDER]
    result = subprocess.run(
        [*cli, "import", *files, "--format", "json"], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"导入失败（退出码 {result.returncode}）：{result.stderr[-2000:]}")
    print(f"导入用时 {time.perf_counter() - started:.1f} s", flush=True)
    (partial / READY).write_text("ok\n", encoding="utf-8")
    shutil.rmtree(store, ignore_errors=True)
    partial.rename(store)
    return store


def bench_accounts(store: Path) -> list[Account]:
    """The legal department on the bureau root and the head of the busiest station, with fresh
    passwords, made through the accounts services in this process (bound to the store)."""
    os.environ.update(store_env(store))
    from fazhi.cli import setup_django

    setup_django()
    from django.db import connection
    from django.db.models import Count

    from fazhi.apps.accounts import scope
    from fazhi.apps.accounts.models import Role
    from fazhi.apps.org.models import Unit

    root = Unit.objects.get(parent=None)
    station = (
        Unit.objects.filter(kind="station").annotate(n=Count("cases")).order_by("-n", "pk").first()
    )
    accounts = []
    for username, role, unit in (
        ("bench_legal", Role.LEGAL_DEPARTMENT, root),
        ("bench_head", Role.UNIT_HEAD, station),
    ):
        user, password = _account(username, role, unit)
        ids = list(scope.visible_cases(user).values_list("pk", flat=True))
        sample = random.Random(username).sample(ids, min(CASES_SAMPLED, len(ids)))
        label = f"{role.label}·{unit.name}（可见案件 {len(ids):,} 起）"
        accounts.append(Account(username, password, label, tuple(sample)))
    connection.close()  # the server is the only one using the store from now on
    return accounts


def _account(username: str, role: str, unit: object) -> tuple[object, str]:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from fazhi.apps.accounts.passwords import set_password
    from fazhi.apps.accounts.services import grant_role

    now = timezone.now()
    user, _ = get_user_model().objects.get_or_create(username=username)
    password = f"Bench-{secrets.token_urlsafe(12)}-9a"
    set_password(user, password, actor="bench", at=now)
    grant_role(user, role, unit, by=None, at=now)
    return user, password


# --- the server ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((LOCAL, 0))
        return s.getsockname()[1]


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"{base}/healthz", timeout=2).raise_for_status()
            return
        except httpx.HTTPError:
            if server.poll() is not None:
                raise SystemExit(f"网页服务启动失败（退出码 {server.returncode}）") from None
            if time.monotonic() > deadline:
                raise SystemExit("网页服务 60 秒内未就绪") from None
            time.sleep(0.2)


@contextmanager
def serving(store: Path) -> Iterator[str]:
    """`fazhi serve` on a free local port in its own process; yields its base address."""
    port = _free_port()
    with (store / "serve.log").open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "fazhi.cli", "serve", "--host", LOCAL, "--port", str(port)],
            env=store_env(store),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://{LOCAL}:{port}"
            _wait_until_up(base, server)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=60)


# --- the virtual users -----------------------------------------------------------------------


def refuse_remote(base: str) -> None:
    """Load is only ever sent to this machine's own server."""
    if urlsplit(base).hostname != LOCAL:
        raise SystemExit(f"只允许对 {LOCAL} 施加负载，拒绝：{base}")


def _timed_get(client: httpx.Client, page: str, path: str, timings: Timings) -> None:
    started = time.perf_counter()
    try:
        ok = client.get(path).status_code == 200
    except httpx.HTTPError:
        ok = False
    _note(timings, page, started, ok)


def _note(timings: Timings, page: str, started: float, ok: bool) -> None:
    if ok:
        timings.ms[page].append((time.perf_counter() - started) * 1000)
    else:
        timings.errors[page] += 1


def _sign_in(client: httpx.Client, account: Account, timings: Timings) -> bool:
    """GET the form for its CSRF token, POST it (timed together); success is the redirect to
    首页."""
    started = time.perf_counter()
    try:
        token = CSRF_FIELD.search(client.get("/login/").text)
        response = client.post(
            "/login/",
            data={
                "username": account.username,
                "password": account.password,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{client.base_url}login/"},
        )
        ok = response.status_code == 302 and response.headers.get("location") == "/"
    except httpx.HTTPError:
        ok = False
    _note(timings, SIGN_IN, started, ok)
    return ok


def _round(account: Account, rng: random.Random) -> list[tuple[str, str]]:
    """One visit of each page, in the order a user opens them in the morning."""
    case = rng.choice(account.case_ids) if account.case_ids else "none"
    return [
        (HOME, "/"),
        (WARNINGS, "/warnings/"),
        (WARNINGS_FILTERED, FILTERED_WARNINGS),
        (CASE, f"/cases/{case}/"),
    ]


def _virtual_user(
    base: str, account: Account, seed: int, until: float, think: float, timings: Timings
) -> None:
    """Sign in, then go round the pages until the deadline; the round under way is finished,
    so every page is measured at least once per user."""
    rng = random.Random(seed)
    with _client(base) as client:
        if not _sign_in(client, account, timings):
            return
        while time.monotonic() < until:
            for page, path in _round(account, rng):
                _timed_get(client, page, path, timings)
                if think:
                    time.sleep(rng.uniform(0.5 * think, 1.5 * think))


def warm_up(base: str, accounts: list[Account]) -> list[str]:
    """One round per account before the measured run: the server loads its catalogue and
    templates on first use, and counts each scope's 首页 figures (fazhi.apps.figures), which
    the scheduler then keeps counted. Reported apart, as what the first visitor waits."""
    lines = []
    for account in accounts:
        with _client(base) as client:
            first = Timings()
            _sign_in(client, account, first)
            for page, path in _round(account, random.Random(0)):
                _timed_get(client, page, path, first)
        waits = "，".join(f"{page} {ms[0]:.0f} ms" for page, ms in first.ms.items() if ms)
        lines.append(f"首次访问（{account.username}，不计入下表）：{waits}")
    return lines


def _client(base: str) -> httpx.Client:
    """A browser-like session: its own cookies and keep-alive connection, no redirects."""
    return httpx.Client(base_url=base, timeout=60, follow_redirects=False)


def drive(
    base: str,
    accounts: list[Account],
    *,
    users: int,
    seconds: float,
    think: float,
    ramp: float = 0,
) -> tuple[Timings, float]:
    """Run `users` virtual users against `base` for `seconds`, starting them evenly over the
    first `ramp` seconds (as locust spawns users at a rate; 0: all at once); the timings and
    the elapsed wall time (the last requests finish after the deadline)."""
    refuse_remote(base)
    until = time.monotonic() + seconds
    per_user = [Timings() for _ in range(users)]
    threads = [
        threading.Thread(
            target=_virtual_user,
            args=(base, accounts[n % len(accounts)], n, until, think, per_user[n]),
        )
        for n in range(users)
    ]
    started = time.perf_counter()
    for n, thread in enumerate(threads):
        time.sleep(max(0.0, started + n * ramp / users - time.perf_counter()))
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    total = Timings()
    for timings in per_user:
        total.merge(timings)
    return total, elapsed


# --- the report ------------------------------------------------------------------------------


def percentile(sorted_ms: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted values."""
    return sorted_ms[max(0, math.ceil(p / 100 * len(sorted_ms)) - 1)]


def load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def report(timings: Timings, elapsed: float) -> list[str]:
    lines = [f"{'页面' + '　' * 6}{'请求':>6}{'错误':>4}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}"]
    for page in PAGES:
        ms = sorted(timings.ms[page])
        figures = (
            "".join(f"{percentile(ms, p):>10.1f}" for p in (50, 95, 99)) if ms else f"{'—':>10}" * 3
        )
        name = page + "　" * (8 - len(page))  # full-width padding keeps CJK columns aligned
        lines.append(f"{name}{len(ms) + timings.errors[page]:>8}{timings.errors[page]:>6}{figures}")
    requests = sum(len(v) for v in timings.ms.values()) + sum(timings.errors.values())
    lines.append(f"合计 {requests:,} 次请求，用时 {elapsed:.1f} s，{requests / elapsed:.1f} 次/秒")
    return lines


def run_web_benchmark(
    *, scale: str, users: int, seconds: float, think: float, ramp: float = 0
) -> int:
    store = prepare_store(scale)
    accounts = bench_accounts(store)
    print(
        f"机器：{os.cpu_count()} 核，Python {sys.version.split()[0]}；数据：{store.name}；SQLite；"
        f"负载均值（1/5/15 分钟）{load_average()}"
    )
    for account in accounts:
        print(f"账号 {account.username}：{account.label}")
    pause = f"每页之间思考 {think:g} s（±50%）" if think else "无思考时间（连续请求）"
    start = f"在前 {ramp:g} s 内均匀进入" if ramp else "同时进入"
    print(f"{users} 个并发虚拟用户（{start}），持续 {seconds:g} s，{pause}", flush=True)
    with serving(store) as base:
        for line in warm_up(base, accounts):
            print(line, flush=True)
        timings, elapsed = drive(
            base, accounts, users=users, seconds=seconds, think=think, ramp=ramp
        )
    for line in report(timings, elapsed):
        print(line)
    print(f"结束时负载均值（1/5/15 分钟）{load_average()}")
    return 0
