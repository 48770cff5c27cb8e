"""The in-app notifications: the user's inbox, unread first; marking as read by POST."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diogelu.core.views import AuthedRequest
from diogelu.notifications import access, services
from diogelu.notifications.models import Kind


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
        "children": access.children_named(request.user, items, request=request),
        "show": show,
        "kind": kind,
        "kinds": Kind.choices,
        "query": urlencode({"show": show, "kind": kind}),
    }
    return render(request, "notifications/inbox.jinja", context)


@require_POST
def mark_read_view(request: AuthedRequest, pk: int) -> HttpResponse:
    item = access.access_inbox_item(request.user, pk)
    services.mark_read(actor=request.user, items=[item])
    return HttpResponseRedirect(reverse("inbox"))


@require_POST
def mark_all_read_view(request: AuthedRequest) -> HttpResponse:
    changed = services.mark_read(
        actor=request.user, items=access.visible_inbox(request.user).filter(read_at__isnull=True)
    )
    if changed:
        messages.success(request, _("All notifications marked as read"))
    return HttpResponseRedirect(reverse("inbox"))
