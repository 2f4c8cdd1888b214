"""Nothing a served page uses comes from another host: the test walks every page a legal
department user can reach by links (plus /api/docs and the 404 page), and fails on any
http(s):// or protocol-relative asset in the HTML as served, in the page as rendered, in the
style sheets, or among the requests the browser actually made."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from tests.browser.accounts import PASSWORD
from tests.browser.conftest import outside, sign_in

ASSET_IN_HTML = re.compile(
    r"<(?:script|img|link|source|iframe|embed|video|audio|object)\b[^>]*?"
    r"\s(?:src|href|srcset|data)\s*=\s*[\"']?\s*(?:https?:)?//",
    re.IGNORECASE,
)
URL_IN_CSS = re.compile(r"(?:url\(|@import)\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE)
MAX_PAGES = 60


def external_assets(text: str) -> list[str]:
    return [m.group(0) for m in (*ASSET_IN_HTML.finditer(text), *URL_IN_CSS.finditer(text))]


def same_site_links(page) -> set[str]:
    """Paths of links on the page that stay on this server (query strings dropped, so paging
    and filters do not multiply the walk; sign-out skipped)."""
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    paths = set()
    for href in hrefs:
        parts = urlsplit(urljoin(page.url, href))
        if f"{parts.scheme}://{parts.netloc}" == page.base and parts.path != "/logout/":
            paths.add(parts.path)
    return paths


def test_no_served_page_loads_anything_from_another_host(page):
    sign_in(page, "legal", PASSWORD)
    page.wait_for_url(f"{page.base}/")
    queue, seen, offenders = ["/", "/api/docs", "/no-such-page/"], set(), []
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        served = page.request.get(page.base + path)
        if served.status >= 500:
            offenders.append(f"{path}：服务器错误 {served.status}")
        if "text/html" not in served.headers.get("content-type", ""):
            continue  # downloads (templates, exports) are not pages
        offenders += [f"{path}（HTML）：{a}" for a in external_assets(served.text())]
        page.goto(page.base + path)
        if path == "/api/docs":  # Swagger UI fetches the schema after the page has loaded
            page.wait_for_load_state("networkidle")
        offenders += [f"{path}（渲染后）：{a}" for a in external_assets(page.content())]
        queue += sorted(same_site_links(page) - seen)
    sheets = {r.url for r in page.requested if r.resource_type == "stylesheet"}
    for sheet in sheets:
        offenders += [f"{sheet}：{a}" for a in URL_IN_CSS.findall(page.request.get(sheet).text())]
    assert offenders == []
    assert outside([r.url for r in page.requested], page.base) == []
    # the walk did reach the product's pages, the API docs and their local scripts
    assert {"/", "/api/docs", "/cases/", "/cases/A1/", "/imports/"} <= seen
    scripts = {urlsplit(r.url).path for r in page.requested if r.resource_type == "script"}
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in scripts
    assert any(s.startswith("/static/vendor/echarts") for s in scripts)


def test_the_check_itself_finds_outside_assets():
    html = (
        '<link rel="stylesheet" href="https://cdn.example/x.css">'
        "<script src=//cdn.example/x.js></script>"
        "<style>body{background:url( 'http://example/x.png')}</style>"
        '<a href="https://example/">a link is not an asset</a>'
        '<img src="/static/fazhi/logo.png">'
    )
    assert len(external_assets(html)) == 3
