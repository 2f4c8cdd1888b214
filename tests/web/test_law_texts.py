"""The law texts ship inside the package (an intranet install has no shared/ folder): each
copy equals the shared file wherever a checkout has shared/ beside it, and every text the
catalogue cites is shipped."""

from __future__ import annotations

import pytest
from tests.support import SHARED

from fazhi import law
from fazhi.core.catalog import SOURCES
from fazhi.web import catalogue as catalog

SHARED_LAW = SHARED / "law"
SHARED_FILES = sorted(p.name for p in SHARED_LAW.glob("*.md") if p.name != "README.md")


def test_the_shared_law_texts_are_beside_the_checkout():
    """Tests run where the project is checked out beside shared/ (as CI clones it)."""
    assert SHARED_FILES, f"no law texts in {SHARED_LAW}"


@pytest.mark.parametrize("name", SHARED_FILES)
def test_each_shipped_copy_equals_the_shared_file(name):
    shipped = law.TEXTS_DIR / name
    assert shipped.is_file(), f"{name} is in shared/law but not shipped in src/fazhi/law/texts"
    assert shipped.read_bytes() == (SHARED_LAW / name).read_bytes()


def test_nothing_is_shipped_that_shared_does_not_have():
    assert sorted(p.name for p in law.TEXTS_DIR.glob("*.md")) == SHARED_FILES


def test_every_cited_text_is_shipped():
    cited = {b.file for p in catalog.catalogue().points for b in p.basis} | {
        s.file for s in SOURCES.values()
    }
    shipped = {t.file for t in law.documents()}
    assert cited <= shipped


def test_a_text_reads_as_headings_articles_and_paragraphs():
    document = law.document("criminal-procedure-law-2018")
    assert document.text.title == "中华人民共和国刑事诉讼法"
    assert document.text.short_names == ("刑诉法",)
    anchors = [b.anchor for b in document.blocks if b.kind == "article" and b.anchor]
    assert anchors[0] == "第一条" and "第九十一条" in anchors and len(anchors) == len(set(anchors))
    assert any(b.kind == "heading" and b.text == "第六章 强制措施" for b in document.blocks)
    assert any(
        "LawRefBook" in line or "source" in line or "校验" in line for line in document.provenance
    )


def test_an_unknown_text_is_refused():
    with pytest.raises(KeyError):
        law.document("../../etc/passwd")
