"""The patrol on a generated bureau: every injected defect is found, clean cases raise nothing.

Issue 3's "done when": the synthetic bureau (`fazhi.demo.generate_bureau`) and the patrol
(`fazhi.core.patrol.patrol` over the catalogue) agree exactly. The bureau is patrolled as of the
end of its period (`date_to` 23:59:59 Asia/Shanghai, the generator's cutoff) and:

1. every line of defects.jsonl is found: a finding at its case, subject (null for whole-case
   points) and control point, in a state that is a fault (`overdue`, `late` or `violated`);
2. clean cases (cases not in defects.jsonl) raise no finding other than `due_soon`;
3. a defect case raises nothing but its defect (again `due_soon` aside).

How `due_soon` is counted: it is not a fault but the warning that a duty of an open case falls
due shortly after `as_of` (within the point's lead time). Cases opened shortly before the
cutoff are generated open mid-way, exactly as a live system shows them, so their next duties
are legitimately `due_soon`. Such findings are therefore left out of (2) and (3); they are
checked instead to be what the state means: the due time lies after `as_of`.

Both counts are exact: found == injected and clean faults == 0, with the differences printed.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from tests.support import REPO

from fazhi.core.catalog import load_catalogue
from fazhi.core.legaltime import SHANGHAI, HolidayCalendar
from fazhi.core.patrol import Finding, patrol
from fazhi.core.records import Case, Record, from_ceif
from fazhi.demo import generate_bureau

FROM, TO = date(2025, 7, 1), date(2026, 6, 30)  # spans the 2026-01-01 change of 治安法
AS_OF = datetime(TO.year, TO.month, TO.day, 23, 59, 59, tzinfo=SHANGHAI)
CEIF_FILES = ("unit", "person", "alarm", "case", "subject", "event")


def _state(f: Finding) -> str:
    return str(getattr(f.state, "value", f.state))


@dataclass
class Result:
    defects: list[dict]
    cases: set[str]
    findings: list[Finding]
    seconds: float

    def by_case(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = defaultdict(list)
        for f in self.findings:
            out[f.case].append(f)
        return out


def _run(out_dir: Path, *, scale: str, seed: int, defect_share: float = 0.03,
         date_from: date = FROM, date_to: date = TO) -> Result:
    start = time.perf_counter()
    generate_bureau(out_dir, scale=scale, seed=seed, date_from=date_from, date_to=date_to,
                    defect_share=defect_share)
    records: list[Record] = []
    for name in CEIF_FILES:
        with (out_dir / f"{name}.jsonl").open(encoding="utf-8") as fh:
            records.extend(from_ceif(json.loads(line)) for line in fh)
    with (out_dir / "defects.jsonl").open(encoding="utf-8") as fh:
        defects = [json.loads(line) for line in fh]
    as_of = datetime(date_to.year, date_to.month, date_to.day, 23, 59, 59, tzinfo=SHANGHAI)
    catalogue = load_catalogue(REPO / "catalog" / "control_points")
    findings = patrol(records, catalogue, as_of, HolidayCalendar())
    cases = {r.id for r in records if isinstance(r, Case)}
    return Result(defects, cases, findings, time.perf_counter() - start)


def _show(f: Finding) -> str:
    when = getattr(f, "at", None) or getattr(f, "due_at", None)
    return f"{f.case} {f.subject} {f.control_point} {_state(f)} {when}"


def check(result: Result, as_of: datetime = AS_OF) -> tuple[int, int, int]:
    """Assert the three agreements; return (injected, found, due_soon findings)."""
    by_case = result.by_case()
    defect_cases = {d["case"] for d in result.defects}
    assert len(defect_cases) == len(result.defects), "one defect per case"
    assert defect_cases <= result.cases

    missed, found = [], 0
    extra_on_defect = []
    for d in result.defects:
        faults = [f for f in by_case.get(d["case"], []) if _state(f) != "due_soon"]
        hit = [f for f in faults if f.control_point == d["control_point"]
               and f.subject == d["subject"]]
        if hit:
            found += 1
        else:
            missed.append(f"{d} → found instead: {[_show(f) for f in faults] or 'nothing'}")
        extra_on_defect += [_show(f) for f in faults if f not in hit]

    clean_faults = [_show(f) for f in result.findings
                    if f.case not in defect_cases and _state(f) != "due_soon"]
    due_soon = [f for f in result.findings if _state(f) == "due_soon"]
    wrong_due_soon = [_show(f) for f in due_soon if not f.due_at or f.due_at < as_of]

    problems = []
    if missed:
        problems.append(f"{len(missed)} of {len(result.defects)} injected defects not found:\n  "
                        + "\n  ".join(missed))
    if clean_faults:
        problems.append(f"{len(clean_faults)} findings on clean cases:\n  "
                        + "\n  ".join(clean_faults))
    if extra_on_defect:
        problems.append(f"{len(extra_on_defect)} findings on defect cases besides the defect:\n  "
                        + "\n  ".join(extra_on_defect))
    if wrong_due_soon:
        problems.append("due_soon findings not due after as_of:\n  " + "\n  ".join(wrong_due_soon))
    print(f"{len(result.cases)} cases: {len(result.defects)} defects injected, {found} found; "
          f"{len(clean_faults)} faults on clean cases; {len(due_soon)} due_soon "
          f"({result.seconds:.1f} s)")
    assert not problems, "\n".join(problems)
    assert found == len(result.defects)
    return len(result.defects), found, len(due_soon)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mini_bureau_defects_found_and_clean_cases_silent(tmp_path: Path, seed: int) -> None:
    # A high defect share so that a mini bureau carries a dozen or more defects of many kinds.
    result = _run(tmp_path, scale="mini", seed=seed, defect_share=0.1)
    injected, found, _ = check(result)
    assert injected >= 5 and found == injected


def test_mini_bureau_at_the_default_share(tmp_path: Path) -> None:
    check(_run(tmp_path, scale="mini", seed=1))


def test_mini_bureau_before_the_2025_law(tmp_path: Path) -> None:
    """A period wholly under the 2012 治安管理处罚法: only points in force then are injected."""
    end = date(2025, 12, 31)
    result = _run(tmp_path, scale="mini", seed=4, defect_share=0.2, date_from=date(2025, 1, 1),
                  date_to=end)
    injected, found, _ = check(result, datetime(2025, 12, 31, 23, 59, 59, tzinfo=SHANGHAI))
    assert injected >= 5 and found == injected


def test_county_bureau_defects_found_and_clean_cases_silent(tmp_path: Path) -> None:
    result = _run(tmp_path, scale="county", seed=1)
    injected, found, _ = check(result)
    assert len(result.cases) == 20_000
    assert injected > 400 and found == injected


# Every defect kind the generator can inject (fazhi.demo, its docstring).
INJECTABLE = {"LA-01", "LA-06", "CH-01", "CH-04", "CH-05", "CH-06", "XW-01", "XW-02", "XW-03",
              "XW-04", "XW-05", "XW-06", "XW-07", "JL-02", "JL-03", "JS-02", "DB-03", "DB-04",
              "YS-01", "CW-01", "CW-02", "CW-08", "XZ-01", "XZ-03", "XZ-04", "XZ-06", "XZ-09",
              "XZ-10", "XZ-17", "XZ-22"}


def test_county_bureau_with_a_defect_on_every_case(tmp_path: Path) -> None:
    """defect_share=1: every case that can show a defect gets one, so every kind of defect
    appears (each at the rare places it can go) and each is still found alone."""
    result = _run(tmp_path, scale="county", seed=5, defect_share=1.0)
    injected, found, _ = check(result)
    assert injected > 15_000 and found == injected
    assert {d["control_point"] for d in result.defects} == INJECTABLE
