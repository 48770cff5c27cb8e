"""The service navigation, by what the signed-in person's roles allow (and the ``shell`` context
processor that gives it to every page).

Project level, like ``urls.py``: it links to every app's pages, so no app (core included) imports
it; settings name ``diogelu.navigation.shell`` in the Jinja2 and Django template options."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from diogelu.accounts.models import Role


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation_for(request: HttpRequest) -> list[dict[str, Any]]:
    """Items for govukServiceNavigation, the current page marked active."""
    from diogelu.accounts.roles import is_mash_viewer, is_partner_worker
    from diogelu.notifications.access import unread_count
    from diogelu.sharing.access import may_read_disclosures

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items: list[tuple[str | None, str]] = [(reverse("my_work"), _("My work"))]
    if is_mash_viewer(user):
        items.append((_url("mash_dashboard"), _("MASH")))
    elif may_read_disclosures(user):
        items.append((_url("disclosure_log"), _("Disclosure log")))
    if is_partner_worker(user):
        items.append((_url("request_queue"), _("Requests")))
    if is_partner_worker(user) or is_mash_viewer(user):
        items.append((_url("outcome_list"), _("Outcomes")))
    items.append((_url("your_reports"), _("Reports")))
    items.append((reverse("search_people"), _("People")))
    from diogelu.accounts.roles import is_conference_staff

    if is_conference_staff(user):
        items.append((_url("register_list"), _("Register")))
    if user.has_role(Role.ADMINISTRATOR):
        items.append((reverse("agency_list"), _("Agencies and users")))
    if user.has_role(Role.IG_LEAD):
        items.append((reverse("break_glass_review"), _("Emergency access")))
    from diogelu.core.extensions import extra_nav_items

    items.extend(extra_nav_items(user))
    unread = unread_count(user)
    items.append(
        (
            _url("inbox"),
            _("Notifications (%(n)s unread)") % {"n": unread} if unread else _("Notifications"),
        )
    )
    items.append((reverse("account"), _("Your account")))
    path = request.path
    return [
        {
            "href": href,
            "text": text,
            "active": path == href or (href != "/" and path.startswith(href)),
        }
        for href, text in items
        if href
    ]


def shell(request: HttpRequest) -> dict[str, Any]:
    """Context every page shell needs: navigation items for the signed-in person's roles."""
    return {"nav_items": navigation_for(request)}
