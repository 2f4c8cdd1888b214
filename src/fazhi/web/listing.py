"""Paging and sorting for the list pages: whitelisted sort keys, 50 rows a page, links that
keep the filters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

PER_PAGE = 50


@dataclass(frozen=True)
class Sort:
    """The chosen sort: its key (`-opened_at`), and each column's link to sort by it."""

    key: str
    order_by: tuple[str, ...]
    links: Mapping[str, str]  # column key → query string sorting by it (toggled if current)
    marks: Mapping[str, str]  # column key → ▲/▼ on the current column


def sort_of(request: HttpRequest, columns: Mapping[str, tuple[str, ...]], default: str) -> Sort:
    """`columns`: column key → order_by fields, the column first and then tie-breakers.
    `?sort=-key` sorts by the column descending."""
    asked = request.GET.get("sort", default)
    name = asked.removeprefix("-")
    if name not in columns:
        asked, name = default, default.removeprefix("-")
    descending = asked.startswith("-")
    fields = columns[name]
    # Only the column itself turns round; the tie-breakers after it keep a stable order.
    order_by = (("-" if descending else "") + fields[0], *fields[1:])
    links, marks = {}, {}
    for column in columns:
        query = request.GET.copy()
        query.pop("page", None)
        if column == name:  # the current column: the link turns the order round
            query["sort"] = column if descending else "-" + column
        else:
            query["sort"] = column
        links[column] = query.urlencode()
        marks[column] = ("▼" if descending else "▲") if column == name else ""
    return Sort(asked, order_by, links, marks)


@dataclass(frozen=True)
class Paging:
    page: Page
    query: str  # the request's query string without `page`, for the page links

    @property
    def rows(self) -> Any:
        return self.page.object_list


def page_of(
    request: HttpRequest,
    rows: QuerySet[Any],
    per_page: int = PER_PAGE,
    *,
    count: int | None = None,
) -> Paging:
    """One page of `rows`; `count`, when the caller knows it already, saves the COUNT query."""
    paginator = Paginator(rows, per_page)
    if count is not None:
        paginator.count = count  # shadows the cached property before anything reads it
    page = paginator.get_page(request.GET.get("page"))
    query: QueryDict = request.GET.copy()
    query.pop("page", None)
    return Paging(page, query.urlencode())
