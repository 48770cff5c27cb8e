"""A user's own notifications: nobody sees another person's inbox (404 alike)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F, QuerySet
from django.http import Http404

from diogelu.notifications.models import InboxItem

if TYPE_CHECKING:
    from diogelu.accounts.models import User


def visible_inbox(user: User) -> QuerySet[InboxItem]:
    """The user's inbox items, unread first, newest first."""
    if not user.is_authenticated:
        return InboxItem.objects.none()
    return (
        InboxItem.objects.filter(user_id=user.pk)
        .select_related("message")
        .order_by(F("read_at").desc(nulls_first=True), "-created_at")
    )


#: The inbox filters: which items each shows.
FILTERS = ("open", "unread", "done", "all")


def filtered_inbox(user: User, show: str, kind: str = "") -> QuerySet[InboxItem]:
    """The user's inbox by filter: ``open`` (the default) leaves out items whose task is done;
    ``unread``; ``done`` (task done); ``all``. ``kind`` narrows to one kind of notification."""
    items = visible_inbox(user)
    if show == "unread":
        items = items.filter(read_at__isnull=True)
    elif show == "done":
        items = items.filter(message__done_at__isnull=False)
    elif show != "all":
        items = items.filter(message__done_at__isnull=True)
    if kind:
        items = items.filter(message__kind=kind)
    return items


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return InboxItem.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def access_inbox_item(user: User, pk: object) -> InboxItem:
    try:
        key = int(str(pk))
    except (TypeError, ValueError):
        raise Http404 from None
    item = visible_inbox(user).filter(pk=key).first()
    if item is None:
        raise Http404
    return item
