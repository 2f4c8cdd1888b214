"""The CEIF v1 vocabulary as data: record types, enumerations and event kinds.

CEIF (shared/interchange/CEIF.md) is a contract with outside systems, so every name here is
spelled exactly as the spec spells it. Fazhi's own extension, the `grid` record type, is marked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

UNIT_KINDS: Final = {
    "bureau": "市/县公安局",
    "sub_bureau": "分局/县局",
    "station": "派出所",
    "brigade": "大队",
    "squad": "中队",
    "office": "警务室",
    "legal_dept": "法制部门",
    "inspection_dept": "督察部门",
    "other": "其他",
}
PERSON_ROLES: Final = {
    "officer": "民警",
    "auxiliary": "辅警",
    "legal_officer": "法制员",
    "station_head": "所长",
    "deputy_head": "副所长",
    "brigade_head": "大队长",
    "squad_head": "中队长",
    "community_officer": "社区民警",
    "bureau_leader": "局领导",
}
SEQUENCES: Final = {
    "middle_manager": "中层干部",
    "station_officer": "派出所民警",
    "brigade_officer": "业务大队民警",
    "traffic_officer": "交警大队民警",
}
QUALIFICATIONS: Final = {
    "none": "无",
    "basic": "基本级",
    "intermediate": "中级",
    "advanced": "高级",
}
ALARM_NATURES: Final = {
    "criminal": "刑事",
    "administrative": "行政",
    "dispute": "纠纷",
    "help": "求助",
    "traffic": "交通",
    "other": "其他",
}
CASE_KINDS: Final = {"criminal": "刑事案件", "administrative": "行政案件"}
HANDLER_ROLES: Final = {"lead": "主办", "assist": "协办"}
CASE_FLAGS: Final = {
    "roving": "流窜作案",
    "repeated": "多次作案",
    "gang": "结伙作案",
    "major_complex": "重大复杂",
    "fast_track": "快速办理",
    "complainant": "有控告人",
    "victim": "有被侵害人",
    "from_admin_agency": "行政执法机关移送",
    "procuratorate_notice": "检察院通知立案",
}
SUBJECT_FLAGS: Final = {
    "deaf_mute": "聋哑",
    "needs_interpreter": "不通晓当地语言",
    "deputy": "县级以上人大代表",
    "foreigner": "外国籍",
    "pregnant_or_nursing": "怀孕或哺乳不满一周岁婴儿",
    "identity_unknown": "身份不明",
    "first_offence": "初次违法",
}
GENDERS: Final = {"male": "男", "female": "女", "unknown": "未知"}

# Administrative categories other than public order (治安); anything else is a 治安案件.
NON_PUBLIC_ORDER_ADMIN_CATEGORIES: Final = frozenset(
    {"exit_entry", "drug_control", "fire_control", "traffic", "other_admin"}
)
GRID_LEVELS: Final = {
    1: "一级网格（乡镇街道）",
    2: "二级网格（社区村）",
    3: "三级网格（警务区）",
    4: "四级网格（小区楼院）",
}


@dataclass(frozen=True, slots=True)
class AttrSpec:
    """One attribute of an event's `attrs`: its type and, where the law fixes them, its values."""

    type: str  # bool | int | number | str | date | enum | unit
    required: bool = False
    choices: tuple[object, ...] = ()
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True, slots=True)
class EventKind:
    name_zh: str
    has_end: bool = False
    needs_subject: bool = False
    attrs: dict[str, AttrSpec] = field(default_factory=dict)


_NOTIFIED_FOR = (
    "criminal_detention",
    "arrest",
    "residential_surveillance",
    "admin_detention",
    "admin_summons",
    "continued_questioning",
)
_BOOL = AttrSpec("bool")


def _kind(
    name_zh: str, *, end: bool = False, subject: bool = False, **attrs: AttrSpec
) -> EventKind:
    return EventKind(name_zh, has_end=end, needs_subject=subject, attrs=attrs)


EVENT_KINDS: Final[dict[str, EventKind]] = {
    "intake": _kind("受案"),
    "filing_review_extended": _kind(
        "立案审查期限延长", limit_days=AttrSpec("enum", required=True, choices=(7, 30))
    ),
    "filed": _kind("立案"),
    "not_filed": _kind("不予立案"),
    "transferred": _kind("移送管辖/移交其他机关", to=AttrSpec("str")),
    "closed": _kind(
        "结案/撤销案件/终止侦查",
        reason=AttrSpec("enum", choices=("revoked", "terminated", "decided", "other")),
    ),
    "not_filed_notice_served": _kind("不予立案通知书送达控告人"),
    "reconsideration_requested": _kind("申请复议/复核", of=AttrSpec("str")),
    "reconsideration_decided": _kind("复议/复核决定"),
    "procuratorate_query": _kind("检察院要求说明不立案理由"),
    "procuratorate_query_answered": _kind("书面说明不立案理由"),
    "summons": _kind("传唤", end=True, subject=True, extended=_BOOL),
    "compelled_appearance": _kind("拘传", end=True, subject=True, extended=_BOOL),
    "criminal_detention": _kind("刑事拘留", subject=True),
    "custody_delivered": _kind("送看守所羁押", subject=True),
    "family_notified": _kind(
        "通知家属", subject=True, **{"for": AttrSpec("enum", required=True, choices=_NOTIFIED_FOR)}
    ),
    "notification_impossible": _kind(
        "无法通知/有碍侦查",
        subject=True,
        reason=AttrSpec("str", required=True),
        **{"for": AttrSpec("enum", required=True, choices=_NOTIFIED_FOR)},
    ),
    "arrest_request_extended": _kind(
        "提请批准逮捕期限延长",
        subject=True,
        limit_days=AttrSpec("enum", required=True, choices=(4, 5, 6, 7, 30)),
    ),
    "arrest_requested": _kind("提请批准逮捕", subject=True),
    "arrest_approved": _kind("批准逮捕", subject=True),
    "arrest_denied": _kind("不批准逮捕", subject=True),
    "arrest_executed": _kind("执行逮捕", subject=True),
    "released": _kind("释放", subject=True),
    "bail": _kind("取保候审", subject=True),
    "bail_lifted": _kind("解除取保候审", subject=True),
    "residential_surveillance": _kind("监视居住", subject=True, designated_place=_BOOL),
    "residential_surveillance_lifted": _kind("解除监视居住", subject=True),
    "custody_extension_requested": _kind("提请延长侦查羁押期限", subject=True),
    "custody_extended": _kind(
        "延长侦查羁押期限", subject=True, months=AttrSpec("enum", required=True, choices=(1, 2))
    ),
    "custody_recalculated": _kind(
        "重新计算侦查羁押期限", subject=True, discovered_on=AttrSpec("date", required=True)
    ),
    "identity_established": _kind("查清身份", subject=True),
    "appraisal": _kind("鉴定", end=True, psychiatric=_BOOL),
    "rights_advised": _kind("告知诉讼权利"),
    "legal_aid_notified": _kind("通知法律援助机构指派律师"),
    "measure_change_requested": _kind("申请变更强制措施"),
    "measure_change_decided": _kind("变更强制措施申请的决定"),
    "transferred_for_prosecution": _kind("移送审查起诉", notified=_BOOL, property_list=_BOOL),
    "returned_for_supplementary_investigation": _kind("退回补充侦查"),
    "supplementary_investigation_completed": _kind("补充侦查完毕"),
    "interrogation": _kind(
        "讯问",
        end=True,
        subject=True,
        recorded=_BOOL,
        guardian_present=_BOOL,
        location=AttrSpec(
            "enum", choices=("case_area", "detention_center", "residence", "scene", "other")
        ),
    ),
    "inquiry": _kind("询问", end=True, recorded=_BOOL, guardian_present=_BOOL, in_case_area=_BOOL),
    "admin_summons": _kind(
        "传唤（行政）",
        end=True,
        subject=True,
        may_detain=_BOOL,
        many_or_unidentified=_BOOL,
        recorded=_BOOL,
        in_case_area=_BOOL,
    ),
    "continued_questioning": _kind(
        "继续盘问", end=True, subject=True, extended_to_hours=AttrSpec("enum", choices=(24, 48))
    ),
    "pre_penalty_notice": _kind("处罚前告知"),
    "hearing_rights_notified": _kind("告知听证权利"),
    "hearing": _kind("听证", end=True),
    "legal_review_passed": _kind("法制审核通过"),
    "mediation": _kind("治安调解", succeeded=_BOOL),
    "admin_case_extended": _kind(
        "行政案件办案期限延长", days=AttrSpec("int", required=True, minimum=1)
    ),
    "penalty_decided": _kind(
        "行政处罚决定",
        detention_days=AttrSpec("int", minimum=0, maximum=60),
        fine=AttrSpec("number", minimum=0),
        on_the_spot=_BOOL,
        present=_BOOL,
        decided_by=AttrSpec("unit"),
    ),
    "decision_served": _kind("处罚决定书送达"),
    "admin_detention_executed": _kind("行政拘留送达执行", subject=True),
    "property_seized": _kind(
        "扣押/查封涉案财物", items=AttrSpec("int", minimum=0), list_issued=_BOOL
    ),
    "property_stored": _kind("移交涉案财物管理中心"),
    "property_returned": _kind("返还/处置涉案财物"),
    "property_found_unrelated": _kind("查明财物与案件无关"),
    "property_seizure_extended": _kind(
        "扣押期限延长", days=AttrSpec("int", required=True, minimum=1)
    ),
    "lawyer_meeting_requested": _kind("律师提出会见"),
    "lawyer_meeting_arranged": _kind("安排律师会见"),
}

EXTENSION_KIND_PREFIX: Final = "x_"


def choices(mapping: dict[str, str]) -> list[tuple[str, str]]:
    """An enumeration as Django field choices: (CEIF value, Chinese label)."""
    return list(mapping.items())
