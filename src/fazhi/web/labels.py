"""Chinese words for what CEIF spells in English and `fazhi.core.ceif` does not label: event
attributes and their coded values, and case categories. Display only; values stay CEIF's."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from fazhi.core import ceif

ATTR_LABELS: Mapping[str, str] = {
    "limit_days": "期限（日）",
    "to": "移送至",
    "reason": "原因",
    "of": "复议/复核事项",
    "extended": "经批准延长",
    "for": "通知事由",
    "designated_place": "指定居所",
    "months": "延长（月）",
    "discovered_on": "发现日期",
    "psychiatric": "精神病鉴定",
    "notified": "已告知当事人",
    "property_list": "随案移送财物清单",
    "recorded": "全程录音录像",
    "guardian_present": "法定代理人在场",
    "location": "地点",
    "in_case_area": "在执法办案区",
    "may_detain": "可能适用行政拘留",
    "many_or_unidentified": "人数众多或身份不明",
    "extended_to_hours": "延长至（小时）",
    "succeeded": "调解成功",
    "days": "天数",
    "detention_days": "拘留（日）",
    "fine": "罚款（元）",
    "on_the_spot": "当场处罚",
    "present": "当事人在场",
    "decided_by": "决定机关",
    "items": "财物件数",
    "list_issued": "已开具清单",
}

# Coded values of enum attributes, by attribute name.
VALUE_LABELS: Mapping[str, Mapping[Any, str]] = {
    "reason": {
        "revoked": "撤销案件",
        "terminated": "终止侦查",
        "decided": "作出处理决定",
        "other": "其他",
    },
    "location": {
        "case_area": "执法办案区",
        "detention_center": "看守所",
        "residence": "住处",
        "scene": "现场",
        "other": "其他",
    },
    "for": {
        "criminal_detention": "刑事拘留",
        "arrest": "逮捕",
        "residential_surveillance": "监视居住",
        "admin_detention": "行政拘留",
        "admin_summons": "行政传唤",
        "continued_questioning": "继续盘问",
    },
}

CATEGORY_LABELS: Mapping[str, str] = {
    "theft": "盗窃",
    "fraud": "诈骗",
    "assault": "伤害/殴打他人",
    "robbery": "抢劫",
    "drug_trafficking": "贩卖毒品",
    "gambling": "赌博/开设赌场",
    "public_order": "扰乱公共秩序",
    "traffic": "交通",
    "intentional_homicide": "故意杀人",
    "prostitution": "卖淫嫖娼",
    "drug_control": "吸毒",
    "exit_entry": "出入境管理",
    "fire_control": "消防管理",
    "other_admin": "其他行政管理",
    "other": "其他",
}


def category_label(code: str | None) -> str:
    if not code:
        return ""
    return CATEGORY_LABELS.get(code, code)


def event_kind_label(kind: str) -> str:
    spec = ceif.EVENT_KINDS.get(kind)
    if spec is not None:
        return spec.name_zh
    if kind.startswith(ceif.EXTENSION_KIND_PREFIX):
        return f"{kind}（本局扩展）"
    return kind


def attr_label(name: str) -> str:
    if name in ATTR_LABELS:
        return ATTR_LABELS[name]
    if name.startswith(ceif.EXTENSION_KIND_PREFIX):
        return f"{name}（本局扩展）"
    return name


def attr_value(name: str, value: Any, unit_names: Mapping[str, str]) -> str:
    """One attribute value in words: 是/否, a coded value's label, a unit's name."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None:
        return "—"
    labels = VALUE_LABELS.get(name)
    if labels is not None and value in labels:
        return labels[value]
    if name == "decided_by" and isinstance(value, str):
        return unit_names.get(value, value)
    if isinstance(value, float | Decimal) and value == int(value):
        return str(int(value))
    if isinstance(value, list | dict):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def unit_attr_values(attrs: Mapping[str, Any] | None) -> set[str]:
    """Unit ids named in an event's attributes (to fetch their names in one query)."""
    return {v for k, v in (attrs or {}).items() if k == "decided_by" and isinstance(v, str)}
