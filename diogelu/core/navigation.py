"""The service navigation, by what the signed-in person's roles allow."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from diogelu.accounts.models import Role


def navigation_for(request: HttpRequest) -> list[dict[str, Any]]:
    """Items for govukServiceNavigation, the current page marked active."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items: list[tuple[str, str]] = [
        (reverse("my_work"), _("My work")),
        (reverse("search_people"), _("People")),
    ]
    if user.has_role(Role.ADMINISTRATOR):
        items.append((reverse("agency_list"), _("Agencies and users")))
    if user.has_role(Role.IG_LEAD):
        items.append((reverse("break_glass_review"), _("Emergency access")))
    items.append((reverse("account"), _("Your account")))
    path = request.path
    return [
        {
            "href": href,
            "text": text,
            "active": path == href or (href != "/" and path.startswith(href)),
        }
        for href, text in items
    ]
