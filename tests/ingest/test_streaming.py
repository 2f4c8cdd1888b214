"""Large files stream through in bounded memory, and a killed import leaves nothing half-done."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.support import base_records

pytestmark = pytest.mark.django_db  # the scratch database is made next to the test database


def write_events(path: Path, count: int, note_chars: int = 0, cases: int = 1) -> Path:
    """The base world with `cases` cases (A1, A2, …) and `count` events spread over them,
    each optionally padded with a long note."""
    note = "笔录摘要" * (note_chars // 4)
    world = base_records()
    first_case = next(r for r in world if r["type"] == "case")
    world += [{**first_case, "id": f"A{n}"} for n in range(2, cases + 1)]
    with path.open("w", encoding="utf-8") as fh:
        for record in world:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        for i in range(count):
            event = {
                "type": "event",
                "id": f"EV{i:07d}",
                "case": f"A{i % cases + 1}",
                "kind": "inquiry",
                "at": "2026-03-02T10:00:00+08:00",
                "end": "2026-03-02T11:00:00+08:00",
                "officers": ["P1", "P2"],
                "attrs": {"recorded": True, "x_note": note},
            }
            fh.write(json.dumps(event, ensure_ascii=False) + "\n")
    return path


def count_rows(database_url: str, data_dir: Path) -> dict[str, int]:
    script = (
        "import json, django; django.setup();"
        "from fazhi.apps.imports.models import ImportBatch as B; from fazhi.apps.cases.models import Event as E;"
        "from fazhi.apps.audit.models import AuditEntry as A;"
        "print(json.dumps({'batches': B.objects.count(), 'events': E.objects.count(), 'audit': A.objects.count()}))"
    )
    env = {
        **os.environ,
        "FAZHI_DATABASE_URL": database_url,
        "FAZHI_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "fazhi.web.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_a_100_mb_file_is_streamed_in_bounded_memory(fazhi_process, tmp_path):
    # 3 bytes a character; 400 cases of 160 events, as a real export spreads them
    path = write_events(tmp_path / "big.jsonl", 64_000, note_chars=540, cases=400)
    assert path.stat().st_size > 100 * 1024 * 1024
    env = {
        **os.environ,
        "FAZHI_DATABASE_URL": fazhi_process.database_url,
        "FAZHI_DATA_DIR": str(fazhi_process.data_dir),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "fazhi.cli", "import", str(path), "--format", "json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read()
    assert os.waitstatus_to_exitcode(status) == 0, proc.stderr.read()
    assert json.loads(out)["new"] == 64_008 + 399
    peak_mib = usage.ru_maxrss / 1024
    assert peak_mib < 300, (
        f"peak memory {peak_mib:.0f} MiB for a {path.stat().st_size >> 20} MiB file"
    )


def orphans(path: Path) -> list[str]:
    """Processes still working on `path`: workers of a killed import must die with it."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if str(path) in cmdline and "fazhi.cli" in cmdline:
            found.append(f"{proc.name}: {cmdline}")
    return found


def test_killing_an_import_leaves_either_nothing_or_the_whole_batch(fazhi_process, tmp_path):
    path = write_events(tmp_path / "batch.jsonl", 60_000)
    env = {
        **os.environ,
        "FAZHI_DATABASE_URL": fazhi_process.database_url,
        "FAZHI_DATA_DIR": str(fazhi_process.data_dir),
    }
    killed_while_running = 0
    for delay in (0.8, 1.6, 2.4, 3.2):
        proc = subprocess.Popen(
            [sys.executable, "-m", "fazhi.cli", "import", str(path), "--format", "json"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        if proc.poll() is None:
            killed_while_running += 1
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        rows = count_rows(fazhi_process.database_url, fazhi_process.data_dir)
        if rows["batches"] == 0:
            assert rows == {"batches": 0, "events": 0, "audit": 0}
        else:
            assert rows["batches"] == 1 and rows["events"] == 60_002
            break
    assert killed_while_running >= 1
    time.sleep(0.5)
    assert not orphans(path), "validation workers outlived the killed import"
    result = fazhi_process("import", str(path), "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["new"] + json.loads(result.stdout)["unchanged"] == 60_008
    assert fazhi_process("audit", "verify").returncode == 0
