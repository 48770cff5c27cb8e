"""Work lists: open section 47 enquiries and conferences to be held, paged and filtered, within
what the user may see, each page in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator

from diogelu import procedures
from diogelu.accounts.models import Role
from diogelu.conferences.access import visible_conferences
from diogelu.conferences.models import Conference, ConferenceStatus
from diogelu.core.deadlines import stored_due
from diogelu.enquiries.access import visible_enquiries
from diogelu.enquiries.queues import enquiry_due

if TYPE_CHECKING:
    from diogelu.accounts.models import User

PAGE_SIZE = 25


@dataclass(frozen=True)
class ListRow:
    obj: Any
    people: list[Any]
    timeliness: procedures.Timeliness


def open_enquiries(
    user: User,
    now: datetime.datetime,
    *,
    page: str | int = 1,
    mine: bool = False,
    overdue: bool = False,
    sort: str = "due",
) -> tuple[Page[Any], list[ListRow]]:
    """Section 47 enquiries without a determination, soonest due first (or newest first)."""
    enquiries = visible_enquiries(user).filter(determination="")
    if mine:
        enquiries = enquiries.filter(lead_social_worker_id=user.pk)
    if overdue:
        enquiries = enquiries.filter(due_at__lt=now)
    order = ("-started_on", "-pk") if sort == "started" else ("due_at", "pk")
    found = Paginator(enquiries.order_by(*order), PAGE_SIZE).get_page(page)
    rows = [
        ListRow(e, [e.person], procedures.timeliness(enquiry_due(e), now))
        for e in found.object_list
    ]
    return found, rows


def conferences_to_hold(
    user: User,
    now: datetime.datetime,
    *,
    page: str | int = 1,
    chaired: bool = False,
    sort: str = "due",
) -> tuple[Page[Any], list[ListRow]]:
    """Convened conferences not yet held. A conference chair sees the ones they chair."""
    conferences = visible_conferences(user).filter(status=ConferenceStatus.CONVENED)
    if chaired or (
        user.has_role(Role.CONFERENCE_CHAIR)
        and not user.has_role(Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE)
    ):
        conferences = conferences.filter(chair_id=user.pk)
    order = ("scheduled_for", "due_at", "pk") if sort == "scheduled" else ("due_at", "pk")
    found = Paginator(
        conferences.order_by(*order).prefetch_related("children__person"), PAGE_SIZE
    ).get_page(page)
    rows = []
    for c in found.object_list:
        assert isinstance(c, Conference)
        due = stored_due(c.due_rule, c.created_at, c.due_at)
        people = [child.person for child in c.children.all()]
        rows.append(ListRow(c, people, procedures.timeliness(due, now)))
    return found, rows
