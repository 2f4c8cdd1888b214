"""数据导入: upload CEIF files through the same path as `fazhi import`, read the validation
report, download the blank templates, look back at past batches and their problems."""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from fazhi.apps.imports.models import ImportBatch
from fazhi.config import data_dir
from fazhi.core.records import RECORD_TYPE_NAMES_ZH
from fazhi.ingest.load import MAX_STORED_PROBLEMS, import_files
from fazhi.ingest.sources import UnreadableFile
from fazhi.ingest.templates import write_templates
from fazhi.web.access import Page, page_for
from fazhi.web.listing import page_of

SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".xlsx")
PROBLEMS_SHOWN = 1000  # on the report page; the batch keeps up to MAX_STORED_PROBLEMS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(widget=MultipleFileInput(attrs={"accept": ",".join(SUFFIXES)}), **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not items:
            return [super().clean(None, initial)]  # the "required" error
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class UploadForm(forms.Form):
    files = MultipleFileField(label="CEIF 文件（JSON Lines、CSV、XLSX，可多选）")

    def clean_files(self) -> list[UploadedFile]:
        files = self.cleaned_data["files"]
        for f in files:
            if Path(f.name).suffix.lower() not in SUFFIXES:
                raise forms.ValidationError(
                    f"{f.name}：不支持的文件类型（支持 .jsonl、.csv、.xlsx）。本次未导入任何记录。"
                )
        return files


def save_uploads(files: list[UploadedFile], folder: Path) -> list[Path]:
    """Each upload under its own name (a plain file name, never a path), in upload order."""
    paths = []
    for i, upload in enumerate(files):
        name = Path(upload.name).name or f"upload-{i}"
        path = folder / name
        if path.exists():
            path = folder / f"{i + 1}-{name}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        paths.append(path)
    return paths


def _problem_rows(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**p, "type_label": RECORD_TYPE_NAMES_ZH.get(p.get("type") or "", p.get("type") or "")}
        for p in problems
    ]


def upload_workdir() -> Path:
    """Where uploads and generated templates wait, inside the data folder."""
    path = data_dir() / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


@page_for(Page.IMPORTS)
def import_list(request: HttpRequest) -> HttpResponse:
    """GET: the upload form and past batches. POST: import the files, then show the report."""
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    context: dict[str, Any] = {"form": form, "suffixes": "、".join(SUFFIXES)}
    if request.method == "POST" and form.is_valid():
        folder = Path(tempfile.mkdtemp(prefix="upload-", dir=upload_workdir()))
        try:
            paths = save_uploads(form.cleaned_data["files"], folder)
            # In-process (workers=0): worker processes are forked, which a threaded web
            # server must not do; bulk loads belong to `fazhi import`.
            outcome = import_files(
                paths, actor=request.user.get_username(), workdir=folder, workers=0
            )
        except UnreadableFile as err:
            context["unreadable"] = f"无法读取 {err.file}：{err.reason}。本次未导入任何记录。"
        else:
            problems = [p.as_dict() for p in outcome.problems]
            context["report"] = {
                "batch_id": outcome.batch_id,
                "files": [p.name for p in paths],
                "new": outcome.new,
                "updated": outcome.updated,
                "unchanged": outcome.unchanged,
                "rejected": len(problems),
                "problems": _problem_rows(problems[:PROBLEMS_SHOWN]),
                "problems_cut": len(problems) > PROBLEMS_SHOWN,
            }
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    context["paging"] = page_of(request, ImportBatch.objects.order_by("-started_at", "-pk"), 20)
    return render(request, "fazhi/imports/list.html", context)


@page_for(Page.IMPORTS)
def import_batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    return render(
        request,
        "fazhi/imports/batch.html",
        {
            "batch": batch,
            "problems": _problem_rows(batch.problems),
            "problems_cut": batch.rejected > len(batch.problems),
            "max_stored": MAX_STORED_PROBLEMS,
        },
    )


@page_for(Page.IMPORTS)
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The blank templates of `fazhi template`: one XLSX workbook, or the CSV files zipped."""
    if kind not in ("xlsx", "csv"):
        raise Http404
    with tempfile.TemporaryDirectory(dir=upload_workdir()) as folder:
        paths = write_templates(kind, Path(folder))
        if kind == "xlsx":
            content = paths[0].read_bytes()
            name = paths[0].name
        else:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in paths:
                    archive.write(path, path.name)
            content, name = buffer.getvalue(), "fazhi-import-template-csv.zip"
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=name)
