"""A user's own notifications: nobody sees another person's inbox (404 alike)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest

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


#: Who names the children an inbox item is about (registered by the people app, which may see
#: people and write the access log; the outbox itself knows neither).
ChildNamer = Callable[..., dict[int, list[tuple[str, str]]]]
_NAMER: list[ChildNamer] = []


def register_child_namer(namer: ChildNamer) -> None:
    """Register the function that names each inbox item's children (one at a time)."""
    _NAMER[:] = [namer]


def children_named(
    user: User, items: Iterable[InboxItem], *, request: HttpRequest | None = None
) -> dict[int, list[tuple[str, str]]]:
    """For each inbox item, the (name, reference) of each child it is about whom ``user`` may
    see, from the registered namer (``people.inbox.children_named``); nothing when none is."""
    if not _NAMER:
        return {}
    return _NAMER[0](user, items, request=request)


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
