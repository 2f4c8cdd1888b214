"""法制人才库 / 办案能手候选 page and its Excel export for the personnel department.

The people judged are those of the user's units (scope layer); the export is on the audit trail.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fazhi.apps.accounts import scope
from fazhi.apps.assessment.talent import PoolResult, judge_pool, shipped_rules, workbook
from fazhi.apps.assessment.views import XLSX, _audit_export
from fazhi.apps.org.models import Person, Unit
from fazhi.apps.org.selectors import subtree
from fazhi.web.access import Page, page_for


class TalentFilter(forms.Form):
    pool = forms.ChoiceField(label="人才类别")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    unit = forms.ChoiceField(label="单位", required=False)
    everyone = forms.BooleanField(label="显示未入选人员", required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pool"].choices = [(p.code, p.name) for p in shipped_rules().pools]
        self.fields["unit"].choices = [
            ("", "全部"),
            *units.order_by("id").values_list("pk", "name"),
        ]


def _judged(request: HttpRequest) -> tuple[TalentFilter, PoolResult | None]:
    data = request.GET.copy()
    data.setdefault("pool", shipped_rules().pools[0].code)
    data.setdefault("year", str(timezone.localdate().year))
    units = scope.visible_unit_rows(request.user)
    form = TalentFilter(data, units=units)
    if not form.is_valid():
        return form, None
    v = form.cleaned_data
    persons: QuerySet[Person] = scope.visible_people(request.user)
    if v["unit"]:
        persons = persons.filter(unit__in=subtree(v["unit"]))
    try:
        return form, judge_pool(v["pool"], v["year"], persons)
    except ValidationError as exc:
        form.add_error("year", exc.messages[0])
        return form, None


def _unit_names(result: PoolResult) -> dict[str, str]:
    ids = {c.person.unit for c in result.judged}
    return dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))


@page_for(Page.PEOPLE)
def talent_page(request: HttpRequest) -> HttpResponse:
    form, result = _judged(request)
    everyone = form.is_valid() and form.cleaned_data["everyone"]
    rows = []
    if result is not None:
        shown = result.judged if everyone else result.candidates
        names = _unit_names(result)
        rows = [{"c": c, "unit": names.get(c.person.unit, c.person.unit)} for c in shown]
    return render(
        request,
        "assessment/talent.html",
        {"form": form, "result": result, "rows": rows, "query": request.GET.urlencode()},
    )


@page_for(Page.PEOPLE)
def talent_export(request: HttpRequest) -> HttpResponse:
    """The candidates as .xlsx for 政工部门; the export is on the audit trail."""
    form, result = _judged(request)
    if result is None:
        problems = [m for errors in form.errors.values() for m in errors]
        messages.error(request, "筛选条件有误，无法导出：" + "；".join(problems))
        return redirect(f"{reverse('assessment_talent')}?{request.GET.urlencode()}")
    _audit_export(request, "talent", len(result.candidates))
    response = HttpResponse(workbook(result, _unit_names(result)), content_type=XLSX)
    name = f"rencaiku-{result.pool.code}-{result.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
