"""Every 「quotation」 in legaltime's code and tests is verbatim from the law texts.

The quotes are the reason for each expected due time; a paraphrase passed off as a quote
would hide a misreading. Fragments separated by 「……」 are checked one by one; line breaks
from wrapping are ignored.
"""

import re
from pathlib import Path

import pytest

import fazhi.core.legaltime
from fazhi.core.legaltime import MonthRule

LAW_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "law"
SOURCES = [
    path
    for folder in (Path(__file__).parent, Path(fazhi.core.legaltime.__file__).parent)
    for path in sorted(folder.glob("*.py"))
    if path.name != Path(__file__).name
]
QUOTE = re.compile(r"「([^」{}]*)」")


def _fragments() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for path in SOURCES:
        for match in QUOTE.finditer(path.read_text(encoding="utf-8")):
            unwrapped = re.sub(r'"?\n\s*#?\s*"?', "", match.group(1))
            found += [(path.name, part) for part in unwrapped.split("……") if part]
    return found


@pytest.fixture(scope="module")
def law_text() -> str:
    files = sorted(LAW_DIR.glob("*.md"))
    assert files, f"no law texts at {LAW_DIR}"
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def test_there_are_quotes_to_check() -> None:
    assert len(_fragments()) > 40


def test_every_quote_is_verbatim(law_text: str) -> None:
    missing = [(name, part) for name, part in _fragments() if part not in law_text]
    assert missing == []


@pytest.mark.parametrize("rule", list(MonthRule))
def test_month_rules_quote_spc_interpretation_202(rule: MonthRule, law_text: str) -> None:
    assert rule.value in law_text
