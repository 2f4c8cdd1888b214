"""Assessment inputs for a generated bureau: a year of inspections, duty shifts, exams, study,
task lists, patrol logs and case quotas, for the people `generate_bureau` wrote.

``generate_assessment(bureau_dir, seed=…)`` reads ``person``, ``unit``, ``grid`` and ``case``
JSON Lines and ``manifest.json`` from ``bureau_dir`` and writes one JSON Lines file per input
type into ``bureau_dir/assessment/`` (kept apart so a CEIF import of the bureau's folder does
not read them); ``fazhi.apps.assessment.imports.import_inputs`` loads them through the same
checks as the services. Everything comes from ``random.Random(seed)`` and the files read, so
the same bureau and seed give the same bytes.

Each person gets a diligence in (0, 1) (most people fairly diligent, a few not) that moves
every input the same way — hall hours, problems found and how fast they are put right, exam
scores, tasks done, kilometres ridden — so the rankings spread the way real ones do. Records
(keys in this order; dates ``YYYY-MM-DD``, times ``HH:MM``)::

    {"type": "inspection", "id", "person", "scheme", "item", "method", "day", "severity" | null,
     "finding", "evidence", "inspector", "rectified_on" | null, "verified_by" | null}
    {"type": "duty_shift", "person", "day", "hall_hours"}
    {"type": "exam", "id", "name", "day", "scores": [{"person", "score"}]}
    {"type": "study", "person", "day", "hours", "topic"}
    {"type": "task_list", "person", "month": "YYYY-MM", "grid" | null,
     "tasks": [{"title", "due_on", "done_on" | null}]}
    {"type": "patrol_log", "person", "vehicle", "day", "start", "end", "km"}
    {"type": "case_quota", "person", "year", "cases"}
"""

from __future__ import annotations

import calendar
import json
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

from fazhi.core.scoring import InspectionMethod, Severity, load_schemes, scheme_in_force

INPUT_FILES = (
    "inspection",
    "duty_shift",
    "exam",
    "study",
    "task_list",
    "patrol_log",
    "case_quota",
)
SCHEMES_DIR = Path(__file__).resolve().parents[3] / "catalog" / "schemes"
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

_SEVERITY_WEIGHTS = {
    Severity.MINOR: 40,
    Severity.GENERAL: 35,
    Severity.SERIOUS: 20,
    Severity.GRAVE: 5,
}
_EVIDENCE = {
    InspectionMethod.PHONE: "电话询问记录",
    InspectionMethod.ONLINE: "执法办案系统截图",
    InspectionMethod.VIDEO: "视频督察截图",
    InspectionMethod.LEDGER: "台账复印件",
}
_TASKS = (
    "走访辖区重点人员",
    "一标三实信息采集核对",
    "矛盾纠纷排查化解",
    "入户宣传防范",
    "出租房屋检查",
    "重点单位安全检查",
    "社区警务室接待群众",
    "网格巡逻签到",
)
_TOPICS = (
    "刑事诉讼法",
    "治安管理处罚法",
    "公安机关办理刑事案件程序规定",
    "典型案例警示教育",
    "行政强制法",
)


def generate_assessment(
    bureau_dir: Path, *, seed: int, out_dir: Path | None = None
) -> dict[str, int]:
    """Write the assessment inputs of the bureau in `bureau_dir`; returns counts per file."""
    bureau = _Bureau(bureau_dir)
    out = out_dir or bureau_dir / "assessment"
    out.mkdir(parents=True, exist_ok=True)
    rng = Random(seed)
    diligence = {p["id"]: rng.betavariate(5, 2) for p in bureau.sworn}
    records: dict[str, list[dict[str, Any]]] = {name: [] for name in INPUT_FILES}
    _Writer(bureau, rng, diligence, records).write_all()
    for name, rows in records.items():
        with (out / f"{name}.jsonl").open("w", encoding="utf-8", newline="\n") as f:
            f.writelines(_encode(row) + "\n" for row in rows)
    return {name: len(rows) for name, rows in records.items()}


def _read(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class _Bureau:
    """The people, units, grids, cases and dates of a generated bureau."""

    def __init__(self, root: Path) -> None:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        self.start = date.fromisoformat(manifest["date_from"])
        self.end = date.fromisoformat(manifest["date_to"])
        units = {u["id"]: u["kind"] for u in _read(root / "unit.jsonl")}
        people = _read(root / "person.jsonl")
        self.sworn = [
            p for p in people if "auxiliary" not in p.get("roles", []) and p.get("sequence")
        ]
        self.managers = [p for p in self.sworn if p["sequence"] == "middle_manager"]
        self.duty_managers = [p for p in self.managers if units[p["unit"]] == "station"]
        self.community = [p for p in self.sworn if "community_officer" in p.get("roles", [])]
        self.traffic = [p for p in self.sworn if p["sequence"] == "traffic_officer"]
        self.inspectors = [
            p
            for p in people
            if units[p["unit"]] in ("legal_dept", "inspection_dept")
            and "auxiliary" not in p.get("roles", [])
        ] or self.managers
        self.grid_of: dict[str, str] = {}
        for grid in sorted(_read(root / "grid.jsonl"), key=lambda g: (-g["level"], g["id"])):
            for officer in grid.get("officers", []):
                self.grid_of.setdefault(officer, grid["id"])
        self.handled: Counter[tuple[str, int]] = Counter()
        for case in _read(root / "case.jsonl"):
            year = datetime.fromisoformat(case["opened_at"]).year
            for handler in case.get("handlers", []):
                self.handled[handler["person"], year] += 1

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def months(self) -> list[date]:
        first = self.start.replace(day=1)
        months = []
        while first <= self.end:
            months.append(first)
            first = (first + timedelta(days=32)).replace(day=1)
        return months


class _Writer:
    def __init__(
        self,
        bureau: _Bureau,
        rng: Random,
        diligence: dict[str, float],
        records: dict[str, list[dict[str, Any]]],
    ) -> None:
        self.b, self.rng, self.d, self.out = bureau, rng, diligence, records
        self.schemes = load_schemes(SCHEMES_DIR)

    def write_all(self) -> None:
        self.quotas()
        self.duty_shifts()
        self.inspections()
        self.exams()
        self.studies()
        self.task_lists()
        self.patrol_logs()

    def quotas(self) -> None:
        for p in self.b.managers:
            for year in sorted({self.b.start.year, self.b.end.year}):
                done = self.b.handled[p["id"], year]
                cases = max(1, round(done * self.rng.uniform(0.8, 1.25)))
                self.out["case_quota"].append(
                    {"type": "case_quota", "person": p["id"], "year": year, "cases": cases}
                )

    def duty_shifts(self) -> None:
        """派出所中层干部 take the duty day in turn, every five to eight days."""
        for p in self.b.duty_managers:
            day = self.b.start + timedelta(days=self.rng.randrange(6))
            while day <= self.b.end:
                hours = self.rng.gauss(6.5 + 3 * self.d[p["id"]], 1.0)
                hall_hours = min(12.0, max(2.0, round(hours * 2) / 2))
                self.out["duty_shift"].append(
                    {
                        "type": "duty_shift",
                        "person": p["id"],
                        "day": day.isoformat(),
                        "hall_hours": hall_hours,
                    }
                )
                day += timedelta(days=self.rng.randint(5, 8))

    def inspections(self) -> None:
        """Monthly checks of middle managers; now and then of community and traffic officers
        and of officers' case-handling management."""
        plan = [
            ("middle_manager_duty", self.b.managers, 0.85),
            ("community_tasks", self.b.community, 0.3),
            ("traffic_patrol", self.b.traffic, 0.4),
            ("case_handling", self.b.sworn, 0.08),
        ]
        for month in self.b.months():
            for scheme, people, chance in plan:
                for p in people:
                    if self.rng.random() < chance:
                        self.inspection(scheme, p, month)

    def inspection(self, scheme: str, p: dict[str, Any], month: date) -> None:
        last = min(self.b.end, month.replace(day=calendar.monthrange(month.year, month.month)[1]))
        first = max(self.b.start, month)
        day = first + timedelta(days=self.rng.randrange((last - first).days + 1))
        version = scheme_in_force(self.schemes, scheme, day)
        if version is None:
            return  # before the scheme came into force nobody was inspected under it
        item = self.rng.choice([i for i in version.items if i.kind == "manual"])
        method = self.rng.choice(list(InspectionMethod))
        inspector = self.rng.choice([i for i in self.b.inspectors if i["id"] != p["id"]])
        d = self.d[p["id"]]
        severity = None
        if self.rng.random() < 0.05 + 0.45 * (1 - d):
            severity = self.rng.choices(list(_SEVERITY_WEIGHTS), list(_SEVERITY_WEIGHTS.values()))[
                0
            ]
        rectified_on = verified_by = None
        if severity is not None and self.rng.random() < 0.4 + 0.5 * d:
            when = day + timedelta(days=self.rng.randint(2, 20 if d > 0.6 else 45))
            if when <= self.b.end:
                rectified_on, verified_by = when.isoformat(), inspector["id"]
        self.out["inspection"].append(
            {
                "type": "inspection",
                "id": f"IN-{len(self.out['inspection']) + 1:06d}",
                "person": p["id"],
                "scheme": scheme,
                "item": item.code,
                "method": method.value,
                "day": day.isoformat(),
                "severity": severity.value if severity else None,
                "finding": f"{item.name}不到位（{severity.label}）" if severity else "",
                "evidence": _EVIDENCE[method],
                "inspector": inspector["id"],
                "rectified_on": rectified_on,
                "verified_by": verified_by,
            }
        )

    def exams(self) -> None:
        """A law exam for everyone each quarter; a spot test for middle managers each half."""
        for month in self.b.months():
            exam_day = month.replace(day=15)
            if not self.b.start <= exam_day <= self.b.end:
                continue
            if month.month in (2, 5, 8, 11):
                self.exam(
                    f"{month.year}年第{(month.month + 1) // 3}季度法律知识考试",
                    exam_day,
                    self.b.sworn,
                )
            if month.month in (6, 12):
                self.exam(f"{month.year}年中层干部法律知识抽测", exam_day, self.b.managers)

    def exam(self, name: str, day: date, people: list[dict[str, Any]]) -> None:
        scores = []
        for p in people:
            score = min(
                100.0, max(35.0, round(self.rng.gauss(70 + 24 * self.d[p["id"]], 6) * 2) / 2)
            )
            scores.append({"person": p["id"], "score": score})
        self.out["exam"].append(
            {
                "type": "exam",
                "id": f"EX-{len(self.out['exam']) + 1:04d}",
                "name": name,
                "day": day.isoformat(),
                "scores": scores,
            }
        )

    def studies(self) -> None:
        for month in self.b.months():
            for p in self.b.sworn:
                for _ in range(self.rng.choices((0, 1, 2, 3), (2, 4, 3, 1))[0]):
                    day = month + timedelta(days=self.rng.randrange(28))
                    if self.b.start <= day <= self.b.end:
                        self.out["study"].append(
                            {
                                "type": "study",
                                "person": p["id"],
                                "day": day.isoformat(),
                                "hours": self.rng.choice((1.0, 1.5, 2.0, 3.0, 4.0)),
                                "topic": self.rng.choice(_TOPICS),
                            }
                        )

    def task_lists(self) -> None:
        """社区民警: a task list each month; the diligent finish nearly all in time."""
        for month in self.b.months():
            end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
            for p in self.b.community:
                tasks = []
                for title in self.rng.sample(_TASKS, self.rng.randint(4, 7)):
                    due_on = end if self.rng.random() < 0.7 else month.replace(day=15)
                    done_on = None
                    if self.rng.random() < 0.6 + 0.38 * self.d[p["id"]]:
                        done = due_on - timedelta(days=self.rng.randint(0, 10))
                        late = done + timedelta(days=self.rng.randint(1, 5))
                        done = late if self.rng.random() < 0.1 else done
                        done_on = done.isoformat() if done <= self.b.end else None
                    tasks.append({"title": title, "due_on": due_on.isoformat(), "done_on": done_on})
                self.out["task_list"].append(
                    {
                        "type": "task_list",
                        "person": p["id"],
                        "month": f"{month:%Y-%m}",
                        "grid": self.b.grid_of.get(p["id"]),
                        "tasks": tasks,
                    }
                )

    def patrol_logs(self) -> None:
        """交警铁骑: a morning and an afternoon ride on most working days."""
        vehicles = {p["id"]: f"铁骑{n:03d}号" for n, p in enumerate(self.b.traffic, 1)}
        for day in self.b.days():
            for p in self.b.traffic:
                d = self.d[p["id"]]
                if self.rng.random() > (0.75 if day.weekday() < 5 else 0.3):
                    continue
                late = self.rng.randint(0, int(90 * (1 - d)) + 10)
                rides = []
                if self.rng.random() < 0.85:
                    rides.append((8 * 60 + late, 12 * 60 - self.rng.randint(0, 40)))
                if self.rng.random() < 0.75:
                    rides.append((13 * 60 + 30 + late // 2, 17 * 60))
                for start, end in rides:
                    km = min(40.0, max(3.0, round(self.rng.gauss(12 + 14 * d, 4), 1)))
                    self.out["patrol_log"].append(
                        {
                            "type": "patrol_log",
                            "person": p["id"],
                            "vehicle": vehicles[p["id"]],
                            "day": day.isoformat(),
                            "start": f"{start // 60:02d}:{start % 60:02d}",
                            "end": f"{end // 60:02d}:{end % 60:02d}",
                            "km": km,
                        }
                    )
