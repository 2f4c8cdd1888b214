"""Warnings (预警): the filtered list, one warning with its duty and history, and the actions
people take on it. Reads go through `scope`/`patrol.selectors`; every action goes through
`patrol.services`, which compares the revision the client saw, records and audits it.

An action answers the warning as it now is; 409 when someone else changed it first (the
client re-reads and decides again), 400 when the action is not allowed in its state or by
this user, with the reason in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.api.pagination import Pages
from fazhi.api.params import choice_param, date_param
from fazhi.apps.accounts import scope
from fazhi.apps.patrol import selectors, services
from fazhi.apps.patrol.models import (
    Finding,
    Level,
    Obligation,
    Warning,
    WarningAction,
    WarningStatus,
)

STATUS_CHOICES = (*WarningStatus.values, selectors.ACTIVE)
SORTS = (*selectors.WARNING_SORTS, *(f"-{key}" for key in selectors.WARNING_SORTS))


class WarningSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", label="单位名称")
    person_name = serializers.CharField(source="person.name", allow_null=True, label="主办民警")
    level_display = serializers.CharField(source="get_level_display", label="风险等级（中文）")
    finding_display = serializers.CharField(source="get_finding_display", label="预警类型（中文）")
    status_display = serializers.CharField(source="get_status_display", label="处理状态（中文）")

    class Meta:
        model = Warning
        fields = [
            "id",
            "case",
            "unit",
            "unit_name",
            "person",
            "person_name",
            "subject_id",
            "control_point",
            "area",
            "level",
            "level_display",
            "finding",
            "finding_display",
            "status",
            "status_display",
            "due_at",
            "at",
            "opened_at",
            "acknowledged_at",
            "settled_at",
            "exception_requested",
            "escalation",
            "escalated_to",
            "revision",
        ]


class ObligationSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", label="状态（中文）")

    class Meta:
        model = Obligation
        fields = [
            "control_point",
            "version",
            "state",
            "state_display",
            "started_at",
            "due_at",
            "ended_at",
            "steps",
            "events",
            "provisional",
        ]


class ActionSerializer(serializers.ModelSerializer):
    action_display = serializers.CharField(source="get_action_display", label="操作（中文）")

    class Meta:
        model = WarningAction
        fields = [
            "at",
            "actor",
            "action",
            "action_display",
            "note",
            "status_before",
            "status_after",
        ]


class WarningDetailSerializer(WarningSerializer):
    obligation = ObligationSerializer(read_only=True, label="法定义务")
    actions = ActionSerializer(many=True, read_only=True, label="处理记录")

    class Meta(WarningSerializer.Meta):
        fields = [*WarningSerializer.Meta.fields, "obligation", "actions"]


WARNING_FILTERS = [
    OpenApiParameter("unit", str, description="单位编号：该单位及其下级单位的预警"),
    OpenApiParameter("control_point", str, description="控制点编号，如 JL-07"),
    OpenApiParameter("area", str, description="领域"),
    OpenApiParameter("level", str, enum=Level.values, description="风险等级"),
    OpenApiParameter("finding", str, enum=Finding.values, description="预警类型"),
    OpenApiParameter(
        "status", str, enum=list(STATUS_CHOICES), description="处理状态；active 即待处理或已签收"
    ),
    OpenApiParameter("handler", str, description="主办民警：人员编号或姓名中的文字"),
    OpenApiParameter("at_from", OpenApiTypes.DATE, description="预警时间点起（含）"),
    OpenApiParameter("at_to", OpenApiTypes.DATE, description="预警时间点止（含）"),
    OpenApiParameter(
        "sort", str, enum=list(SORTS), description="排序列，前加 - 为倒序；默认预警时间点倒序"
    ),
]


def filters_from(params: dict[str, str]) -> selectors.WarningFilters:
    sort = choice_param(params, "sort", SORTS, "排序列")
    order_by = selectors.WarningFilters.order_by
    if sort:
        fields = selectors.WARNING_SORTS[sort.lstrip("-")]
        order_by = tuple(f"-{f}" for f in fields) if sort.startswith("-") else fields
    return selectors.WarningFilters(
        unit=params.get("unit") or None,
        control_point=params.get("control_point") or None,
        area=params.get("area") or None,
        level=choice_param(params, "level", Level.values, "风险等级"),
        finding=choice_param(params, "finding", Finding.values, "预警类型"),
        status=choice_param(params, "status", STATUS_CHOICES, "处理状态"),
        handler=params.get("handler") or None,
        at_from=date_param(params, "at_from"),
        at_to=date_param(params, "at_to"),
        order_by=order_by,
    )


@extend_schema(tags=["风险预警"], summary="预警列表", parameters=WARNING_FILTERS)
class WarningList(generics.ListAPIView):
    serializer_class = WarningSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Warning]:
        return selectors.warning_list(self.request.user, filters_from(self.request.query_params))


def visible_warning(request: Request, pk: int) -> Warning:
    rows = scope.visible_warnings(request.user).select_related("unit", "person", "obligation")
    return get_object_or_404(rows.prefetch_related("actions"), pk=pk)


@extend_schema(
    tags=["风险预警"],
    summary="预警详情（法定义务、计算步骤、处理记录）",
    responses=WarningDetailSerializer,
)
class WarningDetail(APIView):
    def get(self, request: Request, pk: int) -> Response:
        return Response(WarningDetailSerializer(visible_warning(request, pk)).data)


# --- actions --------------------------------------------------------------------------------


class RevisionSerializer(serializers.Serializer):
    revision = serializers.IntegerField(min_value=1, label="客户端看到的版本号（revision）")


class NoteSerializer(RevisionSerializer):
    note = serializers.CharField(max_length=2000, label="备注或意见")


class ReasonSerializer(RevisionSerializer):
    reason = serializers.CharField(max_length=2000, label="核销理由")


class DecisionSerializer(NoteSerializer):
    approve = serializers.BooleanField(label="批准（true）或驳回（false）")


class ProblemSerializer(serializers.Serializer):
    detail = serializers.CharField(label="原因")


Perform = Callable[[Warning, Any, dict[str, Any], datetime], Warning]


def action_view(
    body: type[serializers.Serializer], perform: Perform, summary: str
) -> type[APIView]:
    """A POST endpoint that runs one service on one visible warning."""

    @extend_schema(
        tags=["风险预警"],
        summary=summary,
        request=body,
        responses={
            200: WarningDetailSerializer,
            400: OpenApiResponse(ProblemSerializer, description="该状态下或您无权进行此操作"),
            404: OpenApiResponse(ProblemSerializer, description="预警不存在或不在查看范围内"),
            409: OpenApiResponse(ProblemSerializer, description="预警已被他人更新，请刷新后重试"),
        },
    )
    class Action(APIView):
        def post(self, request: Request, pk: int) -> Response:
            warning = visible_warning(request, pk)
            given = body(data=request.data)
            given.is_valid(raise_exception=True)
            try:
                perform(warning, request.user, given.validated_data, timezone.now())
            except services.StaleWarning:
                return Response(
                    {"detail": services.StaleWarning.message}, status=status.HTTP_409_CONFLICT
                )
            except services.NotAllowed as refused:
                return Response({"detail": refused.message}, status=status.HTTP_400_BAD_REQUEST)
            return Response(WarningDetailSerializer(visible_warning(request, pk)).data)

    return Action


def _acknowledge(warning: Warning, user: Any, given: dict[str, Any], at: datetime) -> Warning:
    return services.acknowledge(warning, user, given["revision"], at)


def _note(warning: Warning, user: Any, given: dict[str, Any], at: datetime) -> Warning:
    return services.add_note(warning, user, given["note"], given["revision"], at)


def _request_exception(warning: Warning, user: Any, given: dict[str, Any], at: datetime) -> Warning:
    return services.request_exception(warning, user, given["reason"], given["revision"], at)


def _decide_exception(warning: Warning, user: Any, given: dict[str, Any], at: datetime) -> Warning:
    approve, note, revision = given["approve"], given["note"], given["revision"]
    return services.decide_exception(warning, user, approve, note, revision, at)


def _resolve(warning: Warning, user: Any, given: dict[str, Any], at: datetime) -> Warning:
    return services.resolve(warning, user, given["note"], given["revision"], at)


Acknowledge = action_view(RevisionSerializer, _acknowledge, "签收")
Note = action_view(NoteSerializer, _note, "备注")
RequestException = action_view(ReasonSerializer, _request_exception, "申请核销")
DecideException = action_view(DecisionSerializer, _decide_exception, "审批核销（批准或驳回）")
Resolve = action_view(NoteSerializer, _resolve, "整改完成")
