"""Alarms, cases, their handlers and subjects, and the procedural events. Ids are CEIF ids."""

from __future__ import annotations

from django.db import models

from fazhi.apps.org.models import Person, Unit
from fazhi.core import ceif
from fazhi.core.ceif import choices


class Case(models.Model):
    id = models.CharField(max_length=64, primary_key=True, verbose_name="案件编号")
    kind = models.CharField(
        max_length=16, choices=choices(ceif.CASE_KINDS), verbose_name="案件类别"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="cases", verbose_name="办案单位"
    )
    opened_at = models.DateTimeField(verbose_name="受案时间")
    category = models.CharField(max_length=32, null=True, verbose_name="案由")
    title = models.CharField(max_length=300, null=True, verbose_name="案件名称")
    flags = models.JSONField(default=list, verbose_name="案件标记")
    act_date = models.DateField(null=True, verbose_name="行为发生日")
    act_end_date = models.DateField(null=True, verbose_name="行为终了日")
    content_hash = models.CharField(max_length=32)

    class Meta:
        verbose_name = "案件"
        indexes = [models.Index(fields=["unit", "opened_at"], name="case_unit_opened_idx")]

    def __str__(self) -> str:
        return self.title or self.id


class CaseHandler(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handlers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="handled")
    role = models.CharField(
        max_length=8, choices=choices(ceif.HANDLER_ROLES), verbose_name="承办角色"
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="case_handler_position")
        ]
        indexes = [models.Index(fields=["person", "role"], name="handler_person_idx")]


class Alarm(models.Model):
    id = models.CharField(max_length=64, primary_key=True, verbose_name="警情编号")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="alarms", verbose_name="单位"
    )
    at = models.DateTimeField(verbose_name="接警时间")
    nature = models.CharField(
        max_length=16, choices=choices(ceif.ALARM_NATURES), verbose_name="警情性质"
    )
    case = models.ForeignKey(Case, null=True, on_delete=models.PROTECT, related_name="alarms")
    summary = models.TextField(null=True, verbose_name="简要警情")
    content_hash = models.CharField(max_length=32)

    class Meta:
        verbose_name = "警情"
        indexes = [models.Index(fields=["unit", "at"], name="alarm_unit_at_idx")]


class Subject(models.Model):
    id = models.CharField(max_length=64, primary_key=True, verbose_name="涉案人员编号")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="subjects")
    name = models.CharField(max_length=100, null=True, verbose_name="姓名")
    birth_date = models.DateField(null=True, verbose_name="出生日期")
    gender = models.CharField(
        max_length=8, null=True, choices=choices(ceif.GENDERS), verbose_name="性别"
    )
    id_number = models.CharField(max_length=18, null=True, verbose_name="身份证号码")
    flags = models.JSONField(default=list, verbose_name="标记")
    content_hash = models.CharField(max_length=32)

    class Meta:
        verbose_name = "涉案人员"


class Event(models.Model):
    id = models.CharField(max_length=64, primary_key=True, verbose_name="事件编号")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=64, verbose_name="事件类型")
    at = models.DateTimeField(verbose_name="时间")
    end = models.DateTimeField(null=True, verbose_name="结束时间")
    subject = models.ForeignKey(Subject, null=True, on_delete=models.PROTECT, related_name="events")
    officers = models.JSONField(default=list, verbose_name="在场民警")
    attrs = models.JSONField(null=True, verbose_name="属性")
    content_hash = models.CharField(max_length=32)

    class Meta:
        verbose_name = "办案事件"
        indexes = [
            models.Index(fields=["case", "at"], name="event_timeline_idx"),
            models.Index(fields=["kind", "at"], name="event_kind_at_idx"),
        ]
