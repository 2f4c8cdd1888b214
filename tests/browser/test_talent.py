"""法制人才库 in a browser: 甲派出所's head opens the talent pool from the 考评 tabs, reads the one
candidate with the criteria they meet, and downloads the Excel for the personnel department,
which opens with openpyxl and holds that candidate's row.

The bureau is the assessment tests' (tests/assessment/conftest.py) with 执法资格 and a law exam
added, case_handling scored for 2026 by `fazhi assess`: 李某 (P2) is first of three 派出所民警,
中级资格, 90 in the exam, no warning — the candidate; 王某 (P1) is second and has a warning."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from tests.assessment.conftest import WORLD
from tests.browser.accounts import PASSWORD
from tests.browser.conftest import running_site, sign_in

LEVELS = {"P1": "advanced", "P2": "intermediate", "C1": "basic"}
EXAM = {
    "type": "exam",
    "id": "EX1",
    "name": "法律知识考试",
    "day": "2026-06-01",
    "scores": [{"person": "P1", "score": 95}, {"person": "P2", "score": 90}],
}


def _jsonl(path, records) -> str:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", "utf-8")
    return str(path)


@pytest.fixture(scope="module")
def site(scratch_database: str, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("talent")
    world = [
        {**r, "qualification": LEVELS[r["id"]]}
        if r["type"] == "person" and r["id"] in LEVELS
        else r
        for r in WORLD
    ]
    commands = [
        ["import", _jsonl(folder / "world.jsonl", world)],
        ["assess-import", _jsonl(folder / "exam.jsonl", [EXAM])],
        ["assess", "--scheme", "case_handling", "--period", "2026"],
    ]
    with running_site(scratch_database, folder / "data", commands) as base:
        yield base


def test_open_the_talent_pool_and_download_the_excel(page, tmp_path):
    sign_in(page, "head2", PASSWORD)
    page.wait_for_url(f"{page.base}/")
    page.locator("nav.sections").get_by_role("link", name="考评", exact=True).click()
    page.locator("nav.crumbs a", has_text="法制人才库").click()
    page.wait_for_url("**/assessment/talent/")
    page.fill("input[name=year]", "2026")
    page.select_option("select[name=pool]", value="talent_pool")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/assessment/talent/?*year=2026*")
    assert page.locator("h1").inner_text() == "法制人才库与办案能手候选：法制人才库 2026 年"
    rows = page.locator("table.talent tbody tr")
    assert rows.count() == 1
    row = rows.first.inner_text()
    assert "李某" in row and "✓ 积分 4.00，第 1/3 名" in row and "候选人" in row
    page.check("input[name=everyone]")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**everyone=on*")
    wang = page.locator("table.talent tr[data-person=P1]").inner_text()
    assert "✗ 本人过错预警 1 条（最多 0 条）" in wang and "未满足 2 项" in wang
    with page.expect_download() as caught:
        page.locator("a", has_text="导出 Excel").click()
    download = caught.value
    assert download.suggested_filename == "rencaiku-talent_pool-2026.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = load_workbook(saved).active
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert table[1][:4] == ["人员编号", "姓名", "单位", "序列"]
    assert [r[:4] for r in table[2:]] == [["P2", "李某", "甲派出所", "派出所民警"]]
