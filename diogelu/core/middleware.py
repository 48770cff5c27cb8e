"""Cross-cutting request handling: correlation ids, idle timeout, no caching of case pages."""

from __future__ import annotations

import contextvars
import datetime
import logging
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

Handler = Callable[[HttpRequest], HttpResponse]


class RequestIdFilter(logging.Filter):
    """Adds the request's correlation id to every log record (ids only, never personal data)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


def current_request_id() -> str:
    """The correlation id of the request being handled, or ``-``."""
    return _request_id.get()


class RequestIdMiddleware:
    """Gives each request a correlation id, echoed in the ``X-Request-ID`` response header."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_id.set(secrets.token_hex(8))
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = _request_id.get()
            return response
        finally:
            _request_id.reset(token)


def stamp_sign_in(request: HttpRequest) -> None:
    """Start both session clocks at sign-in: the absolute limit (``SESSION_COOKIE_AGE``, 12 hours)
    and the idle limit. The session's expiry is pinned to sign-in + the absolute limit, so no later
    save of the session (every request saves ``last_seen``) can move it forward."""
    now = time.time()
    request.session[IdleTimeoutMiddleware.SIGNED_IN] = now
    request.session[IdleTimeoutMiddleware.KEY] = now
    request.session.set_expiry(
        datetime.datetime.fromtimestamp(now + settings.SESSION_COOKIE_AGE, tz=datetime.UTC)
    )


class IdleTimeoutMiddleware:
    """Signs a person out after ``SESSION_IDLE_SECONDS`` without a request, and in any case
    ``SESSION_COOKIE_AGE`` (12 hours) after signing in, however active the session has been.

    Sessions are stored server-side, so signing out (or "sign out everywhere") invalidates them at
    once. A session signed in without :func:`stamp_sign_in` (a test's ``force_login``) has its
    clocks started at its first request.
    """

    KEY = "last_seen"
    SIGNED_IN = "signed_in_at"
    #: The last-seen stamp is written again only when it is this old. Writing it on every
    #: request saved the session (an UPDATE and a commit) on every page view; a session may now
    #: time out up to this much sooner than ``SESSION_IDLE_SECONDS`` after its last request,
    #: never later (issue 17).
    RESOLUTION_SECONDS = 30

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            signed_in = request.session.get(self.SIGNED_IN)
            last = request.session.get(self.KEY)
            if not isinstance(signed_in, int | float):
                stamp_sign_in(request)
            elif (
                now - signed_in > settings.SESSION_COOKIE_AGE
                or not isinstance(last, int | float)
                or now - last > settings.SESSION_IDLE_SECONDS
            ):
                logout(request)
                request.session["timed_out"] = True
            elif now - last >= self.RESOLUTION_SECONDS:
                request.session[self.KEY] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Case pages and API answers must never be kept by a browser or proxy cache."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response
