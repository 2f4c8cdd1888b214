"""风险预警 pages: the warning list (filters, sorting, paging, bulk 签收, Excel export), the
warning page (legal basis, counting steps, case timeline, history, actions) and the rates
and 三清 page with a drill-down per figure.

Reads start from the scope layer (out of scope is 404); every write goes through
`patrol.services`, whose Chinese messages are shown as they are.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from fazhi import law
from fazhi.apps.accounts import personal_data, scope
from fazhi.apps.audit.chain import Change, record
from fazhi.apps.audit.models import AuditAction
from fazhi.apps.cases.models import Subject
from fazhi.apps.org.models import Person
from fazhi.apps.patrol import selectors, services
from fazhi.apps.patrol.derive import points_by_key
from fazhi.apps.patrol.models import (
    ACTIVE_STATUSES,
    OPEN_STATES,
    Finding,
    Level,
    Obligation,
    Warning,
    WarningStatus,
)
from fazhi.core.catalog import AREAS, ControlPoint
from fazhi.core.catalog.lint import chinese_numeral
from fazhi.core.records import canonical_json
from fazhi.web.access import Page, page_for
from fazhi.web.catalogue import catalogue as shipped_catalogue
from fazhi.web.filters import ANY, DateInput, ListFilter, unit_choices
from fazhi.web.labels import event_kind_label
from fazhi.web.listing import page_of, sort_of

EXPORT_LIMIT = 50_000  # rows; a larger export is refused with a request to narrow the filter
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _points() -> dict[tuple[str, str | None], ControlPoint]:
    """Names, basis and notes as shipped (the pages' cached catalogue: no query; the bureau's
    thresholds change periods, which the stored obligations already carry)."""
    return points_by_key(shipped_catalogue())


def _point_choices() -> list[tuple[str, str]]:
    points = shipped_catalogue().points
    current = {p.code: p.name for p in points if p.in_force.valid_to is None}
    return [ANY, *((code, f"{code} {name}") for code, name in sorted(current.items()))]


def point_name(code: str, version: str | None = None) -> str:
    """The point's Chinese name: of its version, else of the current entry under the code."""
    points = _points()
    point = points.get((code, version)) or points.get((code, None))
    return point.name if point else ""


# --- the list --------------------------------------------------------------------------------


class WarningFilterForm(ListFilter):
    unit = forms.ChoiceField(label="单位（含下级）", required=False)
    control_point = forms.ChoiceField(label="控制点", required=False)
    area = forms.ChoiceField(label="领域", required=False, choices=[ANY, *AREAS.items()])
    level = forms.ChoiceField(label="风险等级", required=False, choices=[ANY, *Level.choices])
    finding = forms.ChoiceField(label="预警类型", required=False, choices=[ANY, *Finding.choices])
    status = forms.ChoiceField(
        label="处理状态",
        required=False,
        choices=[ANY, (selectors.ACTIVE, "未办结"), *WarningStatus.choices],
    )
    handler = forms.CharField(label="主办民警（姓名或编号）", required=False, max_length=100)
    at_from = forms.DateField(label="预警日期自", required=False, widget=DateInput())
    at_to = forms.DateField(label="预警日期至", required=False, widget=DateInput())

    def __init__(self, data: QueryDict, *, user: Any) -> None:
        super().__init__(data)
        self.fields["unit"].choices = unit_choices(scope.visible_unit_rows(user))
        self.fields["control_point"].choices = _point_choices()

    def filters(self, order_by: Iterable[str]) -> selectors.WarningFilters:
        v = self.values()
        return selectors.WarningFilters(
            **{name: v.get(name) or None for name in self.fields},
            order_by=tuple(order_by),
        )


def _filter_data(request: HttpRequest) -> QueryDict:
    """The query string, showing the unsettled warnings (未办结) until a status is chosen."""
    data = request.GET.copy()
    data.setdefault("status", selectors.ACTIVE)
    return data


def _filtered(request: HttpRequest) -> tuple[WarningFilterForm, Any, QuerySet[Warning]]:
    form = WarningFilterForm(_filter_data(request), user=request.user)
    sort = sort_of(request, selectors.WARNING_SORTS, "-at")
    return form, sort, selectors.warning_list(request.user, form.filters(sort.order_by))


@dataclass(frozen=True)
class WarningRow:
    warning: Warning
    point: str
    subject: str


def _subject_names(user: Any, warnings: list[Warning]) -> dict[str, str]:
    """Subject id → name as this user may see it (masked unless their work needs it)."""
    ids = {w.subject_id for w in warnings if w.subject_id}
    if not ids:
        return {}
    cases = {w.case_id for w in warnings}
    shown = set(
        personal_data.cases_with_personal_data(user)
        .filter(pk__in=cases)
        .values_list("pk", flat=True)
    )
    return {
        s.pk: personal_data.subject_data(s, shown=s.case_id in shown).name or s.pk
        for s in Subject.objects.filter(pk__in=ids)
    }


def _rows(user: Any, warnings: list[Warning]) -> list[WarningRow]:
    names = _subject_names(user, warnings)
    return [
        WarningRow(
            w, point_name(w.control_point, w.obligation.version), names.get(w.subject_id, "")
        )
        for w in warnings
    ]


@page_for(Page.CASES)
def warning_list(request: HttpRequest) -> HttpResponse:
    form, sort, rows = _filtered(request)
    paging = page_of(request, rows.select_related("obligation"))
    return render(
        request,
        "patrol/warning_list.html",
        {
            "form": form,
            "sort": sort,
            "paging": paging,
            "rows": _rows(request.user, list(paging.rows)),
            "export_query": request.GET.urlencode(),
            "here": request.get_full_path(),
        },
    )


EXPORT_COLUMNS = (
    ("预警编号", 10),
    ("控制点", 9),
    ("控制点名称", 30),
    ("领域", 14),
    ("风险等级", 9),
    ("预警类型", 9),
    ("处理状态", 9),
    ("案件编号", 18),
    ("涉案人员", 12),
    ("办案单位", 20),
    ("主办民警", 10),
    ("到期时间", 20),
    ("预警时间点", 20),
    ("推送至", 10),
    ("签收时间", 20),
    ("办结时间", 20),
)


def _local(moment: datetime | None) -> datetime | None:
    """Excel has no time zones: the bureau's local time, naive."""
    return None if moment is None else timezone.localtime(moment).replace(tzinfo=None)


def _export_row(row: WarningRow) -> list[Any]:
    w = row.warning
    return [
        w.pk,
        w.control_point,
        row.point,
        AREAS.get(w.area, w.area),
        w.get_level_display(),
        w.get_finding_display(),
        w.get_status_display(),
        w.case_id,
        row.subject,
        w.unit.name,
        w.person.name if w.person else "",
        _local(w.due_at),
        _local(w.at),
        w.get_escalated_to_display(),
        _local(w.acknowledged_at),
        _local(w.settled_at),
    ]


def warnings_workbook(rows: list[WarningRow]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("风险预警")
    for index, (_, width) in enumerate(EXPORT_COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.append([title for title, _ in EXPORT_COLUMNS])
    for row in rows:
        sheet.append(_export_row(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@page_for(Page.CASES)
def warning_export(request: HttpRequest) -> HttpResponse:
    """The filtered list (all pages) as .xlsx; the export is on the audit trail."""
    form, _, rows = _filtered(request)
    warnings = list(rows.select_related("obligation")[: EXPORT_LIMIT + 1])
    if len(warnings) > EXPORT_LIMIT:
        messages.warning(request, f"导出不能超过 {EXPORT_LIMIT} 条，请缩小筛选范围后再导出。")
        return redirect(f"{reverse('warning_list')}?{request.GET.urlencode()}")
    content = warnings_workbook(_rows(request.user, warnings))
    now = timezone.now()
    with transaction.atomic():
        record(
            Change(
                actor=request.user.get_username()[:150],
                action=AuditAction.EXPORT.value,
                object_type="warning",
                object_id="list",
                before=None,
                after=canonical_json({"rows": len(warnings), "query": request.GET.urlencode()}),
            ),
            now,
        )
    response = HttpResponse(content, content_type=XLSX)
    name = f"fengxian-yujing-{timezone.localtime(now):%Y%m%d-%H%M}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


_ACK_ITEM = re.compile(r"^(\d+):(\d+)$")


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@require_POST
@page_for(Page.CASES)
def warning_bulk_acknowledge(request: HttpRequest) -> HttpResponse:
    """签收 each ticked warning at the revision the user saw; report the ones that moved."""
    seen = {
        int(m.group(1)): int(m.group(2))
        for m in map(_ACK_ITEM.match, request.POST.getlist("warning"))
        if m
    }
    warnings = scope.visible_warnings(request.user).filter(pk__in=seen).order_by("pk")
    done, stale = [], []
    now = timezone.now()
    for warning in warnings:
        try:
            services.acknowledge(warning, request.user, seen[warning.pk], now)
        except services.StaleWarning:
            stale.append(warning.pk)
        else:
            done.append(warning.pk)
    missing = len(seen) - len(done) - len(stale)
    if done:
        messages.success(request, f"已签收 {len(done)} 条预警。")
    if stale:
        numbers = "、".join(f"#{pk}" for pk in stale)
        messages.warning(request, f"{numbers} 未签收：{services.StaleWarning.message}")
    if missing:
        messages.warning(request, f"{missing} 条预警不存在或无权查看，未签收。")
    if not seen:
        messages.warning(request, "请先勾选要签收的预警。")
    return redirect(_back(request, reverse("warning_list")))


# --- one warning -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BasisRow:
    source: str
    article: str
    quote: str
    link: str | None


def _law_link(file: str, article: str) -> str | None:
    """The law text page, at the article when `article` starts with its number."""
    text = next((t for t in law.documents() if t.file == file), None)
    url = reverse("law_text", args=[text.slug]) if text else None
    number = re.match(r"^(\d+)", article)
    if url and number and 0 < int(number.group(1)) < 1000:
        url += "#" + law.article_anchor(chinese_numeral(int(number.group(1))))
    return url


@dataclass(frozen=True)
class TimelineRow:
    at: datetime
    kind: str
    subject: str
    officers: str
    ours: bool  # one of the events behind the obligation


def _timeline(user: Any, ob: Obligation) -> list[TimelineRow]:
    events = list(scope.visible_events(user).filter(case_id=ob.case_id).order_by("at", "id"))
    shown = personal_data.sees_personal_data(user, ob.case_id)
    subjects = {
        s.pk: personal_data.subject_data(s, shown=shown).name or s.pk
        for s in Subject.objects.filter(case_id=ob.case_id)
    }
    officers = {p for e in events for p in e.officers or []}
    names = dict(Person.objects.filter(pk__in=officers).values_list("pk", "name"))
    ours = set(ob.events)
    return [
        TimelineRow(
            e.at,
            event_kind_label(e.kind),
            subjects.get(e.subject_id, "") if e.subject_id else "",
            "、".join(names.get(p, p) for p in e.officers or []),
            e.pk in ours,
        )
        for e in events
    ]


def _visible_warning(request: HttpRequest, pk: int) -> Warning:
    rows = scope.visible_warnings(request.user).select_related("obligation", "unit", "person")
    return get_object_or_404(rows, pk=pk)


@page_for(Page.CASES)
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    warning = _visible_warning(request, pk)
    ob = warning.obligation
    point = _points().get((ob.control_point, ob.version))
    subject = _subject_names(request.user, [warning]).get(warning.subject_id or "", "")
    return render(
        request,
        "patrol/warning_detail.html",
        {
            "warning": warning,
            "obligation": ob,
            "point": point,
            "point_link": reverse("control_point", args=[point.key]) if point else None,
            "area": AREAS.get(warning.area, warning.area),
            "subject": subject,
            "basis": [
                BasisRow(b.source, b.article, b.quote, _law_link(b.file, b.article))
                for b in (point.basis if point else ())
            ],
            "timeline": _timeline(request.user, ob),
            "actions": list(warning.actions.all()),
            "active": warning.status in ACTIVE_STATUSES,
            "may_approve": warning.exception_requested
            and services.may_approve(request.user, warning),
            "may_resolve": ob.state not in OPEN_STATES,
        },
    )


def _act(request: HttpRequest, warning: Warning, action: str, revision: int) -> Warning:
    text, now, user = request.POST.get("note", ""), timezone.now(), request.user
    if action == "acknowledge":
        return services.acknowledge(warning, user, revision, now)
    if action == "note":
        return services.add_note(warning, user, text, revision, now)
    if action == "request_exception":
        return services.request_exception(warning, user, text, revision, now)
    if action in ("approve_exception", "reject_exception"):
        approve = action == "approve_exception"
        return services.decide_exception(warning, user, approve, text, revision, now)
    if action == "resolve":
        return services.resolve(warning, user, text, revision, now)
    raise Http404("没有这项操作。")


ACTION_DONE = {
    "acknowledge": "已签收。",
    "note": "备注已保存。",
    "request_exception": "核销申请已提交，待所队长或法制部门审批。",
    "approve_exception": "已批准核销，预警关闭。",
    "reject_exception": "已驳回核销申请。",
    "resolve": "已记录整改完成。",
}


@require_POST
@page_for(Page.CASES)
def warning_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action on one warning, at the revision the form was shown with."""
    if action not in ACTION_DONE:
        raise Http404("没有这项操作。")
    warning = _visible_warning(request, pk)
    revision = request.POST.get("revision", "")
    if not revision.isdigit():
        messages.error(request, services.StaleWarning.message)
    else:
        try:
            _act(request, warning, action, int(revision))
        except (services.StaleWarning, services.NotAllowed) as error:
            messages.error(request, error.message)
        else:
            messages.success(request, ACTION_DONE[action])
    return redirect("warning_detail", pk=warning.pk)


# --- rates and 三清 --------------------------------------------------------------------------


class RatesForm(forms.Form):
    unit = forms.ChoiceField(label="单位（含下级）", required=False)
    start = forms.DateField(label="统计期自", required=False, widget=DateInput())
    end = forms.DateField(label="统计期至", required=False, widget=DateInput())

    def __init__(self, data: QueryDict, *, user: Any) -> None:
        super().__init__(data)
        self.fields["unit"].choices = unit_choices(scope.visible_unit_rows(user))

    def frame(self, today: date) -> tuple[str | None, date, date]:
        """(unit, start, end): this month to today unless chosen; invalid input is ignored."""
        v = self.cleaned_data if self.is_valid() else {}
        end = v.get("end") or today
        start = v.get("start") or end.replace(day=1)
        return v.get("unit") or None, min(start, end), end


def _rates_form(request: HttpRequest) -> tuple[RatesForm, str | None, date, date]:
    form = RatesForm(request.GET, user=request.user)
    unit, start, end = form.frame(timezone.localdate())
    return form, unit, start, end


@page_for(Page.CASES)
def rates(request: HttpRequest) -> HttpResponse:
    form, unit, start, end = _rates_form(request)
    result = selectors.rates(request.user, unit, start, end)
    return render(
        request,
        "patrol/rates.html",
        {
            "form": form,
            "rates": result,
            "points": [(c, point_name(c.code)) for c in result.by_point],
            "query": request.GET.urlencode(),
            "month_cutoff": selectors.month_cutoff(result.frame),
            "clear_day": selectors.clear_day(result.frame),
            "quarter": selectors.quarter_of(end),
        },
    )


@page_for(Page.CASES)
def rates_drilldown(request: HttpRequest, figure: str) -> HttpResponse:
    """The duties (or, for 季清底, the warnings) behind one figure, optionally of one point."""
    rows_of = selectors.DRILLDOWNS.get(figure)
    if rows_of is None:
        raise Http404("没有这项指标。")
    form, unit, start, end = _rates_form(request)
    fr = selectors.frame(request.user, unit, start, end)
    code = request.GET.get("point") or None
    if code and figure in ("late", "overdue"):
        rows = rows_of(fr, code)
    else:
        rows = rows_of(fr)
    is_warnings = rows.model is Warning
    rows = rows.select_related("unit", "person").order_by("at" if is_warnings else "due_at", "pk")
    paging = page_of(request, rows)
    return render(
        request,
        "patrol/drilldown.html",
        {
            "form": form,
            "figure": figure,
            "label": selectors.LABELS[figure],
            "definition": selectors.DEFINITIONS[figure],
            "point": code,
            "point_name": point_name(code) if code else "",
            "paging": paging,
            "is_warnings": is_warnings,
            "rows": _drill_rows(list(paging.rows), is_warnings),
            "back": f"{reverse('rates')}?{_without(request.GET, 'point', 'page')}",
        },
    )


def _without(query: QueryDict, *names: str) -> str:
    copy = query.copy()
    for name in names:
        copy.pop(name, None)
    return copy.urlencode()


def _drill_rows(rows: list[Any], is_warnings: bool) -> list[dict[str, Any]]:
    if is_warnings:
        return [{"row": w, "point": point_name(w.control_point), "warning": w.pk} for w in rows]
    warnings = dict(
        Warning.objects.filter(obligation__in=[o.pk for o in rows]).values_list(
            "obligation_id", "pk"
        )
    )
    return [
        {"row": o, "point": point_name(o.control_point, o.version), "warning": warnings.get(o.pk)}
        for o in rows
    ]
