"""The scheme loader on broken files: every error at once, each with its file and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from fazhi.core.scoring import SchemesInvalid, load_schemes, read_schemes

SCHEME = """\
code: duty
version: "1"
name: 值班考核
in_force: {from: 2026-01-01}
source: {seed: 000.txt, quote: 坐堂不少于8小时}
periods: [quarter]
base: 100
severities: {minor: -1, general: -2, serious: -4, grave: -8}
items:
  - code: D1
    name: 坐堂
    kind: duty_hall_hours
    params: {min_hours: 8, points: -2}
    source: {seed: 000.txt, quote: 坐堂不少于8小时}
"""
EXAMPLES = """\
- name: 坐堂不足
  period: 2026-Q1
  persons: [{id: M1, name: 某, unit: U1}]
  duty_shifts: [{id: S1, person: M1, day: 2026-01-05, hall_hours: 6}]
  expect: [{person: M1, score: 98}]
"""


def write(tmp_path: Path, scheme: str, examples: str = EXAMPLES, code: str = "duty") -> Path:
    (tmp_path / f"{code}.yaml").write_text(textwrap.dedent(scheme), encoding="utf-8")
    (tmp_path / f"{code}.examples.yaml").write_text(textwrap.dedent(examples), encoding="utf-8")
    return tmp_path


def messages(tmp_path: Path) -> list[str]:
    return [str(e) for e in read_schemes(tmp_path)[1]]


def test_a_valid_scheme_loads_with_its_example(tmp_path):
    (scheme,) = load_schemes(write(tmp_path, SCHEME))
    assert scheme.item("D1").params["min_hours"] == 8
    assert scheme.examples[0].facts.of("duty_shifts", "M1")[0].hall_hours == 6


def test_every_error_of_a_file_is_reported_with_its_line(tmp_path):
    broken = (
        SCHEME.replace("periods: [quarter]", "periods: [week]")
        .replace("kind: duty_hall_hours", "kind: hall")
        .replace("base: 100", "base: 一百\ncolour: red")
    )
    found = messages(write(tmp_path, broken))
    path = tmp_path / "duty.yaml"
    assert f"{path}:6: periods：未知取值 'week'（可用：day、month、quarter、year）" in found
    assert f"{path}:7: 考核方案.base：应为数字，而不是 '一百'" in found
    assert any(m.startswith(f"{path}:8: 考核方案：未知字段 'colour'") for m in found)
    assert any(m.startswith(f"{path}:13: 评分项 D1.kind：未知评分种类 'hall'") for m in found)


def test_params_are_checked_against_the_kind(tmp_path):
    broken = SCHEME.replace("{min_hours: 8, points: -2}", "{min_hours: eight, extra: 1}")
    found = messages(write(tmp_path, broken))
    path = tmp_path / "duty.yaml"
    assert f"{path}:13: 评分项 D1.params.min_hours：应为数字，而不是 'eight'" in found
    assert any(m.startswith(f"{path}:13: 评分项 D1.params：未知字段 'extra'") for m in found)
    assert f"{path}:13: 评分项 D1.params：缺少参数 points" in found


def test_a_manual_item_needs_severities_and_times_must_be_quoted(tmp_path):
    scheme = SCHEME.replace(
        "severities: {minor: -1, general: -2, serious: -4, grave: -8}\n", ""
    ).replace("kind: duty_hall_hours\n    params: {min_hours: 8, points: -2}", "kind: manual")
    examples = EXAMPLES.replace(
        "duty_shifts: [{id: S1, person: M1, day: 2026-01-05, hall_hours: 6}]",
        "patrol_logs: [{id: L1, person: M1, vehicle: V, day: 2026-01-05, start: 9:00, end: '10:00', km: 5}]",
    )
    found = messages(write(tmp_path, scheme, examples))
    assert any("人工评查项需要方案给出 severities" in m for m in found)
    assert any(
        m.startswith(f"{tmp_path / 'duty.examples.yaml'}:4: ") and "start：取值 540 无效" in m
        for m in found
    )


def test_example_errors_name_the_example_and_the_person(tmp_path):
    examples = EXAMPLES.replace("person: M1, day", "person: M9, day").replace(
        "period: 2026-Q1", "period: 2026-03"
    )
    found = messages(write(tmp_path, SCHEME, examples))
    path = tmp_path / "duty.examples.yaml"
    assert f"{path}:2: 示例「坐堂不足」.period：方案不按月考核" in found
    assert f"{path}:4: 示例「坐堂不足」.duty_shifts：人员 'M9' 不在 persons 中" in found


def test_a_scheme_without_examples_and_examples_without_a_scheme_are_errors(tmp_path):
    (tmp_path / "duty.yaml").write_text(SCHEME, encoding="utf-8")
    (tmp_path / "other.examples.yaml").write_text(EXAMPLES, encoding="utf-8")
    found = messages(tmp_path)
    assert f"{tmp_path / 'duty.yaml'}:1: 缺少示例文件 duty.examples.yaml" in found
    assert f"{tmp_path / 'other.examples.yaml'}:1: 示例文件没有对应的方案文件 other.yaml" in found


def test_overlapping_versions_are_refused(tmp_path):
    write(tmp_path, SCHEME)
    write(tmp_path, SCHEME.replace('version: "1"', 'version: "2"'), code="duty@2")
    with pytest.raises(SchemesInvalid) as error:
        load_schemes(tmp_path)
    assert "in_force：与版本 1 的生效期间重叠" in str(error.value)
