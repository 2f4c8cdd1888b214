"""考核末期扎堆办案 pages: the warnings of a period (or every figure), and one figure with the
closures behind it. Reads go through the scope layer: figures of people and units outside the
user's units read as absent (404)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from fazhi.apps.accounts import scope
from fazhi.apps.assessment.crowding import (
    DEFAULT_RULE,
    closures_behind,
    crowding_period,
    visible_figures,
)
from fazhi.apps.assessment.models import CrowdingFigure, CrowdingOwner
from fazhi.apps.org.models import Person, Unit
from fazhi.core import ceif
from fazhi.core.scoring import PeriodKind, period_containing
from fazhi.web.access import Page, page_for
from fazhi.web.listing import page_of


class CrowdingFilter(forms.Form):
    period = forms.CharField(label="期间", max_length=10)
    owner_kind = forms.ChoiceField(
        label="对象", required=False, choices=[("", "人员和单位"), *CrowdingOwner.choices]
    )
    everyone = forms.BooleanField(label="显示未异常的", required=False)

    def clean_period(self) -> str:
        return crowding_period(self.cleaned_data["period"]).text


def _last_month() -> str:
    first = timezone.localdate().replace(day=1)
    return period_containing(first, PeriodKind.MONTH).previous().text


def owner_names(rows: list[CrowdingFigure]) -> dict[tuple[str, str], str]:
    people = {r.owner_id for r in rows if r.owner_kind == CrowdingOwner.PERSON}
    units = {r.unit_id for r in rows}
    units |= {r.peer_group for r in rows if r.owner_kind == CrowdingOwner.UNIT and r.peer_group}
    names = {
        ("person", p): n for p, n in Person.objects.filter(pk__in=people).values_list("pk", "name")
    }
    names |= {
        ("unit", u): n for u, n in Unit.objects.filter(pk__in=units).values_list("pk", "name")
    }
    return names


def peer_label(row: CrowdingFigure, names: dict[tuple[str, str], str]) -> str:
    if row.owner_kind == CrowdingOwner.PERSON:
        return ceif.SEQUENCES.get(row.peer_group, "") or "（无序列）"
    return (
        f"{names.get(('unit', row.peer_group), row.peer_group)}下属单位"
        if row.peer_group
        else "（无上级）"
    )


@page_for(Page.PEOPLE)
def crowding_list(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    data.setdefault("period", _last_month())
    form = CrowdingFilter(data)
    rows: list[dict[str, Any]] = []
    paging = None
    if form.is_valid():
        v = form.cleaned_data
        figures = visible_figures(request.user).filter(period=v["period"])
        if v["owner_kind"]:
            figures = figures.filter(owner_kind=v["owner_kind"])
        if not v["everyone"]:
            figures = figures.filter(unusual=True)
        paging = page_of(request, figures.order_by("-unusual", "-share", "owner_kind", "owner_id"))
        names = owner_names(list(paging.rows))
        rows = [
            {
                "f": f,
                "name": names.get((f.owner_kind, f.owner_id), f.owner_id),
                "unit": names.get(("unit", f.unit_id), f.unit_id),
                "peers": peer_label(f, names),
            }
            for f in paging.rows
        ]
    computed = (
        form.is_valid()
        and CrowdingFigure.objects.filter(period=form.cleaned_data["period"]).exists()
    )
    return render(
        request,
        "assessment/crowding_list.html",
        {"form": form, "rows": rows, "paging": paging, "computed": computed, "rule": DEFAULT_RULE},
    )


@login_required  # like the 执法档案 it is linked from: out of scope reads as absent (404)
def crowding_detail(request: HttpRequest, figure_id: int) -> HttpResponse:
    figure = get_object_or_404(visible_figures(request.user), pk=figure_id)
    names = owner_names([figure])
    closures = closures_behind(figure, scope.visible_cases(request.user))
    return render(
        request,
        "assessment/crowding_detail.html",
        {
            "f": figure,
            "name": names.get((figure.owner_kind, figure.owner_id), figure.owner_id),
            "unit": names.get(("unit", figure.unit_id), figure.unit_id),
            "peers": peer_label(figure, names),
            "closures": closures,
            "hidden": figure.closures - len(closures),
            "rule": DEFAULT_RULE,
        },
    )


def person_crowding(person: Person) -> list[CrowdingFigure]:
    """A person's figures, newest period first (for the 执法档案)."""
    rows = CrowdingFigure.objects.filter(owner_kind=CrowdingOwner.PERSON, person=person)
    return list(rows.order_by("-tail_start"))
