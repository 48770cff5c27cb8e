"""Limits per client address kept in the shared cache (Redis or the database table), so every
worker counts together and a restart forgets nothing.

* Sign-in failures from one address across usernames (a password spray): after
  ``SIGN_IN_IP_FAILURE_LIMIT`` in a window of ``SIGN_IN_IP_WINDOW_SECONDS`` the address is refused
  until the window ends, whatever username it tries. django-axes still locks each (username,
  address) pair after ``AXES_FAILURE_LIMIT`` failures.
* "Forgot your password" requests from one address (``PASSWORD_LINK_IP_LIMIT`` an hour), so the
  page cannot be used to flood mailboxes.

Addresses are kept hashed (no personal data in the cache).
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

SIGN_IN = "sign-in"
PASSWORD_LINK = "password-link"  # noqa: S105 - a limit name, not a secret


def client_address(request: HttpRequest) -> str:
    """The client's address as django-axes resolves it (the same proxy settings)."""
    from axes.helpers import get_client_ip_address

    return str(getattr(request, "axes_ip_address", None) or get_client_ip_address(request) or "")


def _limit(kind: str) -> tuple[int, int]:
    if kind == SIGN_IN:
        return int(settings.SIGN_IN_IP_FAILURE_LIMIT), int(settings.SIGN_IN_IP_WINDOW_SECONDS)
    return int(settings.PASSWORD_LINK_IP_LIMIT), 3600


def _key(kind: str, address: str, window: int) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]
    return f"limit:{kind}:{digest}:{int(time.time()) // window}"


def count(request: HttpRequest, kind: str) -> int:
    """Count one more event from this address in the current window; the new total."""
    _limit_count, window = _limit(kind)
    key = _key(kind, client_address(request), window)
    cache.add(key, 0, timeout=window)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def is_blocked(request: HttpRequest, kind: str) -> bool:
    """True when this address has reached the limit of ``kind`` in the current window."""
    limit, window = _limit(kind)
    if limit <= 0:
        return False
    return int(cache.get(_key(kind, client_address(request), window), 0)) >= limit
