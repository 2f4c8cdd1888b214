"""首页's figures kept per scope (fazhi.apps.figures): read at once within their age, shared
by users of the same view only, counted again by the scheduler before they expire."""

from __future__ import annotations

import json
import re
import threading
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from tests.accounts.conftest import signed_in

from fazhi.apps import figures
from fazhi.apps.accounts import scope
from fazhi.apps.accounts.models import Grant, Role
from fazhi.apps.cases.models import Case
from fazhi.apps.patrol import selectors
from fazhi.web.views.home import home_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    settings.FIGURES_MAX_AGE = 300
    cache.clear()


def _cases_this_month(page: str) -> int:
    data = json.loads(
        re.search(r'<script id="monthly-figures" type="application/json">(.*?)</script>', page)[1]
    )
    return data["cases"][0]["data"][-1]


def _counted_at(page: str) -> str:
    return re.search(r"趋势与数据概况统计于 ([0-9: -]+)", page)[1]


def test_a_second_visit_reads_the_kept_figures_even_after_a_change(users, kept):
    client = signed_in(users["head"])
    first = client.get("/").content.decode()
    assert _cases_this_month(first) == 2  # A1 and C1 in U2's subtree
    Case.objects.filter(pk="C1").update(unit_id="U3")  # moved out of the head's view
    second = client.get("/").content.decode()
    assert _cases_this_month(second) == 2 and _counted_at(second) == _counted_at(first)


def test_figures_are_counted_again_once_they_are_older_than_the_max_age(users, kept, settings):
    head = users["head"]
    old = figures.counted(home_figures, head)
    Case.objects.filter(pk="C1").update(unit_id="U3")
    settings.FIGURES_MAX_AGE = 1
    cache.set(
        figures._key(figures._name(home_figures), scope.scope_key(head)),
        figures.Counted(old.value, old.at - timedelta(seconds=5)),
    )
    fresh = figures.counted(home_figures, head)
    assert fresh.at > old.at
    assert fresh.value["monthly"]["cases"][0]["data"][-1] == 1


def test_users_with_the_same_grants_share_figures_and_others_do_not(users, make_user, kept):
    twin = make_user("twin-head", (Role.UNIT_HEAD, "U2"))
    assert scope.scope_key(twin) == scope.scope_key(users["head"])
    assert scope.scope_key(users["outsider"]) != scope.scope_key(users["head"])
    assert scope.scope_key(users["officer"]) != scope.scope_key(users["legal_officer"])
    mine = figures.counted(home_figures, users["head"])
    assert figures.counted(home_figures, twin) == mine
    theirs = figures.counted(home_figures, users["outsider"])
    assert theirs.value["counts"] != mine.value["counts"]
    assert dict(theirs.value["counts"])["案件"] == 1  # B1 only


def test_the_refresh_counts_expiring_figures_again_and_forgets_changed_grants(users, kept):
    head, outsider = users["head"], users["outsider"]
    first = figures.counted(selectors.month_figures, head)
    figures.counted(home_figures, head)
    figures.counted(home_figures, outsider)
    assert figures.refresh_due() == 0  # nothing is near its end yet
    later = timezone.now() + timedelta(seconds=300)
    Grant.objects.filter(user=outsider).update(unit_id="U2")  # the outsider's view changed
    assert figures.refresh_due(later) == 2  # the head's two figures; the outsider's are dropped
    again = figures.counted(selectors.month_figures, head)
    assert again.at > first.at
    visits = cache.get(figures.REGISTRY)
    assert set(visits) == {scope.scope_key(head)}


def test_without_a_max_age_every_request_counts_live(users, settings):
    settings.FIGURES_MAX_AGE = 0
    cache.clear()
    client = signed_in(users["head"])
    assert _cases_this_month(client.get("/").content.decode()) == 2
    Case.objects.filter(pk="C1").update(unit_id="U3")
    assert _cases_this_month(client.get("/").content.decode()) == 1
    assert cache.get(figures.REGISTRY) is None


def _stale(user, seconds: int = 600) -> figures.Counted:
    copy = figures.counted(home_figures, user)
    old = figures.Counted(copy.value, copy.at - timedelta(seconds=seconds))
    cache.set(figures._key(figures._name(home_figures), scope.scope_key(user)), old)
    return old


def test_while_another_process_counts_a_visitor_reads_the_last_copy(users, kept):
    head = users["head"]
    old = _stale(head)
    claim = figures._claim(figures._name(home_figures), scope.scope_key(head))
    cache.set(claim, True)
    assert figures.counted(home_figures, head) == old  # not counted again meanwhile
    assert figures.refresh_due() == 0  # the scheduler leaves it to the one counting
    cache.delete(claim)
    assert figures.counted(home_figures, head).at > old.at


def test_the_first_visitors_wait_for_the_count_under_way(users, kept):
    head = users["head"]
    name, key = figures._name(home_figures), scope.scope_key(head)
    cache.set(figures._claim(name, key), True)
    done = figures.Counted({"counts": [], "monthly": {}}, timezone.now())

    def the_other_process() -> None:
        time.sleep(1)
        cache.set(figures._key(name, key), done)
        cache.delete(figures._claim(name, key))

    other = threading.Thread(target=the_other_process)
    other.start()
    started = time.monotonic()
    assert figures.counted(home_figures, head) == done
    assert time.monotonic() - started >= 0.9
    other.join()
