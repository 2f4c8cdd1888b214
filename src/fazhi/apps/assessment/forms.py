"""The assessment pages' forms: Chinese labels, and errors that name the field and the reason."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from fazhi.apps.assessment.schemes import period_of, shipped_schemes
from fazhi.apps.org.models import Person, Unit
from fazhi.core import ceif
from fazhi.core.scoring import AssessmentPeriod, InspectionMethod, Severity
from fazhi.web.filters import ANY, DateInput, ListFilter, unit_choices

PERIOD_HELP = "写作 2026（年）、2026-Q3（季度）、2026-09（月）或 2026-09-15（日）"


def scheme_choices() -> list[tuple[str, str]]:
    names = {s.code: s.name for s in shipped_schemes()}
    return sorted(names.items())


def clean_period(text: str) -> AssessmentPeriod:
    try:
        return period_of(text)
    except ValidationError as exc:
        raise forms.ValidationError(exc.messages[0]) from None


class RankingFilter(ListFilter):
    scheme = forms.ChoiceField(label="考核方案", required=True)
    period = forms.CharField(label="考核期间", max_length=10, help_text=PERIOD_HELP)
    unit = forms.ChoiceField(label="单位（含下级）", required=False)
    sequence = forms.ChoiceField(
        label="序列", required=False, choices=[ANY, *ceif.SEQUENCES.items()]
    )

    def __init__(self, data: Any, *, units: QuerySet[Unit]) -> None:
        super().__init__(data)
        self.fields["scheme"].choices = scheme_choices()
        self.fields["unit"].choices = unit_choices(units)
        self.fields["period"].widget.attrs.update(placeholder="2026-Q3", size=10)

    def clean_period(self) -> str:
        return clean_period(self.cleaned_data["period"]).text


def manual_item_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Manual items (人工评查项) of the schemes in force today, grouped by scheme."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for s in shipped_schemes():
        if s.in_force.valid_to is not None:
            continue
        items = [
            (f"{s.code}:{i.code}", f"{i.code} {i.name}") for i in s.items if i.kind == "manual"
        ]
        if items:
            groups[s.name] = items
    return list(groups.items())


class InspectionForm(forms.Form):
    person = forms.CharField(label="被评查人编号", max_length=64)
    item = forms.ChoiceField(label="评查项目")
    method = forms.ChoiceField(
        label="评查方式", choices=[(m.value, m.label) for m in InspectionMethod]
    )
    day = forms.DateField(label="评查日期", widget=DateInput())
    severity = forms.ChoiceField(
        label="情节",
        required=False,
        choices=[("", "未发现问题"), *((s.value, s.label) for s in Severity)],
    )
    finding = forms.CharField(
        label="发现问题", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.CharField(
        label="证据说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    inspector = forms.CharField(label="评查人编号", max_length=64)

    def __init__(self, data: Any = None, *, people: QuerySet[Person], today: date) -> None:
        super().__init__(data)
        self.people = people
        self.today = today
        self.fields["item"].choices = manual_item_choices()

    def _person(self, name: str) -> Person:
        pid = self.cleaned_data[name].strip()
        person = self.people.filter(pk=pid).first()
        if person is None:
            raise forms.ValidationError(f"人员 {pid!r} 不存在或不在您的管辖范围内")
        return person

    def clean_person(self) -> Person:
        return self._person("person")

    def clean_inspector(self) -> Person:
        return self._person("inspector")

    def clean_day(self) -> date:
        day = self.cleaned_data["day"]
        if day > self.today:
            raise forms.ValidationError(f"评查日期 {day} 晚于今天")
        return day

    def clean_item(self) -> tuple[str, str]:
        scheme, _, item = self.cleaned_data["item"].partition(":")
        return scheme, item


class AppealForm(forms.Form):
    reason = forms.CharField(label="申诉理由", widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label="处理结果",
        choices=[("yes", "申诉成立（冲销该条积分）"), ("no", "申诉不成立")],
        coerce=lambda v: v == "yes",
    )
    decision = forms.CharField(label="处理意见", widget=forms.Textarea(attrs={"rows": 2}))


class WhatIfForm(forms.Form):
    period = forms.CharField(label="试算期间", max_length=10, help_text=PERIOD_HELP)
    draft = forms.CharField(
        label="方案草稿（YAML）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "mono"}),
    )
    upload = forms.FileField(label="或上传 YAML 文件", required=False)

    def clean_period(self) -> str:
        return clean_period(self.cleaned_data["period"]).text

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("upload")
        if upload is not None:
            try:
                data["draft"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("upload", f"文件 {upload.name} 不是 UTF-8 编码的文本")
        if not (data.get("draft") or "").strip() and "upload" not in self.errors:
            self.add_error("draft", "请填写或上传方案草稿")
        return data


# --- entry of assessment inputs (考评数据录入) ----------------------------------------------------
# Each form gives the rows of its `tables` table, which go through the import's own readers and
# checks (`imports.import_records`), so the page refuses what a file would, in the same words.


class InputEntryForm(forms.Form):
    def rows(self) -> list[dict[str, str]]:
        """The filled-in fields as one table row of text."""
        return [
            {
                name: str(value)
                for name, value in self.cleaned_data.items()
                if value not in (None, "")
            }
        ]


def _person_field(label: str) -> forms.CharField:
    return forms.CharField(label=label, max_length=64, help_text="人员编号")


class DutyShiftEntryForm(InputEntryForm):
    person = _person_field("值班人")
    day = forms.DateField(label="值班日期", widget=DateInput())
    hall_hours = forms.DecimalField(label="坐堂小时数", max_digits=4, decimal_places=2)


class ExamScoreEntryForm(InputEntryForm):
    name = forms.CharField(label="考试名称", max_length=200)
    day = forms.DateField(label="考试日期", widget=DateInput())
    person = _person_field("考生")
    score = forms.DecimalField(label="成绩", max_digits=5, decimal_places=2)


class StudyEntryForm(InputEntryForm):
    person = _person_field("学习人")
    day = forms.DateField(label="学习日期", widget=DateInput())
    hours = forms.DecimalField(label="学时", max_digits=5, decimal_places=2)
    topic = forms.CharField(label="学习内容", max_length=200)


class PatrolLogEntryForm(InputEntryForm):
    person = _person_field("巡逻民警")
    vehicle = forms.CharField(label="车辆", max_length=32)
    day = forms.DateField(label="日期", widget=DateInput())
    start = forms.TimeField(label="开始时间", widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label="结束时间", widget=forms.TimeInput(attrs={"type": "time"}))
    km = forms.DecimalField(label="里程（公里）", max_digits=7, decimal_places=2)


class CaseQuotaEntryForm(InputEntryForm):
    person = _person_field("人员")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    cases = forms.IntegerField(label="办案任务（件）", min_value=0)


class TaskListEntryForm(InputEntryForm):
    person = _person_field("社区民警")
    month = forms.CharField(label="月份", max_length=7, help_text="YYYY-MM，如 2026-03")
    grid = forms.CharField(label="网格编号", max_length=64, required=False)
    tasks = forms.CharField(
        label="任务",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每行一项：任务名称,完成期限（YYYY-MM-DD）[,完成日期]",
    )

    def clean_tasks(self) -> list[list[str]]:
        lines = [line.strip() for line in self.cleaned_data["tasks"].splitlines() if line.strip()]
        tasks = [[part.strip() for part in re.split(r"[,，\t]", line)] for line in lines]
        for number, parts in enumerate(tasks, 1):
            if not 2 <= len(parts) <= 3:
                raise forms.ValidationError(
                    f"第 {number} 行应为“任务名称,完成期限[,完成日期]”，实为“{lines[number - 1]}”"
                )
        return tasks

    def rows(self) -> list[dict[str, str]]:
        head = {k: v for k in ("person", "month", "grid") if (v := self.cleaned_data[k])}
        return [
            {**head, **dict(zip(("title", "due_on", "done_on"), parts, strict=False))}
            for parts in self.cleaned_data["tasks"]
        ]
