"""首页: the figures a user opens every morning. The context is built by the functions in
`HOME_SECTIONS`, each taking the request and returning its part. The patrol's warning figures
(`patrol/_dashboard.html`) are read by that template itself, for users of the business pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fazhi.apps.accounts import scope
from fazhi.apps.figures import counted
from fazhi.apps.imports.models import ImportBatch
from fazhi.core import ceif
from fazhi.web.access import Page, may_use
from fazhi.web.filters import day_start

MONTHS_SHOWN = 12


def scope_counts(user: Any) -> list[tuple[str, int]]:
    return [
        ("单位", scope.visible_unit_rows(user).count()),
        ("人员", scope.visible_people(user).count()),
        ("网格", scope.visible_grids(user).count()),
        ("警情", scope.visible_alarms(user).count()),
        ("案件", scope.visible_cases(user).count()),
        ("涉案人员", scope.visible_subjects(user).count()),
        ("办案事件", scope.visible_events(user).count()),
    ]


def batches_section(request: HttpRequest) -> dict[str, Any]:
    sees = scope.sees_imports(request.user)
    return {"batches": list(ImportBatch.objects.all()[:10]) if sees else None}


def _month_starts(last: date, count: int) -> list[date]:
    months = []
    year, month = last.year, last.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _month_counts(
    rows: QuerySet[Any], field: str, months: list[date], **groups: Q
) -> dict[str, list[int]]:
    """Rows per month for each group (a Q on the rows), in one query: one conditional COUNT
    per month and group over an indexed range; no per-row date functions."""
    bounds = [day_start(m) for m in [*months, _next_month(months[-1])]]
    counts = {
        f"{name}_{i}": Count(
            "pk", filter=where & Q(**{f"{field}__gte": bounds[i], f"{field}__lt": bounds[i + 1]})
        )
        for name, where in groups.items()
        for i in range(len(months))
    }
    totals = rows.filter(**{f"{field}__gte": bounds[0], f"{field}__lt": bounds[-1]}).aggregate(
        **counts
    )
    return {name: [totals[f"{name}_{i}"] for i in range(len(months))] for name in groups}


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def monthly_figures(user: Any) -> dict[str, Any]:
    """Cases opened per month by kind, and alarms per month, in the user's scope: the twelve
    months up to the latest case (not after today), so a bureau's history always shows."""
    cases = scope.visible_cases(user)
    now = timezone.now()
    latest = cases.aggregate(latest=Max("opened_at"))["latest"]
    last = timezone.localtime(min(latest, now) if latest else now).date()
    months = _month_starts(last, MONTHS_SHOWN)
    by_kind = _month_counts(
        cases, "opened_at", months, **{kind: Q(kind=kind) for kind in ceif.CASE_KINDS}
    )
    alarms = _month_counts(scope.visible_alarms(user), "at", months, all=Q())
    return {
        "months": [f"{m.year:04d}-{m.month:02d}" for m in months],
        "cases": [
            {"name": label, "data": by_kind[kind]} for kind, label in ceif.CASE_KINDS.items()
        ],
        "alarms": {"name": "警情", "data": alarms["all"]},
    }


def home_figures(user: Any) -> dict[str, Any]:
    return {"monthly": monthly_figures(user), "counts": scope_counts(user)}


def figures_section(request: HttpRequest) -> dict[str, Any]:
    """The trends and totals of the user's scope, as last counted (fazhi.apps.figures)."""
    figures = counted(home_figures, request.user)
    return {**figures.value, "counted_at": figures.at}


def warnings_section(request: HttpRequest) -> dict[str, Any]:
    return {"shows_warnings": may_use(request, Page.CASES)}


HOME_SECTIONS: list[Callable[[HttpRequest], dict[str, Any]]] = [
    warnings_section,
    figures_section,
    batches_section,
]


def home_context(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for section in HOME_SECTIONS:
        context.update(section(request))
    return context


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "fazhi/home.html", home_context(request))
