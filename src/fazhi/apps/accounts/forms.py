"""Sign-in and password forms: the lock is checked before the password, and the new
password must differ from the old one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from fazhi.apps.accounts import signin


def client_address(request: Any) -> str | None:
    return None if request is None else request.META.get("REMOTE_ADDR")


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确，请重试。",
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if not username:
            return super().clean()
        at, address = timezone.now(), client_address(self.request)
        until = signin.locked_until(username, at)
        if until is not None:
            signin.refuse_locked(username, until, at, address)
            raise ValidationError(signin.locked_message(until), code="locked")
        try:
            return super().clean()
        except ValidationError as error:
            if error.code != "invalid_login":
                raise
            until = signin.sign_in_failed(username, at, address)
            if until is not None:
                raise ValidationError(signin.locked_message(until), code="locked") from None
            raise


class ChangePasswordForm(PasswordChangeForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        new = cleaned.get("new_password1")
        if new and new == cleaned.get("old_password"):
            raise forms.ValidationError("新密码不能与原密码相同。", code="password_unchanged")
        return cleaned
