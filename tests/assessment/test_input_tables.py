"""Assessment inputs from the CSV/XLSX templates of `fazhi assess-template`: filled-in templates
import through the same checks as JSON Lines; every bad file, sheet or row is named in Chinese
with file, row, type, field and reason; the valid rows are stored with their audit entries."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from tests.assessment.conftest import AT

from fazhi.apps.accounts.models import Role
from fazhi.apps.assessment.imports import import_inputs, scope_of
from fazhi.apps.assessment.models import (
    CaseQuota,
    DutyShift,
    Exam,
    ExamScore,
    Inspection,
    PatrolLog,
    Rectification,
    StudyRecord,
    Task,
    TaskList,
)
from fazhi.apps.assessment.tables import TABLES, write_templates
from fazhi.apps.audit.chain import verify_chain
from fazhi.apps.audit.models import AuditEntry
from fazhi.cli import main
from fazhi.ingest.sources import UnreadableFile

pytestmark = pytest.mark.django_db

FILLED = {
    "inspection": [
        {
            "person": "M1",
            "scheme": "middle_manager_duty",
            "item": "R1",
            "method": "视频督察",
            "day": "2026-03-05",
            "severity": "一般",
            "finding": "未按时到岗",
            "inspector": "I9",
            "rectified_on": "2026-03-20",
            "verified_by": "I9",
        },
        {
            "person": "M2",
            "scheme": "middle_manager_duty",
            "item": "R1",
            "method": "phone",
            "day": "2026-03-06",
            "inspector": "I9",
        },
    ],
    "duty_shift": [
        {"person": "M1", "day": "2026-03-02", "hall_hours": "8.5"},
        {"person": "M2", "day": "2026-03-02", "hall_hours": "9"},
    ],
    "exam": [
        {"name": "一季度执法考试", "day": "2026-03-10", "person": "P1", "score": "92"},
        {"name": "一季度执法考试", "day": "2026-03-10", "person": "P2", "score": "78.5"},
    ],
    "study": [{"person": "P1", "day": "2026-03-11", "hours": "2", "topic": "刑事诉讼法"}],
    "task_list": [
        {
            "person": "C1",
            "month": "2026-03",
            "grid": "G1",
            "title": "入户走访",
            "due_on": "2026-03-15",
            "done_on": "2026-03-14",
        },
        {
            "person": "C1",
            "month": "2026-03",
            "grid": "G1",
            "title": "消防检查",
            "due_on": "2026-03-31",
        },
    ],
    "patrol_log": [
        {
            "person": "T1",
            "vehicle": "铁骑001号",
            "day": "2026-03-03",
            "start": "07:30",
            "end": "09:00",
            "km": "42.5",
        }
    ],
    "case_quota": [{"person": "P1", "year": "2026", "cases": "24"}],
}


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding="utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def fill_csv_templates(folder: Path) -> list[Path]:
    """The written CSV templates, filled in under their template headers."""
    paths = write_templates("csv", folder)
    for path in paths:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh))
        fields = [h.split("（")[0] for h in header]
        rows = [[r.get(f, "") for f in fields] for r in FILLED[path.stem]]
        write_csv(path, header, rows)
    return paths


def assert_everything_stored() -> None:
    assert DutyShift.objects.get(person_id="M1").hall_hours == Decimal("8.5")
    inspection = Inspection.objects.get(person_id="M1")
    assert (inspection.method, inspection.severity) == ("video", "general")
    assert Rectification.objects.get().inspection == inspection
    assert Inspection.objects.get(person_id="M2").severity is None
    exam = Exam.objects.get()
    assert sorted(exam.scores.values_list("person_id", "score")) == [
        ("P1", Decimal("92")),
        ("P2", Decimal("78.5")),
    ]
    task_list = TaskList.objects.get()
    assert (task_list.person_id, str(task_list.month), task_list.grid_id) == (
        "C1",
        "2026-03-01",
        "G1",
    )
    assert sorted(task_list.tasks.values_list("title", flat=True)) == ["入户走访", "消防检查"]
    assert str(PatrolLog.objects.get().start) == "07:30:00"
    assert StudyRecord.objects.get().topic == "刑事诉讼法"
    assert CaseQuota.objects.get().cases == 24


def test_filled_csv_templates_import_every_input_with_audit_entries(world, tmp_path):
    before = AuditEntry.objects.count()
    outcome = import_inputs(fill_csv_templates(tmp_path), actor="tester", at=AT)
    assert outcome.problems == []
    assert outcome.created == {
        "inspection": 2,
        "rectification": 1,
        "dutyshift": 2,
        "exam": 1,
        "examscore": 2,
        "studyrecord": 1,
        "tasklist": 1,
        "task": 2,
        "patrollog": 1,
        "casequota": 1,
    }
    assert_everything_stored()
    assert AuditEntry.objects.count() - before == sum(outcome.created.values())
    assert AuditEntry.objects.filter(object_type="examscore", actor="tester").count() == 2
    assert verify_chain()[1] is None


def test_a_filled_xlsx_template_imports_with_excel_dates_times_and_numbers(world, tmp_path):
    (path,) = write_templates("xlsx", tmp_path)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames[1:] == [t.sheet for t in TABLES]
    for table in TABLES:
        sheet = workbook[table.sheet]
        fields = [c.value.split("（")[0] for c in sheet[1]]
        for record in FILLED[table.kind]:
            sheet.append([_excel_value(record.get(f)) for f in fields])
    workbook.save(path)
    outcome = import_inputs([path], actor="tester", at=AT)
    assert outcome.problems == []
    assert_everything_stored()


def _excel_value(text: str | None):
    """What Excel keeps when someone types the text: dates, times and numbers as such."""
    from datetime import date, datetime, time

    if text is None:
        return None
    if len(text) == 10 and text[4] == "-":
        return datetime.combine(date.fromisoformat(text), time())
    if ":" in text:
        return time.fromisoformat(text)
    try:
        return float(text)
    except ValueError:
        return text


def test_a_gbk_csv_saved_by_excel_is_read(world, tmp_path):
    path = write_csv(
        tmp_path / "2026年3月-值班坐堂.csv",
        ["person（值班人）", "day", "hall_hours"],
        [["M1", "2026-03-02", "8"]],
        encoding="gbk",
    )
    assert import_inputs([path], actor="tester", at=AT).created == {"dutyshift": 1}


def test_bad_rows_are_named_by_file_row_type_field_and_reason(world, tmp_path):
    path = write_csv(
        tmp_path / "duty_shift.csv",
        ["person", "day", "hall_hours"],
        [
            ["M1", "2026-03-02", "8"],
            ["M1", "2026-03-02", "7"],
            ["M2", "2026-02-30", "7"],
            ["NOBODY", "2026-03-03", "7"],
            ["M2", "2026-03-03", "25"],
            ["M2", "2026-03-04", "8", "多出的值"],
        ],
    )
    outcome = import_inputs([path], actor="tester", at=AT)
    assert outcome.problems == [
        "duty_shift.csv:7: duty_shift：本行的值多于表头的列数",
        "duty_shift.csv:3: duty_shift.day：当日已有值班记录",
        "duty_shift.csv:4: duty_shift.day：日期 '2026-02-30' 无效（应为 YYYY-MM-DD）",
        "duty_shift.csv:5: duty_shift.person：人员 'NOBODY' 不存在",
        "duty_shift.csv:6: duty_shift：刘某（M2）2026-03-03 的值班记录 hall_hours："
        "坐堂小时数应在 0 到 24 之间",
    ]
    assert list(DutyShift.objects.values_list("person_id", "hall_hours")) == [("M1", 8)]


def test_exam_and_task_rows_refuse_duplicates_in_the_file_and_in_the_store(world, tmp_path):
    header = ["name", "day", "person", "score"]
    first = write_csv(tmp_path / "exam.csv", header, [["考试", "2026-03-10", "P1", "90"]])
    assert import_inputs([first], actor="tester", at=AT).problems == []
    rows = [["考试", "2026-03-10", "P1", "80"], ["考试", "2026-03-10", "P2", "70"]]
    rows.append(["考试", "2026-03-10", "P2", "71"])
    again = write_csv(tmp_path / "exam-2.csv", header, rows)
    tasks = write_csv(
        tmp_path / "task_list.csv",
        ["person", "month", "grid", "title", "due_on"],
        [
            ["C1", "2026-03", "G1", "走访", "2026-03-15"],
            ["C1", "2026-03", "G0", "巡查", "2026-03-16"],
            ["C1", "2026-03", "G1", "月底总结", "2026-04-02"],
            ["C1", "2026-04", "G9", "走访", "2026-04-10"],
        ],
    )
    outcome = import_inputs([again, tasks], actor="tester", at=AT)
    assert outcome.problems == [
        "exam-2.csv:2: exam.person：P1 在「考试」已有成绩",
        "exam-2.csv:4: exam.person：P2 在「考试」的成绩重复",
        "task_list.csv:3: task_list.grid：与同一人同月前面行的网格不一致",
        "task_list.csv:4: task_list：马某（C1）2026-03 的任务清单 tasks："
        "任务「月底总结」的期限 2026-04-02 不在本月",
        "task_list.csv:5: task_list.grid：网格 'G9' 不存在",
    ]
    assert Exam.objects.count() == 1  # the second file's rows joined the stored exam
    assert sorted(ExamScore.objects.values_list("person_id", "score")) == [("P1", 90), ("P2", 70)]
    assert list(Task.objects.values_list("title", flat=True)) == ["走访"]


@pytest.mark.parametrize(
    "header, reason",
    [
        (["person", "day"], "缺少必填列：hall_hours"),
        (
            ["person", "day", "hall_hours", "remark"],
            "第D列“remark”不是值班坐堂的字段（多余的列），请删除或改正",
        ),
        (["person", "", "hall_hours"], "表头第B列为空（可能是合并单元格），请使用模板表头"),
        (["person", "day", "day", "hall_hours"], "表头中列名重复：day"),
    ],
)
def test_a_header_that_is_not_the_templates_refuses_the_whole_table(
    world, tmp_path, header, reason
):
    path = write_csv(tmp_path / "duty_shift.csv", header, [["M1", "2026-03-02", "8", ""]])
    outcome = import_inputs([path], actor="tester", at=AT)
    assert outcome.problems == [f"duty_shift.csv:1: duty_shift：{reason}；整张表未导入"]
    assert not DutyShift.objects.exists()


def test_an_unknown_sheet_and_merged_header_cells_refuse_their_sheet_only(world, tmp_path):
    path = tmp_path / "inputs.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "值班坐堂"
    workbook.active.append(["person", "day", "hall_hours"])
    workbook.active.append(["M1", "2026-03-02", 8])
    workbook.create_sheet("会议记录").append(["person", "day"])
    merged = workbook.create_sheet("study")
    merged.append(["person", "day", None, "topic"])
    merged.merge_cells("B1:C1")
    merged.append(["P1", "2026-03-02", 2, "学习"])
    workbook.save(path)
    outcome = import_inputs([path], actor="tester", at=AT)
    names = "、".join(f"{t.kind}/{t.sheet}" for t in TABLES)
    assert outcome.problems == [
        f"inputs.xlsx[会议记录]: 未知的工作表名称“会议记录”（应为 {names}）；整张表未导入",
        "inputs.xlsx[study]:1: study：表头含合并单元格（B1:C1），请取消合并并使用模板表头；整张表未导入",
    ]
    assert outcome.created == {"dutyshift": 1}
    assert not StudyRecord.objects.exists()


def test_a_csv_whose_name_names_no_input_is_unreadable(world, tmp_path):
    path = write_csv(tmp_path / "data.csv", ["person"], [["M1"]])
    with pytest.raises(UnreadableFile, match="无法从文件名判断数据类型"):
        import_inputs([path], actor="tester", at=AT)


def test_a_uploader_names_only_the_people_of_their_units(world, make_user, tmp_path):
    """An out-of-scope person reads as one that does not exist; inspections are for the
    legal department."""
    head = make_user("head-u3", Role.UNIT_HEAD, "U3")
    shifts = write_csv(
        tmp_path / "duty_shift.csv",
        ["person", "day", "hall_hours"],
        [["M2", "2026-03-02", "8"], ["M1", "2026-03-02", "8"], ["NOBODY", "2026-03-02", "8"]],
    )
    inspections = write_csv(
        tmp_path / "inspection.csv",
        ["person", "scheme", "item", "method", "day", "inspector"],
        [["M2", "middle_manager_duty", "R1", "phone", "2026-03-05", "M2"]],
    )
    outcome = import_inputs([shifts, inspections], actor="head-u3", at=AT, scope=scope_of(head))
    assert outcome.problems == [
        "duty_shift.csv:3: duty_shift.person：人员 'M1' 不存在或不在您的管辖范围内",
        "duty_shift.csv:4: duty_shift.person：人员 'NOBODY' 不存在或不在您的管辖范围内",
        "inspection.csv:2: inspection.person：只有管辖 M2 的法制部门可以录入评查",
    ]
    assert list(DutyShift.objects.values_list("person_id", flat=True)) == ["M2"]


def test_the_command_writes_templates_imports_a_folder_and_exits_2_on_an_unreadable_file(
    world, tmp_path, capsys
):
    folder = tmp_path / "filled"
    assert main(["assess-template", "csv", "--out", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{t.kind}.csv" for t in TABLES)
    fill_csv_templates(folder)
    capsys.readouterr()
    assert main(["assess-import", str(folder), "--format", "json"]) == 0
    assert '"dutyshift": 2' in capsys.readouterr().out
    odd = tmp_path / "notes.txt"
    odd.write_text("x", encoding="utf-8")
    assert main(["assess-import", str(odd)]) == 2
    assert "无法读取 notes.txt：不支持的文件类型" in capsys.readouterr().err


def test_the_command_help_lists_every_tables_columns(capsys):
    with pytest.raises(SystemExit):
        main(["assess-template", "-h"])
    out = capsys.readouterr().out
    assert "值班坐堂（duty_shift）：person, day, hall_hours" in out
    assert "考试成绩（exam）：name, day, person, score" in out
