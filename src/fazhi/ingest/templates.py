"""Empty import templates: one sheet (or CSV file) per record type, with Chinese column notes.

A header cell reads `field（说明）`; the importer takes the field name before the bracket, so a
filled-in template imports as it is.
"""

from __future__ import annotations

import csv
from pathlib import Path

from fazhi.core.records import RECORD_TYPE_NAMES_ZH, RECORD_TYPES
from fazhi.ingest.sources import INSTRUCTIONS_SHEET
from fazhi.ingest.validate import FIELDS

_TIME = "时间，如 2026-03-01T10:00:00+08:00"
NOTES: dict[str, dict[str, str]] = {
    "unit": {
        "id": "单位编号，必填",
        "name": "单位名称，必填",
        "kind": "类型，必填：bureau/sub_bureau/station/brigade/squad/office/legal_dept/inspection_dept/other",
        "parent": "上级单位编号",
        "code": "机构代码",
    },
    "person": {
        "id": "人员编号，必填",
        "name": "姓名，必填",
        "unit": "所在单位编号，必填",
        "roles": '角色列表 JSON，如 ["officer","legal_officer"]',
        "sequence": "序列：middle_manager/station_officer/brigade_officer/traffic_officer",
        "qualification": "执法资格：none/basic/intermediate/advanced",
    },
    "grid": {
        "id": "网格编号，必填",
        "name": "网格名称，必填",
        "level": "层级 1-4，必填",
        "unit": "所属派出所编号，必填",
        "parent": "上级网格编号（二至四级必填）",
        "officers": "社区民警编号列表 JSON",
    },
    "alarm": {
        "id": "警情编号，必填",
        "unit": "接警单位编号，必填",
        "at": f"接警{_TIME}，必填",
        "nature": "性质，必填：criminal/administrative/dispute/help/traffic/other",
        "case": "关联案件编号",
        "summary": "简要警情",
    },
    "case": {
        "id": "案件编号，必填",
        "kind": "案件类别，必填：criminal/administrative",
        "unit": "办案单位编号，必填",
        "opened_at": f"受案{_TIME}，必填",
        "category": "案由，如 theft/fraud/public_order",
        "title": "案件名称",
        "handlers": '承办人 JSON，如 [{"person":"P-1","role":"lead"}]',
        "flags": "案件标记列表 JSON",
        "act_date": "行为发生日 YYYY-MM-DD",
        "act_end_date": "行为终了日 YYYY-MM-DD",
    },
    "subject": {
        "id": "涉案人员编号，必填",
        "case": "案件编号，必填",
        "name": "姓名",
        "birth_date": "出生日期 YYYY-MM-DD",
        "gender": "性别：male/female/unknown",
        "id_number": "身份证号码",
        "flags": "标记列表 JSON",
    },
    "event": {
        "id": "事件编号，必填",
        "case": "案件编号，必填",
        "kind": "事件类型，必填，见 CEIF 事件类型表",
        "at": f"{_TIME}，必填",
        "subject": "涉案人员编号（对人的措施必填）",
        "end": f"结束{_TIME}",
        "officers": "在场民警编号列表 JSON",
        "attrs": '属性 JSON，如 {"recorded":true}',
    },
}


def header(rtype: str) -> list[str]:
    return [f"{name}（{NOTES[rtype][name]}）" for name in FIELDS[rtype]]


def write_templates(kind: str, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    if kind == "csv":
        paths = []
        for rtype in RECORD_TYPES:
            path = out / f"{rtype}.csv"
            with path.open("w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel reads UTF-8
                csv.writer(fh).writerow(header(rtype))
            paths.append(path)
        return paths
    return [_write_xlsx(out / "fazhi-import-template.xlsx")]


def _write_xlsx(path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    guide = workbook.active
    guide.title = INSTRUCTIONS_SHEET
    guide.append(["工作表", "字段", "说明"])
    for rtype in RECORD_TYPES:
        sheet = workbook.create_sheet(RECORD_TYPE_NAMES_ZH[rtype])
        sheet.append(header(rtype))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            sheet.column_dimensions[cell.column_letter].width = 24
        for name in FIELDS[rtype]:
            guide.append([RECORD_TYPE_NAMES_ZH[rtype], name, NOTES[rtype][name]])
    guide.append([])
    guide.append(
        [
            "",
            "",
            "列表和对象字段（roles、flags、handlers、officers、attrs）填写 JSON 文本；空单元格表示不填。",
        ]
    )
    workbook.save(path)
    return path
