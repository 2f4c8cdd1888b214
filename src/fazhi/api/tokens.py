"""Creating, revoking and checking API tokens; creation and revocation are audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from fazhi.api.models import ApiToken
from fazhi.apps.accounts.audit import SYSTEM_ACTOR
from fazhi.apps.audit.chain import Change, record
from fazhi.apps.audit.models import AuditAction
from fazhi.core.records import canonical_json

TOKEN_PREFIX = "fz_"


def key_hash(key: str) -> str:
    # The key is 256 random bits, so a plain SHA-256 cannot be brute-forced; no slow hash needed.
    return hashlib.sha256(key.encode()).hexdigest()


def _token_json(token: ApiToken) -> dict[str, Any]:
    return {
        "token": token.pk,
        "user": token.user.get_username(),
        "name": token.name,
        "prefix": token.prefix,
    }


def _audit(action: AuditAction, token: ApiToken, at: datetime, **sides: dict[str, Any]) -> None:
    record(
        Change(
            actor=SYSTEM_ACTOR,
            action=action.value,
            object_type="api_token",
            object_id=str(token.pk),
            before=canonical_json(sides["before"]) if "before" in sides else None,
            after=canonical_json(sides["after"]) if "after" in sides else None,
        ),
        at,
    )


def create_token(user: AbstractBaseUser, name: str, at: datetime) -> tuple[ApiToken, str]:
    """A new token for the user; the returned key is shown once and never stored."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=key[:10], key_hash=key_hash(key), created_at=at
        )
        _audit(AuditAction.CREATE, token, at, after=_token_json(token))
    return token, key


def revoke_token(token: ApiToken, at: datetime) -> None:
    with transaction.atomic():
        if ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=at):
            _audit(AuditAction.DELETE, token, at, before=_token_json(token))


def user_for_key(key: str) -> AbstractBaseUser | None:
    """The active user holding this unrevoked token, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=key_hash(key), revoked_at=None, user__is_active=True)
        .first()
    )
    return None if token is None else token.user
