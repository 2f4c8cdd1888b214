"""数据导入: uploads go through the CLI's import path and the page reports every rejected
record by file, line, type, id, field and reason; templates download; batches keep problems."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from tests.web.conftest import signed_in

from fazhi.apps.audit.models import AuditEntry
from fazhi.apps.imports.models import ImportBatch
from fazhi.apps.org.models import Unit

pytestmark = pytest.mark.django_db
GOOD = '{"type":"unit","id":"U9","name":"丙派出所","kind":"station","parent":"U1"}\n'
BAD = '{"type":"event","id":"E9","case":"A1","kind":"intake","at":"昨天上午"}\n'


def upload(client, *files: tuple[str, bytes]):
    return client.post(
        "/imports/", {"files": [SimpleUploadedFile(name, data) for name, data in files]}
    )


def test_an_upload_of_several_files_is_one_audited_batch(users):
    client = signed_in(users["legal"])
    csv = "id,name,kind,parent\nU8,丁派出所,station,U1\n".encode("utf-8-sig")
    response = upload(client, ("units.jsonl", GOOD.encode()), ("unit.csv", csv))
    text = response.content.decode()
    assert response.status_code == 200 and "校验报告" in text
    assert Unit.objects.filter(pk__in=["U8", "U9"]).count() == 2
    batch = ImportBatch.objects.latest("pk")
    assert (batch.new, batch.rejected, batch.actor) == (2, 0, "legal")
    assert batch.files == ["units.jsonl", "unit.csv"]
    assert AuditEntry.objects.filter(action="import", object_id=str(batch.pk)).exists()
    assert "全部记录有效" in text


def test_a_rejected_record_is_reported_with_file_line_field_and_reason(users):
    response = upload(signed_in(users["system"]), ("batch.jsonl", (GOOD + BAD).encode()))
    text = response.content.decode()
    assert "拒收的记录" in text
    row = text[text.index("<td>batch.jsonl</td>") :]
    assert row.startswith('<td>batch.jsonl</td><td class="num">2</td><td>办案事件</td>')
    assert "<td>E9</td><td>at</td>" in row
    assert Unit.objects.filter(pk="U9").exists()  # the valid record is written
    batch = ImportBatch.objects.latest("pk")
    assert batch.rejected == 1
    stored = signed_in(users["system"]).get(f"/imports/{batch.pk}/").content.decode()
    assert "<td>E9</td><td>at</td>" in stored


def test_an_unreadable_file_imports_nothing_and_says_why(users):
    before = ImportBatch.objects.count()
    response = upload(
        signed_in(users["legal"]), ("good.jsonl", GOOD.encode()), ("broken.xlsx", b"not a zip")
    )
    text = response.content.decode()
    assert "无法读取 broken.xlsx" in text and "本次未导入任何记录" in text
    assert ImportBatch.objects.count() == before and not Unit.objects.filter(pk="U9").exists()


def test_a_file_of_another_type_is_refused_before_reading(users):
    response = upload(signed_in(users["legal"]), ("notes.txt", b"hello"))
    assert "不支持的文件类型" in response.content.decode()


def test_an_empty_form_says_a_file_is_needed(users):
    response = signed_in(users["legal"]).post("/imports/", {})
    assert response.status_code == 200 and "该字段是必填项" in response.content.decode()


def test_the_templates_download_and_import_as_they_are(users):
    client = signed_in(users["legal"])
    xlsx = client.get("/imports/templates/xlsx/")
    assert xlsx["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert "案件" in workbook.sheetnames
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(client.get("/imports/templates/csv/").streaming_content))
    )
    assert "case.csv" in archive.namelist()
    assert client.get("/imports/templates/pdf/").status_code == 404


def test_past_batches_are_listed(users):
    text = signed_in(users["legal"]).get("/imports/").content.decode()
    assert "历史批次" in text and "batch.jsonl" in text
