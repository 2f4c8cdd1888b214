"""The unit tree answers subtree questions in one indexed query on both databases."""

from __future__ import annotations

import pytest
from tests.support import EXAMPLE

from fazhi.apps.cases.models import Case
from fazhi.apps.org.models import Unit
from fazhi.apps.org.selectors import ancestors, subtree
from fazhi.cli import main

pytestmark = pytest.mark.django_db


@pytest.fixture
def example(capsys):
    assert main(["import", str(EXAMPLE), "--format", "json"]) == 0
    capsys.readouterr()


def test_a_subtree_holds_the_unit_and_everything_below_it(example):
    ids = set(Unit.objects.filter(pk__in=subtree("U-330203")).values_list("pk", flat=True))
    assert ids == {"U-330203", "U-330203-FZ", "U-330203-GL"}
    assert set(Unit.objects.filter(pk__in=subtree("U-330203-GL")).values_list("pk", flat=True)) == {
        "U-330203-GL"
    }


def test_cases_of_a_subtree_are_one_query(example, django_assert_num_queries):
    with django_assert_num_queries(1):
        cases = sorted(
            Case.objects.filter(unit__in=subtree("U-330200")).values_list("pk", flat=True)
        )
    assert cases == ["A-2026-0031", "X-2026-0112"]
    assert not Case.objects.filter(unit__in=subtree("U-330203-FZ")).exists()


def test_moving_a_unit_moves_its_subtree(example, capsys, write_jsonl):
    moved = {
        "type": "unit",
        "id": "U-330203-GL",
        "name": "古林派出所",
        "kind": "station",
        "parent": "U-330203-FZ",
    }
    assert main(["import", str(write_jsonl([moved])), "--format", "json"]) == 0
    assert Case.objects.filter(unit__in=subtree("U-330203-FZ")).count() == 2
    assert [u.pk for u in ancestors("U-330203-GL")] == [
        "U-330203-GL",
        "U-330203-FZ",
        "U-330203",
        "U-330200",
    ]
