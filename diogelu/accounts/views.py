"""Signing in and out, MFA, personal API tokens, and agency and user administration."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.signals import user_login_failed
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from diogelu.accounts import services, stepup
from diogelu.accounts.forms import (
    AgencyForm,
    CodeForm,
    ConfirmIdentityForm,
    RolesForm,
    SignInForm,
    TokenForm,
    UserForm,
)
from diogelu.accounts.models import Agency, ApiToken, Role, User, roles_allowed_for
from diogelu.core.exceptions import DomainError
from diogelu.core.middleware import stamp_sign_in
from diogelu.core.views import AuthedRequest, add_domain_error, require_role


@sensitive_post_parameters("password")
def sign_in_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return HttpResponseRedirect(reverse("my_work"))
    form = SignInForm(request.POST or None)
    timed_out = bool(request.session.pop("timed_out", False))
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is None:
            # The same words for an unknown username and a wrong password.
            form.add_error(None, _("Enter a correct username and password"))
        elif getattr(request, "axes_locked_out", False):
            return locked_out(request)
        else:
            login(request, user)
            stamp_sign_in(request)
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = reverse("my_work")
            return HttpResponseRedirect(target)
    status = 200 if not form.errors else 400
    return render(
        request, "accounts/sign_in.jinja", {"form": form, "timed_out": timed_out}, status=status
    )


def locked_out(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Shown (with 403) when django-axes has locked the username from this address."""
    return render(request, "accounts/locked_out.jinja", {}, status=403)


@require_POST
def sign_out_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect(reverse("sign_in"))


def mfa_view(request: AuthedRequest) -> HttpResponse:
    """Set up an authenticator (first time) or verify a code (every sign-in)."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = confirmed
    if device is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session.cycle_key()
            return HttpResponseRedirect(reverse("my_work"))
        form.add_error(
            "code", _("The code is not right. Check the time on your phone and try again")
        )
    context: dict[str, Any] = {"form": form, "setting_up": confirmed is None}
    if confirmed is None:
        qr = segno.make(device.config_url, error="m")
        context["qr_svg"] = qr.svg_inline(scale=4, dark="#0b0c0c", light="#ffffff")
        context["secret"] = _b32(device.bin_key)
    return render(request, "accounts/mfa.jinja", context, status=400 if form.errors else 200)


@sensitive_post_parameters("password", "code")
def confirm_identity_view(request: AuthedRequest) -> HttpResponse:
    """Step-up: "Confirm it's you" with the password (and a code, with an authenticator) before a
    sensitive action, then back to it. Failures count towards the sign-in lockout."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    target = stepup.safe_next(request, request.GET.get("next"))
    form = ConfirmIdentityForm(request.POST or None, with_code=device is not None)
    if request.method == "POST" and form.is_valid():
        checked = authenticate(
            request, username=user.get_username(), password=form.cleaned_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return locked_out(request)
        if checked is None or checked.pk != user.pk:
            form.add_error("password", _("The password is not right"))
        elif device is not None and not device.verify_token(form.cleaned_data["code"]):
            # A wrong code counts towards the lockout like a wrong password.
            user_login_failed.send(
                sender=__name__, credentials={"username": user.get_username()}, request=request
            )
            if getattr(request, "axes_locked_out", False):
                logout(request)
                return locked_out(request)
            form.add_error(
                "code", _("The code is not right. Check the time on your phone and try again")
            )
        else:
            stepup.record_step_up(request)
            return HttpResponseRedirect(target or reverse("my_work"))
    return render(
        request,
        "accounts/confirm_identity.jinja",
        {"form": form, "with_code": device is not None},
        status=400 if form.errors else 200,
    )


def _b32(key: bytes) -> str:
    import base64

    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def account_view(request: AuthedRequest) -> HttpResponse:
    """Your account: roles, authenticator, API tokens, sign out everywhere."""
    user = request.user
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = services.create_api_token(
                actor=user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
            form = TokenForm()
        except DomainError as exc:
            add_domain_error(form, exc)
    tokens = ApiToken.objects.filter(user=user).order_by("-created_at")
    return render(
        request,
        "accounts/account.jinja",
        {"form": form, "tokens": tokens, "new_token": new_token},
        status=400 if form.errors else 200,
    )


@require_POST
def revoke_token_view(request: AuthedRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:
        raise Http404
    services.revoke_api_token(actor=request.user, token=token)
    messages.success(request, _("Token revoked"))
    return HttpResponseRedirect(reverse("account"))


@require_POST
def sign_out_everywhere_view(request: AuthedRequest) -> HttpResponse:
    services.sign_out_everywhere(actor=request.user, user=request.user)
    logout(request)
    return HttpResponseRedirect(reverse("sign_in"))


# --- Administration ----------------------------------------------------------------------------


def _administered_agency(request: AuthedRequest, agency_id: int) -> Agency:
    agency = services.administered_agencies(request.user).filter(pk=agency_id).first()
    if agency is None:
        raise Http404
    return agency


def _administered_user(request: AuthedRequest, user_id: int) -> User:
    agencies = services.administered_agencies(request.user)
    user = User.objects.filter(pk=user_id, agency__in=agencies).select_related("agency").first()
    if user is None:
        raise Http404
    return user


@require_role(Role.ADMINISTRATOR)
def agency_list_view(request: AuthedRequest) -> HttpResponse:
    agencies = services.administered_agencies(request.user).order_by("kind", "name")
    return render(request, "accounts/agency_list.jinja", {"agencies": agencies})


@require_role(Role.ADMINISTRATOR)
def add_agency_view(request: AuthedRequest) -> HttpResponse:
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.create_agency(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Agency added"))
            return HttpResponseRedirect(reverse("show_agency", args=[agency.pk]))
    return render(
        request, "accounts/agency_add.jinja", {"form": form}, status=400 if form.errors else 200
    )


@require_role(Role.ADMINISTRATOR)
def show_agency_view(request: AuthedRequest, agency_id: int) -> HttpResponse:
    agency = _administered_agency(request, agency_id)
    users = (
        User.objects.filter(agency=agency)
        .select_related("team")
        .prefetch_related("role_assignments")
        .order_by("-is_active", "last_name")
    )
    return render(request, "accounts/agency_show.jinja", {"agency": agency, "users": users})


@require_role(Role.ADMINISTRATOR)
@sensitive_post_parameters("password")
def add_user_view(request: AuthedRequest, agency_id: int) -> HttpResponse:
    agency = _administered_agency(request, agency_id)
    allowed = roles_allowed_for(agency.kind)
    form = UserForm(request.POST or None, agency=agency, allowed_roles=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_user(actor=request.user, agency=agency, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("User added"))
            return HttpResponseRedirect(reverse("show_agency", args=[agency.pk]))
    return render(
        request,
        "accounts/user_add.jinja",
        {"form": form, "agency": agency},
        status=400 if form.errors else 200,
    )


@require_role(Role.ADMINISTRATOR)
def update_user_view(request: AuthedRequest, user_id: int) -> HttpResponse:
    target = _administered_user(request, user_id)
    assert target.agency is not None
    allowed = roles_allowed_for(target.agency.kind)
    form = RolesForm(
        request.POST or None, allowed_roles=allowed, initial={"roles": sorted(target.roles)}
    )
    if request.method == "POST":
        action = request.POST.get("action", "roles")
        try:
            if action == "deactivate":
                services.deactivate_user(actor=request.user, user=target)
                messages.success(request, _("Account deactivated and signed out everywhere"))
            elif action == "reset_mfa":
                services.reset_mfa(actor=request.user, user=target)
                messages.success(request, _("Authenticator removed"))
            elif action == "sign_out":
                services.sign_out_everywhere(actor=request.user, user=target)
                messages.success(request, _("Signed out everywhere"))
            elif form.is_valid():
                services.set_roles(
                    actor=request.user, user=target, roles=form.cleaned_data["roles"]
                )
                messages.success(request, _("Roles updated"))
            else:
                return render(
                    request,
                    "accounts/user_update.jinja",
                    {"form": form, "target": target},
                    status=400,
                )
        except DomainError as exc:
            add_domain_error(form, exc)
            return render(
                request, "accounts/user_update.jinja", {"form": form, "target": target}, status=400
            )
        return HttpResponseRedirect(reverse("show_agency", args=[target.agency.pk]))
    return render(request, "accounts/user_update.jinja", {"form": form, "target": target})
