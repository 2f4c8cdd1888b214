"""Cases: a filtered, paged list and one case with its handlers, subjects and events.
Everything is read through `scope`; a case out of scope answers 404 as if it did not exist."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics

from fazhi.api.pagination import Pages
from fazhi.api.params import choice_param, date_param
from fazhi.api.serializers import CaseDetailSerializer, CaseListSerializer
from fazhi.apps.accounts import personal_data, scope
from fazhi.apps.cases.models import Case, CaseHandler, Event
from fazhi.apps.org.selectors import subtree
from fazhi.core import ceif


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


CASE_FILTERS = [
    OpenApiParameter("unit", str, description="单位编号：该单位及其下级单位的案件"),
    OpenApiParameter("kind", str, enum=list(ceif.CASE_KINDS), description="案件类别"),
    OpenApiParameter("handler", str, description="承办人员编号"),
    OpenApiParameter("opened_from", OpenApiTypes.DATE, description="受案日期起（含）"),
    OpenApiParameter("opened_to", OpenApiTypes.DATE, description="受案日期止（含）"),
    OpenApiParameter("q", str, description="案件编号或名称包含的文字"),
]


@extend_schema(tags=["案件"], summary="案件列表", parameters=CASE_FILTERS)
class CaseList(generics.ListAPIView):
    serializer_class = CaseListSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Case]:
        cases = scope.visible_cases(self.request.user).select_related("unit")
        params = self.request.query_params
        if unit := params.get("unit"):
            cases = cases.filter(unit__in=subtree(unit))
        if kind := choice_param(params, "kind", ceif.CASE_KINDS, "案件类别"):
            cases = cases.filter(kind=kind)
        if handler := params.get("handler"):
            handled = CaseHandler.objects.filter(person_id=handler).values("case_id")
            cases = cases.filter(pk__in=handled)
        if opened_from := date_param(params, "opened_from"):
            cases = cases.filter(opened_at__gte=_day_start(opened_from))
        if opened_to := date_param(params, "opened_to"):
            cases = cases.filter(opened_at__lt=_day_start(opened_to + timedelta(days=1)))
        if q := params.get("q"):
            cases = cases.filter(Q(id__icontains=q) | Q(title__icontains=q))
        return cases.order_by("-opened_at", "id")


@extend_schema(tags=["案件"], summary="案件详情（承办人、涉案人员、办案事件）")
class CaseDetail(generics.RetrieveAPIView):
    serializer_class = CaseDetailSerializer
    lookup_url_kwarg = "case_id"

    def get_queryset(self) -> QuerySet[Case]:
        return (
            scope.visible_cases(self.request.user)
            .select_related("unit")
            .prefetch_related(
                Prefetch(
                    "handlers",
                    CaseHandler.objects.select_related("person").order_by("position"),
                ),
                "subjects",
                Prefetch("events", Event.objects.order_by("at", "id")),
            )
        )

    def get_serializer_context(self) -> dict:
        return {
            **super().get_serializer_context(),
            "shown": personal_data.sees_personal_data(self.request.user, self.kwargs["case_id"]),
        }
