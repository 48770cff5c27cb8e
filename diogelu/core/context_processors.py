"""Context every page shell needs: navigation, language switch, the signed-in person."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from diogelu.core.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """Navigation items for the signed-in person's roles."""
    return {"nav_items": navigation_for(request)}
