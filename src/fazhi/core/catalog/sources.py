"""The law texts a control point may cite: short name, file in `shared/law/`, dates in force.

The short names are those of `shared/control-points.md` §1. A point citing a text cannot be in
force before that text (nor after it was replaced, for the 2012 治安管理处罚法).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType


@dataclass(frozen=True)
class Source:
    short_name: str
    title: str
    file: str
    valid_from: date
    valid_to: date | None = None


def _table(*sources: Source) -> Mapping[str, Source]:
    return MappingProxyType({s.short_name: s for s in sources})


SOURCES: Mapping[str, Source] = _table(
    Source(
        "刑诉法", "中华人民共和国刑事诉讼法", "criminal-procedure-law-2018.md", date(2018, 10, 26)
    ),
    Source(
        "公安刑事规定",
        "公安机关办理刑事案件程序规定",
        "ps-criminal-case-procedure-rules-2020.md",
        date(2020, 9, 1),
    ),
    Source(
        "公安行政规定",
        "公安机关办理行政案件程序规定",
        "ps-administrative-case-procedure-rules-2020.md",
        date(2020, 8, 6),
    ),
    Source(
        "治安法2025",
        "中华人民共和国治安管理处罚法（2025修订）",
        "public-security-administration-punishments-law-2025.md",
        date(2026, 1, 1),
    ),
    Source(
        "治安法2012",
        "中华人民共和国治安管理处罚法（2012修正）",
        "public-security-administration-punishments-law-2012.md",
        date(2013, 1, 1),
        date(2025, 12, 31),
    ),
    Source(
        "行政处罚法",
        "中华人民共和国行政处罚法",
        "administrative-penalty-law-2021.md",
        date(2021, 7, 15),
    ),
    Source(
        "行政强制法",
        "中华人民共和国行政强制法",
        "administrative-compulsion-law-2011.md",
        date(2012, 1, 1),
    ),
    Source(
        "检察规则",
        "人民检察院刑事诉讼规则",
        "procuratorate-criminal-procedure-rules-2019-excerpts.md",
        date(2019, 12, 30),
    ),
    Source(
        "高法解释",
        "最高人民法院关于适用《中华人民共和国刑事诉讼法》的解释",
        "spc-criminal-procedure-interpretation-2021-periods-excerpt.md",
        date(2021, 3, 1),
    ),
    Source("取保规定", "关于取保候审若干问题的规定", "bail-rules-2022.md", date(2022, 9, 5)),
    Source(
        "受案立案意见",
        "公安部关于改革完善受案立案制度的意见",
        "mps-case-intake-filing-reform-opinion-2015.md",
        date(2015, 11, 1),  # 2015年11月印发; the file gives no day
    ),
    Source(
        "继续盘问规定",
        "公安机关适用继续盘问规定",
        "ps-continued-questioning-rules-2004.md",
        date(2004, 10, 1),
    ),
)
