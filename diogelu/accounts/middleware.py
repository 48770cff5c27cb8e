"""Every page needs a signed-in person; with MFA required, a verified one."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

OPEN_PREFIXES = ("/static/", "/api/", "/i18n/", "/healthz", "/readyz", "/metrics", "/set-password/")
OPEN_NAMES = ("/sign-in/", "/locked/", "/forgot-password/")
MFA_PATHS = ("/account/mfa/", "/sign-out/")


def needs_mfa(user: object) -> bool:
    """True when the user must verify a one-time code before using the service."""
    is_verified = getattr(user, "is_verified", None)
    if callable(is_verified) and is_verified() is True:
        return False
    if bool(settings.MFA_REQUIRED):
        return True
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


class SignInRequiredMiddleware:
    """Redirects anonymous visitors to sign in, and unverified users to MFA.

    The API authenticates with tokens and answers 401 itself, so it is left to DRF.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if path.startswith(OPEN_PREFIXES) or path in OPEN_NAMES:
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            return HttpResponseRedirect(f"{reverse('sign_in')}")
        if needs_mfa(user) and not path.startswith(MFA_PATHS):
            return HttpResponseRedirect(reverse("mfa"))
        return self.get_response(request)


#: Paths that read no case table and must answer while the database is down or unmigrated (the
#: metrics scrape enters its own named system scope).
UNSCOPED_PREFIXES = ("/static/", "/healthz", "/readyz", "/metrics")


class AuthorityScopeMiddleware:
    """Opens the request's transaction and ``SET LOCAL``s the signed-in user's authorities in it
    (row-level security on case tables, ADR 0751).

    ``ATOMIC_REQUESTS`` wraps only the view, so this middleware (the innermost) begins the
    transaction itself and the view's atomic block becomes a savepoint inside it. The API signs
    in by token inside the view, so its authentication sets the scope again for the token's user
    (``api/authentication.py``). PostgreSQL only: on SQLite this passes the request through.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.db import connection, transaction

        from diogelu.accounts.tenancy import authority_ids_for
        from diogelu.core import rowscope

        if not rowscope.applies(connection) or request.path.startswith(UNSCOPED_PREFIXES):
            return self.get_response(request)
        with transaction.atomic():
            rowscope.set_request_scope(authority_ids_for(request.user))
            return self.get_response(request)
