"""Rates and 三清 figures (及时受立案率, 强制措施按期解除率, 超期羁押, 日清零, 月清仓, 季清底, …)
of a unit's subtree over a period, as `patrol.selectors.rates` computes them for the page."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.api.params import date_param
from fazhi.apps.patrol import selectors


class RatioSerializer(serializers.Serializer):
    on_time = serializers.IntegerField(label="按期办结数")
    ended = serializers.IntegerField(label="办结总数")


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField(label="指标")
    label = serializers.CharField(label="名称")
    value = serializers.IntegerField(label="数值")
    percent = serializers.CharField(label="比率（百分数，无分母时为 —）", allow_blank=True)
    ratio = RatioSerializer(allow_null=True, label="比率的分子和分母")
    definition = serializers.CharField(label="口径说明")


class PointCountsSerializer(serializers.Serializer):
    code = serializers.CharField(label="控制点")
    late = serializers.IntegerField(label="逾期履行")
    overdue = serializers.IntegerField(label="超期未办")


class RatesSerializer(serializers.Serializer):
    unit = serializers.CharField(allow_null=True, label="单位（空为可见的全部单位）")
    start = serializers.DateField(label="统计期自")
    end = serializers.DateField(label="统计期至")
    figures = FigureSerializer(many=True, label="指标")
    by_point = PointCountsSerializer(many=True, label="按控制点")


def _figure(figure: selectors.Figure) -> dict:
    ratio = (
        None if figure.ratio is None else dict(zip(("on_time", "ended"), figure.ratio, strict=True))
    )
    return {
        "key": figure.key,
        "label": figure.label,
        "value": figure.value,
        "percent": figure.percent,
        "ratio": ratio,
        "definition": figure.definition,
    }


@extend_schema(
    tags=["风险预警"],
    summary="执法质量指标和三清",
    parameters=[
        OpenApiParameter("unit", str, description="单位编号：该单位及其下级单位（默认可见的全部）"),
        OpenApiParameter("start", OpenApiTypes.DATE, description="统计期自（默认本月 1 日）"),
        OpenApiParameter("end", OpenApiTypes.DATE, description="统计期至（默认今天）"),
    ],
    responses=RatesSerializer,
)
class Rates(APIView):
    def get(self, request: Request) -> Response:
        params = request.query_params
        end = date_param(params, "end") or timezone.localdate()
        start = date_param(params, "start") or end.replace(day=1)
        if start > end:
            raise ValidationError({"start": "统计期起始日不能晚于截止日。"})
        unit = params.get("unit") or None
        result = selectors.rates(request.user, unit, start, end)
        return Response(
            {
                "unit": unit,
                "start": start,
                "end": end,
                "figures": [_figure(f) for f in result.figures],
                "by_point": [vars(p) for p in result.by_point],
            }
        )
