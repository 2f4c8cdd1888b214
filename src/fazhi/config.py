"""Environment-driven configuration shared by the CLI and the Django settings.

Outside checks rely on these names: FAZHI_DATA_DIR (default ./data) and
FAZHI_DATABASE_URL (default: a SQLite file in the data folder).
"""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    return Path(os.environ.get("FAZHI_DATA_DIR") or "data").resolve()


def database_url() -> str:
    url = os.environ.get("FAZHI_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{data_dir() / 'fazhi.sqlite3'}"


# the repository's folder, resolved once: every re-evaluation of a case asks for it
_REPOSITORY = Path(__file__).resolve().parents[2]


def catalogue_dir() -> Path:
    """The control-point catalogue: `FAZHI_CATALOG_DIR`, else the repository's."""
    override = os.environ.get("FAZHI_CATALOG_DIR")
    if override:
        return Path(override)
    return _REPOSITORY / "catalog" / "control_points"
