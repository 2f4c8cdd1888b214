"""`fazhi.core.legaltime` stays pure: stdlib, the holiday library and itself; no clock.

Due times are stored and re-checked by a rebuild that must give the same answer as the
incremental path; a hidden `now()` or a settings lookup would break that.
"""

import ast
from pathlib import Path

import fazhi.core.legaltime

PACKAGE = Path(fazhi.core.legaltime.__file__).parent
ALLOWED_ROOTS = {
    "__future__",
    "calendar",
    "collections",
    "dataclasses",
    "datetime",
    "enum",
    "types",
    "typing",
    "zoneinfo",
    "chinese_calendar",
}
CLOCK_CALLS = {"now", "today", "utcnow", "time", "monotonic"}


def _modules() -> list[tuple[str, ast.Module]]:
    files = sorted(PACKAGE.glob("*.py"))
    assert files
    return [(f.name, ast.parse(f.read_text(encoding="utf-8"))) for f in files]


def test_it_imports_only_the_stdlib_the_holiday_library_and_itself() -> None:
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                imported = [node.module or ""]
            else:
                continue
            for module in imported:
                internal = module.startswith("fazhi.core.legaltime")
                assert internal or module.split(".")[0] in ALLOWED_ROOTS, f"{name}: {module}"


def test_it_never_reads_the_clock() -> None:
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                assert node.func.attr not in CLOCK_CALLS, (
                    f"{name}:{node.lineno} calls {node.func.attr}"
                )
