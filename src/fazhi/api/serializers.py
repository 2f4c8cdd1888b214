"""What the API returns. Field labels are the models' Chinese verbose names, which the OpenAPI
schema carries as titles."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from fazhi.apps.accounts import personal_data
from fazhi.apps.cases.models import Case, CaseHandler, Event, Subject


class CaseListSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", label="案件类别（中文）")
    unit_name = serializers.CharField(source="unit.name", label="办案单位名称")

    class Meta:
        model = Case
        fields = [
            "id",
            "kind",
            "kind_display",
            "unit",
            "unit_name",
            "opened_at",
            "category",
            "title",
            "flags",
        ]


class HandlerSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person_id", label="人员编号")
    name = serializers.CharField(source="person.name", label="姓名")
    role_display = serializers.CharField(source="get_role_display", label="承办角色（中文）")

    class Meta:
        model = CaseHandler
        fields = ["person", "name", "role", "role_display", "position"]


class SubjectSerializer(serializers.ModelSerializer):
    """Name, id number and birth date are masked unless the context's `shown` says otherwise
    (the policy of `personal_data`)."""

    birth_date = serializers.CharField(allow_null=True, label="出生日期（遮蔽时只留年份）")
    masked = serializers.BooleanField(label="个人信息已遮蔽", read_only=True)

    class Meta:
        model = Subject
        fields = ["id", "name", "gender", "birth_date", "id_number", "flags", "masked"]

    def to_representation(self, subject: Subject) -> dict[str, Any]:
        data = personal_data.subject_data(subject, shown=self.context.get("shown", False))
        return {
            "id": data.id,
            "name": data.name,
            "gender": subject.gender,
            "birth_date": data.birth_date,
            "id_number": data.id_number,
            "flags": subject.flags,
            "masked": data.masked,
        }


class EventSerializer(serializers.ModelSerializer):
    subject = serializers.CharField(source="subject_id", allow_null=True, label="涉案人员编号")

    class Meta:
        model = Event
        fields = ["id", "kind", "at", "end", "subject", "officers", "attrs"]


class CaseDetailSerializer(CaseListSerializer):
    handlers = HandlerSerializer(many=True, read_only=True)
    subjects = SubjectSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "act_date",
            "act_end_date",
            "handlers",
            "subjects",
            "events",
        ]


class ImportProblemSerializer(serializers.Serializer):
    file = serializers.CharField(label="文件")
    line = serializers.IntegerField(allow_null=True, label="行号")
    type = serializers.CharField(allow_null=True, label="记录类型")
    id = serializers.CharField(allow_null=True, label="记录编号")
    field = serializers.CharField(allow_null=True, label="字段")
    reason = serializers.CharField(label="原因")


class ImportOutcomeSerializer(serializers.Serializer):
    """The same JSON as `fazhi import --format json`."""

    new = serializers.IntegerField(label="新增")
    updated = serializers.IntegerField(label="更新")
    unchanged = serializers.IntegerField(label="未变")
    rejected = ImportProblemSerializer(many=True, label="拒收")


class UnreadableSerializer(serializers.Serializer):
    error = serializers.CharField(label="错误")
    file = serializers.CharField(label="文件")
    reason = serializers.CharField(label="原因")
