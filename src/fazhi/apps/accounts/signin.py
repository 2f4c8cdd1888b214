"""Sign-in guard: 5 consecutive failures lock a username for 15 minutes; every attempt,
lock, sign-in and sign-out is on the audit trail.

Time is a parameter (`at`) so tests move the clock instead of sleeping.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from fazhi.apps.accounts.audit import record_account
from fazhi.apps.accounts.models import SignInGuard
from fazhi.apps.audit.models import AuditAction

MAX_FAILURES = 5
LOCK_DURATION = timedelta(minutes=15)


def locked_until(username: str, at: datetime) -> datetime | None:
    """The end of the username's lock, if it is locked at `at`."""
    return (
        SignInGuard.objects.filter(pk=username, locked_until__gt=at)
        .values_list("locked_until", flat=True)
        .first()
    )


def locked_message(until: datetime) -> str:
    shown = timezone.localtime(until).strftime("%Y-%m-%d %H:%M:%S")
    return f"该账号连续 {MAX_FAILURES} 次登录失败，已被锁定，请于 {shown} 后再试。"


def refuse_locked(username: str, until: datetime, at: datetime, address: str | None) -> None:
    """An attempt on a locked username is refused without checking the password; audit it."""
    with transaction.atomic():
        after = {"result": "locked", "until": until.isoformat(), "address": address}
        record_account(username, AuditAction.SIGN_IN, username, at, after=after)


def sign_in_failed(username: str, at: datetime, address: str | None) -> datetime | None:
    """Count a failed sign-in; returns the end of the lock when this failure starts one."""
    with transaction.atomic():
        guard, _ = SignInGuard.objects.select_for_update().get_or_create(pk=username)
        guard.failures += 1
        after = {"result": "failed", "failures": guard.failures, "address": address}
        record_account(username, AuditAction.SIGN_IN, username, at, after=after)
        locked = guard.failures >= MAX_FAILURES
        if locked:
            guard.failures, guard.locked_until = 0, at + LOCK_DURATION
            after = {"result": "lockout", "until": guard.locked_until.isoformat()}
            record_account(username, AuditAction.SIGN_IN, username, at, after=after)
        guard.save()
    return guard.locked_until if locked else None


def signed_in(user: AbstractBaseUser, at: datetime, address: str | None) -> None:
    """A successful sign-in clears the failure count and is audited."""
    username = user.get_username()
    with transaction.atomic():
        SignInGuard.objects.filter(pk=username).delete()
        after = {"result": "ok", "address": address}
        record_account(username, AuditAction.SIGN_IN, username, at, after=after)


def signed_out(user: AbstractBaseUser, at: datetime, address: str | None) -> None:
    username = user.get_username()
    with transaction.atomic():
        record_account(username, AuditAction.SIGN_OUT, username, at, after={"address": address})
