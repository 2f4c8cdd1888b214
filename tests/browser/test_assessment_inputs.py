"""考评数据 in a browser, on the assessment tests' bureau: 甲派出所's head uploads a CSV of duty
shifts with a bad row and reads the Chinese refusal, then enters one duty shift by the form,
and the same shift again is refused."""

from __future__ import annotations

import json

import pytest
from tests.assessment.conftest import WORLD
from tests.browser.accounts import PASSWORD
from tests.browser.conftest import running_site, sign_in


@pytest.fixture(scope="module")
def site(scratch_database: str, tmp_path_factory: pytest.TempPathFactory):
    """`fazhi serve` on the assessment bureau with the browser tests' users (head2: 所队长 of
    甲派出所, whose people are M1, P1, P2 and C1)."""
    folder = tmp_path_factory.mktemp("site")
    world = folder / "world.jsonl"
    world.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in WORLD) + "\n", "utf-8")
    with running_site(scratch_database, folder / "data", [["import", str(world)]]) as base:
        yield base


def test_upload_a_bad_csv_read_the_refusal_then_enter_a_duty_shift(page, tmp_path):
    bad = tmp_path / "值班坐堂.csv"
    bad.write_text(
        "person（值班人）,day,hall_hours\nP1,2026-03-02,8\nP2,2026-03-02,30\n", encoding="gbk"
    )
    sign_in(page, "head2", PASSWORD)
    page.wait_for_url(f"{page.base}/")
    page.locator("nav.sections a", has_text="考评数据").click()
    page.wait_for_url("**/assessment/inputs/")
    assert page.locator("h1").inner_text() == "考评数据导入"
    page.set_input_files("input[name=files]", str(bad))
    page.click("form.upload button[type=submit]")
    report = page.locator("section.report")
    report.wait_for()
    assert "新增：值班记录 1 条；拒收 1 条。" in report.inner_text()
    assert report.locator("ul.problems li").all_inner_texts() == [
        "值班坐堂.csv:3: duty_shift：李某（P2）2026-03-02 的值班记录 hall_hours："
        "坐堂小时数应在 0 到 24 之间"
    ]

    page.locator("nav.crumbs a", has_text="值班坐堂登记").click()
    page.wait_for_url("**/assessment/inputs/duty_shift/")
    page.fill("input[name=person]", "M1")
    page.fill("input[name=day]", "2026-03-03")
    page.fill("input[name=hall_hours]", "8.5")
    page.click("form.entry button[type=submit]")
    assert page.locator("p.message.success").inner_text() == "值班坐堂登记已保存：值班记录 1 条。"
    page.fill("input[name=person]", "M1")
    page.fill("input[name=day]", "2026-03-03")
    page.fill("input[name=hall_hours]", "6")
    page.click("form.entry button[type=submit]")
    assert (
        page.locator(".message.error[role=alert]").inner_text()
        == "网页录入:1: duty_shift.day：当日已有值班记录"
    )
