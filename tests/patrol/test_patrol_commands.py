"""`fazhi patrol rebuild|tick|diff` in their own processes: the parallel rebuild (two forked
workers) agrees with what the imports derived; tick moves time; diff previews a notice."""

from __future__ import annotations

import re

import pytest

from fazhi.demo import generate_bureau

pytestmark = pytest.mark.django_db

AS_OF = "2026-06-30T12:00:00+08:00"


@pytest.fixture
def imported(fazhi_process, tmp_path):
    from datetime import date

    folder = tmp_path / "bureau"
    generate_bureau(
        folder, scale="mini", seed=3, date_from=date(2026, 1, 1), date_to=date(2026, 6, 30)
    )
    (folder / "defects.jsonl").unlink()
    result = fazhi_process("import", str(folder), "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    return fazhi_process


def test_a_parallel_rebuild_finds_nothing_to_change(imported):
    result = imported("patrol", "rebuild", "--as-of", AS_OF, "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert "新增义务 0，变更 0，撤销 0" in result.stdout


def test_a_tick_later_moves_duties_on(imported):
    result = imported("patrol", "tick", "--as-of", "2026-07-15T12:00:00+08:00")
    assert result.returncode == 0, result.stderr
    moved = re.search(r"临期 (\d+)，超期 (\d+)", result.stdout)
    assert moved and int(moved.group(2)) > 0
    again = imported("patrol", "tick", "--as-of", "2026-07-15T12:00:00+08:00")
    assert "临期 0，超期 0，逐级推送 0" in again.stdout


def test_diff_reads_a_notice_and_names_a_bad_line(imported, tmp_path):
    notice = tmp_path / "notice.csv"
    notice.write_text("日期,类型,名称\n2026-07-01,休息,测试\n2026-07-02,放假?,测试\n", "utf-8")
    result = imported("patrol", "diff", "--calendar", str(notice), "--as-of", AS_OF)
    assert result.returncode == 2
    assert "第 3 行" in result.stderr and "放假?" in result.stderr
    notice.write_text("2026-07-01,休息,测试\n", "utf-8")
    result = imported("patrol", "diff", "--calendar", str(notice), "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    assert re.search(r"共 \d+ 项未办结义务的到期时间将改变", result.stdout)


def _count_warnings(database_url: str) -> int:
    """Read the scratch store directly (it belongs to the server process under test)."""
    if database_url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
            return conn.execute("SELECT COUNT(*) FROM patrol_warning").fetchone()[0]
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as conn:
        return conn.execute("SELECT COUNT(*) FROM patrol_warning").fetchone()[0]


@pytest.mark.parametrize("command", ["serve", "schedule"])
def test_the_patrol_runs_on_a_scheduler(fazhi_process, write_jsonl, command):
    """In the web server, or alone (`fazhi patrol schedule`) where no server runs."""
    import os
    import subprocess
    import sys
    import time

    from tests.support import base_records
    from tests.web.test_serve import free_port

    # imported as of the detention itself: nothing is due yet, so no warning
    result = fazhi_process(
        "import", str(write_jsonl(base_records())), "--as-of", "2026-03-01T10:30:00+08:00"
    )
    assert result.returncode == 0, result.stderr
    assert _count_warnings(fazhi_process.database_url) == 0
    env = {
        **os.environ,
        "FAZHI_DATABASE_URL": fazhi_process.database_url,
        "FAZHI_DATA_DIR": str(fazhi_process.data_dir),
    }
    args = ["serve", "--port", str(free_port())] if command == "serve" else ["patrol", "schedule"]
    server = subprocess.Popen(
        [sys.executable, "-m", "fazhi.cli", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while _count_warnings(fazhi_process.database_url) == 0:
            assert server.poll() is None, "the server stopped"
            assert time.monotonic() < deadline, "no scheduled patrol within 60 s"
            time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=10)
