"""The warning list's filters and order, and the rates and 三清 figures, each counted by hand
on the world of conftest.py (as of 2026-03-20 12:00) and equal to its drill-down."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from tests.patrol.conftest import AS_OF

from fazhi.apps.patrol import selectors, services
from fazhi.apps.patrol.models import Warning
from fazhi.apps.patrol.selectors import WarningFilters
from fazhi.core.legaltime import SHANGHAI

pytestmark = pytest.mark.django_db

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def figures(user, unit=None, start=MARCH[0], end=MARCH[1], now=AS_OF) -> dict:
    result = selectors.rates(user, unit, start, end, now)
    return {f.key: (f.ratio if f.ratio else f.value) for f in result.figures}


def drill(user, key, unit=None, start=MARCH[0], end=MARCH[1], now=AS_OF, *args):
    return selectors.DRILLDOWNS[key](selectors.frame(user, unit, start, end, now), *args)


def listed(user, **filters) -> list[tuple[str, str]]:
    rows = selectors.warning_list(user, WarningFilters(**filters))
    return list(rows.values_list("case_id", "control_point"))


# --- the list ---------------------------------------------------------------------------------


def test_the_list_filters_by_unit_subtree_point_finding_and_status(legal):
    assert sorted(listed(legal, unit="U4")) == [("A3", "LA-01")]
    assert sorted(listed(legal, unit="U2", control_point="JL-07")) == [
        ("A4", "JL-07"),
        ("A5", "JL-07"),
    ]
    assert sorted(listed(legal, finding="violated")) == [
        ("A1", "XW-09"),
        ("A4", "XW-09"),
        ("A5", "XW-09"),
        ("B1", "XW-09"),
    ]
    # the late ones were settled by the act itself: not among the unsettled
    assert sorted(listed(legal, status="resolved")) == [
        ("A2", "LA-01"),
        ("A5", "JL-01"),
        ("A5", "JL-07"),
    ]
    assert len(listed(legal, status=selectors.ACTIVE)) == 24 - 3


def test_the_list_filters_by_area_level_handler_and_local_days(legal):
    assert {cp for _, cp in listed(legal, area="filing")} == {"LA-01"}
    assert {cp for _, cp in listed(legal, level="critical")} == {"JL-02", "JL-07"}
    assert {case for case, _ in listed(legal, handler="李某")} == {"A2"}
    assert {case for case, _ in listed(legal, handler="P3")} == {"B1"}
    # 预警时间点 on 2026-03-12 (local): A3's LA-01 at 23:59:59 that day, nothing else
    assert listed(legal, at_from=date(2026, 3, 12), at_to=date(2026, 3, 12)) == [("A3", "LA-01")]


def test_the_list_sorts_by_level_most_severe_first_and_by_time(legal):
    rows = selectors.warning_list(legal, WarningFilters(order_by=("level_rank", "at", "pk")))
    levels = list(rows.values_list("level", flat=True))
    assert levels == sorted(levels, key=["critical", "high", "medium", "low"].index)
    newest = selectors.warning_list(legal, WarningFilters()).first()
    assert newest.at == max(Warning.objects.values_list("at", flat=True))


def test_the_list_never_widens_scope_through_a_filter(outsider):
    assert listed(outsider, unit="U2") == []
    assert {case for case, _ in listed(outsider)} == {"B1"}


# --- rates -------------------------------------------------------------------------------------


def test_timely_filing_rate_counts_ended_filing_duties(legal, head, outsider):
    # LA-01 ended in March: A1 met, A2 late, A4 met, B1 met; A3 still open is left out
    assert figures(legal)["filing"] == (3, 4)
    assert figures(legal, unit="U2")["filing"] == (2, 3)
    assert figures(head)["filing"] == (2, 3)
    assert figures(outsider)["filing"] == (1, 1)
    assert {o.case_id for o in drill(legal, "filing")} == {"A1", "A2", "A4", "B1"}
    assert selectors.rates(legal, None, *MARCH, AS_OF).figure("filing").percent == "75.0%"


def test_release_rate_counts_measures_ended_on_time(legal, outsider):
    # JL-07 ended: A1 by bail before the cap, A5 by bail a day late; A4/B1 still held
    assert figures(legal)["release"] == (1, 2)
    assert {(o.case_id, o.state) for o in drill(legal, "release")} == {
        ("A1", "met"),
        ("A5", "late"),
    }
    assert figures(outsider)["release"] == (0, 0)
    assert selectors.rates(outsider, None, *MARCH, AS_OF).figure("release").percent == "—"


def test_custody_overdue_counts_held_past_the_term_during_the_period(legal, head, outsider):
    assert figures(legal)["custody"] == 3  # A4 and B1 still held, A5 released late
    assert {o.case_id for o in drill(legal, "custody")} == {"A4", "A5", "B1"}
    assert figures(head)["custody"] == 2
    assert figures(outsider)["custody"] == 1
    # 1–4 March: nobody held past the term yet; to 5 March: A5, from 23:59:59 on the 5th
    assert figures(legal, start=date(2026, 3, 1), end=date(2026, 3, 4))["custody"] == 0
    assert figures(legal, start=date(2026, 3, 1), end=date(2026, 3, 5))["custody"] == 1


def test_late_and_overdue_counts_per_control_point(legal):
    counts = {
        c.code: (c.late, c.overdue) for c in selectors.rates(legal, None, *MARCH, AS_OF).by_point
    }
    assert counts["LA-01"] == (1, 1)  # A2 late, A3 overdue
    assert counts["JL-07"] == (1, 2)  # A5 late; A4 and B1 overdue
    assert counts["JL-01"] == (1, 2)  # A5 late; A4 and B1 overdue
    assert counts["JL-02"] == (0, 4)  # A1, A4, A5, B1 never delivered to the detention house
    assert "XW-09" not in counts  # violations are neither late nor overdue
    assert {o.case_id for o in drill(legal, "overdue", None, *MARCH, AS_OF, "JL-07")} == {
        "A4",
        "B1",
    }


# --- 三清 ---------------------------------------------------------------------------------------


def test_daily_clear_counts_earlier_filing_duties_open_at_the_end_of_the_day(legal, outsider):
    # judged on today (03-20): A3, received 03-09, is still undecided
    assert figures(legal)["daily"] == 1
    assert [o.case_id for o in drill(legal, "daily")] == ["A3"]
    # judged on 03-05: A2 (received 03-02) was only filed on 03-07; A1 and B1 were decided
    early = {"start": date(2026, 3, 1), "end": date(2026, 3, 5)}
    assert figures(legal, **early)["daily"] == 1
    assert [o.case_id for o in drill(legal, "daily", None, *early.values())] == ["A2"]
    assert figures(outsider)["daily"] == 0


def test_monthly_clear_counts_cases_with_a_duty_past_due_at_the_cutoff(legal, head):
    assert figures(legal)["monthly"] == 5  # every case but A2 (filed late, before the cutoff)
    assert figures(head)["monthly"] == 4
    # as of 03-06 00:00: A1 and A5 missed their 24-hour duties; A2's filing, due 03-05, was
    # still undone (done 03-07), so was A5's release (done 03-06 10:00)
    then = datetime(2026, 3, 6, 0, 0, tzinfo=SHANGHAI)
    assert figures(legal, end=date(2026, 3, 5), now=then)["monthly"] == 3
    rows = drill(legal, "monthly", None, date(2026, 3, 1), date(2026, 3, 5), then)
    assert {o.case_id for o in rows} == {"A1", "A2", "A5"}
    assert ("A2", "late") in {(o.case_id, o.state) for o in rows}


def test_quarterly_clear_counts_unsettled_violations_of_the_quarter(legal, head):
    assert figures(legal)["quarterly"] == 4
    violation = Warning.objects.get(case_id="A1", control_point="XW-09")
    services.resolve(violation, head, "已补充告知并记录", violation.revision, AS_OF)
    assert figures(legal)["quarterly"] == 3
    assert {w.case_id for w in drill(legal, "quarterly")} == {"A4", "A5", "B1"}
    # the second quarter has no violations
    assert figures(legal, start=date(2026, 4, 1), end=date(2026, 4, 30))["quarterly"] == 0


def test_every_figure_equals_the_rows_of_its_drill_down(legal):
    result = selectors.rates(legal, None, *MARCH, AS_OF)
    for figure in result.figures:
        rows = drill(legal, figure.key)
        if figure.ratio:
            assert figure.ratio[1] == rows.count()
            assert figure.ratio[0] == rows.filter(state="met").count()
        elif figure.key == "monthly":
            assert figure.value == len({o.case_id for o in rows})
        else:
            assert figure.value == rows.count(), figure.key


def test_quarters_run_from_the_first_to_the_last_day(world):
    assert selectors.quarter_of(date(2026, 3, 20)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert selectors.quarter_of(date(2026, 11, 5)) == (date(2026, 10, 1), date(2026, 12, 31))


# --- 首页 ---------------------------------------------------------------------------------------


def test_the_dashboard_counts_active_warnings_and_puts_overdue_custody_first(head):
    board = selectors.dashboard(head)
    by_level = {level: n for level, _, n in board.by_level}
    # active in U2's subtree: JL-02 ×3 and A4's JL-07 critical; A4's JL-01, JL-03 ×3,
    # XW-06 ×3, XW-09 ×3 high; A3's LA-01 medium
    assert by_level == {"critical": 4, "high": 10, "medium": 1, "low": 0}
    assert board.by_unit == (("U2", "甲派出所", 14), ("U4", "甲警务室", 1))
    custody = [(w.case_id, w.control_point) for w in board.custody]
    assert custody[0] == ("A1", "JL-02") and ("A4", "JL-07") in custody
    assert all(w.area in selectors.CUSTODY_AREAS for w in board.custody)
    assert selectors.month_figures(head, AS_OF).figure("filing").ratio == (2, 3)


def test_the_trend_counts_warnings_opened_per_local_day(head):
    trend = selectors.month_figures(head, AS_OF).trend
    assert len(trend["days"]) == 30 and trend["days"][-1] == "03-20"
    opened = Warning.objects.filter(unit__in=["U2", "U4"]).count()
    assert trend["opened"][-1] == opened  # all were opened by the import on 03-20
    assert sum(trend["opened"]) == opened
