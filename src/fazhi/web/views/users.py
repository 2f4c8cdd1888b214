"""用户与授权: the security administrator creates accounts, grants and revokes roles on units,
and says which person of the org an account is. Every change goes through
`fazhi.apps.accounts.services` (checked there, audited there)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.apps.accounts import services
from fazhi.apps.accounts.models import Account, Grant, Role
from fazhi.apps.org.models import Person, Unit, UnitClosure
from fazhi.web.access import Page, page_for
from fazhi.web.listing import page_of


def administered_units(user: Any) -> QuerySet[Unit]:
    """The units under the user's security-administrator grants: where they may grant."""
    granted = Grant.objects.filter(user_id=user.pk, role=Role.SECURITY_ADMIN).values("unit_id")
    below = UnitClosure.objects.filter(ancestor_id__in=granted).values("descendant_id")
    return Unit.objects.filter(pk__in=below).order_by("name", "pk")


class CreateAccountForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    password1 = forms.CharField(label="初始密码", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="确认初始密码", widget=forms.PasswordInput, strip=False)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username=username).exists():
            raise ValidationError(f"用户名 {username} 已存在。")
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        one, two = cleaned.get("password1"), cleaned.get("password2")
        if one and two and one != two:
            self.add_error("password2", "两次输入的密码不一致。")
        elif one:
            try:
                validate_password(one)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class GrantForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    unit = forms.ModelChoiceField(label="单位（含下级）", queryset=Unit.objects.none())

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class LinkPersonForm(forms.Form):
    person = forms.CharField(label="人员编号", max_length=64)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = units

    def clean_person(self) -> Person:
        person = Person.objects.filter(
            pk=self.cleaned_data["person"].strip(), unit__in=self.units
        ).first()
        if person is None:
            raise ValidationError("在您管理的单位中没有这个人员编号。")
        return person


def _users() -> QuerySet[Any]:
    grants = Grant.objects.select_related("unit").order_by("role", "unit__name")
    return (
        get_user_model()
        .objects.order_by("username")
        .prefetch_related(Prefetch("grants", queryset=grants))
    )


@page_for(Page.ACCOUNTS)
def user_list(request: HttpRequest) -> HttpResponse:
    """GET: every account with its roles. POST: create an account (no roles yet)."""
    form = CreateAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_account(
                form.cleaned_data["username"],
                form.cleaned_data["password1"],
                by=request.user,
                at=timezone.now(),
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已创建账号 {user.get_username()}，请为其授予角色。")
            return redirect("user_detail", user_id=user.pk)
    q = request.GET.get("q", "").strip()
    users = _users().filter(username__contains=q) if q else _users()
    paging = page_of(request, users)
    accounts = dict(
        Account.objects.filter(
            user_id__in=[u.pk for u in paging.rows], person__isnull=False
        ).values_list("user_id", "person__name")
    )
    rows = [{"user": u, "person": accounts.get(u.pk, "")} for u in paging.rows]
    return render(
        request,
        "fazhi/system/users.html",
        {"form": form, "rows": rows, "paging": paging, "q": q},
    )


def _detail_context(request: HttpRequest, account_user: Any, **forms_: Any) -> dict[str, Any]:
    units = administered_units(request.user)
    return {
        "account_user": account_user,
        "grants": account_user.grants.select_related("unit").order_by("role", "unit__name"),
        "person": Person.objects.filter(account__user=account_user).select_related("unit").first(),
        "grant_form": forms_.get("grant_form") or GrantForm(units=units),
        "link_form": forms_.get("link_form") or LinkPersonForm(units=units),
        "is_self": account_user.pk == request.user.pk,
    }


@page_for(Page.ACCOUNTS)
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    account_user = get_object_or_404(get_user_model(), pk=user_id)
    return render(request, "fazhi/system/user.html", _detail_context(request, account_user))


def _refused(request: HttpRequest, error: PermissionDenied) -> None:
    messages.error(request, str(error) or "您没有权限进行此操作。")


@require_POST
@page_for(Page.ACCOUNTS)
def user_grant(request: HttpRequest, user_id: int) -> HttpResponse:
    account_user = get_object_or_404(get_user_model(), pk=user_id)
    form = GrantForm(request.POST, units=administered_units(request.user))
    if not form.is_valid():
        context = _detail_context(request, account_user, grant_form=form)
        return render(request, "fazhi/system/user.html", context, status=400)
    role, unit = Role(form.cleaned_data["role"]), form.cleaned_data["unit"]
    try:
        services.grant_role(account_user, role, unit, by=request.user, at=timezone.now())
    except PermissionDenied as error:
        _refused(request, error)
    else:
        messages.success(
            request, f"已授予 {account_user.get_username()} {unit.name} 的{role.label}角色。"
        )
    return redirect("user_detail", user_id=account_user.pk)


@require_POST
@page_for(Page.ACCOUNTS)
def user_revoke(request: HttpRequest, user_id: int, grant_id: int) -> HttpResponse:
    grant = get_object_or_404(
        Grant.objects.select_related("user", "unit"), pk=grant_id, user_id=user_id
    )
    try:
        services.revoke_grant(grant, by=request.user, at=timezone.now())
    except PermissionDenied as error:
        _refused(request, error)
    else:
        messages.success(request, f"已撤销 {grant.unit.name} 的{grant.get_role_display()}角色。")
    return redirect("user_detail", user_id=user_id)


@require_POST
@page_for(Page.ACCOUNTS)
def user_link(request: HttpRequest, user_id: int) -> HttpResponse:
    account_user = get_object_or_404(get_user_model(), pk=user_id)
    form = LinkPersonForm(request.POST, units=administered_units(request.user))
    if not form.is_valid():
        context = _detail_context(request, account_user, link_form=form)
        return render(request, "fazhi/system/user.html", context, status=400)
    person = form.cleaned_data["person"]
    try:
        services.link_person(account_user, person, by=request.user, at=timezone.now())
    except PermissionDenied as error:
        _refused(request, error)
    else:
        messages.success(request, f"已将账号关联到人员 {person.name}（{person.pk}）。")
    return redirect("user_detail", user_id=account_user.pk)
