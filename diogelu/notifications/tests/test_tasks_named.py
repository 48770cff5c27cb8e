"""Notifications name the child in the app (an access-logged read) and never in email; they link
to their task, clear when it is done, and can be filtered."""

from __future__ import annotations

from django.urls import reverse

from diogelu.access.models import AccessLog
from diogelu.notifications.delivery import deliver_pending
from diogelu.notifications.models import InboxItem, Kind
from diogelu.sharing import services as sharing
from diogelu.sharing.models import OutcomeNotification
from diogelu.sharing.tests.journey import decided_for_strategy


def test_the_inbox_names_the_child_and_logs_the_read_but_email_does_not(world, mailoutbox):
    world.police_officer.email = "dc.example@police.example"
    world.police_officer.save(update_fields=["email"])
    decided_for_strategy(world)
    deliver_pending()
    client = world.client_for(world.police_officer)
    before = AccessLog.objects.filter(user=world.police_officer, route="inbox").count()
    body = client.get(reverse("inbox")).content.decode()
    assert f"Child: Siân Prydderch ({world.child.la_reference})" in body
    outcome = OutcomeNotification.objects.get(recipient_agency=world.police)
    assert f'href="/outcomes/{outcome.pk}/"' in body  # the notification links to its task
    rows = AccessLog.objects.filter(user=world.police_officer, route="inbox")
    last = rows.last()
    assert rows.count() == before + 1 and last is not None and last.person == world.child
    # emails carry only references
    police_mail = [m for m in mailoutbox if world.police_officer.email in m.to]
    assert police_mail and all("Siân" not in m.subject + m.body for m in police_mail)


def test_a_child_the_user_may_not_see_is_not_named(world):
    j = decided_for_strategy(world)
    deliver_pending()
    # health answered "nothing held" and is not involved with the sibling or the child
    item = InboxItem.objects.filter(user=world.health_practitioner).first()
    assert item is not None
    body = world.client_for(world.health_practitioner).get(reverse("inbox")).content.decode()
    assert "Siân Prydderch" not in body and "Dafydd Prydderch" not in body
    assert not AccessLog.objects.filter(user=world.health_practitioner, route="inbox").exists()
    assert j.report.reference in body or item.message.subject in body


def test_done_tasks_clear_and_filters_show_them(world):
    decided_for_strategy(world)
    deliver_pending()
    outcome = OutcomeNotification.objects.get(recipient_agency=world.police)
    sharing.acknowledge_outcome(actor=world.police_officer, notification=outcome)
    client = world.client_for(world.police_officer)
    link = f'href="/outcomes/{outcome.pk}/"'
    assert link not in client.get(reverse("inbox")).content.decode()  # still to do: cleared
    assert link in client.get(reverse("inbox") + "?show=done").content.decode()
    assert link in client.get(reverse("inbox") + "?show=all").content.decode()
    only_requests = client.get(reverse("inbox") + f"?show=all&kind={Kind.INFORMATION_REQUEST}")
    assert link not in only_requests.content.decode()
    assert client.get(reverse("inbox") + "?show=nonsense&kind=nonsense").status_code == 200


def test_a_subject_is_read_in_the_readers_language(world, mailoutbox, settings):
    """Subjects are stored as message keys with parameters: the inbox shows them in the page's
    language, an email in the recipient's preferred language."""
    world.police_officer.email = "dc.example@police.example"
    world.police_officer.preferred_language = "cy"
    world.police_officer.save(update_fields=["email", "preferred_language"])
    j = decided_for_strategy(world)
    deliver_pending()
    welsh = f"Canlyniad i’w gydnabod: adroddiad {j.report.reference}"
    english = f"Outcome to acknowledge on report {j.report.reference}"
    emails = [m for m in mailoutbox if world.police_officer.email in m.to]
    assert any(welsh in m.subject for m in emails)
    client = world.client_for(world.police_officer)
    assert english in client.get(reverse("inbox")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    try:
        assert welsh in client.get(reverse("inbox")).content.decode()
    finally:
        from django.utils import translation

        translation.activate(settings.LANGUAGE_CODE)  # the request left Welsh active
