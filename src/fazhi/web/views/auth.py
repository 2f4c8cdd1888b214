"""Sign-in and sign-out with their guards, the password change, and the health check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import timezone

from fazhi.apps.accounts import signin
from fazhi.apps.accounts.forms import ChangePasswordForm, SignInForm, client_address
from fazhi.apps.accounts.middleware import PASSWORD_EXPIRED
from fazhi.apps.accounts.passwords import password_expired, set_password


class SignInView(auth_views.LoginView):
    form_class = SignInForm

    def form_valid(self, form: SignInForm) -> HttpResponse:
        response = super().form_valid(form)
        user, at = form.get_user(), timezone.now()
        signin.signed_in(user, at, client_address(self.request))
        if password_expired(user, at):
            self.request.session[PASSWORD_EXPIRED] = True
            messages.warning(self.request, "密码已过期，请先修改密码。")
            return redirect("password_change")
        return response


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            signin.signed_out(request.user, timezone.now(), client_address(request))
        response = super().post(request, *args, **kwargs)
        messages.info(request, "您已退出登录。")
        return response


class ChangePasswordView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: ChangePasswordForm) -> HttpResponse:
        user = self.request.user
        set_password(
            user, form.cleaned_data["new_password1"], actor=user.get_username(), at=timezone.now()
        )
        update_session_auth_hash(self.request, user)
        self.request.session.pop(PASSWORD_EXPIRED, None)
        messages.success(self.request, "密码已修改。")
        return redirect(self.get_success_url())


def health(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})
