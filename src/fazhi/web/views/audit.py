"""审计: the audit log, searchable and paged, for the auditor alone (三员分立), with the chain
check of `fazhi audit verify` one button away."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from fazhi.apps.audit.chain import verify_chain
from fazhi.apps.audit.models import AuditEntry, AuditHead
from fazhi.web.access import Page, page_for
from fazhi.web.filters import AuditFilter
from fazhi.web.listing import page_of

PREVIEW_CHARS = 120


def _preview(text: str | None) -> str:
    if text is None:
        return ""
    return text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS] + "…"


def _pretty(text: str | None) -> str:
    if text is None:
        return ""
    try:
        return json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True)
    except ValueError:
        return text


def _log_context(request: HttpRequest) -> dict[str, Any]:
    form = AuditFilter(request.GET or None)
    entries = AuditEntry.objects.order_by("-seq")
    filtered = form.is_bound and any(form.values().values())
    if filtered:
        entries = form.apply(entries)
    count = None
    if not filtered:
        # The head knows the length of the chain; counting millions of rows is not needed.
        count = AuditHead.objects.filter(pk=1).values_list("last_seq", flat=True).first() or 0
    paging = page_of(request, entries, count=count)
    rows = [
        {"entry": e, "before": _preview(e.before), "after": _preview(e.after)} for e in paging.rows
    ]
    return {"form": form, "paging": paging, "rows": rows}


@page_for(Page.AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    return render(request, "fazhi/audit/log.html", _log_context(request))


@require_POST
@page_for(Page.AUDIT)
def audit_verify(request: HttpRequest) -> HttpResponse:
    """校验审计链: walk the whole chain now and say whether it holds, or where it breaks."""
    count, broken = verify_chain()
    context = _log_context(request)
    context["verification"] = {"count": count, "broken": broken}
    return render(request, "fazhi/audit/log.html", context)


@page_for(Page.AUDIT)
def audit_entry(request: HttpRequest, seq: int) -> HttpResponse:
    entry = get_object_or_404(AuditEntry, pk=seq)
    return render(
        request,
        "fazhi/audit/entry.html",
        {"entry": entry, "before": _pretty(entry.before), "after": _pretty(entry.after)},
    )
