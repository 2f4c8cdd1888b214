"""Query parameters read the same way by every list: bad values answer 400 naming the
parameter, in Chinese."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rest_framework.exceptions import ValidationError


def date_param(params: dict[str, str], name: str) -> date | None:
    text = params.get(name)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError({name: f"日期格式不正确：{text!r}，应为 YYYY-MM-DD。"}) from None


def choice_param(
    params: dict[str, str], name: str, allowed: Iterable[str], what: str
) -> str | None:
    value = params.get(name) or None
    if value is not None and value not in allowed:
        raise ValidationError({name: f"{what}不正确：{value!r}。"})
    return value
