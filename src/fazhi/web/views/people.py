"""人员: the people of the user's units (filters, paging) and a person's page (their cases by
handler role, as far as the user may see those cases; the patrol's warnings plug in)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.apps.accounts import scope
from fazhi.apps.cases.models import CaseHandler
from fazhi.apps.org.models import Person
from fazhi.core import ceif
from fazhi.web.access import Page, page_for
from fazhi.web.case_status import STATUS_LABELS, status_key, with_status
from fazhi.web.filters import PersonFilter
from fazhi.web.labels import category_label
from fazhi.web.listing import page_of, sort_of

PERSON_SORTS = {
    "name": ("name", "id"),
    "id": ("id",),
    "unit": ("unit__name", "name"),
    "lead": ("lead_count", "id"),
}
CASES_SHOWN = 100  # per role on the person page; the case list, filtered by handler, has all


def _roles(person: Person) -> str:
    return "、".join(ceif.PERSON_ROLES.get(r, r) for r in person.roles or [])


@page_for(Page.PEOPLE)
def person_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    visible_cases = scope.visible_cases(user).values("pk")
    people = scope.visible_people(user).annotate(
        lead_count=Count(
            "handled", filter=Q(handled__role="lead", handled__case__in=visible_cases)
        ),
        assist_count=Count(
            "handled", filter=Q(handled__role="assist", handled__case__in=visible_cases)
        ),
    )
    form = PersonFilter(request.GET or None, units=scope.visible_unit_rows(user))
    people = form.apply(people) if form.is_bound else people
    sort = sort_of(request, PERSON_SORTS, "unit")
    paging = page_of(request, people.select_related("unit").order_by(*sort.order_by))
    rows = [
        {
            "person": p,
            "roles": _roles(p),
            "sequence": p.get_sequence_display() if p.sequence else "",
        }
        for p in paging.rows
    ]
    return render(
        request,
        "fazhi/people/list.html",
        {"form": form, "rows": rows, "paging": paging, "sort": sort},
    )


def person_context(request: HttpRequest, person: Person) -> dict[str, Any]:
    handled = with_status(scope.visible_cases(request.user)).select_related("unit")
    by_role = []
    for role, label in ceif.HANDLER_ROLES.items():
        ids = CaseHandler.objects.filter(person=person, role=role).values("case_id")
        cases = handled.filter(pk__in=ids).order_by("-opened_at", "id")
        count = cases.count()
        by_role.append(
            {
                "role": role,
                "label": label,
                "count": count,
                "rows": [
                    {
                        "case": c,
                        "category": category_label(c.category),
                        "status": STATUS_LABELS[status_key(c.status_rank)],
                    }
                    for c in cases[:CASES_SHOWN]
                ],
            }
        )
    context = {
        "person": person,
        "roles": _roles(person),
        "by_role": by_role,
        "cases_shown": CASES_SHOWN,
    }
    return context


@login_required  # no role gate: a person out of the user's scope reads as absent (404)
def person_detail(request: HttpRequest, person_id: str) -> HttpResponse:
    person = scope.get_visible_or_404(Person, request.user, pk=person_id)
    return render(request, "fazhi/people/detail.html", person_context(request, person))
