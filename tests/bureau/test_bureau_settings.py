"""The bureau's own settings: holiday overrides and complete years change the calendar the
patrol counts with; "立即/及时" thresholds; only the legal department changes them, and every
change is on the audit trail with before and after."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.apps.accounts.models import Role
from fazhi.apps.accounts.services import grant_role
from fazhi.apps.audit.chain import verify_chain
from fazhi.apps.audit.models import AuditEntry
from fazhi.apps.bureau import services
from fazhi.apps.bureau.selectors import holiday_calendar, internal_standards
from fazhi.apps.org.models import Unit
from fazhi.core.legaltime import DaySource

pytestmark = pytest.mark.django_db
AT = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def legal():
    Unit.objects.create(pk="U1", name="某市公安局", kind="bureau", content_hash="x")
    user = get_user_model().objects.create_user("legal")
    grant_role(user, Role.LEGAL_DEPARTMENT, Unit.objects.get(pk="U1"), by=None, at=AT)
    return user


@pytest.fixture
def head():
    Unit.objects.get_or_create(
        pk="U2", defaults={"name": "甲所", "kind": "station", "content_hash": "x"}
    )
    user = get_user_model().objects.create_user("head")
    grant_role(user, Role.UNIT_HEAD, Unit.objects.get(pk="U2"), by=None, at=AT)
    return user


def entries(object_type: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type=object_type).order_by("seq"))


def test_without_overrides_the_calendar_is_the_librarys():
    calendar = holiday_calendar()
    assert not calendar.is_working_day(date(2026, 10, 1))
    assert calendar.is_working_day(date(2026, 10, 10))  # 调休上班
    assert calendar.day(date(2026, 10, 1)).source is DaySource.LIBRARY


def test_an_override_wins_over_the_library(legal):
    services.set_holiday_override(
        date(2026, 10, 8), workday=False, note="本局补休", by=legal, at=AT
    )
    day = holiday_calendar().day(date(2026, 10, 8))
    assert (
        not day.is_working and day.name == "本局补休（本局调整）" and day.source is DaySource.BUREAU
    )
    services.set_holiday_override(date(2026, 10, 8), workday=True, note="", by=legal, at=AT)
    assert holiday_calendar().is_working_day(date(2026, 10, 8))
    services.remove_holiday_override(date(2026, 10, 8), by=legal, at=AT)
    assert holiday_calendar().day(date(2026, 10, 8)).source is DaySource.LIBRARY
    created, updated, deleted = entries("holiday_override")
    assert (created.action, updated.action, deleted.action) == ("create", "update", "delete")
    assert created.object_id == "2026-10-08" and created.actor == "legal"
    assert json.loads(updated.before) == {"workday": False, "note": "本局补休"}
    assert json.loads(updated.after) == {"workday": True, "note": ""}
    assert deleted.after is None
    assert verify_chain()[1] is None


def test_setting_the_same_override_again_records_nothing(legal):
    for _ in range(2):
        services.set_holiday_override(
            date(2026, 10, 8), workday=False, note="补休", by=legal, at=AT
        )
    assert len(entries("holiday_override")) == 1


def test_a_complete_year_is_no_longer_provisional(legal):
    year = max(
        d
        for d in range(2020, 2100)
        if not holiday_calendar().covers(d) and holiday_calendar().covers(d - 1)
    )
    assert holiday_calendar().day(date(year, 3, 2)).provisional
    services.set_complete_year(year, complete=True, by=legal, at=AT)
    assert holiday_calendar().covers(year)
    assert not holiday_calendar().day(date(year, 3, 2)).provisional
    services.set_complete_year(year, complete=False, by=legal, at=AT)
    assert not holiday_calendar().covers(year)
    assert [e.action for e in entries("complete_year")] == ["create", "delete"]


def test_thresholds_are_read_as_hours_by_code(legal):
    assert internal_standards() == {}
    services.set_internal_standard("DB-01", hours=12, note="本局", by=legal, at=AT)
    services.set_internal_standard("JL-05", hours=2, note="", by=legal, at=AT)
    assert internal_standards() == {"DB-01": 12, "JL-05": 2}
    services.remove_internal_standard("DB-01", by=legal, at=AT)
    assert internal_standards() == {"JL-05": 2}
    assert [e.action for e in entries("internal_standard")] == ["create", "create", "delete"]


@pytest.mark.parametrize("hours", [0, services.MAX_STANDARD_HOURS + 1])
def test_a_threshold_out_of_range_is_refused(legal, hours):
    with pytest.raises(ValidationError):
        services.set_internal_standard("DB-01", hours=hours, note="", by=legal, at=AT)
    assert internal_standards() == {}


def test_only_the_legal_department_changes_settings(legal, head):
    changes = [
        lambda by: services.set_holiday_override(
            date(2026, 1, 5), workday=False, note="", by=by, at=AT
        ),
        lambda by: services.set_complete_year(2031, complete=True, by=by, at=AT),
        lambda by: services.set_internal_standard("DB-01", hours=3, note="", by=by, at=AT),
    ]
    before = AuditEntry.objects.count()
    for change in changes:
        with pytest.raises(PermissionDenied):
            change(head)
    assert AuditEntry.objects.count() == before
    assert holiday_calendar().overrides == {} and internal_standards() == {}
    for change in changes:
        change(None)  # a command may
    assert AuditEntry.objects.count() == before + 3
