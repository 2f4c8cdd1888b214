"""节假日 and 内部标准: the holiday calendar as the patrol counts it (library plus the bureau's
overrides) and the thresholds of the "立即/及时" points. Every signed-in user reads them; the
legal department changes them through `fazhi.apps.bureau.services` (audited)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fazhi.apps.bureau import services
from fazhi.apps.bureau.models import CompleteYear, HolidayOverride, InternalStandard
from fazhi.apps.bureau.selectors import holiday_calendar
from fazhi.core.catalog import CatalogueInvalid
from fazhi.core.legaltime import LIBRARY_YEARS, DaySource
from fazhi.web import catalogue as catalog
from fazhi.web.access import Page, may_use
from fazhi.web.filters import DateInput

WEEKDAYS = "一二三四五六日"
PLAIN_NAMES = frozenset({"工作日", "休息日"})
SOURCE_LABELS = {
    DaySource.LIBRARY: "节假日库",
    DaySource.BUREAU: "本局",
    DaySource.WEEKENDS_ONLY: "仅按周末（暂定）",
}


class OverrideForm(forms.Form):
    day = forms.DateField(label="日期", widget=DateInput())
    workday = forms.TypedChoiceField(
        label="调整为",
        choices=[("0", "节假日（不上班）"), ("1", "工作日（上班）")],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label="说明", max_length=100, required=False)


class StandardForm(forms.Form):
    hours = forms.IntegerField(
        label="时限（小时）", min_value=1, max_value=services.MAX_STANDARD_HOURS
    )
    note = forms.CharField(label="说明", max_length=200, required=False)


def _year(request: HttpRequest) -> int:
    asked = request.GET.get("year") or request.POST.get("year") or ""
    if asked.isdigit() and 1990 <= int(asked) <= 2100:
        return int(asked)
    return timezone.localdate().year


def _special_days(year: int) -> list[dict[str, Any]]:
    """The year's named days: holidays, 调休 working days, and the bureau's overrides."""
    calendar = holiday_calendar()
    rows = []
    day = date(year, 1, 1)
    while day.year == year:
        c = calendar.day(day)
        if c.name not in PLAIN_NAMES or c.source is DaySource.BUREAU:
            rows.append(
                {
                    "day": day,
                    "weekday": "周" + WEEKDAYS[day.weekday()],
                    "working": c.is_working,
                    "name": c.name,
                    "source": SOURCE_LABELS[c.source],
                }
            )
        day += timedelta(days=1)
    return rows


def _refused(request: HttpRequest, error: Exception) -> None:
    text = error.messages[0] if isinstance(error, ValidationError) else str(error)
    messages.error(request, text or "您没有权限进行此操作。")


def _holidays_post(request: HttpRequest, year: int) -> HttpResponse | OverrideForm:
    action, at = request.POST.get("action"), timezone.now()
    form = OverrideForm(request.POST if action == "set" else None)
    try:
        if action == "set":
            if not form.is_valid():
                return form
            d = form.cleaned_data
            services.set_holiday_override(
                d["day"], workday=d["workday"], note=d["note"], by=request.user, at=at
            )
            messages.success(request, f"已调整 {d['day'].isoformat()}。")
            year = d["day"].year
        elif action == "remove":
            day = date.fromisoformat(request.POST.get("day", ""))
            services.remove_holiday_override(day, by=request.user, at=at)
            messages.success(request, f"已删除 {day.isoformat()} 的调整。")
        elif action in ("complete", "incomplete"):
            services.set_complete_year(
                year,
                complete=action == "complete",
                note="本局录入国务院通知",
                by=request.user,
                at=at,
            )
            messages.success(request, f"已更新 {year} 年的录入状态。")
    except (PermissionDenied, ValidationError) as error:
        _refused(request, error)
    except ValueError:
        messages.error(request, "日期格式无效。")
    return redirect(f"{reverse('holidays')}?year={year}")


@login_required
def holidays(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    may_edit = may_use(request, Page.SETTINGS)
    form = OverrideForm(initial={"day": date(year, 1, 1)})
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("只有法制部门可以修改节假日。")
        outcome = _holidays_post(request, year)
        if isinstance(outcome, HttpResponse):
            return outcome
        form = outcome
    calendar = holiday_calendar()
    context = {
        "year": year,
        "years": [year - 1, year + 1],
        "days": _special_days(year),
        "overrides": HolidayOverride.objects.filter(
            day__gte=date(year, 1, 1), day__lte=date(year, 12, 31)
        ),
        "in_library": year in LIBRARY_YEARS,
        "covered": calendar.covers(year),
        "complete": CompleteYear.objects.filter(year=year).exists(),
        "may_edit": may_edit,
        "form": form,
    }
    return render(request, "fazhi/system/holidays.html", context)


def _row_id(code: str) -> str:
    """Each row's form gets its own field ids, so every label names its own input."""
    return f"id_{code}_%s"


@login_required
def standards(request: HttpRequest) -> HttpResponse:
    may_edit = may_use(request, Page.SETTINGS)
    try:
        points = catalog.internal_standard_points()
    except CatalogueInvalid as error:
        return render(
            request, "fazhi/system/catalogue_broken.html", {"error": str(error)}, status=500
        )
    codes = {p.code for p in points}
    errors: dict[str, StandardForm] = {}
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("只有法制部门可以修改内部标准。")
        code = request.POST.get("code", "")
        if code not in codes:
            messages.error(request, "没有这个“立即/及时”控制点。")
            return redirect("standards")
        try:
            if request.POST.get("action") == "remove":
                services.remove_internal_standard(code, by=request.user, at=timezone.now())
                messages.success(request, f"{code} 已恢复为目录默认时限。")
                return redirect("standards")
            form = StandardForm(request.POST, auto_id=_row_id(code))
            if form.is_valid():
                services.set_internal_standard(
                    code,
                    hours=form.cleaned_data["hours"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                    at=timezone.now(),
                )
                messages.success(request, f"已设定 {code} 的时限。")
                return redirect("standards")
            errors[code] = form
        except (PermissionDenied, ValidationError) as error:
            _refused(request, error)
            return redirect("standards")
    stored = {s.control_point: s for s in InternalStandard.objects.all()}
    rows = []
    for p in points:
        current = stored.get(p.code)
        rows.append(
            {
                "point": p,
                "default": p.period.description if p.period else "",
                "standard": current,
                "form": errors.get(p.code)
                or StandardForm(
                    initial={"hours": current.hours, "note": current.note} if current else None,
                    auto_id=_row_id(p.code),
                ),
            }
        )
    return render(request, "fazhi/system/standards.html", {"rows": rows, "may_edit": may_edit})
