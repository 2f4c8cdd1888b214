"""Browser tests: Debian's chromium, driven by Playwright, against `fazhi serve` running in its
own process on a migrated scratch database with a small world (one server per test module).

The Django ORM is never used in these tests' own process: Playwright's sync API keeps an event
loop in the main thread, and Django refuses database calls from there.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request, sync_playwright
from tests.conftest import run_fazhi
from tests.support import REPO, base_records

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIBLING = {"type": "unit", "id": "U3", "name": "乙派出所", "kind": "station", "parent": "U1"}
ARTIFACTS = Path(os.environ.get("FAZHI_ARTIFACTS") or REPO / "artifacts") / "browser"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="module")
def scratch_database(tmp_path_factory: pytest.TempPathFactory):
    """A fresh database of the kind under test for this module's server (as the function-scoped
    `scratch_database_url`, but shared by the module's tests: one server start per module)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'browser.sqlite3'}"
        return
    import psycopg

    params = connection.settings_dict
    name = f"fazhi_browser_{uuid.uuid4().hex[:12]}"
    admin = dict(host=params["HOST"], port=params["PORT"], user=params["USER"], dbname="postgres")
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{name}"
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@contextmanager
def running_site(database: str, data: Path, commands: list[list[str]]) -> Iterator[str]:
    """Migrate a scratch store, run `fazhi` `commands` on it, add the browser tests' users
    (tests/browser/accounts.py) and serve it with `fazhi serve`; yields the base address."""
    for args in (["migrate"], *commands):
        result = run_fazhi(args, database, data)
        assert result.returncode == 0, result.stdout + result.stderr
    env = {**os.environ, "FAZHI_DATABASE_URL": database, "FAZHI_DATA_DIR": str(data)}
    made = subprocess.run(
        [sys.executable, "-m", "tests.browser.accounts"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "fazhi.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/healthz", server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def site(scratch_database: str, tmp_path_factory: pytest.TempPathFactory):
    """The base address of a running `fazhi serve` holding the world and the users of
    `accounts`. Tests that change state use their own user (the lockout) or add data."""
    folder = tmp_path_factory.mktemp("site")
    world = write_world(folder / "world.jsonl")
    with running_site(scratch_database, folder / "data", [["import", str(world)]]) as base:
        yield base


def write_world(path: Path) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in [*base_records(), SIBLING]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.exists(), (
        "缺少 /usr/bin/chromium：请运行 apt-get install chromium（.ci/run 会自动安装）"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def outside(urls: list[str], base: str) -> list[str]:
    """The addresses that are not on the server under test."""
    return [u for u in urls if not u.startswith((base + "/", "data:", "blob:"))]


@pytest.fixture
def page(browser, site: str, request: pytest.FixtureRequest):
    """A fresh browser tab at 1366×768. A screenshot is kept after the test, and the test
    fails if the page fetched anything from another host."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    tab = context.new_page()
    requested: list[Request] = []
    tab.on("request", lambda r: requested.append(r))
    tab.requested = requested
    tab.base = site
    yield tab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
    assert outside([r.url for r in requested], site) == [], "页面从外部地址加载了资源"


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto(f"{page.base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
