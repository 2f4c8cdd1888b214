from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def figures_counted_live(settings):
    """Every test reads figures counted at that moment; the tests of the kept copies
    (fazhi.apps.figures) set FIGURES_MAX_AGE themselves."""
    settings.FIGURES_MAX_AGE = 0


@pytest.fixture
def write_jsonl(tmp_path: Path) -> Callable[..., Path]:
    """Write records (dicts, or raw strings for broken lines) as a JSON Lines file."""

    def write(records: list[dict | str], name: str = "batch.jsonl") -> Path:
        path = tmp_path / name
        lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


@pytest.fixture
def scratch_database_url(tmp_path: Path):
    """A fresh, empty database of the kind under test, for a `fazhi` run in another process."""
    from django.db import connection

    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    import uuid

    import psycopg

    params = connection.settings_dict
    name = f"fazhi_scratch_{uuid.uuid4().hex[:12]}"
    admin = dict(host=params["HOST"], port=params["PORT"], user=params["USER"], dbname="postgres")
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{name}"
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def run_fazhi(
    args: list[str], database_url: str, data_dir: Path, **kwargs
) -> subprocess.CompletedProcess:
    """Run the real `fazhi` command in its own process."""
    env = {**os.environ, "FAZHI_DATABASE_URL": database_url, "FAZHI_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "fazhi.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        **kwargs,
    )


@pytest.fixture
def fazhi_process(scratch_database_url: str, tmp_path: Path):
    """`fazhi` in another process, on a migrated scratch database."""
    data = tmp_path / "data"

    def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
        return run_fazhi(list(args), scratch_database_url, data, **kwargs)

    result = run("migrate")
    assert result.returncode == 0, result.stderr
    run.database_url = scratch_database_url
    run.data_dir = data
    return run
