"""What is waiting in My work for conferences and the register.

Partners: invitations whose report is still to be sent, and circulated records still to be
acknowledged. The authority's social work staff: conferences convened and not yet held, records
not yet circulated (the registered children they lead are the plans' queue: ``plans/queues.py``).
Every list is built from the access helpers, so nobody sees a child they may not see.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from diogelu import procedures
from diogelu.conferences.access import (
    _invitations_for,
    _signed_in,
    conferences_seen_whole,
    is_conference_staff,
    may_still_read,
    visible_conferences,
)
from diogelu.conferences.models import Circulation, Conference, ConferenceChild, ConferenceStatus
from diogelu.sharing.queues import stored_due

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet

    from diogelu.accounts.models import User


def invitations_to_answer(user: User, now: datetime.datetime) -> list[dict[str, Any]]:
    """Agency invitations to conferences not yet held whose report has not been sent."""
    # The invitations whose report is due first, through their partial indexes, then their
    # conferences by key: one query joining the two read the conferences in key order and
    # every invitation the agency ever had (issue 17).
    pending = list(_invitations_for(user).filter(report_submitted_at__isnull=True).order_by())
    convened = {
        c.pk: c
        for c in Conference.objects.filter(
            pk__in={i.conference_id for i in pending}, status=ConferenceStatus.CONVENED
        )
    }
    found = [i for i in pending if i.conference_id in convened]
    for i in found:
        i.conference = convened[i.conference_id]
    # Soonest first, as the list always was: by the date set (none set: last), then due.
    found.sort(
        key=lambda i: (
            i.conference.scheduled_for is None,
            i.conference.scheduled_for or i.conference.due_at,
            i.conference.due_at,
            i.pk,
        )
    )
    whole = conferences_seen_whole(user, [i.conference for i in found])
    return [
        {"invitation": i, "conference": i.conference} for i in found if i.conference_id in whole
    ]


def records_to_acknowledge(user: User, now: datetime.datetime) -> list[dict[str, Any]]:
    """Circulated conference records sent to this user (or their agency) not yet acknowledged,
    each with its clock (``outcome.acknowledge`` from sending, as the reminders use). Records
    sent for a family member are acknowledged by social services and are not listed."""
    return [
        {
            "x": c,
            "timeliness": procedures.timeliness(
                procedures.due("outcome.acknowledge", c.sent_at), now
            ),
        }
        for c in _unacknowledged(user)
    ]


def _unacknowledged(user: User) -> list[Circulation]:
    if not _signed_in(user):
        return []
    found = (
        Circulation.objects.filter(acknowledged_at__isnull=True)
        .filter(Q(recipient_user_id=user.pk) | Q(recipient_agency_id=user.agency_id))
        .select_related("conference")
        .order_by("sent_at")
    )
    return [c for c in found if may_still_read(user, c)]


def conferences_waiting(user: User) -> QuerySet[Conference]:
    """For the authority's social work staff: conferences they convened or whose children they
    lead that are waiting to be held, or held with the record not yet circulated, soonest due
    first (a query: My work pages it)."""
    if not is_conference_staff(user):
        return Conference.objects.none()
    # The conferences of the children they lead found first, through the index on the lead
    # practitioner: "convened by me or one of my children's" as an OR over a join read every
    # conference of the authority (issue 17).
    waiting = Q(status=ConferenceStatus.CONVENED) | Q(
        status=ConferenceStatus.HELD, record_circulated_at__isnull=True
    )
    led = (
        ConferenceChild.objects.filter(episode__lead_practitioner_id=user.pk)
        .filter(Q(conference__in=Conference.objects.filter(waiting).values("pk")))
        .values_list("conference_id", flat=True)
    )
    mine = Q(convened_by_id=user.pk) | Q(pk__in=set(led))
    return (
        visible_conferences(user).filter(mine).filter(waiting).order_by("due_at", "pk").distinct()
    )


def conference_rows(
    conferences: Iterable[Conference], now: datetime.datetime
) -> list[dict[str, Any]]:
    """Each conference with what is to be done and how close it is to due."""
    rows = []
    for conference in conferences:
        if conference.status == ConferenceStatus.CONVENED:
            due = stored_due(conference.due_rule, conference.created_at, conference.due_at)
            to_do = "hold"
        else:
            assert conference.held_at is not None
            assert conference.record_due_at is not None
            due = stored_due("icpc.circulate_record", conference.held_at, conference.record_due_at)
            to_do = "circulate"
        rows.append(
            {"c": conference, "to_do": to_do, "timeliness": procedures.timeliness(due, now)}
        )
    return rows
