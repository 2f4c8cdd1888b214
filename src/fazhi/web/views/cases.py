"""案件: the list (filters, sorting, paging, counts) and the case page (facts, handlers,
subjects, the timeline of events, linked alarms; the patrol's obligations plug in)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.apps.accounts import personal_data, scope
from fazhi.apps.cases.models import Case, CaseHandler, Event, Subject
from fazhi.apps.org.models import Person, Unit
from fazhi.core import ceif
from fazhi.web.access import Page, may_use, page_for
from fazhi.web.case_status import STATUS_LABELS, status_key, status_of, with_status
from fazhi.web.filters import CaseFilter
from fazhi.web.labels import (
    attr_label,
    attr_value,
    category_label,
    event_kind_label,
    unit_attr_values,
)
from fazhi.web.listing import page_of, sort_of

REVEALED = "fazhi_revealed_subjects"  # session: subjects this user revealed (audited once each)
MAX_REVEALED = 200

STATUS_COUNT_LIMIT = 5000

CASE_SORTS = {
    "opened_at": ("opened_at", "id"),
    "id": ("id",),
    "unit": ("unit__name", "id"),
    "kind": ("kind", "opened_at"),
    "status": ("status_rank", "opened_at"),
}


def _status_ranks(cases: list[Case]) -> dict[str, int]:
    """Each listed case's status rank: already annotated when the list was sorted or filtered
    by status, else read for this page only — annotating the whole list would run the status
    subquery for every case in scope before the sort (300,000 at a city's legal department)."""
    if all(hasattr(c, "status_rank") for c in cases):
        return {c.pk: c.status_rank for c in cases}
    page = with_status(Case.objects.filter(pk__in=[c.pk for c in cases]))
    return dict(page.values_list("pk", "status_rank"))


@page_for(Page.CASES)
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CaseFilter(request.GET or None, units=scope.visible_unit_rows(user))
    cases = form.apply(scope.visible_cases(user))
    by_kind = dict(cases.values_list("kind").annotate(n=Count("pk")).order_by())
    total = sum(by_kind.values())
    # Each case's status is a subquery over its events: counted only for sets small enough
    # to answer quickly (a unit's cases, or a filtered bureau list).
    by_status: Counter[str] = Counter()
    if total <= STATUS_COUNT_LIMIT:
        ranked = with_status(cases).values_list("status_rank").annotate(n=Count("pk"))
        for rank, n in ranked.order_by():
            by_status[status_key(rank)] += n
    sort = sort_of(request, CASE_SORTS, "-opened_at")
    sorts_by_status = any(term.lstrip("-") == "status_rank" for term in sort.order_by)
    rows_query = (with_status(cases) if sorts_by_status else cases).select_related("unit")
    rows_query = rows_query.order_by(*sort.order_by)
    paging = page_of(request, rows_query, count=total)
    page = list(paging.rows)
    ranks = _status_ranks(page)
    rows = [
        {
            "case": case,
            "category": category_label(case.category),
            "status": STATUS_LABELS[status_key(ranks[case.pk])],
            "lead": None,
        }
        for case in page
    ]
    _attach_leads(rows)
    return render(
        request,
        "fazhi/cases/list.html",
        {
            "form": form,
            "rows": rows,
            "paging": paging,
            "sort": sort,
            "total": total,
            "kind_counts": [(label, by_kind.get(k, 0)) for k, label in ceif.CASE_KINDS.items()],
            "status_counts": [(key, label, by_status[key]) for key, label in STATUS_LABELS.items()],
            "status_counted": total <= STATUS_COUNT_LIMIT,
        },
    )


def _attach_leads(rows: list[dict[str, Any]]) -> None:
    """The lead handler of each listed case, in one query."""
    ids = [row["case"].pk for row in rows]
    leads: dict[str, str] = {}
    for case_id, name in (
        CaseHandler.objects.filter(case_id__in=ids, role="lead")
        .order_by("position")
        .values_list("case_id", "person__name")
    ):
        leads.setdefault(case_id, name)
    for row in rows:
        row["lead"] = leads.get(row["case"].pk, "")


@dataclass(frozen=True)
class TimelineRow:
    event: Event
    kind: str
    subject: str | None
    officers: list[str]
    attrs: list[tuple[str, str]]


def _timeline(
    events: list[Event], subjects: dict[str, personal_data.SubjectData]
) -> list[TimelineRow]:
    officer_ids = {p for e in events for p in e.officers or []}
    unit_ids = set().union(*(unit_attr_values(e.attrs) for e in events)) if events else set()
    names = dict(Person.objects.filter(pk__in=officer_ids).values_list("pk", "name"))
    unit_names = (
        dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name")) if unit_ids else {}
    )
    rows = []
    for e in events:
        subject = subjects.get(e.subject_id) if e.subject_id else None
        rows.append(
            TimelineRow(
                event=e,
                kind=event_kind_label(e.kind),
                subject=None if subject is None else (subject.name or subject.id),
                officers=[names.get(p, p) for p in e.officers or []],
                attrs=[
                    (attr_label(k), attr_value(k, v, unit_names))
                    for k, v in sorted((e.attrs or {}).items())
                ],
            )
        )
    return rows


def case_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """Everything the case page shows; the patrol's include receives the same context."""
    user = request.user
    handlers = list(case.handlers.select_related("person").order_by("position"))
    shown = personal_data.sees_personal_data(user, case.pk)
    revealed = set(request.session.get(REVEALED, []))
    subject_rows = list(case.subjects.order_by("pk"))
    subjects = {
        s.pk: personal_data.subject_data(s, shown=shown or s.pk in revealed) for s in subject_rows
    }
    events = list(case.events.order_by("at", "id"))
    context = {
        "case": case,
        "category": category_label(case.category),
        "status": STATUS_LABELS[status_of({e.kind for e in events})],
        "flags": [ceif.CASE_FLAGS.get(f, f) for f in case.flags or []],
        "handlers": handlers,
        "links_people": may_use(request, Page.PEOPLE),
        "subjects": [
            {
                "row": s,
                "data": subjects[s.pk],
                "gender": ceif.GENDERS.get(s.gender or "", ""),
                "flags": [ceif.SUBJECT_FLAGS.get(f, f) for f in s.flags or []],
            }
            for s in subject_rows
        ],
        "timeline": _timeline(events, subjects),
        "alarms": list(case.alarms.select_related("unit").order_by("at", "pk")),
    }
    return context


@login_required  # no role gate: whoever cannot see the case gets 404, as if it did not exist
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    cases = scope.visible_cases(request.user).select_related("unit")
    case = get_object_or_404(cases, pk=case_id)  # out of scope reads as absent: 404
    return render(request, "fazhi/cases/detail.html", case_context(request, case))


@require_POST
@login_required
def subject_reveal(request: HttpRequest, case_id: str, subject_id: str) -> HttpResponse:
    """显示: one subject's personal data in full for the rest of the session, audited."""
    case = scope.get_visible_or_404(Case, request.user, pk=case_id)
    subject = get_object_or_404(Subject, case=case, pk=subject_id)
    personal_data.reveal(request.user, subject, at=timezone.now())
    revealed = [s for s in request.session.get(REVEALED, []) if s != subject.pk]
    request.session[REVEALED] = [*revealed, subject.pk][-MAX_REVEALED:]
    messages.info(request, f"已显示涉案人员 {subject.pk} 的个人信息，本次查看已记入审计日志。")
    return redirect(f"{reverse('case_detail', args=[case.pk])}#subject-{subject.pk}")
