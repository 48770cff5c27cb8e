"""The inbox page: the signed-in person's notifications, open tasks first, filterable, each
naming the children it is about (to a user who may see them) and linking to its task.

Project level, like ``my_work.py``: naming a child is a read of the child's record (``access``,
``people``), which the ``notifications`` app, below them, may not import.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from diogelu.access.models import Part
from diogelu.access.services import log_reads
from diogelu.accounts.models import User
from diogelu.core.views import AuthedRequest
from diogelu.notifications import access
from diogelu.notifications.models import InboxItem, Kind
from diogelu.people.models import Person


def children_named(
    user: User, items: Iterable[InboxItem], *, request: HttpRequest | None = None
) -> dict[int, list[tuple[str, str]]]:
    """For each inbox item, the (name, reference) of each child it is about whom ``user`` may
    see. Showing a name is a read of the child's record: each child named is written to the
    access log (part summary, route ``inbox``). Children the user may not see are left out: the
    message's own words name only references."""
    wanted = {int(pid) for item in items for pid in item.message.people}
    if not wanted:
        return {}
    people = {
        p.pk: p
        for p in Person.objects.visible_to(user).filter(pk__in=wanted, merged_into__isnull=True)
    }
    if people:
        log_reads(user, people.values(), part=Part.SUMMARY, route="inbox", request=request)
    named: dict[int, list[tuple[str, str]]] = {}
    for item in items:
        found = [people[pid] for pid in item.message.people if pid in people]
        named[item.pk] = [(p.full_name, p.la_reference) for p in found]
    return named


def inbox_view(request: AuthedRequest) -> HttpResponse:
    """The inbox: open tasks by default, filterable; each item names the children it is about
    (to a user who may see them: an access-logged read) and links to its task."""
    show = request.GET.get("show", "open")
    show = show if show in access.FILTERS else "open"
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    paginator = Paginator(access.filtered_inbox(request.user, show, kind), 50)
    page = paginator.get_page(request.GET.get("page"))
    items = list(page.object_list)
    context = {
        "page": page,
        "items": items,
        "paginator": paginator,
        "unread": access.unread_count(request.user),
        "has_any": bool(items) or access.visible_inbox(request.user).exists(),
        "children": children_named(request.user, items, request=request),
        "show": show,
        "kind": kind,
        "kinds": Kind.choices,
        "query": urlencode({"show": show, "kind": kind}),
    }
    return render(request, "notifications/inbox.jinja", context)
