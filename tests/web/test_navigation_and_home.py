"""The layout's navigation shows what the role may use; 首页 draws its trends with the ECharts
build the application serves itself."""

from __future__ import annotations

import json
import re

import pytest
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db
NAV = re.compile(r'<nav class="sections".*?</nav>', re.S)


def nav_labels(client) -> list[str]:
    block = NAV.search(client.get("/").content.decode())
    return re.findall(r">([^<>]+)</a></li>", block.group(0)) if block else []


WARNINGS = ["风险预警"]


@pytest.mark.parametrize(
    "who, expected",
    [
        ("officer", ["首页", *WARNINGS, "案件", "考评"]),
        ("head", ["首页", *WARNINGS, "案件", "人员", "考评", "考评数据"]),
        ("legal", ["首页", *WARNINGS, "案件", "人员", "考评", "考评数据", "数据导入", "系统管理"]),
        ("leader", ["首页", *WARNINGS, "案件", "人员", "考评", "系统管理"]),
        ("auditor", ["首页", "审计"]),
        ("security", ["首页", "系统管理"]),
        ("system", ["首页", "数据导入", "系统管理"]),
    ],
)
def test_the_navigation_shows_only_what_the_role_may_use(users, who, expected):
    assert nav_labels(signed_in(users[who])) == expected


def test_home_shows_the_warning_figures_to_business_roles_only(users):
    assert "风险预警" in signed_in(users["head"]).get("/").content.decode()
    assert "风险预警" not in signed_in(users["auditor"]).get("/").content.decode()


def test_home_embeds_monthly_figures_in_scope_and_loads_echarts_locally(users):
    text = signed_in(users["head"]).get("/").content.decode()
    assert '<script src="/static/vendor/echarts-5.6.0/echarts.min.js"></script>' in text
    figures = re.search(
        r'<script id="monthly-figures" type="application/json">(.*?)</script>', text
    )
    data = json.loads(figures.group(1))
    assert data["months"][-1] == "2026-03" and len(data["months"]) == 12
    assert [s["name"] for s in data["cases"]] == ["刑事案件", "行政案件"]
    assert data["cases"][0]["data"][-1] == 2 and data["cases"][1]["data"][-1] == 1  # A1, C1; A2
    assert data["alarms"]["data"][-1] == 1


def test_the_vendored_echarts_is_served_with_its_licence(client):
    response = client.get("/static/vendor/echarts-5.6.0/echarts.min.js")
    assert response.status_code == 200
    assert client.get("/static/vendor/echarts-5.6.0/LICENSE").status_code == 200
