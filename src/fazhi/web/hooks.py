"""Places on the pages that other parts of the product fill in: a template that may not exist
yet (the patrol's obligations and warnings), a URL that may not be defined yet (风险预警).
A page renders the place only when its template or URL is there, so each part ships alone."""

from __future__ import annotations

from functools import cache

from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse

# Where the lead's patrol pages plug into these pages (each gets the page's context).
CASE_OBLIGATIONS = "fazhi/patrol/_case_obligations.html"  # case page: obligations and warnings
PERSON_WARNINGS = "fazhi/patrol/_person_warnings.html"  # person page: their warnings
HOME_WARNINGS = "fazhi/patrol/_home_warnings.html"  # 首页: warning figures


@cache
def optional_template(name: str) -> str | None:
    """`name` if such a template exists, else None (for a guarded `{% include %}`)."""
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return None
    return name


def optional_url(name: str, *args: object) -> str | None:
    """The URL of a named route, or None while no such route is defined."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None
