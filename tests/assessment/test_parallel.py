"""`recompute_all` with forked workers (which need a database file the children can open):
the ledger it leaves is the one the runs give one by one."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from fazhi.demo import generate_bureau

SCRIPT = """
import sys
from pathlib import Path
from fazhi.cli import main, setup_django
bureau = Path(sys.argv[1])
ceif = sorted(str(p) for p in bureau.glob("*.jsonl") if p.stem != "defects")
assert main(["migrate"]) == 0
assert main(["import", *ceif, "--format", "json", "--as-of", "2026-06-30T12:00:00+08:00"]) == 0
assert main(["assess-import", *map(str, sorted((bureau / "assessment").glob("*.jsonl")))]) == 0
setup_django()
from django.db.models import Sum
from fazhi.apps.assessment.models import LedgerEntry
from fazhi.apps.assessment.services import recompute, recompute_all, score
from fazhi.cli import parse_as_of
at = parse_as_of("2026-06-30T12:00:00+08:00")
runs = [("case_handling", "2026-06"), ("case_handling", "2026-Q2"), ("law_study", "2026"),
        ("middle_manager_duty", "2026-Q2"), ("community_tasks", "2026-05"),
        ("traffic_patrol", "2026-Q2")]
done = recompute_all(runs, actor="parallel", at=at, workers=2)
assert all(d.posted > 0 for d in done), done
for code, text in runs:
    wanted = {}
    for award in score(code, text):
        wanted[award.person] = wanted.get(award.person, 0) + award.points
    rows = LedgerEntry.objects.filter(scheme=code, period=text).values("person_id")
    posted = dict(rows.annotate(s=Sum("points")).values_list("person_id", "s"))
    assert posted == {p: v for p, v in wanted.items() if v or p in posted}, (code, text)
    again = recompute(code, text, actor="one-by-one", at=at)
    assert (again.posted, again.reversed) == (0, 0), (code, text)
print("ok", sum(d.posted for d in done))
"""


@pytest.mark.slow
def test_forked_workers_post_what_the_runs_one_by_one_post(tmp_path: Path):
    bureau = tmp_path / "bureau"
    generate_bureau(
        bureau, scale="mini", seed=4, date_from=date(2026, 1, 1), date_to=date(2026, 6, 30)
    )
    env = {**os.environ, "FAZHI_DATA_DIR": str(tmp_path)}
    env.pop("FAZHI_DATABASE_URL", None)  # a database file of its own, under the data folder
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(bureau)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("ok ")
