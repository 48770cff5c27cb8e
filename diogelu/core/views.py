"""Helpers every view uses: typed requests, role checks, domain errors onto forms, error pages."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from diogelu.core.exceptions import DomainError, InvalidAnswersError

if TYPE_CHECKING:
    from diogelu.accounts.models import User

    class AuthedRequest(HttpRequest):
        user: User

else:
    AuthedRequest = HttpRequest

F = TypeVar("F", bound=Callable[..., HttpResponse])


def require_role(*roles: str) -> Callable[[F], F]:
    """Only users holding one of ``roles`` reach the view; others get the same 404 as a miss."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated or not request.user.has_role(*roles):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's domain error on the form field it names (or at the top). A form may map
    service field names to its own: ``field_for_error(exc)`` (which may also use ``exc.item``,
    e.g. one child of several) or ``field_for(name)``."""
    if isinstance(exc, InvalidAnswersError):
        for name, messages in exc.errors.items():
            for message in messages:
                add_domain_error(form, DomainError(message, field=name, item=exc.item))
        return
    field_for_error = getattr(form, "field_for_error", None)
    field_for = getattr(form, "field_for", None)
    if field_for_error is not None:
        field = field_for_error(exc)
    elif field_for is not None:
        field = field_for(exc.field)
    else:
        field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def submit_form(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], Any],
    *,
    success: str,
    then: Callable[[Any], str],
) -> tuple[HttpResponse | None, int]:
    """The POST half of a form page: validate, make its one service call with the cleaned data,
    and on success redirect to ``then(result)`` with a message. Otherwise ``(None, status)`` to
    show the form again: 200 for a GET, 400 for invalid input, or the domain error's status."""
    from django.contrib import messages
    from django.http import HttpResponseRedirect

    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        return None, 400
    try:
        result = action(form.cleaned_data)
    except DomainError as exc:
        add_domain_error(form, exc)
        return None, exc.status_code
    messages.success(request, success)
    return HttpResponseRedirect(then(result)), 302


#: Seconds a client is told to wait (``Retry-After``) while the database is unreachable.
RETRY_AFTER_SECONDS = 30

_API_TITLES = {
    400: "Bad request",
    403: "Not permitted",
    404: "Not found",
    500: "Server error",
    503: "Service unavailable",
}


class _NoMessages(list[Any]):
    """Message storage for an error page: nothing to show, nothing to store (reading the real
    storage may need the session, and so the database)."""

    def update(self, response: HttpResponse) -> None:
        return None


def _database_down() -> bool:
    """True when the exception being handled is the database being unreachable."""
    from django.db import InterfaceError, OperationalError

    return isinstance(sys.exc_info()[1], OperationalError | InterfaceError)


def _error(
    request: HttpRequest, status: int, template: str, context: dict[str, Any] | None = None
) -> HttpResponse:
    """An error answer that is safe before authentication and while the database is down: under
    ``/api/`` always ``application/problem+json``; a page otherwise, rendered without reading the
    session or the user from the database (a bad Host header fails before either is set up)."""
    from django.contrib.auth.models import AnonymousUser

    from diogelu.core.middleware import current_request_id

    if request.path.startswith("/api/"):
        body = {
            "type": "about:blank",
            "title": _API_TITLES.get(status, "Error"),
            "status": status,
            "detail": _API_TITLES.get(status, "Error"),
            "request_id": current_request_id(),
        }
        response: HttpResponse = JsonResponse(
            body, status=status, content_type="application/problem+json"
        )
    else:
        user = getattr(request, "user", None)
        if user is None or status in (400, 500, 503):
            # Never load the session or the user for an error page that may be answering a
            # request the middleware has not authenticated, or a database that is down.
            request.user = AnonymousUser()
            request._messages = _NoMessages()  # type: ignore[attr-defined]
        response = render(
            request,
            template,
            {"request_id": current_request_id(), **(context or {})},
            status=status,
        )
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "errors/404.jinja")


def server_error(request: HttpRequest) -> HttpResponse:
    if _database_down():
        return _error(request, 503, "errors/503.jinja")
    return _error(request, 500, "errors/500.jinja")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "errors/403.jinja")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "errors/400.jinja")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.jinja", {}, status=403)


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the database answers."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database answers and is migrated, and Redis answers where it is configured.

    503 with the names of what is not ready (never a connection string or an error message), so
    a load balancer takes the instance out of rotation until it can serve.
    """
    from django.conf import settings

    failing: list[str] = []
    try:
        if not _migrated():
            failing.append("migrations")
    except Exception:
        failing.append("database")
    if settings.REDIS_URL:
        try:
            import redis

            client = redis.Redis.from_url(
                settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
            )
            client.ping()
        except Exception:
            failing.append("redis")
    if failing:
        return HttpResponse(
            "not ready: " + ", ".join(failing), status=503, content_type="text/plain"
        )
    return HttpResponse("ready", content_type="text/plain")


_MIGRATED = False


def _migrated() -> bool:
    """True once every migration is applied (checked until it is, then remembered)."""
    global _MIGRATED
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if _MIGRATED:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    executor = MigrationExecutor(connection)
    _MIGRATED = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _MIGRATED
