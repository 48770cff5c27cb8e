"""A user's own notifications: nobody sees another person's inbox (404 alike)."""

from __future__ import annotations

from collections.abc import Iterable
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


def children_named(
    user: User, items: Iterable[InboxItem], *, request: HttpRequest | None = None
) -> dict[int, list[tuple[str, str]]]:
    """For each inbox item, the (name, reference) of each child it is about whom ``user`` may
    see. Showing a name is a read of the child's record: each child named is written to the
    access log (part summary, route ``inbox``). Children the user may not see are left out: the
    message's own words name only references."""
    from diogelu.access.models import Part
    from diogelu.access.services import log_reads
    from diogelu.people.models import Person

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
