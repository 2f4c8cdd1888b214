"""系统管理: accounts and grants through the accounts services; the catalogue with its legal
basis linked into the shipped law texts; holidays and "立即/及时" thresholds."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from tests.web.conftest import signed_in

from fazhi.apps.audit.models import AuditEntry
from fazhi.apps.bureau.models import CompleteYear, HolidayOverride, InternalStandard
from fazhi.core.catalog import AREAS
from fazhi.web import catalogue as catalog

pytestmark = pytest.mark.django_db
PASSWORD = "Xq7!long-enough2"


def test_the_security_administrator_creates_an_account(users):
    client = signed_in(users["security"])
    data = {"username": "zhang", "password1": PASSWORD, "password2": PASSWORD}
    response = client.post("/system/users/", data)
    user = get_user_model().objects.get(username="zhang")
    assert response.url == f"/system/users/{user.pk}/"
    assert user.check_password(PASSWORD) and not user.grants.exists()
    actions = set(AuditEntry.objects.filter(object_id="zhang").values_list("action", flat=True))
    assert actions == {"create", "update"}  # the account, then its password
    assert "zhang" in client.get("/system/users/?q=zh").content.decode()


@pytest.mark.parametrize(
    "data, error",
    [
        ({"username": "head", "password1": PASSWORD, "password2": PASSWORD}, "用户名 head 已存在"),
        (
            {"username": "li", "password1": PASSWORD, "password2": PASSWORD + "x"},
            "两次输入的密码不一致",
        ),
        ({"username": "li", "password1": "short", "password2": "short"}, "密码至少 10 位"),
    ],
)
def test_an_account_form_with_a_mistake_says_what_is_wrong(users, data, error):
    response = signed_in(users["security"]).post("/system/users/", data)
    assert response.status_code == 200 and error in response.content.decode()
    assert not get_user_model().objects.filter(username="li").exists()


def test_a_security_administrator_cannot_grant_themselves(users):
    me = users["security"]
    client = signed_in(me)
    response = client.post(
        f"/system/users/{me.pk}/grant/", {"role": "legal_department", "unit": "U1"}, follow=True
    )
    assert "不能为自己授权" in response.content.decode()
    assert not me.grants.filter(role="legal_department").exists()


def test_linking_an_unknown_person_is_refused(users):
    head = users["head"]
    response = signed_in(users["security"]).post(
        f"/system/users/{head.pk}/person/", {"person": "P404"}
    )
    assert response.status_code == 400 and "没有这个人员编号" in response.content.decode()


def test_the_catalogue_lists_every_point_by_area(users):
    text = signed_in(users["officer"]).get("/system/catalogue/").content.decode()
    points = catalog.catalogue().points
    for point in points:
        assert f'href="/system/catalogue/{point.key}/"' in text
    for area in {p.area for p in points}:
        assert f'<h2 id="area-{area}">{AREAS[area]}</h2>' in text
    assert "待数据" in text and "内部标准" in text


def test_a_point_page_quotes_its_basis_and_links_the_article(users):
    text = signed_in(users["officer"]).get("/system/catalogue/JL-01/").content.decode()
    assert "<h1>JL-01 拘留后提请批准逮捕</h1>" in text
    assert "应当在拘留后的三日以内，提请人民检察院审查批准" in text
    link = "/system/law/criminal-procedure-law-2018/#第九十一条"
    assert f'href="{link}"' in text
    law = signed_in(users["officer"]).get(link.split("#")[0]).content.decode()
    assert re.search(r'<p class="article" id="第九十一条">第九十一条 公安机关对被拘留的人', law)
    assert "超期未办" in text and "不预警" in text  # the examples, in Chinese


def test_every_point_page_renders(users):
    client = signed_in(users["head"])
    for point in catalog.catalogue().points:
        assert client.get(f"/system/catalogue/{point.key}/").status_code == 200, point.key
    assert client.get("/system/catalogue/ZZ-99/").status_code == 404


def test_the_law_list_names_every_shipped_text(users):
    text = signed_in(users["head"]).get("/system/law/").content.decode()
    assert (
        "中华人民共和国刑事诉讼法" in text and "国务院办公厅关于2026年部分节假日安排的通知" in text
    )
    assert signed_in(users["head"]).get("/system/law/../settings/").status_code == 404


def test_the_holiday_page_shows_the_years_holidays_and_make_up_days(users):
    text = signed_in(users["officer"]).get("/system/holidays/?year=2026").content.decode()
    assert "<td>2026-10-01</td><td>周四</td><td>放假</td><td>国庆节</td>" in text
    assert "<td>2026-10-10</td><td>周六</td><td>上班</td>" in text
    assert "保存调整" not in text  # an officer reads, the legal department edits


def test_the_legal_department_overrides_a_day_and_marks_a_year_complete(users):
    client = signed_in(users["legal"])
    data = {"action": "set", "year": "2027", "day": "2027-02-08", "workday": "0", "note": "春节"}
    response = client.post("/system/holidays/", data)
    assert response.url == "/system/holidays/?year=2027"
    assert HolidayOverride.objects.get().note == "春节"
    text = client.get("/system/holidays/?year=2027").content.decode()
    assert (
        "<td>2027-02-08</td><td>周一</td><td>放假</td><td>春节（本局调整）</td><td>本局</td>"
        in text
    )
    client.post("/system/holidays/", {"action": "complete", "year": "2027"})
    assert CompleteYear.objects.filter(year=2027).exists()
    client.post("/system/holidays/", {"action": "remove", "year": "2027", "day": "2027-02-08"})
    assert not HolidayOverride.objects.exists()
    kinds = AuditEntry.objects.filter(object_type__in=["holiday_override", "complete_year"])
    assert list(kinds.values_list("action", flat=True).order_by("seq")) == [
        "create",
        "create",
        "delete",
    ]


def test_an_invalid_override_says_what_is_wrong(users):
    response = signed_in(users["legal"]).post("/system/holidays/", {"action": "set", "day": "x"})
    assert response.status_code == 200 and "输入一个有效的日期" in response.content.decode()


def test_the_standards_page_lists_the_internal_standard_points(users):
    text = signed_in(users["head"]).get("/system/standards/").content.decode()
    for point in catalog.internal_standard_points():
        assert f">{point.code}</a>" in text
    assert "保存" not in text


def test_the_legal_department_sets_and_clears_a_threshold(users):
    client = signed_in(users["legal"])
    client.post(
        "/system/standards/", {"code": "DB-01", "action": "set", "hours": "12", "note": "本局"}
    )
    assert InternalStandard.objects.get().hours == 12
    assert "12 小时" in client.get("/system/standards/").content.decode()
    assert "本局标准：12 小时" in client.get("/system/catalogue/DB-01/").content.decode()
    response = client.post(
        "/system/standards/", {"code": "JL-01", "action": "set", "hours": "1"}, follow=True
    )
    assert "没有这个" in response.content.decode() and InternalStandard.objects.count() == 1
    response = client.post("/system/standards/", {"code": "DB-01", "action": "set", "hours": "0"})
    assert response.status_code == 200 and InternalStandard.objects.get().hours == 12
    client.post("/system/standards/", {"code": "DB-01", "action": "remove"})
    assert not InternalStandard.objects.exists()
