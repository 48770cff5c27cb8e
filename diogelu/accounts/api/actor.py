"""The signed-in user of an API request (re-exported as ``diogelu.api.authentication.actor``).

It lives with accounts, which owns users, so accounts' own endpoint (``/me/``) needs nothing from
the shared ``diogelu/api`` package, which sits above accounts.
"""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.request import Request

from diogelu.accounts.models import User


def actor(request: Request) -> User:
    """The authenticated user of an API request (views require authentication)."""
    user = request.user
    if not isinstance(user, User):
        raise exceptions.NotAuthenticated()
    return user
