"""Naming the children an inbox item is about, for those who may see them (issue 10).

Registered with the outbox (``notifications.access.register_child_namer``) by the people app: the
outbox knows no people and writes no access log; naming a child is a read of their record.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from diogelu.access.models import Part
from diogelu.access.services import log_reads
from diogelu.people.models import Person

if TYPE_CHECKING:
    from django.http import HttpRequest

    from diogelu.accounts.models import User
    from diogelu.notifications.models import InboxItem


def children_named(
    user: User, items: Iterable[InboxItem], *, request: HttpRequest | None = None
) -> dict[int, list[tuple[str, str]]]:
    """For each inbox item, the (name, reference) of each child it is about whom ``user`` may
    see. Showing a name is a read of the child's record: each child named is written to the
    access log (part summary, route ``inbox``). Children the user may not see are left out: the
    message's own words name only references."""
    items = list(items)
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
