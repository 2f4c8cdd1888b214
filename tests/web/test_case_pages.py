"""案件: the list filters, sorts, pages and counts within scope; the case page shows the case's
facts, handlers, subjects, a Chinese timeline and its alarms in a fixed number of queries."""

from __future__ import annotations

import re

import pytest
from tests.web.conftest import signed_in

from fazhi.apps.cases.models import Case
from fazhi.web.case_status import status_key, with_status

pytestmark = pytest.mark.django_db
CASE_LINK = re.compile(r'<a href="/cases/([\w-]+)/">')


def listed(client, query: str = "") -> list[str]:
    return CASE_LINK.findall(client.get(f"/cases/{query}").content.decode())


def test_the_list_shows_the_cases_in_scope_newest_first(users):
    assert listed(signed_in(users["legal"])) == ["A1", "A2", "C1", "B1"]
    assert listed(signed_in(users["head"])) == ["A1", "A2", "C1"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?unit=U4", ["C1"]),
        ("?unit=U2", ["A1", "A2", "C1"]),
        ("?kind=administrative", ["A2"]),
        ("?category=theft", ["A1"]),
        ("?status=filed", ["A1", "A2"]),
        ("?status=open", ["C1", "B1"]),
        ("?handler=P1", ["A1"]),
        ("?handler=李", ["A1", "A2", "C1"]),
        ("?opened_from=2026-03-01&opened_to=2026-03-01", ["A1", "A2", "C1"]),
        ("?opened_to=2026-02-28", ["B1"]),
        ("?q=赌博", ["A2"]),
        ("?sort=id", ["A1", "A2", "B1", "C1"]),
        ("?sort=-id", ["C1", "B1", "A2", "A1"]),
        ("?kind=criminal&sort=id", ["A1", "B1", "C1"]),
        ("?sort=status", ["B1", "C1", "A1", "A2"]),  # 已受案 before 已立案, then by opening
        ("?sort=-status", ["A1", "A2", "B1", "C1"]),
    ],
)
def test_the_list_filters_and_sorts(users, query, expected):
    assert listed(signed_in(users["legal"]), query) == expected


def test_a_filter_cannot_reach_outside_scope(users):
    client = signed_in(users["head"])
    assert listed(client, "?unit=U3") == ["A1", "A2", "C1"]  # not a choice: ignored
    assert listed(client, "?handler=P3") == []


def test_each_listed_case_shows_its_status_whatever_the_sort(users):
    client = signed_in(users["legal"])
    for query in ("", "?sort=status", "?status=filed"):
        text = client.get(f"/cases/{query}").content.decode()
        row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*?/cases/A1/(?:(?!</tr>).)*</tr>", text, re.S)[0]
        assert "已立案" in row and "已受案" not in row, query


def test_the_list_counts_by_kind_and_status(users):
    text = signed_in(users["head"]).get("/cases/").content.decode()
    assert "共 <strong>3</strong> 起：刑事案件 2，行政案件 1" in text
    assert "已立案 2" in text and "已受案 1" in text


def test_the_list_pages_by_fifty(users, write_jsonl, capsys):
    from fazhi.cli import main

    many = [
        {
            "type": "case",
            "id": f"M{i:03d}",
            "kind": "criminal",
            "unit": "U4",
            "opened_at": "2026-01-01T09:00:00+08:00",
        }
        for i in range(60)
    ]
    assert main(["import", str(write_jsonl(many, "many.jsonl"))]) == 0
    capsys.readouterr()
    client = signed_in(users["head"])
    first = client.get("/cases/?unit=U4&sort=id").content.decode()
    assert "共 61 条，第 1/2 页" in first and len(CASE_LINK.findall(first)) == 50
    assert 'href="?unit=U4&amp;sort=id&amp;page=2"' in first
    ids = sorted(["C1", *(case["id"] for case in many)])
    assert listed(client, "?unit=U4&sort=id&page=2") == ids[50:]


def test_statuses_of_the_world(world):
    ranks = dict(with_status(Case.objects.all()).values_list("pk", "status_rank"))
    assert {pk: status_key(rank) for pk, rank in ranks.items()} == {
        "A1": "filed",
        "A2": "filed",
        "C1": "open",
        "B1": "open",
    }


def test_the_case_page_shows_facts_handlers_subjects_timeline_and_alarms(users):
    text = signed_in(users["head"]).get("/cases/A1/").content.decode()
    assert "<h1>案件 A1</h1>" in text and "甲所盗窃案" in text
    for expected in ("甲派出所", "刑事案件", "盗窃", "结伙作案", "已立案"):
        assert expected in text
    assert re.search(r"王某.*主办", text, re.S) and "协办" in text
    assert "欧阳明" in text and "110101199001021234" in text and "初次违法" in text
    # the timeline, in time order, with attributes in Chinese
    kinds = re.findall(r"<td>(受案|刑事拘留|讯问|通知家属|立案)</td>", text)
    assert kinds == ["受案", "刑事拘留", "讯问", "通知家属", "立案"]
    assert "全程录音录像：是" in text and "地点：执法办案区" in text
    assert "通知事由：刑事拘留" in text and "王某、李某" in text
    assert "J1" in text and "刑事" in text


def test_the_case_page_reads_in_a_fixed_number_of_queries(users, django_assert_max_num_queries):
    client = signed_in(users["head"])
    client.get("/cases/A1/")  # warm the session and template caches
    with django_assert_max_num_queries(15):
        assert client.get("/cases/A1/").status_code == 200


def test_the_case_page_shows_the_cases_obligations(users):
    page = signed_in(users["head"]).get("/cases/A1/").content.decode()
    assert "法定义务与预警" in page
    assert "JL-01" in page or "本案尚无法定义务" in page
