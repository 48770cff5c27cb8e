"""A conference invitation names the child (in the app, to an invitee who may see the child),
the date, the time and the venue; its email names only the reference."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from diogelu.conferences.models import Conference
from diogelu.conferences.tests.test_journey import at, convened
from diogelu.notifications.delivery import deliver_pending
from diogelu.notifications.models import OutboxMessage


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as traveller:
        yield traveller


def test_the_invitation_names_child_date_time_and_venue(world, clock, mailoutbox):
    world.police_officer.email = "dc.example@police.example"
    world.police_officer.save(update_fields=["email"])
    with translation.override("en"):
        convened(world, clock)
    conference = Conference.objects.get()
    deliver_pending()
    message = OutboxMessage.objects.get(
        dedupe_key__startswith="conference-invite:", recipient_user=world.police_officer
    )
    assert world.child.la_reference in message.subject
    assert "19 January 2026 at 10:00" in message.subject
    assert "venue" in message.body.lower()
    assert message.link == reverse("show_conference", args=[conference.pk])
    assert world.child.pk in message.people
    inbox = world.client_for(world.police_officer).get(reverse("inbox")).content.decode()
    assert f"Child: Siân Prydderch ({world.child.la_reference})" in inbox
    emails = [m for m in mailoutbox if world.police_officer.email in m.to]
    assert emails and all("Siân" not in m.subject + m.body for m in emails)
