"""API errors in Chinese. A missing object and one out of the caller's scope read the same."""

from __future__ import annotations

from django.http import Http404
from rest_framework.exceptions import NotFound
from rest_framework.views import exception_handler


def chinese_exception_handler(exc, context):  # type: ignore[no-untyped-def]
    # Django's Http404 carries an English text naming the model; say only that it is not there.
    if isinstance(exc, Http404):
        exc = NotFound("未找到，或不在您的查看范围内。")
    return exception_handler(exc, context)
