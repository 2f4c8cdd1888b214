"""Assessment inputs are refused with the record, the field and the reason in Chinese."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from fazhi.apps.assessment import services
from fazhi.apps.assessment.models import CaseQuota, Inspection
from fazhi.apps.audit.models import AuditEntry
from fazhi.core.scoring import InspectionMethod, Severity

from .conftest import AT

pytestmark = pytest.mark.django_db


def refused(call, **kwargs) -> str:
    with pytest.raises(ValidationError) as error:
        call(actor="tester", at=AT, **kwargs)
    return error.value.messages[0]


def inspect(person, **changes):
    fields = dict(
        person=person("M1"),
        scheme="middle_manager_duty",
        item="R1",
        method=InspectionMethod.ONLINE,
        day=date(2026, 3, 2),
        inspector=person("I9"),
        severity=Severity.GENERAL,
        finding="未及时确定主办人",
    )
    return {**fields, **changes}


def test_an_automatic_item_cannot_be_inspected(world, person):
    message = refused(services.record_inspection, **inspect(person, item="D1"))
    assert message == "对 嵇某（M1）2026-03-02 的评查 item：评分项 D1 由系统自动计分，不能人工评查"


def test_an_unknown_item_a_problem_without_words_and_self_inspection_are_refused(world, person):
    assert "方案 middle_manager_duty 没有评分项 'Z9'" in refused(
        services.record_inspection, **inspect(person, item="Z9")
    )
    assert "finding：有扣分情节时须写明发现的问题" in refused(
        services.record_inspection, **inspect(person, finding=" ")
    )
    assert "inspector：评查人不能评查自己" in refused(
        services.record_inspection, **inspect(person, inspector=person("M1"))
    )
    assert not Inspection.objects.exists()


def test_a_rectification_needs_a_problem_and_comes_after_the_finding(world, person):
    clean = services.record_inspection(
        **inspect(person, severity=None, finding=""), actor="t", at=AT
    )
    assert "该评查没有发现问题，无需整改" in refused(
        services.verify_rectification,
        inspection=clean,
        verified_on=date(2026, 3, 5),
        verified_by=person("I9"),
    )
    found = services.record_inspection(**inspect(person), actor="t", at=AT)
    assert "verified_on：核实日期早于评查日期 2026-03-02" in refused(
        services.verify_rectification,
        inspection=found,
        verified_on=date(2026, 3, 1),
        verified_by=person("I9"),
    )


def test_duty_hours_patrol_logs_and_task_lists_are_checked(world, person):
    assert (
        refused(
            services.record_duty_shift, person=person("M1"), day=date(2026, 3, 2), hall_hours=D(25)
        )
        == "嵇某（M1）2026-03-02 的值班记录 hall_hours：坐堂小时数应在 0 到 24 之间"
    )
    assert "end：结束时间应晚于开始时间" in refused(
        services.record_patrol_log,
        person=person("T1"),
        vehicle="浙B-J001",
        day=date(2026, 3, 2),
        start=time(14, 0),
        end=time(9, 0),
        km=D(20),
    )
    assert "任务「走访」的期限 2026-04-01 不在本月" in refused(
        services.set_task_list,
        person=person("C1"),
        month=date(2026, 3, 1),
        grid=None,
        tasks=[("走访", date(2026, 4, 1))],
    )
    assert "成绩应在 0 到 100 之间" in refused(
        services.record_exam, name="考试", day=date(2026, 3, 2), scores={person("P1"): D(101)}
    )


def test_a_changed_quota_is_audited_with_before_and_after(world, person):
    services.set_case_quota(person=person("M1"), year=2026, cases=40, actor="tester", at=AT)
    services.set_case_quota(person=person("M1"), year=2026, cases=30, actor="tester", at=AT)
    services.set_case_quota(person=person("M1"), year=2026, cases=30, actor="tester", at=AT)
    assert CaseQuota.objects.get(person_id="M1", year=2026).cases == 30
    changes = AuditEntry.objects.filter(object_type="casequota").order_by("seq")
    assert [c.action for c in changes] == ["create", "update"]
    assert '"cases":40' in changes[1].before and '"cases":30' in changes[1].after


def test_completing_a_task_twice_is_refused(world, person):
    task_list = services.set_task_list(
        person=person("C1"),
        month=date(2026, 3, 1),
        grid=None,
        tasks=[("走访重点人员", date(2026, 3, 31))],
        actor="tester",
        at=AT,
    )
    task = task_list.tasks.get()
    services.complete_task(task, done_on=date(2026, 3, 20), actor="tester", at=AT)
    assert "已于 2026-03-20 完成" in refused(
        services.complete_task, task=task, done_on=date(2026, 3, 21)
    )
