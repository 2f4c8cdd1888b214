"""积分考评 pages: the 成绩单 (ranking, filters, movement, Excel), a person's 执法档案, the schemes
browser, inspection entry, appeals (申诉) and the what-if of a draft scheme.

Reads start from the scope layer (out of scope is 404); every write goes through
`assessment.services`, whose Chinese messages are shown as they are.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case as DbCase
from django.db.models import QuerySet, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from fazhi.apps.accounts import scope
from fazhi.apps.accounts.models import Grant, Role
from fazhi.apps.assessment import selectors, services
from fazhi.apps.assessment.crowding_views import person_crowding
from fazhi.apps.assessment.forms import (
    AppealForm,
    DecisionForm,
    InspectionForm,
    RankingFilter,
    WhatIfForm,
)
from fazhi.apps.assessment.models import (
    Appeal,
    AppealStatus,
    EntryKind,
    ExamScore,
    Inspection,
    LedgerEntry,
    RankingRow,
    RankingSnapshot,
)
from fazhi.apps.assessment.schemes import period_of, scheme_for, schemes_dir, shipped_schemes
from fazhi.apps.assessment.store import people
from fazhi.apps.assessment.whatif import DraftInvalid, what_if
from fazhi.apps.audit.chain import Change, record
from fazhi.apps.audit.models import AuditAction
from fazhi.apps.cases.models import CaseHandler, Event
from fazhi.apps.org.models import Grid, Person, Unit, UnitClosure
from fazhi.apps.org.selectors import subtree
from fazhi.core import ceif
from fazhi.core.records import canonical_json
from fazhi.core.scoring import KINDS, InspectionMethod, Scheme, Severity
from fazhi.core.scoring.method import describe
from fazhi.web.access import Page, may_use, page_for
from fazhi.web.listing import page_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_SCHEME = "case_handling"
FILE_ROWS = 200  # cases and warnings shown per file; the lists filtered by person have all


def _this_year() -> str:
    return str(timezone.localdate().year)


def _movement(value: int | None) -> str:
    if value is None:
        return "新"
    if value == 0:
        return "—"
    return f"↑{value}" if value > 0 else f"↓{-value}"


def _group_labels(scheme: Scheme, groups: set[str]) -> dict[str, str]:
    if scheme.rank_by == "unit":
        return dict(Unit.objects.filter(pk__in=groups).values_list("pk", "name"))
    if scheme.rank_by == "grid":
        return dict(Grid.objects.filter(pk__in=groups).values_list("pk", "name"))
    return {g: ceif.SEQUENCES.get(g, g or "未定序列") for g in groups}


# --- 成绩单 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankingRowView:
    rank: int
    person: str
    name: str
    unit: str
    group: str
    score: Decimal
    movement: str


@dataclass(frozen=True)
class RankingResult:
    form: RankingFilter
    scheme: Scheme | None
    period: str
    computed: bool
    rows: list[RankingRowView]


def _ranking(request: HttpRequest) -> RankingResult:
    """The ranking the query asks for, limited to the people the user sees (ranks stay those of
    the whole group, so a unit's officers read where they stand bureau-wide)."""
    data = request.GET.copy()
    data.setdefault("scheme", DEFAULT_SCHEME)
    data.setdefault("period", _this_year())
    units = scope.visible_unit_rows(request.user)
    form = RankingFilter(data, units=units)
    if not form.is_valid():
        return RankingResult(form, None, data["period"], False, [])
    v = form.cleaned_data
    period = period_of(v["period"])
    try:
        lines = selectors.ranking(v["scheme"], period.text, v["sequence"] or None)
    except ValidationError as exc:
        form.add_error("period", exc.messages[0])
        return RankingResult(form, None, period.text, False, [])
    scheme = scheme_for(v["scheme"], period)
    chosen = units.filter(pk__in=subtree(v["unit"])) if v["unit"] else units
    allowed = set(chosen.values_list("pk", flat=True))
    kept = [line for line in lines if line.unit in allowed]
    names = Unit.objects.filter(pk__in={line.unit for line in kept}).values_list("pk", "name")
    unit_names = dict(names)
    groups = _group_labels(scheme, {line.group for line in kept})
    rows = [
        RankingRowView(
            line.rank,
            line.person,
            line.name,
            unit_names.get(line.unit, line.unit),
            groups.get(line.group, line.group),
            line.score,
            _movement(line.movement),
        )
        for line in kept
    ]
    computed = _scored(scheme.code, period.text)
    return RankingResult(form, scheme, period.text, computed, rows)


def _scored(code: str, period: str) -> bool:
    """A period is scored once it has entries or, where nobody earned anything, a snapshot."""
    snapshots = RankingSnapshot.objects.filter(scheme=code, period=period)
    return selectors.is_computed(code, period) or snapshots.exists()


@page_for(Page.CASES)
def ranking_page(request: HttpRequest) -> HttpResponse:
    """The 成绩单 for those who see people; an officer, who sees no one else, is taken to their
    own file."""
    if not may_use(request, Page.PEOPLE):
        own = Person.objects.filter(account__user_id=request.user.pk).first()
        if own is None:
            raise PermissionDenied("您没有使用此页面的权限。")
        return redirect("assessment_person_file", person_id=own.pk)
    result = _ranking(request)
    scheme = result.scheme
    return render(
        request,
        "assessment/ranking.html",
        {
            "result": result,
            "form": result.form,
            "query": request.GET.urlencode(),
            "may_recompute": scheme is not None and may_recompute(request.user, scheme),
        },
    )


def may_recompute(user: Any, scheme: Scheme) -> bool:
    """Recomputing posts to everyone's ledger: only a legal department over every person the
    scheme assesses."""
    units = {p.unit for p in people(scheme)}
    covered = set(legal_department_units(user).values_list("descendant_id", flat=True))
    return bool(covered) and units <= covered


@require_POST
@page_for(Page.PEOPLE)
def ranking_recompute(request: HttpRequest) -> HttpResponse:
    """计分: score the scheme and period from the store through the services (audited)."""
    code, period = request.POST.get("scheme", ""), request.POST.get("period", "")
    back = f"{reverse('assessment_ranking')}?{urlencode({'scheme': code, 'period': period})}"
    try:
        scheme = scheme_for(code, period_of(period))
        if not may_recompute(request.user, scheme):
            raise PermissionDenied("只有覆盖全部参评人员的法制部门可以计分。")
        done = services.recompute(
            code, period, actor=request.user.get_username(), at=timezone.now()
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request,
            f"{scheme.name} {done.period} 已计分：新增 {done.posted} 条，冲销 {done.reversed} 条。",
        )
    return redirect(back)


EXPORT_COLUMNS = (("名次", 8), ("人员编号", 14), ("姓名", 10), ("单位", 24), ("排名范围", 16))


def ranking_workbook(result: RankingResult) -> bytes:
    assert result.scheme is not None
    book = Workbook(write_only=True)
    sheet = book.create_sheet("成绩单")
    columns = (*EXPORT_COLUMNS, ("得分", 10), ("名次变化", 10))
    for index, (_, width) in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.append([f"{result.scheme.name}（版本 {result.scheme.version}）{result.period} 成绩单"])
    sheet.append([title for title, _ in columns])
    for r in result.rows:
        sheet.append([r.rank, r.person, r.name, r.unit, r.group, r.score, r.movement])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _audit_export(request: HttpRequest, object_type: str, rows: int) -> None:
    with transaction.atomic():
        record(
            Change(
                actor=request.user.get_username()[:150],
                action=AuditAction.EXPORT.value,
                object_type=object_type,
                object_id="list",
                before=None,
                after=canonical_json({"rows": rows, "query": request.GET.urlencode()}),
            ),
            timezone.now(),
        )


@page_for(Page.PEOPLE)
def ranking_export(request: HttpRequest) -> HttpResponse:
    """The 成绩单 as filtered, as .xlsx; the export is on the audit trail."""
    result = _ranking(request)
    if result.scheme is None:
        messages.error(
            request,
            "筛选条件有误，无法导出："
            + "；".join(m for errors in result.form.errors.values() for m in errors),
        )
        return redirect(f"{reverse('assessment_ranking')}?{request.GET.urlencode()}")
    _audit_export(request, "ranking", len(result.rows))
    response = HttpResponse(ranking_workbook(result), content_type=XLSX)
    name = f"chengjidan-{result.scheme.code}-{result.period}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- 执法档案 ----------------------------------------------------------------------------------


# The records a ledger entry links to (`<kind>:<id>`, as the scorers write them).
SOURCE_LABELS = {
    "case": "案件",
    "warning": "预警",
    "inspection": "评查",
    "duty_shift": "值班",
    "exam": "考试",
    "study": "学法",
    "task": "任务",
    "patrol_log": "巡逻",
    "quota": "办案任务",
}


def _source_link(source: str) -> dict[str, str | None]:
    """`case:A1` → the case page, `warning:7` → the warning page; other sources as text."""
    kind, _, ident = source.partition(":")
    url = None
    if kind == "case":
        url = reverse("case_detail", args=[ident])
    elif kind == "warning" and ident.isdigit():
        url = reverse("warning_detail", args=[int(ident)])
    return {"text": f"{SOURCE_LABELS.get(kind, kind)} {ident}", "url": url}


@dataclass(frozen=True)
class EntryView:
    entry: LedgerEntry
    scheme: str
    sources: list[dict[str, str | None]]
    appeal: Appeal | None
    may_appeal: bool


def _entries(user: Any, person: Person, period: str, own: bool) -> list[EntryView]:
    names = {s.code: s.name for s in shipped_schemes()}
    rows = list(
        scope.visible_ledger(user).filter(person=person, period=period).order_by("scheme", "pk")
    )
    reversed_ids = set(
        LedgerEntry.objects.filter(reverses__in=[e.pk for e in rows]).values_list(
            "reverses_id", flat=True
        )
    )
    latest: dict[int, Appeal] = {}
    for appeal in Appeal.objects.filter(entry__in=[e.pk for e in rows]).order_by("filed_at", "pk"):
        latest[appeal.entry_id] = appeal
    return [
        EntryView(
            e,
            names.get(e.scheme, e.scheme),
            [_source_link(s) for s in e.sources],
            latest.get(e.pk),
            own
            and e.kind == EntryKind.AWARD
            and e.pk not in reversed_ids
            and getattr(latest.get(e.pk), "status", None) != AppealStatus.PENDING,
        )
        for e in rows
    ]


def _totals(entries: list[EntryView]) -> list[tuple[str, Decimal]]:
    """Each scheme's score for the period: the sum of its entries."""
    totals: dict[str, Decimal] = {}
    for v in entries:
        totals[v.scheme] = totals.get(v.scheme, Decimal(0)) + v.entry.points
    return list(totals.items())


def _rank_history(person: Person) -> list[dict[str, Any]]:
    """The latest rank of each scheme and period (day periods aside: the daily 成绩单)."""
    names = {s.code: s.name for s in shipped_schemes()}
    latest: dict[tuple[str, str], RankingRow] = {}
    rows = RankingRow.objects.filter(person=person).select_related("snapshot")
    for row in rows.order_by("snapshot__taken_at", "snapshot_id"):
        if len(row.snapshot.period) < 10:
            latest[row.snapshot.scheme, row.snapshot.period] = row
    return [
        {"scheme": names.get(s, s), "period": p, "row": row, "movement": _movement(row.movement)}
        for (s, p), row in sorted(latest.items())
    ]


def _handled_cases(user: Any, person: Person) -> list[CaseHandler]:
    visible = scope.visible_cases(user).values("pk")
    rows = CaseHandler.objects.filter(person=person, case__in=visible).select_related("case__unit")
    return list(rows.order_by("-case__opened_at", "case_id")[:FILE_ROWS])


def _inspections(person: Person) -> list[dict[str, Any]]:
    """评查 of the person with the item's name, finding, severity and verified rectification."""
    names = {(s.code, i.code): i.name for s in shipped_schemes() for i in s.items}
    schemes = {s.code: s.name for s in shipped_schemes()}
    rows = (
        Inspection.objects.filter(person=person)
        .select_related("inspector", "rectification__verified_by")
        .order_by("-day", "-pk")[:FILE_ROWS]
    )
    return [
        {
            "i": i,
            "scheme": schemes.get(i.scheme, i.scheme),
            "item": names.get((i.scheme, i.item), i.item),
            "rectification": getattr(i, "rectification", None),
        }
        for i in rows
    ]


def _legal_reviews(user: Any, person: Person) -> list[Event]:
    """法制审核通过 events of the cases the person handled (those the reader sees)."""
    handled = CaseHandler.objects.filter(person=person).values("case_id")
    cases = scope.visible_cases(user).filter(pk__in=handled).values("pk")
    rows = Event.objects.filter(kind="legal_review_passed", case__in=cases)
    return list(rows.select_related("case").order_by("-at", "pk")[:FILE_ROWS])


@login_required  # no role gate: a file out of the user's scope reads as absent (404)
def person_file(request: HttpRequest, person_id: str) -> HttpResponse:
    user = request.user
    person = get_object_or_404(scope.visible_files(user).select_related("unit"), pk=person_id)
    period_text = request.GET.get("period") or _this_year()
    try:
        period = period_of(period_text).text
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        period = _this_year()
    own = Person.objects.filter(pk=person.pk, account__user_id=user.pk).exists()
    entries = _entries(user, person, period, own)
    warnings = scope.visible_warnings(user).filter(person=person).order_by("-at")
    return render(
        request,
        "assessment/person_file.html",
        {
            "person": person,
            "period": period,
            "entries": entries,
            "totals": _totals(entries),
            "cases": _handled_cases(user, person),
            "warnings": list(warnings.select_related("unit")[:FILE_ROWS]),
            "exams": list(
                ExamScore.objects.filter(person=person)
                .select_related("exam")
                .order_by("-exam__day")
            ),
            "history": _rank_history(person),
            "inspections": _inspections(person),
            "reviews": _legal_reviews(user, person),
            "crowding": person_crowding(person),
            "appeal_form": AppealForm() if own else None,
            "printed_at": timezone.localtime(),
            "file_rows": FILE_ROWS,
        },
    )


# --- schemes -----------------------------------------------------------------------------------


@page_for(Page.CASES)
def scheme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "assessment/scheme_list.html", {"schemes": shipped_schemes()})


def _shipped(code: str, version: str) -> Scheme:
    scheme = next((s for s in shipped_schemes() if (s.code, s.version) == (code, version)), None)
    if scheme is None:
        raise Http404("没有这个考核方案版本。")
    return scheme


@page_for(Page.CASES)
def scheme_detail(request: HttpRequest, code: str, version: str) -> HttpResponse:
    scheme = _shipped(code, version)
    method = describe(scheme)
    items = [
        {
            **item,
            "kind_label": KINDS[item["kind"]].label if item["kind"] in KINDS else item["kind"],
            "dimension_label": scheme.dimensions.get(item["dimension"] or "", ""),
        }
        for item in method["items"]
    ]
    return render(
        request,
        "assessment/scheme_detail.html",
        {
            "scheme": scheme,
            "method": method,
            "items": items,
            "severities": [(s.label, p) for s, p in scheme.severities.items()],
            "periods": "、".join(k.label for k in scheme.periods),
            "sequences": "、".join(ceif.SEQUENCES.get(s, s) for s in scheme.population.sequences),
            "rank_by": {"sequence": "序列", "unit": "单位", "grid": "网格"}[scheme.rank_by],
            "recovery_share": f"{scheme.recovery.share * 100:.0f}%" if scheme.recovery else "",
        },
    )


# --- inspections -------------------------------------------------------------------------------


def legal_department_units(user: Any) -> QuerySet[UnitClosure, dict[str, Any]]:
    """Units under the user's 法制部门 grants: the people they may inspect."""
    granted = Grant.objects.filter(user_id=user.pk, role=Role.LEGAL_DEPARTMENT).values("unit_id")
    return UnitClosure.objects.filter(ancestor_id__in=granted).values("descendant_id")


def _inspectable(user: Any) -> QuerySet[Person]:
    if not Grant.objects.filter(user_id=user.pk, role=Role.LEGAL_DEPARTMENT).exists():
        raise PermissionDenied("只有法制部门可以录入履职评查。")
    return Person.objects.filter(unit__in=legal_department_units(user))


@page_for(Page.CASES)
def inspection_new(request: HttpRequest) -> HttpResponse:
    """录入评查: the legal department records one check, through the services (audited)."""
    people = _inspectable(request.user)
    today = timezone.localdate()
    form = InspectionForm(
        request.POST if request.method == "POST" else None, people=people, today=today
    )
    if request.method == "POST" and form.is_valid():
        v = form.cleaned_data
        scheme, item = v["item"]
        try:
            inspection = services.record_inspection(
                person=v["person"],
                scheme=scheme,
                item=item,
                method=InspectionMethod(v["method"]),
                day=v["day"],
                inspector=v["inspector"],
                severity=Severity(v["severity"]) if v["severity"] else None,
                finding=v["finding"],
                evidence=v["evidence"],
                actor=request.user.get_username(),
                at=timezone.now(),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                f"已录入对 {inspection.person.name} 的评查（第 {inspection.pk} 号），"
                "重算该期积分后计入台账。",
            )
            return redirect("assessment_inspection_new")
    recent = (
        Inspection.objects.filter(person__in=people)
        .select_related("person", "inspector")
        .order_by("-recorded_at", "-pk")[:20]
    )
    return render(request, "assessment/inspection_form.html", {"form": form, "recent": recent})


# --- appeals -----------------------------------------------------------------------------------


@require_POST
@login_required
def appeal_file(request: HttpRequest, entry_id: int) -> HttpResponse:
    """申诉: the person files on one of their own entries."""
    entry = get_object_or_404(scope.visible_ledger(request.user), pk=entry_id)
    if not Person.objects.filter(pk=entry.person_id, account__user_id=request.user.pk).exists():
        raise PermissionDenied("只能对本人的积分记录申诉。")
    form = AppealForm(request.POST)
    back = f"{reverse('assessment_person_file', args=[entry.person_id])}?period={entry.period}"
    if not form.is_valid():
        messages.error(request, f"对第 {entry.pk} 条积分记录的申诉 reason：须写明申诉理由")
        return redirect(back)
    try:
        appeal = services.file_appeal(
            entry,
            reason=form.cleaned_data["reason"],
            actor=request.user.get_username(),
            at=timezone.now(),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"申诉已提交（第 {appeal.pk} 号），待法制部门处理。")
    return redirect(back)


def _visible_appeals(user: Any) -> QuerySet[Appeal]:
    return Appeal.objects.filter(entry__in=scope.visible_ledger(user).values("pk"))


@page_for(Page.CASES)
def appeal_list(request: HttpRequest) -> HttpResponse:
    pending_first = DbCase(When(status=AppealStatus.PENDING, then=0), default=1)
    appeals = (
        _visible_appeals(request.user)
        .select_related("entry__person__unit")
        .order_by(pending_first, "-filed_at", "-pk")
    )
    deciding = Grant.objects.filter(user_id=request.user.pk, role=Role.LEGAL_DEPARTMENT).exists()
    names = {s.code: s.name for s in shipped_schemes()}
    paging = page_of(request, appeals)
    rows = [{"appeal": a, "scheme": names.get(a.entry.scheme, a.entry.scheme)} for a in paging.rows]
    return render(
        request,
        "assessment/appeal_list.html",
        {"rows": rows, "paging": paging, "deciding": deciding, "form": DecisionForm()},
    )


@require_POST
@page_for(Page.CASES)
def appeal_decide(request: HttpRequest, appeal_id: int) -> HttpResponse:
    """The legal department decides; the service refuses anyone else (403)."""
    appeal = get_object_or_404(
        _visible_appeals(request.user).select_related("entry__person"), pk=appeal_id
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"第 {appeal.pk} 号申诉 decision：须选择处理结果并写明处理意见")
        return redirect("assessment_appeal_list")
    try:
        services.decide_appeal(
            appeal,
            upheld=form.cleaned_data["upheld"],
            decision=form.cleaned_data["decision"],
            by=request.user,
            at=timezone.now(),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        appeal.refresh_from_db()
        messages.success(request, f"第 {appeal.pk} 号申诉已处理：{appeal.get_status_display()}。")
    return redirect("assessment_appeal_list")


# --- what-if -----------------------------------------------------------------------------------


def _scheme_text(code: str) -> str:
    path = schemes_dir() / f"{code}.yaml"
    return path.read_text(encoding="utf-8") if path.exists() else ""


@page_for(Page.PEOPLE)
def whatif_page(request: HttpRequest) -> HttpResponse:
    """试算: score a period under a draft scheme without writing anything; show who moves."""
    result, errors = None, []
    if request.method == "POST":
        form = WhatIfForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = what_if(form.cleaned_data["draft"], form.cleaned_data["period"])
            except DraftInvalid as exc:
                errors = exc.errors
            except ValidationError as exc:
                errors = exc.messages
    else:
        code = request.GET.get("scheme", DEFAULT_SCHEME)
        form = WhatIfForm(initial={"period": _this_year(), "draft": _scheme_text(code)})
    moves = []
    if result is not None:
        visible = set(
            scope.visible_people(request.user)
            .filter(pk__in=[m.person for m in result.rows])
            .values_list("pk", flat=True)
        )
        groups = _group_labels(result.draft, {m.group for m in result.moves})
        moves = [
            {"move": m, "group": groups.get(m.group, m.group)}
            for m in result.moves
            if m.person in visible
        ]
    return render(
        request,
        "assessment/whatif.html",
        {"form": form, "result": result, "errors": errors, "moves": moves},
    )
