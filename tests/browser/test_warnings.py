"""The warnings workflow in a browser: filter the list, open a warning, read why it is due,
acknowledge it. The world's detention (A1, S1, 2026-03-01) is long past its 3-day limit for
提请批捕 (JL-01), so the import raised an overdue warning."""

from __future__ import annotations

from tests.browser.accounts import PASSWORD
from tests.browser.conftest import sign_in


def test_filter_open_and_acknowledge_a_warning(page):
    sign_in(page, "head2", PASSWORD)
    page.wait_for_url(f"{page.base}/")
    page.goto(f"{page.base}/warnings/")
    assert page.locator("h1").inner_text() == "风险预警"
    page.select_option("select[name=control_point]", value="JL-01")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/warnings/?*control_point=JL-01*")
    rows = page.locator("table.warnings tbody tr")
    assert rows.count() == 1
    assert "A1" in rows.first.inner_text() and "超期" in rows.first.inner_text()
    rows.first.locator("a", has_text="JL-01").click()
    assert "拘留后提请批准逮捕" in page.locator("h1").inner_text()
    body = page.locator("main").inner_text()
    assert "三日以内" in body  # the quoted law
    assert "起算：2026-03-01 10:00（刑事拘留）" in body  # the counting steps
    page.locator("form", has=page.locator("button", has_text="签收")).locator(
        "button", has_text="签收"
    ).click()
    page.wait_for_load_state()
    assert "已签收" in page.locator("main").inner_text()
    assert page.locator("button", has_text="签收").count() == 0  # no second acknowledgement


def test_another_units_head_sees_no_warning_of_a1(page):
    sign_in(page, "head3", PASSWORD)
    page.wait_for_url(f"{page.base}/")
    page.goto(f"{page.base}/warnings/?status=")
    assert "A1" not in page.locator("main").inner_text()
