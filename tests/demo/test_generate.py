"""generate_bureau as a function: same arguments, same bytes; its summary and manifest; its
arguments; and a package that stays free of Django."""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from tests.demo.period import FROM, TO

from fazhi.demo import GenerationSummary, generate_bureau
from fazhi.demo.assessment import INPUT_FILES

FILES = ("unit", "person", "grid", "alarm", "case", "subject", "event", "defects")


def contents(d: Path) -> dict[str, bytes]:
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*.*"))}


def make_mini(d: Path, seed: int = 5) -> GenerationSummary:
    return generate_bureau(d, scale="mini", seed=seed, date_from=FROM, date_to=TO)


def test_same_seed_and_arguments_give_identical_bytes(tmp_path: Path) -> None:
    make_mini(tmp_path / "a")
    random.seed(1234)  # the generator must not draw from the global generator
    random.random()
    make_mini(tmp_path / "b")
    first, second = contents(tmp_path / "a"), contents(tmp_path / "b")
    expected = [f"{n}.jsonl" for n in FILES] + [f"assessment/{n}.jsonl" for n in INPUT_FILES]
    assert sorted(first) == sorted([*expected, "manifest.json"])
    assert first == second


def test_another_seed_gives_another_bureau(tmp_path: Path) -> None:
    a, b = make_mini(tmp_path / "a", seed=5), make_mini(tmp_path / "b", seed=6)
    for name in ("person", "case", "event"):
        assert a.paths[name].read_bytes() != b.paths[name].read_bytes()


def test_bytes_do_not_depend_on_the_process_hash_seed(tmp_path: Path) -> None:
    script = (
        "import sys, datetime, pathlib, hashlib\n"
        "from fazhi.demo import generate_bureau\n"
        "d = pathlib.Path(sys.argv[1])\n"
        "generate_bureau(d, scale='mini', seed=5, date_from=datetime.date(2025, 7, 1),\n"
        "                date_to=datetime.date(2026, 6, 30))\n"
        "print(hashlib.sha256(b''.join(p.read_bytes() for p in sorted(d.rglob('*.*')))).hexdigest())\n"
    )
    digests = set()
    for hash_seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        run = subprocess.run([sys.executable, "-c", script, str(tmp_path / hash_seed)],
                             env=env, capture_output=True, text=True, check=True)
        digests.add(run.stdout.strip())
    make_mini(tmp_path / "here")
    here = b"".join(p.read_bytes() for p in sorted((tmp_path / "here").rglob("*.*")))
    assert digests == {hashlib.sha256(here).hexdigest()}


def test_summary_and_manifest_count_the_lines_written(mini: GenerationSummary) -> None:
    manifest = json.loads(mini.paths["manifest"].read_text(encoding="utf-8"))
    assert manifest == {"scale": "mini", "seed": 11, "date_from": "2025-07-01",
                        "date_to": "2026-06-30", "defect_share": 0.1, "counts": mini.counts,
                        "assessment": mini.assessment}
    for name in FILES:
        lines = mini.paths[name].read_text(encoding="utf-8").splitlines()
        assert len(lines) == mini.counts[name]
    for name in INPUT_FILES:
        path = mini.out_dir / "assessment" / f"{name}.jsonl"
        assert len(path.read_text(encoding="utf-8").splitlines()) == mini.assessment[name] > 0
    assert mini.scale == "mini" and mini.seed == 11


def test_lines_are_compact_utf8_with_keys_in_a_fixed_order(mini: GenerationSummary) -> None:
    first_keys = ["type", "id"]
    for name in ("unit", "person", "grid", "alarm", "case", "subject", "event"):
        for line in mini.paths[name].read_text(encoding="utf-8").splitlines()[:50]:
            record = json.loads(line)
            assert list(record)[:2] == first_keys
            assert line == json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    event = json.loads(mini.paths["event"].read_text(encoding="utf-8").splitlines()[0])
    order = ["type", "id", "case", "kind", "subject", "at", "end", "officers", "attrs"]
    assert list(event) == [k for k in order if k in event]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"scale": "galaxy"}, "未知规模"),
    ({"date_from": date(2026, 7, 1), "date_to": date(2026, 6, 30)}, "结束日期早于开始日期"),
    ({"defect_share": 1.5}, "缺陷比例"),
])
def test_it_refuses_bad_arguments(tmp_path: Path, kwargs: dict, message: str) -> None:
    args = {"scale": "mini", "seed": 1, "date_from": FROM, "date_to": TO} | kwargs
    with pytest.raises(ValueError, match=message):
        generate_bureau(tmp_path, **args)


def test_the_package_imports_no_django() -> None:
    code = "import sys, fazhi.demo; print(any(m.split('.')[0] == 'django' for m in sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"


def test_a_ceif_import_of_the_folder_leaves_the_assessment_inputs_alone(
    mini: GenerationSummary,
) -> None:
    from fazhi.cli import _expand

    assert {p.name for p in _expand([mini.out_dir])} == {f"{n}.jsonl" for n in FILES}
