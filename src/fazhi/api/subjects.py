"""Revealing one subject's masked personal data, on the record (an audit entry per reveal)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.api.serializers import SubjectSerializer
from fazhi.apps.accounts import personal_data, scope
from fazhi.apps.cases.models import Subject


@extend_schema(
    tags=["案件"],
    summary="查看一名涉案人员的完整个人信息（记入审计日志）",
    request=None,
    responses=SubjectSerializer,
)
class SubjectReveal(APIView):
    def post(self, request: Request, subject_id: str) -> Response:
        subject = scope.get_visible_or_404(Subject, request.user, pk=subject_id)
        personal_data.reveal(request.user, subject, at=timezone.now())
        return Response(SubjectSerializer(subject, context={"shown": True}).data)
