"""The 风险预警 pages as anonymous, outsider (the sibling station) and insider: reads are
scoped (404 out of scope), writes need CSRF and the right role, service errors come back in
Chinese, and the export is a real .xlsx."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from tests.patrol.conftest import AS_OF, signed_in

from fazhi.apps.accounts.models import Role
from fazhi.apps.audit.models import AuditEntry
from fazhi.apps.cases.models import Case
from fazhi.apps.org.models import Person
from fazhi.apps.patrol import services
from fazhi.apps.patrol.models import Warning

pytestmark = pytest.mark.django_db

STALE = services.StaleWarning.message


def warning(case: str, code: str) -> Warning:
    return Warning.objects.get(case_id=case, control_point=code)


def text(response) -> str:
    return response.content.decode()


def cases_linked(body: str) -> set[str]:
    """The cases a page links to (bare ids could match a random CSRF token)."""
    return set(re.findall(r'href="/cases/(\w+)/"', body))


def page_urls(world_warning: Warning) -> list[str]:
    return [
        "/warnings/",
        "/warnings/export/",
        f"/warnings/{world_warning.pk}/",
        "/rates/",
        "/rates/custody/",
    ]


# --- who may read -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in_from_every_page_and_action(world, client):
    jl02 = warning("A1", "JL-02")
    for url in page_urls(jl02):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/"), url
    for url in (f"/warnings/{jl02.pk}/acknowledge/", "/warnings/acknowledge/"):
        response = client.post(url, {"revision": jl02.revision})
        assert response.status_code == 302 and response.url.startswith("/login/")
    assert Warning.objects.get(pk=jl02.pk).status == "open"


def test_a_user_without_a_business_role_is_refused(make_user):
    auditor = make_user("auditor", (Role.AUDITOR, "U1"))
    for url in page_urls(warning("A1", "JL-02")):
        assert signed_in(auditor).get(url).status_code == 403, url


def test_the_outsider_gets_404_on_another_stations_warning_and_never_sees_it_listed(outsider):
    client = signed_in(outsider)
    jl02 = warning("A1", "JL-02")
    assert client.get(f"/warnings/{jl02.pk}/").status_code == 404
    response = client.post(f"/warnings/{jl02.pk}/acknowledge/", {"revision": jl02.revision})
    assert response.status_code == 404
    listing = text(client.get("/warnings/?status="))
    assert cases_linked(listing) == {"B1"}
    assert cases_linked(text(client.get("/rates/custody/"))) == {"B1"}
    # ticking someone else's warning in the bulk form changes nothing
    client.post("/warnings/acknowledge/", {"warning": f"{jl02.pk}:{jl02.revision}"})
    assert Warning.objects.get(pk=jl02.pk).status == "open"


def test_the_insider_lists_their_subtrees_unsettled_warnings_newest_first(head):
    response = signed_in(head).get("/warnings/")
    body = text(response)
    assert response.status_code == 200 and "风险预警" in body
    assert "共 <strong>15</strong> 条预警" in body  # 18 in U2's subtree, 3 settled by the act
    assert cases_linked(body) == {"A1", "A3", "A4", "A5"} and "甲警务室" in body
    rows = re.findall(r'<a href="/warnings/(\d+)/">#', body)
    ats = [Warning.objects.get(pk=int(pk)).at for pk in rows]
    assert ats == sorted(ats, reverse=True)


def test_filters_and_sorting_keep_each_other(head):
    client = signed_in(head)
    body = text(client.get("/warnings/?unit=U4&status="))
    assert "共 <strong>1</strong> 条预警" in body and "LA-01 刑事案件立案审查期限" in body
    by_level = text(client.get("/warnings/?sort=level&status="))
    first = re.search(r'class="tag level (\w+)"', by_level).group(1)
    assert first == "critical"
    assert "sort=-level" in by_level  # the column's link now turns the order round


def test_the_list_page_reads_in_as_many_queries_for_one_row_as_for_many(head):
    client = signed_in(head)
    client.get("/warnings/")  # sessions and caches settle

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    one, many = queries("/warnings/?control_point=JL-07&status=open"), queries("/warnings/?status=")
    assert one == many <= 12


# --- the warning page --------------------------------------------------------------------------


def test_the_warning_page_shows_basis_steps_timeline_and_history(head):
    jl02 = warning("A1", "JL-02")
    body = text(signed_in(head).get(f"/warnings/{jl02.pk}/"))
    assert "JL-02 拘留后送看守所" in body
    assert "「拘留后，应当立即将被拘留人送看守所羁押，至迟不得超过二十四小时。」" in body
    assert 'href="/system/law/criminal-procedure-law-2018/#第八十五条"' in body
    assert "起算：2026-03-02 10:00（刑事拘留）" in body
    # the timeline in time order, Chinese kinds, the obligation's start event highlighted
    kinds = re.findall(
        r"<tr(?: class=\"ours\")?><td>2026-03-0\d \d\d:\d\d</td><td>(\S+?)</td>", body
    )
    assert kinds == ["受案", "刑事拘留", "立案", "取保候审"]
    assert re.search(r'<tr class="ours"><td>2026-03-02 10:00</td><td>刑事拘留</td>', body)
    assert "生成预警" in body and "系统巡查" in body
    assert f'action="/warnings/{jl02.pk}/acknowledge/"' in body
    assert f'action="/warnings/{jl02.pk}/request_exception/"' in body
    assert "审批核销" not in body  # nothing to decide yet
    assert "整改完成" not in body  # a time duty ends by the act, not by hand


def test_subjects_are_masked_unless_the_role_needs_them(head, make_user):
    leader = make_user("leader", (Role.BUREAU_LEADER, "U1"))
    jl02 = warning("A1", "JL-02")
    assert "张三丰" in text(signed_in(head).get(f"/warnings/{jl02.pk}/"))
    masked = text(signed_in(leader).get(f"/warnings/{jl02.pk}/"))
    assert "张**" in masked and "张三丰" not in masked
    assert "张三丰" not in text(signed_in(leader).get("/warnings/"))


# --- writes -------------------------------------------------------------------------------------


def test_acknowledging_needs_the_csrf_token(head):
    jl02 = warning("A1", "JL-02")
    client = signed_in(head, csrf=True)
    response = client.post(f"/warnings/{jl02.pk}/acknowledge/", {"revision": jl02.revision})
    assert response.status_code == 403
    response = client.post("/warnings/acknowledge/", {"warning": f"{jl02.pk}:{jl02.revision}"})
    assert response.status_code == 403
    assert Warning.objects.get(pk=jl02.pk).status == "open"
    page = client.get(f"/warnings/{jl02.pk}/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(page)).group(1)
    client.post(
        f"/warnings/{jl02.pk}/acknowledge/",
        {"revision": jl02.revision, "csrfmiddlewaretoken": token},
    )
    assert Warning.objects.get(pk=jl02.pk).status == "acknowledged"


def test_acknowledging_at_a_stale_revision_says_so_in_chinese(head, legal):
    jl02 = warning("A1", "JL-02")
    seen = jl02.revision
    signed_in(legal).post(f"/warnings/{jl02.pk}/note/", {"revision": seen, "note": "请尽快送所"})
    response = signed_in(head).post(
        f"/warnings/{jl02.pk}/acknowledge/", {"revision": seen}, follow=True
    )
    assert STALE in text(response)
    assert Warning.objects.get(pk=jl02.pk).status == "open"
    assert "请尽快送所" in text(response)  # the other user's note is in the history


def test_bulk_acknowledge_reports_which_were_stale(head, legal):
    first, second = warning("A1", "JL-02"), warning("A4", "JL-07")
    services.acknowledge(second, legal, second.revision, AS_OF)  # someone was quicker
    response = signed_in(head).post(
        "/warnings/acknowledge/",
        {
            "warning": [f"{first.pk}:{first.revision}", f"{second.pk}:{second.revision}"],
            "next": "/warnings/?unit=U2",
        },
    )
    assert response.status_code == 302 and response.url == "/warnings/?unit=U2"
    assert Warning.objects.get(pk=first.pk).status == "acknowledged"
    assert Warning.objects.get(pk=first.pk).actions.last().actor == "head"
    followed = signed_in(head).post(
        "/warnings/acknowledge/",
        {"warning": [f"{first.pk}:{first.revision}"]},
        follow=True,
    )
    body = text(followed)
    assert f"#{first.pk} 未签收：{STALE}" in body


def test_the_bulk_form_reports_what_it_did(head):
    a, b = warning("A1", "JL-02"), warning("A1", "JL-03")
    response = signed_in(head).post(
        "/warnings/acknowledge/",
        {"warning": [f"{a.pk}:{a.revision}", f"{b.pk}:{b.revision}", "junk"]},
        follow=True,
    )
    assert "已签收 2 条预警。" in text(response)
    assert set(Warning.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {
        "acknowledged"
    }


def test_an_exception_is_asked_by_the_officer_and_decided_by_the_head(make_user, head):
    officer = make_user("wang", (Role.OFFICER, "U2"), person="P1")
    jl03 = warning("A1", "JL-03")
    officer_client = signed_in(officer)
    response = officer_client.post(
        f"/warnings/{jl03.pk}/request_exception/",
        {"revision": jl03.revision, "note": " "},
        follow=True,
    )
    assert "请填写核销理由。" in text(response)
    officer_client.post(
        f"/warnings/{jl03.pk}/request_exception/",
        {"revision": jl03.revision, "note": "家属已当面通知，系统漏录"},
    )
    jl03.refresh_from_db()
    assert jl03.exception_requested
    # an officer may not decide it, even by posting the form directly
    denied = officer_client.post(
        f"/warnings/{jl03.pk}/approve_exception/",
        {"revision": jl03.revision, "note": "同意"},
        follow=True,
    )
    assert "只有本单位所队长或法制部门可以审批核销。" in text(denied)
    assert "审批核销" not in text(officer_client.get(f"/warnings/{jl03.pk}/"))
    head_page = text(signed_in(head).get(f"/warnings/{jl03.pk}/"))
    assert "审批核销" in head_page and "驳回申请" in head_page
    signed_in(head).post(
        f"/warnings/{jl03.pk}/approve_exception/",
        {"revision": jl03.revision, "note": "核实属实"},
    )
    jl03.refresh_from_db()
    assert jl03.status == "closed"
    assert list(jl03.actions.values_list("action", "actor"))[-2:] == [
        ("request_exception", "wang"),
        ("approve_exception", "head"),
    ]


def test_a_violation_is_resolved_by_hand_and_a_time_duty_is_not(head):
    xw09, jl02 = warning("A1", "XW-09"), warning("A1", "JL-02")
    client = signed_in(head)
    assert "整改完成" in text(client.get(f"/warnings/{xw09.pk}/"))
    client.post(f"/warnings/{xw09.pk}/resolve/", {"revision": xw09.revision, "note": "已补告知"})
    assert Warning.objects.get(pk=xw09.pk).status == "resolved"
    refused = client.post(
        f"/warnings/{jl02.pk}/resolve/", {"revision": jl02.revision, "note": "已送所"}, follow=True
    )
    assert "期限类预警在录入办理行为后自动办结，不能手工整改。" in text(refused)
    assert client.post(f"/warnings/{jl02.pk}/delete/", {"revision": 1}).status_code == 404
    assert client.get(f"/warnings/{jl02.pk}/acknowledge/").status_code == 405


# --- export -------------------------------------------------------------------------------------


def test_the_export_is_an_xlsx_of_the_whole_filtered_list(head):
    response = signed_in(head).get("/warnings/export/?control_point=JL-07&status=&sort=at")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("预警编号", "控制点", "控制点名称", "领域")
    assert len(rows) == 3  # header, A5 (late, resolved) and A4 (overdue)
    a5, a4 = rows[1], rows[2]
    assert (a5[1], a5[2], a5[3], a5[6], a5[7]) == (
        "JL-07",
        "刑事拘留的羁押上限（超期羁押）",
        "刑事拘留",
        "已整改",
        "A5",
    )
    assert (a4[5], a4[6], a4[7], a4[8], a4[9]) == ("超期", "待处理", "A4", "钱四", "甲派出所")
    assert a4[11].isoformat() == "2026-03-13T23:59:59"  # local time, as Excel shows it
    entry = AuditEntry.objects.filter(action="export").get()
    assert entry.actor == "head" and '"rows":2' in entry.after


def test_the_export_masks_subjects_for_a_role_that_does_not_need_them(make_user):
    leader = make_user("leader", (Role.BUREAU_LEADER, "U1"))
    response = signed_in(leader).get("/warnings/export/?control_point=JL-07&status=")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert {row[8] for row in rows[1:]} == {"钱*", "孙*", "周*"}


# --- rates --------------------------------------------------------------------------------------


def test_the_rates_page_shows_each_figure_with_its_chinese_definition(head):
    body = text(signed_in(head).get("/rates/?start=2026-03-01&end=2026-03-31"))
    assert "及时受立案率" in body and "66.7%" in body and "按期 2 / 办结 3" in body
    assert "LA-01、LA-02、LA-03、LA-08、LA-10" in body
    for label in ("受立案日清零", "案件办理月清仓", "案件问题季清底", "超期羁押"):
        assert label in body
    assert 'href="/rates/late/?start=2026-03-01&amp;end=2026-03-31&amp;point=LA-01"' in body


def test_a_drill_down_lists_the_rows_behind_its_figure(head, outsider):
    client = signed_in(head)
    body = text(client.get("/rates/custody/?start=2026-03-01&end=2026-03-31"))
    assert "超期羁押 明细" in body and cases_linked(body) == {"A4", "A5"}
    quarterly = text(client.get("/rates/quarterly/?start=2026-03-01&end=2026-03-31"))
    assert quarterly.count("XW-09 告知有权委托辩护人") == 3
    one_point = text(client.get("/rates/overdue/?start=2026-03-01&end=2026-03-31&point=LA-01"))
    assert cases_linked(one_point) == {"A3"}
    assert client.get("/rates/nonsense/").status_code == 404
    assert cases_linked(text(signed_in(outsider).get("/rates/overdue/?unit=U2"))) == {"B1"}


# --- the includes -------------------------------------------------------------------------------


def _request_as(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_case_include_lists_the_cases_duties_and_warnings(head):
    html = render_to_string(
        "patrol/_case_obligations.html",
        {"case": Case.objects.get(pk="A1")},
        request=_request_as(head),
    )
    assert "JL-02 拘留后送看守所" in html and "QB-01 取保候审最长十二个月" in html
    assert html.count("<tr>") == 8 + 1  # header + the case's eight duties
    jl02 = warning("A1", "JL-02")
    assert f'href="/warnings/{jl02.pk}/"' in html and "已超期" in html


def test_the_dashboard_include_draws_the_trend_with_the_local_echarts(head):
    html = render_to_string("patrol/_dashboard.html", {}, request=_request_as(head))
    assert "超期羁押类预警" in html and "近 30 日每日新增预警" in html
    assert "/static/vendor/echarts-5.6.0/echarts.min.js" in html
    assert 'id="warning-trend"' in html and "甲派出所" in html
    assert not re.search(r"(src|href)=\"https?://", html)


def test_no_page_loads_anything_from_the_internet(head):
    client = signed_in(head)
    for url in page_urls(warning("A1", "JL-02")):
        if "export" in url:
            continue
        assert not re.search(r"(src|href)=\"(https?:)?//", text(client.get(url))), url


def test_the_person_include_lists_the_warnings_of_the_cases_they_lead(head, outsider):
    p1 = Person.objects.get(pk="P1")
    html = render_to_string(
        "patrol/_person_warnings.html", {"person": p1}, request=_request_as(head)
    )
    # P1 leads A1 (4), A3 (1), A4 (6), A5 (6, of which JL-01 and JL-07 settled by the act)
    assert "待处理 <strong>15</strong>" in html and "已整改 <strong>2</strong>" in html
    assert html.count('<tr><td><a href="/warnings/') == 15
    assert "JL-07 刑事拘留的羁押上限（超期羁押）" in html
    hidden = render_to_string(
        "patrol/_person_warnings.html", {"person": p1}, request=_request_as(outsider)
    )
    assert "待处理 <strong>0</strong>" in hidden and "没有未办结的预警" in hidden


def test_an_officer_lists_only_the_warnings_of_the_cases_they_handle(make_user):
    officer = make_user("wang", (Role.OFFICER, "U2"), person="P1")
    client = signed_in(officer)
    assert cases_linked(text(client.get("/warnings/?status="))) == {"A1", "A3", "A4", "A5"}
    a2 = warning("A2", "LA-01")  # led by P2
    assert client.get(f"/warnings/{a2.pk}/").status_code == 404


def test_an_export_over_the_limit_is_refused_with_a_request_to_narrow_it(head, monkeypatch):
    from fazhi.apps.patrol import views

    monkeypatch.setattr(views, "EXPORT_LIMIT", 2)
    response = signed_in(head).get("/warnings/export/?status=", follow=True)
    assert "导出不能超过 2 条，请缩小筛选范围后再导出。" in text(response)
    assert not AuditEntry.objects.filter(action="export").exists()
    narrow = signed_in(head).get("/warnings/export/?status=&control_point=JL-07")
    assert narrow["Content-Type"].startswith("application/vnd.openxmlformats")
