"""Assessment inputs by POST: the body goes through `fazhi assess-import`'s own path (read,
check, store in one audited transaction), limited to the people of the caller's units, and the
answer is the JSON `fazhi assess-import --format json` prints.

A JSON array of records in the JSON Lines shape, or a multipart upload of JSON Lines, CSV or
XLSX files (the `fazhi assess-template` tables). 200: every record valid and stored. 422: some
rejected (the valid ones are stored). 400: a file cannot be read at all; nothing is stored.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import orjson
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.api.serializers import UnreadableSerializer
from fazhi.apps.assessment.imports import (
    JSONL_SUFFIXES,
    TABLE_SUFFIXES,
    import_inputs,
    scope_of,
)
from fazhi.config import data_dir
from fazhi.ingest.sources import UnreadableFile
from fazhi.web.access import Page, may_use

BODY_FILE = "接口提交.jsonl"  # the name a JSON body's records are reported under


class MayWriteInputs(permissions.BasePermission):
    message = "您的角色无权录入考评数据（限法制部门、所队长）。"

    def has_permission(self, request: Request, view: APIView) -> bool:
        return may_use(request, Page.ASSESSMENT_INPUTS)  # type: ignore[arg-type]


class InputOutcomeSerializer(serializers.Serializer):
    """The same JSON as `fazhi assess-import --format json`."""

    created = serializers.DictField(child=serializers.IntegerField(), label="新增（按类型）")
    rejected = serializers.ListField(
        child=serializers.CharField(), label="拒收：文件:行号: 类型.字段：原因"
    )


def _unreadable(file: str, reason: str) -> Response:
    body = {"error": f"{file}：{reason}", "file": file, "reason": reason}
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


INPUTS_BODY = {
    "application/json": {
        "type": "array",
        "items": {"type": "object"},
        "description": "考评数据记录（与 fazhi assess-import 的 JSON Lines 同一形状）",
    },
    "multipart/form-data": {
        "type": "object",
        "properties": {
            "files": {
                "type": "array",
                "items": {"type": "string", "format": "binary"},
                "description": "JSONL、CSV（每类一个文件，文件名含类型名）或 XLSX（每类一张工作表）",
            }
        },
        "required": ["files"],
    },
}


@extend_schema(
    tags=["考评数据"],
    summary="导入考评数据（与 fazhi assess-import 相同的校验和写入；只能录入本人管辖单位的人员）",
    request=INPUTS_BODY,
    responses={
        200: OpenApiResponse(InputOutcomeSerializer, description="全部有效，已写入"),
        422: OpenApiResponse(InputOutcomeSerializer, description="部分拒收；有效记录已写入"),
        400: OpenApiResponse(
            UnreadableSerializer, description="文件或正文无法读取；未写入任何记录"
        ),
    },
    examples=[
        OpenApiExample(
            "一条值班记录",
            value=[{"type": "duty_shift", "person": "P1", "day": "2026-03-02", "hall_hours": 8}],
            request_only=True,
        )
    ],
)
class AssessmentInputs(APIView):
    permission_classes = [permissions.IsAuthenticated, MayWriteInputs]
    parser_classes = [JSONParser, MultiPartParser]

    def post(self, request: Request) -> Response:
        workdir = data_dir() / "tmp"
        workdir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=workdir) as folder:
            if request.content_type.startswith("multipart/"):
                paths = _saved_uploads(request, Path(folder))
            else:
                try:
                    records = request.data
                except ParseError:
                    return _unreadable(BODY_FILE, "不是有效的 UTF-8 JSON")
                paths = _saved_body(records, Path(folder))
            if isinstance(paths, Response):
                return paths
            try:
                outcome = import_inputs(
                    paths,
                    actor=request.user.get_username(),
                    at=timezone.now(),
                    scope=scope_of(request.user),
                )
            except UnreadableFile as err:
                return _unreadable(err.file, err.reason)
        body = {"created": outcome.created, "rejected": outcome.problems}
        code = status.HTTP_422_UNPROCESSABLE_ENTITY if outcome.problems else status.HTTP_200_OK
        return Response(body, status=code)


def _saved_body(records: object, folder: Path) -> list[Path] | Response:
    if not isinstance(records, list) or not records:
        return _unreadable(BODY_FILE, "正文应为考评数据记录的非空 JSON 数组")
    path = folder / BODY_FILE
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return [path]


def _saved_uploads(request: Request, folder: Path) -> list[Path] | Response:
    """Each uploaded file under its own plain name (never a path), in upload order."""
    uploads = request.FILES.getlist("files")
    if not uploads:
        return _unreadable("files", "请在 files 字段上传至少一个文件")
    paths = []
    for i, upload in enumerate(uploads):
        name = Path(upload.name or "").name or f"upload-{i}"
        if Path(name).suffix.lower() not in (*JSONL_SUFFIXES, *TABLE_SUFFIXES):
            return _unreadable(name, "不支持的文件类型（支持 .jsonl、.csv、.xlsx）")
        path = folder / name
        if path.exists():
            path = folder / f"{i + 1}-{name}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        paths.append(path)
    return paths
