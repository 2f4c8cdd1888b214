"""`fazhi demo` and `fazhi serve` as a user runs them: real processes, a real HTTP server."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_demo_prepares_the_mini_bureau_and_prints_a_sign_in(fazhi_process):
    result = fazhi_process("demo", "--scale", "mini", "--no-serve", timeout=300)
    assert result.returncode == 0, result.stderr
    assert "拒收 0" in result.stdout
    assert re.search(r"考评数据导入完成：.*；拒收 0", result.stdout)
    summary = re.search(
        r"巡查完成（(\d+) 起案件有发现）：超期未办 (\d+)，即将到期 (\d+)，超期已办 (\d+)，违规 (\d+)",
        result.stdout,
    )
    cases, *by_state = map(int, summary.groups())
    assert sum(by_state) >= cases  # every case with a finding is counted under some state
    accounts = re.findall(r"演示账号：(\S+)（(\S+?)，", result.stdout)
    assert {role for _, role in accounts} == {
        "民警",
        "法制员",
        "所队长",
        "法制部门",
        "局领导",
        "审计管理员",
        "安全管理员",
        "系统管理员",
    }
    again = fazhi_process("demo", "--scale", "mini", "--no-serve", timeout=300)
    assert "演示数据已导入" in again.stdout
    # the same accounts with the same passwords
    assert again.stdout.splitlines()[-8:] == result.stdout.splitlines()[-8:]


def test_serve_answers_on_the_chosen_host_and_port(fazhi_process):
    port = free_port()
    env = {
        **os.environ,
        "FAZHI_DATABASE_URL": fazhi_process.database_url,
        "FAZHI_DATA_DIR": str(fazhi_process.data_dir),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "fazhi.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/login/", timeout=2
                ) as response:
                    page = response.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        assert "登录" in page
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/fazhi/site.css", timeout=5
        ) as response:
            assert b"font-family" in response.read()
    finally:
        server.terminate()
        server.wait(timeout=10)


def _children(pid: int) -> dict[int, str]:
    """Child process id → command line, from /proc."""
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        kids = [int(k) for k in f.read().split()]
    lines = {}
    for kid in kids:
        try:
            with open(f"/proc/{kid}/cmdline", "rb") as f:
                lines[kid] = f.read().replace(b"\0", b" ").decode()
        except FileNotFoundError:
            continue
    return lines


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_serve_runs_one_worker_per_requested_process_and_one_scheduler(fazhi_process):
    port = free_port()
    env = {
        **os.environ,
        "FAZHI_DATABASE_URL": fazhi_process.database_url,
        "FAZHI_DATA_DIR": str(fazhi_process.data_dir),
    }
    args = ["serve", "--port", str(port), "--workers", "2"]
    server = subprocess.Popen([sys.executable, "-m", "fazhi.cli", *args], env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            kids = _children(server.pid)
            schedulers = [k for k, line in kids.items() if "patrol schedule" in line]
            if len(kids) == 3 and schedulers:
                break
            assert time.monotonic() < deadline and server.poll() is None, kids
            time.sleep(0.3)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            assert response.status == 200
        server.kill()  # no clean shutdown: the scheduler and the workers must not outlive it
        server.wait(timeout=10)
        deadline = time.monotonic() + 30
        while any(_alive(k) for k in kids):
            assert time.monotonic() < deadline, [k for k in kids if _alive(k)]
            time.sleep(0.3)
    finally:
        if server.poll() is None:
            server.kill()


def test_the_scheduler_runs_at_a_lower_priority_than_the_web_workers(fazhi_process):
    port = free_port()
    env = {
        **os.environ,
        "FAZHI_DATABASE_URL": fazhi_process.database_url,
        "FAZHI_DATA_DIR": str(fazhi_process.data_dir),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "fazhi.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while len(kids := _children(server.pid)) < 2:
            assert time.monotonic() < deadline and server.poll() is None, kids
            time.sleep(0.3)

        def niceness(pid: int) -> int:
            with open(f"/proc/{pid}/stat") as f:
                return int(f.read().rsplit(")", 1)[1].split()[16])

        by_role = {"patrol schedule" in line: niceness(pid) for pid, line in kids.items()}
        assert by_role[True] == by_role[False] + 10
    finally:
        server.terminate()
        server.wait(timeout=30)
