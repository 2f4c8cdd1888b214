"""The loader and the lint on broken catalogues: every error, each with its file and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from fazhi.core.catalog import CatalogueInvalid, PointKind, lint_catalogue, load_catalogue
from fazhi.core.catalog.lint import chinese_numeral

LAW_TEXT = """# 刑事诉讼法（测试用节选）

第九十一条 公安机关对被拘留的人，认为需要逮捕的，应当在拘留后的三日以内，提请人民检察院审查批准。

第九十二条 公安机关对人民检察院不批准逮捕的决定，认为有错误的时候，可以要求复议，但是必须将被拘留的人立即释放。
"""

POINT = """\
code: JL-01
name: 拘留后提请批准逮捕
area: detention
kind: deadline
level: high
in_force: {from: 2020-09-01}
basis:
  - source: 刑诉法
    file: criminal-procedure-law-2018.md
    article: "91"
    quote: "公安机关对被拘留的人，认为需要逮捕的，应当在拘留后的三日以内，提请人民检察院审查批准。"
starts_at: criminal_detention
met_by: [arrest_requested, released]
period: {days: 3}
holiday_shift: false
lead_time: {hours: 24}
escalation:
  - {after: {hours: 2}, to: legal_officer}
"""

EXAMPLES = """\
- name: 三日内未提请，超期
  as_of: 2026-03-05T09:00:00+08:00
  events:
    - {kind: criminal_detention, subject: S1, at: 2026-03-01T10:00:00+08:00}
  expect:
    - {subject: S1, state: overdue, due_at: 2026-03-04T23:59:59+08:00}
- name: 按期提请，不预警
  as_of: 2026-03-05T09:00:00+08:00
  events:
    - {kind: criminal_detention, subject: S1, at: 2026-03-01T10:00:00+08:00}
    - {kind: arrest_requested, subject: S1, at: 2026-03-03T16:00:00+08:00}
  expect: []
"""


@pytest.fixture
def law_dir(tmp_path: Path) -> Path:
    law = tmp_path / "law"
    law.mkdir()
    (law / "criminal-procedure-law-2018.md").write_text(LAW_TEXT, encoding="utf-8")
    return law


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "control_points"
    (root / "detention").mkdir(parents=True)
    return root


def write(root: Path, name: str, text: str, area: str = "detention") -> Path:
    path = root / area / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def errors_of(root: Path, law_dir: Path) -> list[str]:
    return [str(e) for e in lint_catalogue(root, law_dir)]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_well_formed_point_loads_into_typed_objects(root, law_dir):
    write(root, "JL-01.yaml", POINT)
    write(root, "JL-01.examples.yaml", EXAMPLES)
    assert errors_of(root, law_dir) == []
    (point,) = load_catalogue(root).points
    assert point.kind is PointKind.DEADLINE
    assert point.period is not None and point.period.description == "3日"
    assert [m.kind for m in point.met_by] == ["arrest_requested", "released"]
    assert len(point.examples) == 2 and point.examples[0].must_fire


def test_a_yaml_syntax_error_is_reported_with_the_file_and_its_line(root, law_dir):
    broken = POINT.replace("period: {days: 3}", "period: {days: 3")
    path = write(root, "JL-01.yaml", broken)
    write(root, "JL-01.examples.yaml", EXAMPLES)
    (error,) = lint_catalogue(root, law_dir)
    assert error.path == path
    assert error.line in (line_of(broken, "period:"), line_of(broken, "period:") + 1)
    assert str(error).startswith(f"{path}:{error.line}: YAML 语法错误")


def test_all_errors_of_all_files_are_reported_at_once(root, law_dir):
    first = POINT.replace("starts_at: criminal_detention", "starts_at: detained").replace(
        "period: {days: 3}", "period: {days: 3, hours: 4}"
    )
    second = POINT.replace("code: JL-01", "code: JL-02").replace("name: 拘留后提请批准逮捕\n", "")
    p1 = write(root, "JL-01.yaml", first)
    p2 = write(root, "JL-02.yaml", second)
    write(root, "JL-01.examples.yaml", EXAMPLES)
    write(root, "JL-02.examples.yaml", EXAMPLES)
    errors = errors_of(root, law_dir)
    assert f"{p1}:{line_of(first, 'starts_at')}: starts_at：未知事件类型 'detained'" in "\n".join(
        errors
    )
    assert any(e.startswith(f"{p1}:{line_of(first, 'period:')}: period：期间无效") for e in errors)
    assert any(e.startswith(f"{p2}:1: 控制点：缺少字段 name") for e in errors)
    with pytest.raises(CatalogueInvalid) as raised:
        load_catalogue(root)
    assert len(raised.value.errors) == 3


def test_a_quote_that_is_not_in_the_law_text_is_an_error(root, law_dir):
    text = POINT.replace("应当在拘留后的三日以内", "应当在拘留后的五日以内")
    path = write(root, "JL-01.yaml", text)
    write(root, "JL-01.examples.yaml", EXAMPLES)
    (error,) = errors_of(root, law_dir)
    assert error.startswith(
        f"{path}:{line_of(text, 'quote:')}: basis：引文不在 刑诉法 第九十一条中（在该法中找不到）"
    )


def test_a_quote_cited_under_the_wrong_article_is_an_error(root, law_dir):
    text = POINT.replace('article: "91"', 'article: "92"')
    write(root, "JL-01.yaml", text)
    write(root, "JL-01.examples.yaml", EXAMPLES)
    (error,) = errors_of(root, law_dir)
    assert "引文不在 刑诉法 第九十二条中（在该法其他条文中）" in error


def test_whitespace_in_a_quote_does_not_matter(root, law_dir):
    folded = (
        "quote: >-\n"
        "      公安机关对被拘留的人，认为需要逮捕的，\n"
        "      应当在拘留后的三日以内，提请人民检察院审查批准。"
    )
    text = POINT.replace(
        'quote: "公安机关对被拘留的人，认为需要逮捕的，应当在拘留后的三日以内，提请人民检察院审查批准。"',
        folded,
    )
    assert "quote: >-" in text
    write(root, "JL-01.yaml", text)
    write(root, "JL-01.examples.yaml", EXAMPLES)
    assert errors_of(root, law_dir) == []


def test_an_unknown_source_or_a_wrong_law_file_is_an_error(root, law_dir):
    write(root, "JL-01.yaml", POINT.replace("source: 刑诉法", "source: 刑法"))
    write(root, "JL-01.examples.yaml", EXAMPLES)
    assert any("basis：未知法源 '刑法'" in e for e in errors_of(root, law_dir))
    write(
        root, "JL-01.yaml", POINT.replace("file: criminal-procedure-law-2018.md", "file: other.md")
    )
    assert any(
        "刑诉法 的文件应为 criminal-procedure-law-2018.md" in e for e in errors_of(root, law_dir)
    )


def test_a_duplicate_code_is_an_error(root, law_dir):
    write(root, "JL-01.yaml", POINT)
    write(root, "JL-01.examples.yaml", EXAMPLES)
    write(root, "JL-01.yaml", POINT, area="custody")
    write(root, "JL-01.examples.yaml", EXAMPLES, area="custody")
    errors = errors_of(root, law_dir)
    assert sum("编号 JL-01 重复" in e for e in errors) == 2


def test_versions_of_one_code_may_not_overlap_in_time(root, law_dir):
    write(root, "JL-01.yaml", POINT)
    write(root, "JL-01.examples.yaml", EXAMPLES)
    old = POINT.replace("code: JL-01\n", 'code: JL-01\nversion: "2018"\n').replace(
        "in_force: {from: 2020-09-01}", "in_force: {from: 2020-09-01, to: 2026-01-31}"
    )
    write(root, "JL-01@2018.yaml", old)
    write(root, "JL-01@2018.examples.yaml", EXAMPLES.replace("2026-", "2025-"))
    errors = errors_of(root, law_dir)
    assert any("编号 JL-01 的版本 JL-01 与 JL-01@2018 施行期间重叠" in e for e in errors)
    write(root, "JL-01@2018.yaml", old.replace("to: 2026-01-31", "to: 2025-12-31"))
    write(root, "JL-01.yaml", POINT.replace("from: 2020-09-01", "from: 2026-01-01"))
    assert errors_of(root, law_dir) == []


def test_an_unknown_event_kind_in_an_example_is_reported_at_its_line(root, law_dir):
    write(root, "JL-01.yaml", POINT)
    broken = EXAMPLES.replace("{kind: arrest_requested,", "{kind: arest_requested,")
    path = write(root, "JL-01.examples.yaml", broken)
    errors = errors_of(root, law_dir)
    line = line_of(broken, "arest_requested")
    assert any(
        e.startswith(f"{path}:{line}:") and "未知事件类型 'arest_requested'" in e for e in errors
    )


def test_extension_event_kinds_are_accepted_when_the_missing_data_is_named(root, law_dir):
    text = POINT.replace("met_by: [arrest_requested, released]", "met_by: [x_custom]")
    write(root, "JL-01.yaml", text)
    write(root, "JL-01.examples.yaml", EXAMPLES.replace("kind: arrest_requested", "kind: x_custom"))
    assert [e.split(": ", 1)[1] for e in errors_of(root, law_dir)] == [
        "needs_data：依赖 x_ 扩展事件的控制点须说明所缺数据或 params.derived_from"
    ]
    write(root, "JL-01.yaml", text + "needs_data: CEIF 没有 x_custom 事件\n")
    assert errors_of(root, law_dir) == []


def test_event_attributes_are_checked_against_ceif(root, law_dir):
    write(root, "JL-01.yaml", POINT)
    broken = EXAMPLES.replace(
        "{kind: arrest_requested, subject: S1, at: 2026-03-03T16:00:00+08:00}",
        "{kind: family_notified, subject: S1, at: 2026-03-03T16:00:00+08:00, attrs: {for: bail}}",
    )
    write(root, "JL-01.examples.yaml", broken)
    assert any("family_notified 的属性 for 取值 'bail' 无效" in e for e in errors_of(root, law_dir))


def test_a_file_named_otherwise_than_its_code_is_an_error(root, law_dir):
    write(root, "JL-1.yaml", POINT)
    write(root, "JL-1.examples.yaml", EXAMPLES)
    assert any("文件名应为 JL-01.yaml" in e for e in errors_of(root, law_dir))


def test_a_point_without_examples_or_without_a_quiet_example_is_an_error(root, law_dir):
    write(root, "JL-01.yaml", POINT)
    assert any("JL-01 没有示例" in e for e in errors_of(root, law_dir))
    write(root, "JL-01.examples.yaml", EXAMPLES.split("- name: 按期提请")[0])
    assert any("须至少有一个应预警示例和一个不应预警示例" in e for e in errors_of(root, law_dir))


def test_an_hour_period_may_not_shift_for_holidays(root, law_dir):
    text = POINT.replace("period: {days: 3}", "period: {hours: 24}").replace(
        "holiday_shift: false", "holiday_shift: true"
    )
    path = write(root, "JL-01.yaml", text)
    write(root, "JL-01.examples.yaml", EXAMPLES)
    assert (
        f"{path}:{line_of(text, 'holiday_shift')}: holiday_shift：小时期间没有“最后一日”"
        in "\n".join(errors_of(root, law_dir))
    )


def test_example_times_need_an_offset_and_due_times_beijing_time(root, law_dir):
    write(root, "JL-01.yaml", POINT)
    broken = EXAMPLES.replace(
        "at: 2026-03-01T10:00:00+08:00}\n  expect", "at: 2026-03-01T10:00:00}\n  expect"
    ).replace("due_at: 2026-03-04T23:59:59+08:00", "due_at: 2026-03-04T15:59:59+00:00")
    write(root, "JL-01.examples.yaml", broken)
    errors = "\n".join(errors_of(root, law_dir))
    assert "缺少时区" in errors
    assert "应写作北京时间（+08:00）" in errors


def test_a_repeated_key_is_an_error(root, law_dir):
    text = POINT + "level: low\n"
    path = write(root, "JL-01.yaml", text)
    write(root, "JL-01.examples.yaml", EXAMPLES)
    assert f"{path}:{len(text.splitlines())}: 键 'level' 重复" in errors_of(root, law_dir)


def test_a_point_may_not_be_in_force_before_the_text_it_cites(root, law_dir):
    write(root, "JL-01.yaml", POINT.replace("from: 2020-09-01", "from: 2012-01-01"))
    write(root, "JL-01.examples.yaml", EXAMPLES)
    assert any("刑诉法 自 2018-10-26 施行" in e for e in errors_of(root, law_dir))


def test_an_internal_standard_must_say_so(root, law_dir):
    write(root, "JL-01.yaml", POINT + "internal_standard: true\n")
    write(root, "JL-01.examples.yaml", EXAMPLES)
    assert any("note 须写明“内部标准”" in e for e in errors_of(root, law_dir))


@pytest.mark.parametrize(
    ("number", "numeral"),
    [
        (10, "十"),
        (15, "十五"),
        (91, "九十一"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (265, "二百六十五"),
        (300, "三百"),
    ],
)
def test_article_numbers_are_written_as_in_the_law_texts(number, numeral):
    assert chinese_numeral(number) == numeral


def test_applicability_names_real_attributes_of_the_start_event(root, law_dir):
    text = POINT + "applies_to: {case_kind: criminal, start_attrs_min: {reason: 1}}\n"
    path = write(root, "JL-01.yaml", text)
    write(root, "JL-01.examples.yaml", EXAMPLES)
    assert (
        f"{path}:{len(text.splitlines())}: applies_to.start_attrs_min："
        "'reason' 须为 criminal_detention 的数值属性，下限为数字"
    ) in errors_of(root, law_dir)
