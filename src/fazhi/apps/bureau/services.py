"""The one write path for the bureau's settings: check the user, write, audit, in one
transaction. Only the legal department (法制部门) sets them (or a command, `by=None`).

Each change is one audit entry with the row before and after (canonical JSON), object types
`holiday_override` (id: the day), `complete_year` (the year) and `internal_standard` (the
control point code). Setting what is already set changes nothing and records nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fazhi.apps.accounts.audit import SYSTEM_ACTOR
from fazhi.apps.accounts.models import Grant, Role
from fazhi.apps.audit.chain import Change, record
from fazhi.apps.audit.models import AuditAction
from fazhi.apps.bureau.models import CompleteYear, HolidayOverride, InternalStandard
from fazhi.core.records import canonical_json

MAX_STANDARD_HOURS = 24 * 30  # a "立即/及时" threshold longer than a month is a typing error
SETTINGS_ROLES = frozenset({Role.LEGAL_DEPARTMENT})


def may_configure(user: AbstractBaseUser | None) -> bool:
    return user is None or Grant.objects.filter(user_id=user.pk, role__in=SETTINGS_ROLES).exists()


def _check(by: AbstractBaseUser | None) -> str:
    if not may_configure(by):
        raise PermissionDenied("只有法制部门可以修改本局设置。")
    return SYSTEM_ACTOR if by is None else by.get_username()


def _audit(
    actor: str,
    object_type: str,
    object_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    at: datetime,
) -> None:
    action = AuditAction.CREATE if before is None else AuditAction.UPDATE
    if after is None:
        action = AuditAction.DELETE
    record(
        Change(
            actor[:150],
            action.value,
            object_type,
            object_id,
            None if before is None else canonical_json(before),
            None if after is None else canonical_json(after),
        ),
        at,
    )


def _set(model: Any, key: dict[str, Any], values: dict[str, Any]) -> tuple[dict | None, bool]:
    """Upsert one row; returns (the row before as a dict or None, whether anything changed)."""
    row = model.objects.select_for_update().filter(**key).first()
    before = None if row is None else {f: getattr(row, f) for f in values}
    if before == values:
        return before, False
    model.objects.update_or_create(**key, defaults=values)
    return before, True


def set_holiday_override(
    day: date, *, workday: bool, note: str, by: AbstractBaseUser | None, at: datetime
) -> None:
    """Declare a day a working day (`workday=True`) or a 节假日, whatever the library says."""
    with transaction.atomic():
        actor = _check(by)
        after = {"workday": workday, "note": note.strip()}
        before, changed = _set(HolidayOverride, {"day": day}, after)
        if changed:
            _audit(actor, "holiday_override", day.isoformat(), before, after, at)


def remove_holiday_override(day: date, *, by: AbstractBaseUser | None, at: datetime) -> None:
    with transaction.atomic():
        actor = _check(by)
        row = HolidayOverride.objects.select_for_update().filter(day=day).first()
        if row is not None:
            row.delete()
            before = {"workday": row.workday, "note": row.note}
            _audit(actor, "holiday_override", day.isoformat(), before, None, at)


def set_complete_year(
    year: int, *, complete: bool, note: str = "", by: AbstractBaseUser | None, at: datetime
) -> None:
    """Mark (or unmark) a year whose whole holiday notice the bureau has entered."""
    with transaction.atomic():
        actor = _check(by)
        row = CompleteYear.objects.select_for_update().filter(year=year).first()
        if complete and row is None:
            CompleteYear.objects.create(year=year, note=note.strip())
            _audit(actor, "complete_year", str(year), None, {"note": note.strip()}, at)
        elif not complete and row is not None:
            row.delete()
            _audit(actor, "complete_year", str(year), {"note": row.note}, None, at)


def set_internal_standard(
    code: str, *, hours: int, note: str, by: AbstractBaseUser | None, at: datetime
) -> None:
    """Set the bureau's threshold for a "立即/及时" point (the caller checks the code is one)."""
    if not 1 <= hours <= MAX_STANDARD_HOURS:
        raise ValidationError(f"时限应在 1 至 {MAX_STANDARD_HOURS} 小时之间。")
    with transaction.atomic():
        actor = _check(by)
        after = {"hours": hours, "note": note.strip()}
        before, changed = _set(InternalStandard, {"control_point": code}, after)
        if changed:
            _audit(actor, "internal_standard", code, before, after, at)


def remove_internal_standard(code: str, *, by: AbstractBaseUser | None, at: datetime) -> None:
    """Go back to the catalogue's default threshold."""
    with transaction.atomic():
        actor = _check(by)
        row = InternalStandard.objects.select_for_update().filter(control_point=code).first()
        if row is not None:
            row.delete()
            before = {"hours": row.hours, "note": row.note}
            _audit(actor, "internal_standard", code, before, None, at)
