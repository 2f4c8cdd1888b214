"""The law texts the catalogue cites, shipped inside the package so an intranet install can
show them: `texts/` holds copies of `shared/law/*.md` (a test keeps them equal to the shared
files wherever a checkout has them beside it).

`documents()` lists them with their Chinese titles; `document(file)` reads one as blocks a page
can render: headings, articles (anchored `第X条`, the words `basis.article` points to) and
paragraphs. Pure Python, no framework.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fazhi.core.catalog import SOURCES

TEXTS_DIR = Path(__file__).resolve().parent / "texts"
_ARTICLE = re.compile(r"^第([零〇一二三四五六七八九十百千]+)条")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_SOURCE_NOTE = re.compile(r"\s+— source:.*$")


@dataclass(frozen=True)
class LawText:
    """One shipped law file: its file name (the page's address), title and catalogue names."""

    file: str
    title: str
    short_names: tuple[str, ...]

    @property
    def slug(self) -> str:
        return self.file.removesuffix(".md")


@dataclass(frozen=True)
class Block:
    """One piece of a law page: `heading` (with its level), `article` or `paragraph`."""

    kind: str
    text: str
    level: int = 0
    anchor: str = ""


@dataclass(frozen=True)
class LawDocument:
    text: LawText
    provenance: tuple[str, ...]  # the first line and the quoted notes on where the text is from
    blocks: tuple[Block, ...]


def _title(path: Path) -> str:
    first = path.read_text(encoding="utf-8").split("\n", 1)[0].lstrip("# ")
    return _SOURCE_NOTE.sub("", first)


@cache
def documents() -> tuple[LawText, ...]:
    """Every shipped text, the catalogue's sources first in their citation order."""
    names: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    for source in SOURCES.values():
        names.setdefault(source.file, []).append(source.short_name)
        titles.setdefault(source.file, source.title)
    files = sorted(p.name for p in TEXTS_DIR.glob("*.md"))
    order = {file: i for i, file in enumerate(titles)}
    files.sort(key=lambda f: (order.get(f, len(order)), f))
    return tuple(
        LawText(f, titles.get(f) or _title(TEXTS_DIR / f), tuple(names.get(f, ()))) for f in files
    )


def find(slug: str) -> LawText | None:
    return next((t for t in documents() if t.slug == slug), None)


def article_anchor(numeral: str) -> str:
    """The anchor of an article on its law page, from its Chinese numeral (九十一 → 第九十一条)."""
    return f"第{numeral}条"


@cache
def document(slug: str) -> LawDocument:
    """One text as blocks; raises KeyError for an unknown slug (never reads outside texts/)."""
    text = find(slug)
    if text is None:
        raise KeyError(slug)
    lines = (TEXTS_DIR / text.file).read_text(encoding="utf-8").splitlines()
    provenance = [_SOURCE_NOTE.sub("", lines[0].lstrip("# "))] if lines else []
    body = lines[1:]
    # The file's own header: quoted notes up to the first `---` rule.
    if "---" in body:
        cut = body.index("---")
        provenance += [line.lstrip("> ").strip() for line in body[:cut] if line.strip()]
        body = body[cut + 1 :]
    blocks: list[Block] = []
    seen: set[str] = set()
    for raw in body:
        line = raw.strip()
        if not line or line == "---" or line.startswith("<!--"):
            continue
        heading = _HEADING.match(line)
        if heading:
            blocks.append(Block("heading", heading.group(2), level=len(heading.group(1))))
            continue
        article = _ARTICLE.match(line)
        if article:
            anchor = article_anchor(article.group(1))
            # Only the first article of a number gets the anchor (excerpts may repeat a head).
            blocks.append(Block("article", line, anchor="" if anchor in seen else anchor))
            seen.add(anchor)
            continue
        blocks.append(Block("paragraph", line.lstrip("> ")))
    return LawDocument(text, tuple(provenance), tuple(blocks))
