"""A user whose password expired is held on the change page until they change it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Set at sign-in when the password is too old; cleared when it is changed.
PASSWORD_EXPIRED = "fazhi_password_expired"
ALLOWED_URL_NAMES = ("password_change", "logout")


class PasswordExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.session.get(PASSWORD_EXPIRED) and request.path not in {
            reverse(name) for name in ALLOWED_URL_NAMES
        }:
            return redirect("password_change")
        return self.get_response(request)
