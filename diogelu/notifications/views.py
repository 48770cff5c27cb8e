"""The in-app notifications: the user's inbox, unread first; marking as read by POST."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diogelu.core.views import AuthedRequest
from diogelu.notifications import access, services


def inbox_view(request: AuthedRequest) -> HttpResponse:
    paginator = Paginator(access.visible_inbox(request.user), 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.jinja",
        {"page": page, "paginator": paginator, "unread": access.unread_count(request.user)},
    )


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
