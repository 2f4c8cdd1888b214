"""Who the caller is: what a machine client checks first with a new token."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.apps.accounts.models import Grant


class GrantSerializer(serializers.Serializer):
    role = serializers.CharField(label="角色")
    role_display = serializers.CharField(label="角色（中文）")
    unit = serializers.CharField(label="单位编号")
    unit_name = serializers.CharField(label="单位名称")


class MeSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名")
    grants = GrantSerializer(many=True, label="授权")


@extend_schema(tags=["账号"], summary="当前用户及其授权", responses=MeSerializer)
class Me(APIView):
    def get(self, request: Request) -> Response:
        grants = Grant.objects.filter(user_id=request.user.pk).select_related("unit")
        return Response(
            {
                "username": request.user.get_username(),
                "grants": [
                    {
                        "role": g.role,
                        "role_display": g.get_role_display(),
                        "unit": g.unit_id,
                        "unit_name": g.unit.name,
                    }
                    for g in grants.order_by("role", "unit_id")
                ],
            }
        )
