"""Accounts: who a user is in the org, what roles they hold where, and sign-in guards."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.apps.org.models import Person, Unit


class Role(models.TextChoices):
    OFFICER = "officer", "民警"
    LEGAL_OFFICER = "legal_officer", "法制员"
    UNIT_HEAD = "unit_head", "所队长"
    LEGAL_DEPARTMENT = "legal_department", "法制部门"
    BUREAU_LEADER = "bureau_leader", "局领导"
    AUDITOR = "auditor", "审计管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    SYSTEM_ADMIN = "system_admin", "系统管理员"


# Roles that see every case of the granted unit's subtree. An officer sees only the cases
# they handle; the three administrators (三员分立) see no case data through their role.
UNIT_SCOPE_ROLES = frozenset(
    {Role.LEGAL_OFFICER, Role.UNIT_HEAD, Role.LEGAL_DEPARTMENT, Role.BUREAU_LEADER}
)


class Grant(models.Model):
    """A role held on a unit; it covers the unit's whole subtree. Revoking deletes the row
    (the audit trail keeps both ends)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="grants",
        verbose_name="用户",
    )
    role = models.CharField(max_length=20, choices=Role.choices, verbose_name="角色")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="grants", verbose_name="单位"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="授权人",
    )
    granted_at = models.DateTimeField(verbose_name="授权时间")

    class Meta:
        verbose_name = "授权"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="grant_user_role_unit")
        ]
        indexes = [models.Index(fields=["user", "role"], name="grant_user_role_idx")]


class Account(models.Model):
    """What the platform keeps beside Django's user: the person they are, password age."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="account",
    )
    person = models.OneToOneField(
        Person,
        null=True,
        on_delete=models.PROTECT,
        related_name="account",
        verbose_name="对应人员",
    )
    password_changed_at = models.DateTimeField(null=True, verbose_name="密码修改时间")

    class Meta:
        verbose_name = "账号"


class SignInGuard(models.Model):
    """Consecutive failed sign-ins per typed username (existing or not). Kept in the database,
    not a cache, so every server process and restart agrees on a lock."""

    username = models.CharField(max_length=150, primary_key=True, verbose_name="用户名")
    failures = models.PositiveSmallIntegerField(default=0, verbose_name="连续失败次数")
    locked_until = models.DateTimeField(null=True, verbose_name="锁定至")

    class Meta:
        verbose_name = "登录失败记录"
