"""The section 47 queues: a social worker's enquiries (and the conference due after a
determination 3), a manager's determinations to ratify, and each enquiry's due date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

from diogelu import procedures
from diogelu.accounts.models import MANAGER_ROLES
from diogelu.core.deadlines import stored_due
from diogelu.enquiries.access import visible_enquiries
from diogelu.enquiries.models import Section47Enquiry
from diogelu.procedures import Due, Timeliness

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet

    from diogelu.accounts.models import User


def enquiry_due(enquiry: Section47Enquiry) -> Due:
    return stored_due("s47.assessment", enquiry.started_on, enquiry.due_at)


@dataclass(frozen=True)
class EnquiryRow:
    enquiry: Section47Enquiry
    timeliness: Timeliness
    conference: Timeliness | None = None


def determinations_to_ratify(user: User) -> list[Section47Enquiry]:
    """Determination 1 ("not substantiated") waiting for a manager (not the one who made it)."""
    if not user.has_role(*MANAGER_ROLES):
        return []
    # The few waiting first, through their partial index (``s47_to_ratify``), then those the
    # user may see: in one query PostgreSQL took the waiting for thousands (it counts the two
    # conditions apart) and read every report of the authority in parallel to find none (5.8 ms
    # at Wales scale; issue 17).
    waiting = list(
        Section47Enquiry.objects.filter(determination="1", ratified_at__isnull=True)
        .exclude(determined_by_id=user.pk)
        .values_list("pk", flat=True)
    )
    if not waiting:
        return []
    return list(
        visible_enquiries(user)
        .filter(pk__in=waiting)
        .select_related(None)
        .select_related("report")
        .order_by("determined_at")
    )


def my_open_enquiries(user: User) -> QuerySet[Section47Enquiry]:
    """Section 47 enquiries this social worker leads that have no determination yet, or a
    determination 3 whose conference is not convened, soonest due first (a query: My work pages
    it)."""
    return (
        visible_enquiries(user)
        .filter(lead_social_worker_id=user.pk)
        .filter(Q(determination="") | Q(determination="3"))
        # Once its conference is convened, the conference is the work (My work lists it).
        .exclude(conferences__status__in=["CONVENED", "HELD"])
        # Only the report is shown. The visibility query's other eight joins cost PostgreSQL
        # 30 ms to plan on every My work (issue 17); its filters are subqueries, so no row is
        # repeated and no DISTINCT is needed.
        .select_related(None)
        .select_related("report")
        .order_by("due_at", "pk")
    )


def enquiry_rows(enquiries: Iterable[Section47Enquiry], now: datetime.datetime) -> list[EnquiryRow]:
    """Each enquiry with how close it is to due (and its conference's, after a determination 3)."""
    rows = []
    for enquiry in enquiries:
        conference = None
        if enquiry.conference_due_at is not None:
            last = enquiry.report.strategy_discussions.order_by("-held_at").first()
            start = last.held_at if last else enquiry.started_on
            conference = procedures.timeliness(
                stored_due("icpc.convene", start, enquiry.conference_due_at), now
            )
        rows.append(
            EnquiryRow(
                enquiry=enquiry,
                timeliness=procedures.timeliness(
                    enquiry_due(enquiry),
                    now,
                    completed_at=enquiry.determined_at,
                ),
                conference=conference,
            )
        )
    return rows


def partner_strategies_section(user: User, now: datetime.datetime) -> dict[str, object] | None:
    """My work for a partner agency: the strategy discussions it took part in, to read back
    (ADR 0640); the newest 20, each linking to its record. Names no child."""
    from diogelu.accounts.roles import is_partner_worker
    from diogelu.enquiries.access import visible_strategies

    if not is_partner_worker(user):
        return None
    strategies = list(visible_strategies(user).order_by("-held_at", "-pk")[:20])
    if not strategies:
        return None
    return {"template": "enquiries/_my_work_strategies.jinja", "strategies": strategies}
