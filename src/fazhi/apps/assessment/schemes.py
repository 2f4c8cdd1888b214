"""The schemes this installation runs: `FAZHI_SCHEMES_DIR`, else the repository's catalogue."""

from __future__ import annotations

import os
from datetime import date
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError

from fazhi.core.scoring import AssessmentPeriod, PeriodError, Scheme, load_schemes, parse_period
from fazhi.core.scoring import scheme_in_force as _in_force


def schemes_dir() -> Path:
    override = os.environ.get("FAZHI_SCHEMES_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[4] / "catalog" / "schemes"


@cache
def shipped_schemes() -> tuple[Scheme, ...]:
    return load_schemes(schemes_dir())


def period_of(text: str) -> AssessmentPeriod:
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise ValidationError(str(exc), code="period") from None


def scheme_on(code: str, day: date) -> Scheme:
    """The version of scheme `code` in force on `day`; a Chinese error when there is none."""
    known = {s.code for s in shipped_schemes()}
    if code not in known:
        raise ValidationError(
            f"考核方案 {code!r} 不存在（可用：{'、'.join(sorted(known))}）", code="scheme"
        )
    scheme = _in_force(shipped_schemes(), code, day)
    if scheme is None:
        raise ValidationError(f"考核方案 {code} 在 {day} 没有生效的版本", code="scheme")
    return scheme


def scheme_for(code: str, period: AssessmentPeriod) -> Scheme:
    """The version in force on the first day of `period`, if the scheme is assessed over
    periods of that kind."""
    scheme = scheme_on(code, period.start)
    if period.kind not in scheme.periods:
        kinds = "、".join(k.label for k in scheme.periods)
        raise ValidationError(
            f"考核方案 {code} 不按{period.kind.label}考核（可用：{kinds}）", code="period"
        )
    return scheme
