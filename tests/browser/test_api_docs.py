"""/api/docs: Swagger UI from the Python package, working with no internet, shows the API and
calls it with the signed-in session."""

from __future__ import annotations

from tests.browser.accounts import PASSWORD
from tests.browser.conftest import sign_in


def test_the_api_docs_run_offline_and_try_a_call(page):
    sign_in(page, "head2", PASSWORD)
    page.wait_for_url(f"{page.base}/")
    page.goto(f"{page.base}/api/docs")
    page.locator(".opblock").first.wait_for(timeout=15_000)
    assert page.locator(".info .title").inner_text().startswith("法治 接口")
    assert page.locator(".opblock").count() >= 13
    assert page.locator(".opblock-tag", has_text="风险预警").count() == 1
    # "Try it out" on GET /api/me/ answers as the signed-in user, through the session
    me = page.locator(".opblock-get", has=page.locator("[data-path='/api/me/']"))
    me.locator(".opblock-summary").click()
    me.locator("button.try-out__btn").click()
    me.locator("button.execute").click()
    answer = me.locator(".live-responses-table .response-col_description pre").first
    answer.wait_for(timeout=10_000)
    assert '"username": "head2"' in answer.inner_text()
