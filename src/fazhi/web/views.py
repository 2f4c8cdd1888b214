"""The first pages: sign-in and an overview of what the store holds."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from fazhi.apps.cases.models import Alarm, Case, Event, Subject
from fazhi.apps.imports.models import ImportBatch
from fazhi.apps.org.models import Grid, Person, Unit


@login_required
def home(request: HttpRequest) -> HttpResponse:
    counts = [
        ("单位", Unit.objects.count()),
        ("人员", Person.objects.count()),
        ("网格", Grid.objects.count()),
        ("警情", Alarm.objects.count()),
        ("案件", Case.objects.count()),
        ("涉案人员", Subject.objects.count()),
        ("办案事件", Event.objects.count()),
    ]
    batches = ImportBatch.objects.all()[:10]
    return render(request, "fazhi/home.html", {"counts": counts, "batches": batches})


def health(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})
