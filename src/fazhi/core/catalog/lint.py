"""Catalogue-wide checks: what no single file can know on its own.

`lint_catalogue` returns the loader's errors plus these, all at once, sorted by place:
- codes: one entry per code, or several versions with distinct names and in-force ranges that
  do not overlap (the 2012 / 2025 治安管理处罚法 versions are separate files `CODE@2012.yaml`);
- basis: a known source short name, the file that source lives in, the article present in that
  file, and the quote found verbatim (whitespace-normalised) in that article's text; the point
  not in force before (or after) the texts it cites;
- examples: every point has them — a must-fire and a must-not-fire case, except `needs_data`
  points, which need at least one; states fit the kind (time findings for deadlines and
  duration limits, `violated` for the rest); every example starts while the point is in force;
- data: a point that starts with, or can only be met by, bureau `x_` events says which data
  CEIF lacks (`needs_data`) or which CEIF record the event is derived from.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from fazhi.core.catalog.load import CatalogError, read_catalogue
from fazhi.core.catalog.model import Catalogue, ControlPoint, PointKind, State
from fazhi.core.catalog.sources import SOURCES

_TIMED_STATES = frozenset({State.DUE_SOON, State.OVERDUE, State.LATE})
_ARTICLE_HEAD = re.compile(r"^第([零〇一二三四五六七八九十百千]+)条", re.MULTILINE)
_DIGITS = "零一二三四五六七八九"
_WS = re.compile(r"\s+")


def default_law_dir(repo_root: Path) -> Path:
    """Where the shared law texts live beside a checkout: `<repo>/../shared/law`."""
    return repo_root.parent / "shared" / "law"


def lint_catalogue(root: Path, law_dir: Path) -> list[CatalogError]:
    """Every error of the catalogue under `root`, checked against the law texts in `law_dir`."""
    catalogue, errors = read_catalogue(root)
    errors.extend(_check_codes(catalogue))
    for point in catalogue.points:
        errors.extend(_check_basis(point, law_dir))
        errors.extend(_check_examples(point))
        errors.extend(_check_escalation(point))
        errors.extend(_check_data_claim(point))
    return sorted(errors)


def _check_data_claim(point: ControlPoint) -> list[CatalogError]:
    """A point whose start, or every way of meeting it, is a bureau `x_` event cannot be judged
    from CEIF alone: it must say so (`needs_data`), or name the CEIF record the patrol derives
    the event from (`params.derived_from`, e.g. LA-02's alarm time)."""
    prefix = "x_"
    relies = (point.starts_at is not None and point.starts_at.kind.startswith(prefix)) or (
        bool(point.met_by) and all(m.kind.startswith(prefix) for m in point.met_by)
    )
    if relies and point.needs_data is None and "derived_from" not in point.params:
        return [
            CatalogError(
                point.path,
                1,
                "needs_data：依赖 x_ 扩展事件的控制点须说明所缺数据或 params.derived_from",
            )
        ]
    return []


def _check_codes(catalogue: Catalogue) -> list[CatalogError]:
    errors = []
    by_code: dict[str, list[ControlPoint]] = defaultdict(list)
    for point in catalogue.points:
        by_code[point.code].append(point)
    for code, points in by_code.items():
        if len(points) == 1:
            continue
        keys = [p.key for p in points]
        for point in points:
            if keys.count(point.key) > 1:
                errors.append(
                    CatalogError(
                        point.path, 1, f"编号 {code} 重复：同一编号的多个条目须各有不同的 version"
                    )
                )
        for i, first in enumerate(points):
            for second in points[i + 1 :]:
                if first.in_force.overlaps(second.in_force) and not _disjoint(first, second):
                    errors.append(
                        CatalogError(
                            second.path,
                            1,
                            f"编号 {code} 的版本 {first.key} 与 {second.key} 施行期间重叠",
                        )
                    )
    return errors


def _disjoint(first: ControlPoint, second: ControlPoint) -> bool:
    """Two versions in force together are allowed only when no case can meet both: one for
    治安案件 (`public_order: true`), the other for the other administrative fields."""
    a, b = first.applies_to.public_order, second.applies_to.public_order
    return a is not None and b is not None and a != b


def _normalise(text: str) -> str:
    return _WS.sub("", text)


def chinese_numeral(number: int) -> str:
    """Article numbers as written in the texts: 91 → 九十一, 105 → 一百零五, 10 → 十."""
    if not 0 < number < 1000:
        raise ValueError(f"article number out of range: {number}")
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    parts = []
    if hundreds:
        parts.append(_DIGITS[hundreds] + "百")
        if tens == 0 and units:
            parts.append("零")
    if tens:
        parts.append(("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十")
    if units:
        parts.append(_DIGITS[units])
    return "".join(parts)


@cache
def _law_text(path: Path) -> tuple[str, Mapping[str, str]]:
    """The normalised whole text of a law file and its articles by numeral (第X条 → text)."""
    raw = path.read_text(encoding="utf-8")
    heads = list(_ARTICLE_HEAD.finditer(raw))
    articles: dict[str, str] = {}
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(raw)
        articles.setdefault(head.group(1), "")
        articles[head.group(1)] += _normalise(raw[head.start() : end])
    return _normalise(raw), articles


def _check_basis(point: ControlPoint, law_dir: Path) -> list[CatalogError]:
    errors = []
    for basis in point.basis:
        source = SOURCES.get(basis.source)
        if source is None:
            known = "、".join(SOURCES)
            errors.append(
                CatalogError(
                    point.path, basis.line, f"basis：未知法源 {basis.source!r}（可用：{known}）"
                )
            )
            continue
        if basis.file != source.file:
            errors.append(
                CatalogError(
                    point.path,
                    basis.line,
                    f"basis：{basis.source} 的文件应为 {source.file}，不是 {basis.file}",
                )
            )
            continue
        if point.in_force.valid_from < source.valid_from:
            errors.append(
                CatalogError(
                    point.path,
                    basis.line,
                    f"in_force：{basis.source} 自 {source.valid_from} 施行，控制点不能早于此日生效",
                )
            )
        if source.valid_to and (
            point.in_force.valid_to is None or point.in_force.valid_to > source.valid_to
        ):
            errors.append(
                CatalogError(
                    point.path,
                    basis.line,
                    f"in_force：{basis.source} 适用至 {source.valid_to}，控制点须在此日前失效（to）",
                )
            )
        law_path = law_dir / source.file
        if not law_path.is_file():
            errors.append(CatalogError(point.path, basis.line, f"basis：找不到法律文本 {law_path}"))
            continue
        whole, articles = _law_text(law_path)
        quote = _normalise(basis.quote)
        number = re.match(r"^(\d+)", basis.article)
        if number and articles:
            numeral = chinese_numeral(int(number.group(1)))
            if numeral not in articles:
                errors.append(
                    CatalogError(point.path, basis.line, f"basis：{basis.source} 没有第{numeral}条")
                )
            elif quote not in articles[numeral]:
                where = "在该法其他条文中" if quote in whole else "在该法中找不到"
                errors.append(
                    CatalogError(
                        point.path,
                        basis.line,
                        f"basis：引文不在 {basis.source} 第{numeral}条中（{where}）：「{basis.quote[:30]}…」",
                    )
                )
        elif quote not in whole:
            errors.append(
                CatalogError(
                    point.path,
                    basis.line,
                    f"basis：引文在 {basis.source} 中找不到：「{basis.quote[:30]}…」",
                )
            )
    return errors


def _check_examples(point: ControlPoint) -> list[CatalogError]:
    path = point.path.with_name(point.path.name[: -len(".yaml")] + ".examples.yaml")
    if not point.examples:
        return [CatalogError(point.path, 1, f"{point.key} 没有示例（须有 {path.name}）")]
    errors = []
    fires = [e for e in point.examples if e.must_fire]
    quiet = [e for e in point.examples if not e.must_fire]
    if point.needs_data is None and (not fires or not quiet):
        errors.append(
            CatalogError(path, 1, f"{point.key} 须至少有一个应预警示例和一个不应预警示例")
        )
    timed = point.kind in (PointKind.DEADLINE, PointKind.DURATION_LIMIT)
    allowed = {State(f) for f in point.params.get("findings", ())} or _TIMED_STATES
    for example in point.examples:
        for exp in example.expect:
            if timed and exp.state in _TIMED_STATES and exp.state not in allowed:
                errors.append(
                    CatalogError(
                        path,
                        example.line,
                        f"示例「{example.name}」：params.findings 不含 {exp.state.value}",
                    )
                )
            if timed and exp.state not in _TIMED_STATES:
                errors.append(
                    CatalogError(
                        path,
                        example.line,
                        f"示例「{example.name}」：期限类控制点不应产生 {exp.state.value}",
                    )
                )
            if not timed and exp.state is not State.VIOLATED:
                errors.append(
                    CatalogError(
                        path, example.line, f"示例「{example.name}」：非期限类控制点只产生 violated"
                    )
                )
        starts = [e["at"] for e in example.events if "at" in e]
        if starts and not point.in_force.covers(min(starts).date()):
            errors.append(
                CatalogError(
                    path,
                    example.line,
                    f"示例「{example.name}」：首个事件不在 {point.key} 的施行期间内",
                )
            )
        if example.events and example.as_of < min(starts):
            errors.append(
                CatalogError(path, example.line, f"示例「{example.name}」：as_of 早于首个事件")
            )
    return errors


def _check_escalation(point: ControlPoint) -> list[CatalogError]:
    ladder = point.escalation
    seen_roles = [step.to for step in ladder]
    if len(set(seen_roles)) != len(seen_roles):
        return [CatalogError(point.path, 1, "escalation：同一角色出现两次")]
    return []
