"""Token authentication for agency systems: ``Authorization: Bearer dgl_<lookup>_<secret>``."""

from __future__ import annotations

import hmac
from typing import Any

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from diogelu.accounts.api.actor import actor as actor
from diogelu.accounts.models import TOKEN_PREFIX, ApiToken, User, hash_token
from diogelu.accounts.tenancy import authority_ids_for
from diogelu.core import rowscope


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Personal API tokens, stored hashed, revocable and expiring. No cookies are accepted."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0] not in (self.keyword, "Token"):
            raise exceptions.AuthenticationFailed(
                "Send the token as: Authorization: Bearer <token>"
            )
        token_text = parts[1]
        pieces = token_text.split("_", 2)
        if len(pieces) != 3 or pieces[0] != TOKEN_PREFIX:
            raise exceptions.AuthenticationFailed("Invalid token")
        token = (
            ApiToken.objects.usable()
            .select_related("user", "user__agency")
            .filter(lookup=pieces[1])
            .first()
        )
        if token is None or not hmac.compare_digest(token.token_hash, hash_token(token_text)):
            raise exceptions.AuthenticationFailed("Invalid token")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        # The token's user is known only now, inside the view's transaction: the database's row
        # security on case tables follows their authorities from here on (ADR 0751).
        rowscope.set_request_scope(authority_ids_for(token.user))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="diogelu"'


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "diogelu.api.authentication.ApiTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "bearerFormat": "dgl_<lookup>_<secret>"}
