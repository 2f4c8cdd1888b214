"""The 成绩单 and a person's 执法档案 in a browser, on the assessment tests' bureau scored by
`fazhi assess` for March 2026: 甲派出所's head reads the ranking, opens 王某's file, and the
printed file leaves the site's header and the forms out."""

from __future__ import annotations

import json

import pytest
from tests.assessment.conftest import WORLD
from tests.browser.accounts import PASSWORD
from tests.browser.conftest import running_site, sign_in


@pytest.fixture(scope="module")
def site(scratch_database: str, tmp_path_factory: pytest.TempPathFactory):
    """`fazhi serve` on the assessment bureau, case_handling scored for 2026-03, with the
    browser tests' users (head2: 所队长 of 甲派出所)."""
    folder = tmp_path_factory.mktemp("site")
    world = folder / "world.jsonl"
    world.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in WORLD) + "\n", "utf-8")
    commands = [
        ["import", str(world)],
        ["assess", "--scheme", "case_handling", "--period", "2026-03"],
    ]
    with running_site(scratch_database, folder / "data", commands) as base:
        yield base


def test_open_the_ranking_and_a_persons_enforcement_file(page):
    sign_in(page, "head2", PASSWORD)
    page.wait_for_url(f"{page.base}/")
    page.locator("nav.sections").get_by_role("link", name="考评", exact=True).click()
    page.fill("input[name=period]", "2026-03")
    page.select_option("select[name=sequence]", value="station_officer")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/assessment/?*period=2026-03*")
    assert page.locator("h1").inner_text() == "成绩单：执法办案积分 2026-03"
    names = page.locator("table.ranking tbody tr td:nth-child(2)").all_inner_texts()
    assert names == ["李某", "王某", "马某"]  # 4, 3.5 and 0 points
    page.locator("table.ranking a", has_text="王某").click()
    page.wait_for_url("**/assessment/people/P1/?period=2026-03")
    assert page.locator("h1").inner_text() == "执法档案：王某"
    ledger = page.locator("table.ledger").inner_text()
    assert "主办案件 A1（刑事案件）2026-03-20 办结：+3" in ledger
    page.locator("table.ledger a", has_text="案件 A1").first.click()
    page.wait_for_url("**/cases/A1/")
    page.go_back()
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    assert page.locator("table.ledger").is_visible()
    assert page.locator(".print-only").is_visible()  # the printing time
