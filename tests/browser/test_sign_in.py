"""Sign-in, the dashboard, scope and lockout, as a user in a browser sees them."""

from __future__ import annotations

from tests.browser.accounts import PASSWORD
from tests.browser.conftest import sign_in


def test_sign_in_leads_to_the_dashboard(page):
    sign_in(page, "head2", PASSWORD)
    page.wait_for_url(f"{page.base}/")
    assert "head2" in page.locator("header").inner_text()
    assert page.locator("h1").first.inner_text() == "首页"
    cases = page.locator("tr", has=page.locator("td", has_text="案件")).first
    assert cases.locator("td.num").inner_text() == "1"  # A1, the one case of 甲派出所
    # the trend chart is drawn by the ECharts this server ships
    page.locator("#chart-cases canvas").wait_for(timeout=10_000)


def test_another_units_case_is_not_found(page):
    sign_in(page, "head3", PASSWORD)
    page.wait_for_url(f"{page.base}/")
    assert page.goto(f"{page.base}/api/cases/A1/").status == 404
    response = page.goto(f"{page.base}/cases/A1/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "未找到"
    assert "不在您的查看范围内" in page.locator("main").inner_text()
    assert "A1" not in page.locator("main").inner_text()


def test_the_case_opens_for_its_units_head(page):
    sign_in(page, "head2", PASSWORD)
    page.wait_for_url(f"{page.base}/")
    response = page.goto(f"{page.base}/cases/A1/")
    assert response.status == 200
    assert "A1" in page.content()


def test_five_wrong_passwords_lock_the_account(page):
    for _ in range(4):
        sign_in(page, "locked", "wrong-password")
        assert "用户名或密码不正确" in page.locator("p.error").inner_text()
    sign_in(page, "locked", "wrong-password")
    assert "连续 5 次登录失败，已被锁定" in page.locator("p.error").inner_text()
    sign_in(page, "locked", PASSWORD)  # the right password no longer opens it
    assert "已被锁定" in page.locator("p.error").inner_text()
    assert page.url.startswith(f"{page.base}/login/")
