"""Password rules (length, character classes), expiry, and the one way a password is set."""

from __future__ import annotations

import string
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.apps.accounts.audit import record_account
from fazhi.apps.accounts.models import Account
from fazhi.apps.audit.models import AuditAction

CHARACTER_CLASSES = {
    "大写字母": frozenset(string.ascii_uppercase),
    "小写字母": frozenset(string.ascii_lowercase),
    "数字": frozenset(string.digits),
}
SYMBOL_CLASS = "符号"
_LETTERS_AND_DIGITS = frozenset(string.ascii_letters + string.digits)


def character_classes(password: str) -> set[str]:
    """The classes a password draws from; any character outside letters and digits is a symbol."""
    found = {name for name, chars in CHARACTER_CLASSES.items() if chars.intersection(password)}
    if set(password) - _LETTERS_AND_DIGITS:
        found.add(SYMBOL_CLASS)
    return found


class StrengthValidator:
    """At least `min_length` characters from at least `min_classes` of the four classes."""

    def __init__(self, min_length: int = 10, min_classes: int = 3) -> None:
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password: str, user: AbstractBaseUser | None = None) -> None:
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    f"密码至少 {self.min_length} 位，当前 {len(password)} 位。",
                    code="password_too_short",
                )
            )
        if len(character_classes(password)) < self.min_classes:
            errors.append(ValidationError(self._classes_message(), code="password_too_simple"))
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return self._classes_message()

    def _classes_message(self) -> str:
        return (
            f"密码须至少 {self.min_length} 位，并包含大写字母、小写字母、数字、符号中的"
            f"至少 {self.min_classes} 类。"
        )


def password_expired(user: AbstractBaseUser, at: datetime) -> bool:
    """Whether the password is older than PASSWORD_MAX_AGE_DAYS (never changed: since joining)."""
    changed = (
        Account.objects.filter(user_id=user.pk)
        .values_list("password_changed_at", flat=True)
        .first()
        or user.date_joined
    )
    return at - changed >= timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


def set_password(user: AbstractBaseUser, raw_password: str, *, actor: str, at: datetime) -> None:
    """Set a password (already validated by the form), restart its age, and audit the change."""
    with transaction.atomic():
        user.set_password(raw_password)
        user.save(update_fields=["password"])
        Account.objects.update_or_create(user=user, defaults={"password_changed_at": at})
        record_account(
            actor, AuditAction.UPDATE, user.get_username(), at, after={"password": "changed"}
        )
