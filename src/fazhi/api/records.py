"""CEIF ingestion by POST: the body goes through `fazhi import`'s own path (read, check, store
in one audited transaction) and the answer is the JSON `fazhi import --format json` prints.

200: every record valid and stored. 422: some rejected (the valid ones are stored, as with the
command). 400: the body cannot be read at all; nothing is stored.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import orjson
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import UnsupportedMediaType
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.api.serializers import ImportOutcomeSerializer, UnreadableSerializer
from fazhi.config import data_dir
from fazhi.ingest.load import import_files
from fazhi.ingest.sources import UnreadableFile
from fazhi.web.access import Page, may_use

# The name under which the body appears in rejection reasons and in the import batch.
BODY_FILE = "接口提交.jsonl"
JSON_LINES_TYPES = {"application/x-ndjson", "application/jsonl", "application/x-jsonlines"}


class MayImport(permissions.BasePermission):
    message = "您的角色无权导入数据。"

    def has_permission(self, request: Request, view: APIView) -> bool:
        # the same roles as the 数据导入 page (a token's user is on the DRF request)
        return may_use(request, Page.IMPORTS)  # type: ignore[arg-type]


def _unreadable(reason: str) -> Response:
    body = {"error": f"{BODY_FILE}：{reason}", "file": BODY_FILE, "reason": reason}
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def _json_array_as_lines(path: Path) -> str | None:
    """Rewrite a JSON array body as JSON Lines, element n on line n; the reason if it is not."""
    try:
        records = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as err:
        return f"不是有效的 UTF-8 JSON（第 {err.lineno} 行第 {err.colno} 列附近）"
    if not isinstance(records, list):
        return "正文应为 CEIF 记录的 JSON 数组"
    if not records:
        return "JSON 数组中没有记录"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return None


RECORDS_BODY = {
    "application/json": {"type": "array", "items": {"type": "object"}},
    "application/x-ndjson": {"type": "string", "description": "JSON Lines：每行一条 CEIF 记录"},
}


@extend_schema(
    tags=["数据导入"],
    summary="导入 CEIF 记录（与 fazhi import 相同的校验和写入）",
    request=RECORDS_BODY,
    responses={
        200: OpenApiResponse(ImportOutcomeSerializer, description="全部有效，已写入"),
        422: OpenApiResponse(ImportOutcomeSerializer, description="部分拒收；有效记录已写入"),
        400: OpenApiResponse(UnreadableSerializer, description="正文无法读取；未写入任何记录"),
    },
    examples=[
        OpenApiExample(
            "一个单位",
            value=[{"type": "unit", "id": "U1", "name": "某市公安局", "kind": "bureau"}],
            request_only=True,
        )
    ],
)
class RecordsImport(APIView):
    permission_classes = [permissions.IsAuthenticated, MayImport]

    def post(self, request: Request) -> Response:
        if request.stream is None:
            return _unreadable("正文为空")
        media = request.content_type.split(";")[0].strip().lower()
        if media != "application/json" and media not in JSON_LINES_TYPES:
            raise UnsupportedMediaType(
                media,
                "正文类型应为 application/json（JSON 数组）或 application/x-ndjson（JSON Lines）。",
            )
        workdir = data_dir() / "tmp"
        workdir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=workdir) as folder:
            path = Path(folder) / BODY_FILE
            with path.open("wb") as out:
                # streamed, not request.body: a large batch need not fit in memory twice
                shutil.copyfileobj(request.stream, out)
            if media == "application/json" and (reason := _json_array_as_lines(path)):
                return _unreadable(reason)
            try:
                # workers=0: validate in this thread; forking a threaded web server is unsafe
                outcome = import_files(
                    [path], actor=request.user.get_username(), workers=0, workdir=workdir
                )
            except UnreadableFile as err:
                return _unreadable(err.reason)
        code = status.HTTP_422_UNPROCESSABLE_ENTITY if outcome.problems else status.HTTP_200_OK
        return Response(outcome.as_dict(), status=code)
