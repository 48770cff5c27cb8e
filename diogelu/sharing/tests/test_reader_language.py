"""Outcomes, chronology events and emails are read in the reader's language, whoever wrote them
(issue 10, "content in the reader's language"; ADR 0017)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from diogelu.chronology.models import ChronologyEvent, EventKind
from diogelu.notifications.delivery import deliver_pending
from diogelu.sharing.models import OutcomeNotification
from diogelu.sharing.tests.journey import decided_for_strategy

ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")


@pytest.fixture
def welsh(settings):
    yield settings.LANGUAGE_COOKIE_NAME
    translation.activate(settings.LANGUAGE_CODE)  # a Welsh request leaves Welsh active


def test_an_outcome_written_in_english_is_read_in_welsh(world, welsh):
    j = decided_for_strategy(world)  # the MASH worked in English
    outcome = OutcomeNotification.objects.get(recipient_agency=world.police)
    ref = j.report.reference
    assert outcome.title == (
        f"Report {ref}: Strategy discussion (reasonable cause to suspect significant harm)"
    )
    client = world.client_for(world.police_officer)
    page = client.get(reverse("show_outcome", args=[outcome.pk])).content.decode()
    assert "Strategy discussion (reasonable cause to suspect significant harm)" in page
    client.cookies[welsh] = "cy"
    page = client.get(reverse("show_outcome", args=[outcome.pk])).content.decode()
    assert "Trafodaeth strategaeth (achos rhesymol dros amau niwed sylweddol)" in page
    assert "Penderfyniad:" in page or "Plant:" in page  # the agency content's own words
    assert "Strategy discussion (reasonable cause" not in page
    # the API answers in the caller's language too
    from django.test import Client

    from tests import factories

    api_client = Client(HTTP_AUTHORIZATION=f"Bearer {factories.token(world.police_officer)}")
    api = api_client.get(f"/api/v1/outcomes/{outcome.pk}/", HTTP_ACCEPT_LANGUAGE="cy").json()
    assert "Trafodaeth strategaeth" in api["title"]


def test_a_welsh_writer_stores_keys_not_welsh_text(world):
    with translation.override("cy"):
        j = decided_for_strategy(world)
    outcome = OutcomeNotification.objects.get(recipient_agency=world.police)
    assert outcome.title_text is not None
    assert outcome.title_text["k"] == "Report %(ref)s: %(outcome)s"
    assert outcome.title.startswith(f"Report {j.report.reference}: Strategy discussion")
    with translation.override("en"):
        assert "Strategy discussion" in outcome.reader_title
    event = ChronologyEvent.objects.filter(person=world.child, kind=EventKind.REPORT).first()
    assert event is not None
    with translation.override("en"):
        assert event.reader_title == f"Report {j.report.reference} received"
    with translation.override("cy"):
        assert event.reader_title == f"Adroddiad {j.report.reference} wedi dod i law"


def test_the_chronology_timeline_is_in_the_readers_language(world, welsh):
    j = decided_for_strategy(world)
    client = world.client_for(world.social_worker)
    client.cookies[welsh] = "cy"
    page = client.get(reverse("person_chronology", args=[world.child.pk])).content.decode()
    assert f"Adroddiad {j.report.reference} wedi dod i law" in page
    assert f"Report {j.report.reference} received" not in page


def test_an_email_body_is_in_the_recipients_language_with_no_iso_date(world, mailoutbox):
    from diogelu.core.texts import msg, on_date
    from diogelu.notifications.models import Kind
    from diogelu.notifications.services import enqueue

    world.police_officer.email = "dc.example@police.example"
    world.police_officer.preferred_language = "cy"
    world.police_officer.save(update_fields=["email", "preferred_language"])
    enqueue(
        kind=Kind.REMINDER,
        dedupe_key="texts-test",
        subject="",
        subject_key="You are the lead practitioner for a registered child",
        body=msg("First core group by %(date)s.", date=on_date(datetime.date(2026, 1, 5))),
        user=world.police_officer,
    )
    deliver_pending()
    mail = [m for m in mailoutbox if world.police_officer.email in m.to][-1]
    assert "Ionawr 2026" in mail.body and not ISO_DATE.search(mail.body)
    assert "First core group" not in mail.body


def test_the_disclosure_log_is_in_the_readers_language(world, welsh):
    """What the log says was shared is kept as message keys: an English writer's MASH check and
    answer read in Welsh (the log showed the writer's English before)."""
    from diogelu.sharing.models import Disclosure
    from diogelu.sharing.tests.journey import answered

    answered(world)
    request_row = Disclosure.objects.filter(kind="INFORMATION_REQUEST").first()
    assert request_row is not None and request_row.text is not None
    assert request_row.description.startswith("MASH check ")
    client = world.client_for(world.manager)
    english = client.get(reverse("disclosure_log")).content.decode()
    assert "the child&#39;s identity and question" in english
    client.cookies[welsh] = "cy"
    page = client.get(reverse("disclosure_log")).content.decode()
    assert "hunaniaeth y plentyn a&#39;r cwestiwn" in page
    assert "Ateb i wiriad MASH" in page
    assert "identity and question" not in page
