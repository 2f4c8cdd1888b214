"""数据导入 in the browser: a file with an error is imported, its valid records stored, and the
error read in Chinese with its line, field and reason."""

from __future__ import annotations

import json

from tests.browser.accounts import PASSWORD
from tests.browser.conftest import sign_in

GOOD = {"type": "unit", "id": "U5", "name": "丙派出所", "kind": "station", "parent": "U1"}
BAD = {
    "type": "event",
    "id": "E9",
    "case": "A1",
    "kind": "intake",
    "at": "2026-02-30T09:00:00+08:00",  # there is no 30 February
    "officers": ["P1"],
}


def test_a_file_with_an_error_is_reported_in_chinese(page, tmp_path):
    upload = tmp_path / "带错误的批次.jsonl"
    upload.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (GOOD, BAD)), encoding="utf-8"
    )
    sign_in(page, "legal", PASSWORD)
    page.wait_for_url(f"{page.base}/")
    page.get_by_role("link", name="数据导入").first.click()
    page.wait_for_url(f"{page.base}/imports/")
    page.locator("form.upload input[type=file]").set_input_files(str(upload))
    page.locator("form.upload button[type=submit]").click()
    report = page.get_by_role("region", name="校验报告")
    report.wait_for()
    counts = report.locator("tbody tr").first.locator("td.num").all_inner_texts()
    assert counts == ["1", "0", "0", "1"]  # new, updated, unchanged, rejected
    row = report.locator("table.problems tbody tr").first
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == "带错误的批次.jsonl" and cells[1] == "2"
    assert cells[2:5] == ["办案事件", "E9", "at"]
    assert "2026-02-30" in cells[5] and "不存在" in cells[5], cells[5]
