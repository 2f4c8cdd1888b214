"""The one write path for grants and the user-person link: check the grantor, write, audit,
all in one transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fazhi.apps.accounts.audit import SYSTEM_ACTOR, record_account
from fazhi.apps.accounts.models import Account, Grant, Role
from fazhi.apps.accounts.passwords import set_password
from fazhi.apps.audit.models import AuditAction
from fazhi.apps.org.models import Person, Unit, UnitClosure


def _actor(by: AbstractBaseUser | None) -> str:
    return SYSTEM_ACTOR if by is None else by.get_username()


def check_may_administer(by: AbstractBaseUser | None, user: AbstractBaseUser, unit_id: str) -> None:
    """Only a security administrator over the unit grants there (or a command, `by=None`),
    and never to themselves: an administrator cannot widen their own rights (三员分立)."""
    if by is None:
        return
    if by.pk == user.pk:
        raise PermissionDenied("不能为自己授权。")
    above = UnitClosure.objects.filter(descendant_id=unit_id).values("ancestor_id")
    if not Grant.objects.filter(user=by, role=Role.SECURITY_ADMIN, unit__in=above).exists():
        raise PermissionDenied("只有该单位的安全管理员可以授权。")


def _grant_json(grant: Grant) -> dict[str, Any]:
    return {"grant": grant.pk, "role": grant.role, "unit": grant.unit_id}


def grant_role(
    user: AbstractBaseUser, role: Role, unit: Unit, *, by: AbstractBaseUser | None, at: datetime
) -> Grant:
    """Grant a role on a unit (and its subtree); granting what is already held changes nothing."""
    with transaction.atomic():
        check_may_administer(by, user, unit.pk)
        grant, created = Grant.objects.get_or_create(
            user=user, role=role, unit=unit, defaults={"granted_by": by, "granted_at": at}
        )
        if created:
            record_account(
                _actor(by), AuditAction.GRANT, user.get_username(), at, after=_grant_json(grant)
            )
    return grant


def revoke_grant(grant: Grant, *, by: AbstractBaseUser | None, at: datetime) -> None:
    with transaction.atomic():
        check_may_administer(by, grant.user, grant.unit_id)
        before = _grant_json(grant)
        if Grant.objects.filter(pk=grant.pk).delete()[0]:
            record_account(
                _actor(by), AuditAction.GRANT, grant.user.get_username(), at, before=before
            )


def link_person(
    user: AbstractBaseUser, person: Person, *, by: AbstractBaseUser | None, at: datetime
) -> None:
    """Say which person of the org a user is, so an officer sees the cases they handle."""
    with transaction.atomic():
        check_may_administer(by, user, person.unit_id)
        before = Account.objects.filter(user=user).values_list("person_id", flat=True).first()
        if before == person.pk:
            return
        Account.objects.update_or_create(user=user, defaults={"person": person})
        record_account(
            _actor(by),
            AuditAction.UPDATE,
            user.get_username(),
            at,
            before={"person": before},
            after={"person": person.pk},
        )


def create_account(
    username: str, password: str, *, by: AbstractBaseUser | None, at: datetime
) -> AbstractBaseUser:
    """A new sign-in account with no role yet (roles come by `grant_role`). Only a security
    administrator creates accounts (or a command, `by=None`); the password must already have
    passed the password rules (the form validates it)."""
    with transaction.atomic():
        if by is not None and not Grant.objects.filter(user=by, role=Role.SECURITY_ADMIN).exists():
            raise PermissionDenied("只有安全管理员可以创建账号。")
        users = get_user_model().objects
        if users.filter(username=username).exists():
            raise ValidationError(f"用户名 {username} 已存在。")
        user = users.create_user(username)  # no usable password until set below
        record_account(_actor(by), AuditAction.CREATE, username, at, after={"username": username})
        set_password(user, password, actor=_actor(by), at=at)
    return user
