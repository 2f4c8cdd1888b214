"""Sign-in and sign-out with their guards, the password change, and the first pages.
Every read of business data starts from `fazhi.apps.accounts.scope`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone

from fazhi.apps.accounts import scope, signin
from fazhi.apps.accounts.forms import ChangePasswordForm, SignInForm, client_address
from fazhi.apps.accounts.middleware import PASSWORD_EXPIRED
from fazhi.apps.accounts.passwords import password_expired, set_password
from fazhi.apps.cases.models import Case
from fazhi.apps.imports.models import ImportBatch


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


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    counts = [
        ("单位", scope.visible_unit_rows(user).count()),
        ("人员", scope.visible_people(user).count()),
        ("网格", scope.visible_grids(user).count()),
        ("警情", scope.visible_alarms(user).count()),
        ("案件", scope.visible_cases(user).count()),
        ("涉案人员", scope.visible_subjects(user).count()),
        ("办案事件", scope.visible_events(user).count()),
    ]
    batches = ImportBatch.objects.all()[:10] if scope.sees_imports(user) else None
    return render(request, "fazhi/home.html", {"counts": counts, "batches": batches})


@login_required
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    case = scope.get_visible_or_404(Case, request.user, pk=case_id)
    handlers = case.handlers.select_related("person").order_by("position")
    return render(request, "fazhi/case_detail.html", {"case": case, "handlers": handlers})


def health(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})
