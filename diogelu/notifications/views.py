"""Marking in-app notifications as read (by POST). The inbox page itself is project level
(``diogelu/inbox.py``): it names the children of each notification, which needs the access and
people apps above this one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diogelu.core.views import AuthedRequest
from diogelu.notifications import access, services


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
