"""Extensions of a period: "延长 N" and "延长至 N".

Both are counted from the original start, never from a holiday-shifted or month-clamped
expiry: for months that is choice C3 (2 + 1 months = 3 months from the start), for days it
is choice C4 (an extension runs from the raw expiry, which for days is the same thing). The
holiday rule is applied once, to the final last day, by the caller of `extended_total`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from fazhi.core.legaltime.periods import Period, Unit


@dataclass(frozen=True)
class ExtendBy:
    """延长 N: the limit grows by `period` (e.g. 刑诉法§156 「延长一个月」, 治安法2025§118
    「延长三十日」). `basis` is shown to users, e.g. "上一级人民检察院批准"."""

    period: Period
    basis: str = ""


@dataclass(frozen=True)
class ExtendTo:
    """延长至 N: `period` is the new total limit (e.g. 刑诉法§91 提请批捕 「延长至三十日」,
    受案立案意见 立案审查 「延长至30日」). It may not be shorter than the current limit."""

    period: Period
    basis: str = ""


Extension: TypeAlias = ExtendBy | ExtendTo


def extended_total(total: int, unit: Unit, extension: Extension) -> int:
    """The limit, in `unit.counted_as`, after `extension` is applied to `total`.

    An extension in another counting unit (days onto months) has no text behind it and is
    refused; so is an "extension" to a shorter total, which would contradict the records.
    """
    ext_unit = extension.period.unit
    if ext_unit.counted_as is not unit.counted_as:
        raise ValueError(f"cannot extend a {unit.value} period by {ext_unit.value}")
    amount = extension.period.counted_amount
    if isinstance(extension, ExtendBy):
        return total + amount
    if amount < total:
        raise ValueError(
            f"an extension may not shorten a period: new total {amount} {unit.counted_as.value}"
            f" is less than the current {total}"
        )
    return amount
