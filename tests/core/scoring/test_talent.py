"""The talent-pool thresholds (catalog/talent.yaml): they load, every pool and criterion quotes
its seed word for word, every hand-worked example gives exactly the candidates written there,
and a broken file is refused with `文件:行: 原因` for every problem."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.core.scoring import PersonFact, SchemesInvalid
from fazhi.core.scoring.talent import (
    Profile,
    RankStanding,
    TalentExample,
    judge,
    load_talent,
    read_talent,
    select,
)

REPO = Path(__file__).resolve().parents[3]
TALENT = REPO / "catalog" / "talent.yaml"
SEEDS = REPO.parent / "shared" / "seeds"
RULES = load_talent(TALENT)


def _no_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_two_pools_are_shipped_with_examples():
    assert [p.code for p in RULES.pools] == ["talent_pool", "case_expert"]
    assert len(RULES.examples) >= 2


def test_every_pool_and_criterion_quotes_its_seed_verbatim():
    sources = [(p.code, p.source) for p in RULES.pools]
    sources += [(f"{p.code}.{c.code}", c.source) for p in RULES.pools for c in p.criteria]
    missing = [
        f"{where}: {src.seed}: {src.quote}"
        for where, src in sources
        if _no_space(src.quote) not in _no_space((SEEDS / src.seed).read_text("utf-8"))
    ]
    assert missing == []


@pytest.mark.parametrize("example", RULES.examples, ids=lambda e: e.name)
def test_every_example_gives_the_candidates_written_there(example: TalentExample):
    for expected in example.expect:
        judged = {c.person.id: c for c in select(RULES.pool(expected.pool), example.profiles)}
        assert judged[expected.person].failed == expected.failed, expected


def _profile(rank: int, of: int, score: int = 10) -> Profile:
    person = PersonFact("P1", "王某", "U1", "station_officer")
    standing = RankStanding("P1", "case_handling", Decimal(score), rank, of)
    return Profile(person, "advanced", {"case_handling": standing})


@given(st.integers(1, 500), st.data())
def test_the_top_share_admits_exactly_the_ceiling_of_share_times_group(of, data):
    rank = data.draw(st.integers(1, of))
    criterion = RULES.pool("talent_pool").criteria[1]
    assert criterion.kind == "ranking" and criterion.params["top_share"] == Decimal("0.3")
    check = next(
        c
        for c in judge(RULES.pool("talent_pool"), _profile(rank, of)).checks
        if c.criterion is criterion
    )
    limit = -(-3 * of // 10)  # ⌈0.3 n⌉ in integers
    assert check.met == (rank <= limit)


def test_an_unranked_person_is_not_a_candidate():
    person = PersonFact("P9", "无名", "U1", "station_officer")
    candidacy = judge(RULES.pool("talent_pool"), Profile(person))
    assert candidacy.failed == ("qualification", "case_points", "law_exam")
    assert candidacy.checks[1].detail == "case_handling 未排名（要求前 30%）"


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "talent.yaml"
    text = TALENT.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    shutil.copy(TALENT.with_name("talent.examples.yaml"), tmp_path)
    return path


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line)


@pytest.mark.parametrize(
    "old, new, marker, reason",
    [
        (
            "{at_least: intermediate}",
            "{at_least: expert}",
            "expert",
            "标准 qualification.params.at_least：未知执法资格 'expert'",
        ),
        ("top_share: 0.3", "top_share: 30", "top_share: 30", "比例应在 0 与 1 之间"),
        ("kind: exam_average", "kind: exam_avg", "exam_avg", "未知标准种类 'exam_avg'"),
        ("{max: 0}", "{max: -1}", "max: -1", "标准 no_fault.params.max：应为非负整数"),
        ("{min: 20, roles: [lead]}", "{roles: [lead]}", "roles: [lead]", "缺少参数 min"),
        ("roles: [lead]", "roles: [boss]", "boss", "未知取值 'boss'"),
    ],
)
def test_a_broken_threshold_is_refused_with_file_line_and_reason(
    tmp_path, old, new, marker, reason
):
    path = _broken(tmp_path, old, new)
    rules, errors = read_talent(path)
    assert rules is None
    shown = [str(e) for e in errors]
    line = _line_of(path, marker)
    assert any(s.startswith(f"{path}:{line}: ") and reason in s for s in shown), shown
    with pytest.raises(SchemesInvalid):
        load_talent(path)


def test_an_example_naming_an_unknown_criterion_is_refused(tmp_path):
    path = tmp_path / "talent.yaml"
    shutil.copy(TALENT, path)
    examples = TALENT.with_name("talent.examples.yaml").read_text("utf-8")
    broken = examples.replace("failed: [law_exam]", "failed: [law_exams]", 1)
    (tmp_path / "talent.examples.yaml").write_text(broken, "utf-8")
    _, errors = read_talent(path)
    assert [e.message for e in errors] == [
        "示例「法制人才库须四项全满足；经核销的预警不算本人过错」.expect.failed："
        "未知取值 'law_exams'（可用：qualification、case_points、law_exam、no_fault）"
    ]
    assert errors[0].line == _line_of(tmp_path / "talent.examples.yaml", "law_exams")


def test_a_missing_examples_file_is_an_error(tmp_path):
    path = tmp_path / "talent.yaml"
    shutil.copy(TALENT, path)
    _, errors = read_talent(path)
    assert [e.message for e in errors] == ["缺少示例文件 talent.examples.yaml"]
