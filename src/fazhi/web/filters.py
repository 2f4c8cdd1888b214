"""The filters of the list pages: a form (labelled Chinese fields, read from the query string)
that narrows a query the scope layer already limited. Choices offered are the user's own
(their units), so a filter can never widen what they see."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from fazhi.apps.audit.models import AuditAction, AuditEntry
from fazhi.apps.cases.models import Case, CaseHandler
from fazhi.apps.org.models import Person, Unit
from fazhi.apps.org.selectors import subtree
from fazhi.core import ceif
from fazhi.web.case_status import RANKS, STATUS_CHOICES, with_status
from fazhi.web.labels import CATEGORY_LABELS

ANY = ("", "全部")


def day_start(day: date) -> datetime:
    """Midnight in the bureau's time zone: date filters mean local days."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _choices(mapping: dict[Any, str]) -> list[tuple[Any, str]]:
    return [ANY, *mapping.items()]


def unit_choices(units: QuerySet[Unit]) -> list[tuple[str, str]]:
    return [ANY, *units.order_by("name", "pk").values_list("pk", "name")]


class FastSelect(forms.Select):
    """A <select> whose options are written in Python. Django renders every option through a
    template, about 0.3 ms each, and a city's unit list has 1,500 of them."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, attributes, options)


class ListFilter(forms.Form):
    """A filter form bound to the query string; invalid values are ignored, not fatal. Its
    drop-downs are FastSelects."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = FastSelect(attrs=field.widget.attrs, choices=field.widget.choices)

    def values(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        if not self.is_valid():
            return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return self.cleaned_data


def _date_range(rows: QuerySet[Any], field: str, start: date | None, end: date | None) -> Any:
    if start:
        rows = rows.filter(**{f"{field}__gte": day_start(start)})
    if end:
        rows = rows.filter(**{f"{field}__lt": day_start(end + timedelta(days=1))})
    return rows


class CaseFilter(ListFilter):
    unit = forms.ChoiceField(label="单位（含下级）", required=False)
    kind = forms.ChoiceField(label="案件类别", required=False, choices=_choices(ceif.CASE_KINDS))
    category = forms.ChoiceField(label="案由", required=False, choices=_choices(CATEGORY_LABELS))
    status = forms.ChoiceField(label="办理状态", required=False, choices=[ANY, *STATUS_CHOICES])
    handler = forms.CharField(label="办案民警（姓名或编号）", required=False, max_length=100)
    opened_from = forms.DateField(label="受案日期自", required=False, widget=DateInput())
    opened_to = forms.DateField(label="受案日期至", required=False, widget=DateInput())
    q = forms.CharField(label="案件编号或名称", required=False, max_length=100)

    def __init__(self, data: Any, *, units: QuerySet[Unit]) -> None:
        super().__init__(data)
        self.fields["unit"].choices = unit_choices(units)

    def apply(self, cases: QuerySet[Case]) -> QuerySet[Case]:
        """The filtered cases; a status filter annotates `status_rank` (case_status)."""
        v = self.values()
        if v.get("unit"):
            cases = cases.filter(unit__in=subtree(v["unit"]))
        if v.get("kind"):
            cases = cases.filter(kind=v["kind"])
        if v.get("category"):
            cases = cases.filter(category=v["category"])
        if v.get("handler"):
            who = v["handler"].strip()
            handled = CaseHandler.objects.filter(
                Q(person_id=who) | Q(person__name__contains=who)
            ).values("case_id")
            cases = cases.filter(pk__in=handled)
        cases = _date_range(cases, "opened_at", v.get("opened_from"), v.get("opened_to"))
        if v.get("q"):
            cases = cases.filter(Q(pk__icontains=v["q"]) | Q(title__contains=v["q"]))
        if v.get("status"):
            cases = with_status(cases).filter(status_rank=RANKS[v["status"]])
        return cases


class PersonFilter(ListFilter):
    unit = forms.ChoiceField(label="单位（含下级）", required=False)
    role = forms.ChoiceField(label="岗位", required=False, choices=_choices(ceif.PERSON_ROLES))
    sequence = forms.ChoiceField(label="序列", required=False, choices=_choices(ceif.SEQUENCES))
    auxiliary = forms.ChoiceField(
        label="民警/辅警", required=False, choices=[ANY, ("no", "民警"), ("yes", "辅警")]
    )
    q = forms.CharField(label="姓名或编号", required=False, max_length=100)

    def __init__(self, data: Any, *, units: QuerySet[Unit]) -> None:
        super().__init__(data)
        self.fields["unit"].choices = unit_choices(units)

    def apply(self, people: QuerySet[Person]) -> QuerySet[Person]:
        v = self.values()
        if v.get("unit"):
            people = people.filter(unit__in=subtree(v["unit"]))
        if v.get("role"):
            # `roles` is a JSON list; its text contains the quoted role on every database.
            people = people.annotate(roles_text=Cast("roles", CharField())).filter(
                roles_text__contains=f'"{v["role"]}"'
            )
        if v.get("sequence"):
            people = people.filter(sequence=v["sequence"])
        if v.get("auxiliary"):
            people = people.filter(is_auxiliary=v["auxiliary"] == "yes")
        if v.get("q"):
            people = people.filter(Q(pk=v["q"].strip()) | Q(name__contains=v["q"].strip()))
        return people


class AuditFilter(ListFilter):
    actor = forms.CharField(label="操作人", required=False, max_length=150)
    action = forms.ChoiceField(
        label="操作", required=False, choices=_choices(dict(AuditAction.choices))
    )
    object_type = forms.CharField(label="对象类型", required=False, max_length=32)
    object_id = forms.CharField(label="对象编号", required=False, max_length=64)
    at_from = forms.DateField(label="日期自", required=False, widget=DateInput())
    at_to = forms.DateField(label="日期至", required=False, widget=DateInput())

    def apply(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        v = self.values()
        if v.get("actor"):
            entries = entries.filter(actor=v["actor"].strip())
        if v.get("action"):
            entries = entries.filter(action=v["action"])
        if v.get("object_type"):
            entries = entries.filter(object_type=v["object_type"].strip())
        if v.get("object_id"):
            entries = entries.filter(object_id=v["object_id"].strip())
        return _date_range(entries, "at", v.get("at_from"), v.get("at_to"))
