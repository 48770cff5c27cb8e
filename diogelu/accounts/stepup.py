"""Step-up authentication: confirm it's you (password, and code if you have an authenticator)
before a sensitive action such as downloading a PDF (SECURITY.md, ASVS 5 7.5.3).

:func:`step_up_required` sends a user who has not confirmed within ``STEP_UP_SECONDS`` to
``/confirm-identity/?next=<this page>``; confirming records the time in the session
(:func:`record_step_up`) and returns to the page. API downloads authenticate with tokens, not
sessions, and are not affected.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "step_up_at"

F = TypeVar("F", bound=Callable[..., HttpResponse])


def has_recent_step_up(request: HttpRequest) -> bool:
    """True when the user confirmed their identity less than ``STEP_UP_SECONDS`` ago."""
    confirmed = request.session.get(SESSION_KEY)
    if not isinstance(confirmed, int | float):
        return False
    age = timezone.now().timestamp() - float(confirmed)
    return 0 <= age < int(settings.STEP_UP_SECONDS)


def record_step_up(request: HttpRequest) -> None:
    """The user has just confirmed their identity: a new session key, and the time."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = timezone.now().timestamp()


def safe_next(request: HttpRequest, target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return target


def confirm_url(next_path: str) -> str:
    return f"{reverse('confirm_identity')}?{urlencode({'next': next_path})}"


def step_up_required(view: F) -> F:
    """The view runs only after a recent step-up; otherwise redirect to "Confirm it's you".

    The redirect comes before the view does anything, so nothing is read or logged until the
    user has confirmed, and it is the same for every object id.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_recent_step_up(request):
            return HttpResponseRedirect(confirm_url(request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
