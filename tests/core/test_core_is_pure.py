"""The core imports no framework: the web layer calls the core, never the reverse."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "fazhi" / "core"
FORBIDDEN = (
    "django",
    "fazhi.apps",
    "fazhi.web",
    "fazhi.ingest",
    "fazhi.demo",
    "sqlite3",
    "psycopg",
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_core_module_imports_the_framework_or_a_database():
    offenders = {
        f"{path.relative_to(CORE)}: {name}"
        for path in CORE.rglob("*.py")
        for name in imported_modules(path)
        if name.startswith(FORBIDDEN)
    }
    assert offenders == set()
    assert len(list(CORE.rglob("*.py"))) >= 4
