"""Access tokens for machine clients. Only a hash of the token is stored: a copy of the
database does not hand out working tokens."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name="用户",
    )
    name = models.CharField(max_length=100, verbose_name="用途")
    prefix = models.CharField(max_length=12, verbose_name="令牌前缀")  # to tell tokens apart
    key_hash = models.CharField(max_length=64, unique=True)  # SHA-256 of the whole token
    created_at = models.DateTimeField(verbose_name="创建时间")
    revoked_at = models.DateTimeField(null=True, verbose_name="吊销时间")

    class Meta:
        verbose_name = "接口令牌"
