"""考评数据: upload assessment inputs (JSON Lines, CSV, XLSX) through the same path as
`fazhi assess-import`, read the validation report, download the templates; and one entry page
per input type, driven by the `ENTRIES` table, whose rows go through that same path.

Writes are limited to the people of the user's units (`imports.scope_of`) and audited by the
import; the page itself is for the roles of `Page.ASSESSMENT_INPUTS`.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fazhi.apps.assessment.forms import (
    CaseQuotaEntryForm,
    DutyShiftEntryForm,
    ExamScoreEntryForm,
    InputEntryForm,
    PatrolLogEntryForm,
    StudyEntryForm,
    TaskListEntryForm,
)
from fazhi.apps.assessment.imports import (
    JSONL_SUFFIXES,
    TABLE_SUFFIXES,
    InputImport,
    import_inputs,
    import_records,
    scope_of,
    table_records,
)
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
from fazhi.apps.assessment.tables import BY_NAME, Row, write_templates
from fazhi.ingest.sources import UnreadableFile
from fazhi.web.access import Page, page_for
from fazhi.web.views.imports import MultipleFileField, save_uploads, upload_workdir

SUFFIXES = (*JSONL_SUFFIXES, *TABLE_SUFFIXES)
ENTRY_FILE = "网页录入"  # the name an entry form's rows are reported under
MODEL_LABELS = {
    m._meta.model_name: m._meta.verbose_name
    for m in (
        Inspection,
        Rectification,
        DutyShift,
        Exam,
        ExamScore,
        StudyRecord,
        TaskList,
        Task,
        PatrolLog,
        CaseQuota,
    )
}


@dataclass(frozen=True)
class Entry:
    title: str
    form: type[InputEntryForm]
    hint: str


ENTRIES: dict[str, Entry] = {
    "duty_shift": Entry("值班坐堂登记", DutyShiftEntryForm, "每人每日一条；坐堂小时数 0 到 24。"),
    "exam": Entry("考试成绩", ExamScoreEntryForm, "同名同日的考试视为一场，逐人录入成绩。"),
    "study": Entry("学法记录", StudyEntryForm, "一次学习一条。"),
    "task_list": Entry("任务清单", TaskListEntryForm, "社区民警每月一份清单，期限须在本月内。"),
    "patrol_log": Entry("巡逻日志", PatrolLogEntryForm, "一次出车一条；里程单位为公里。"),
    "case_quota": Entry("年度办案任务", CaseQuotaEntryForm, "每人每年一条。"),
}


class InputUploadForm(forms.Form):
    files = MultipleFileField(label="考评数据文件（JSON Lines、CSV、XLSX，可多选）")

    def clean_files(self) -> list[Any]:
        files = self.cleaned_data["files"]
        for f in files:
            if Path(f.name).suffix.lower() not in SUFFIXES:
                raise forms.ValidationError(
                    f"{f.name}：不支持的文件类型（支持 .jsonl、.csv、.xlsx）。本次未导入任何记录。"
                )
        return files


def _created(outcome: InputImport) -> str:
    return "，".join(f"{MODEL_LABELS[k]} {n} 条" for k, n in outcome.created.items()) or "无"


@page_for(Page.ASSESSMENT_INPUTS)
def inputs_page(request: HttpRequest) -> HttpResponse:
    """GET: the upload form, the templates and the entry forms. POST: import, then report."""
    posted = request.method == "POST"
    form = InputUploadForm(request.POST, request.FILES) if posted else InputUploadForm()
    context: dict[str, Any] = {"form": form, "entries": ENTRIES, "suffixes": "、".join(SUFFIXES)}
    if posted and form.is_valid():
        folder = Path(tempfile.mkdtemp(prefix="inputs-", dir=upload_workdir()))
        try:
            paths = save_uploads(form.cleaned_data["files"], folder)
            outcome = import_inputs(
                paths,
                actor=request.user.get_username(),
                at=timezone.now(),
                scope=scope_of(request.user),
            )
        except UnreadableFile as err:
            context["unreadable"] = f"无法读取 {err.file}：{err.reason}。本次未导入任何记录。"
        else:
            context["report"] = {
                "files": [p.name for p in paths],
                "created": _created(outcome),
                "problems": outcome.problems,
            }
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return render(request, "assessment/inputs.html", context)


@page_for(Page.ASSESSMENT_INPUTS)
def input_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The blank templates of `fazhi assess-template`: one workbook, or the CSV files zipped."""
    if kind not in ("xlsx", "csv"):
        raise Http404
    with tempfile.TemporaryDirectory(dir=upload_workdir()) as folder:
        paths = write_templates(kind, Path(folder))
        if kind == "xlsx":
            content, name = paths[0].read_bytes(), paths[0].name
        else:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in paths:
                    archive.write(path, path.name)
            content, name = buffer.getvalue(), "fazhi-assessment-template-csv.zip"
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=name)


@page_for(Page.ASSESSMENT_INPUTS)
def input_entry(request: HttpRequest, kind: str) -> HttpResponse:
    """One record of one input type, checked and stored as an imported row would be."""
    entry = ENTRIES.get(kind)
    if entry is None:
        raise Http404
    form = entry.form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        table = BY_NAME[kind]
        rows = [Row(ENTRY_FILE, n, table, data) for n, data in enumerate(form.rows(), 1)]
        outcome = import_records(
            table_records(rows),
            actor=request.user.get_username(),
            at=timezone.now(),
            scope=scope_of(request.user),
            all_or_nothing=True,
        )
        for problem in outcome.problems:
            form.add_error(None, problem)
        if not outcome.problems:
            messages.success(request, f"{entry.title}已保存：{_created(outcome)}。")
            return redirect("assessment_input_entry", kind=kind)
    return render(
        request,
        "assessment/input_entry.html",
        {"form": form, "entry": entry, "kind": kind, "entries": ENTRIES},
    )
