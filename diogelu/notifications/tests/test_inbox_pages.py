"""The in-app notifications page: the user's own items, unread first, marked read by POST."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from diogelu.notifications.delivery import deliver_pending
from diogelu.notifications.models import InboxItem
from diogelu.sharing.tests.journey import with_requests


def test_anonymous_is_sent_to_sign_in(db):
    response = Client().get(reverse("inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign_in"))


def test_empty_inbox_says_what_will_appear(world):
    body = world.client_for(world.social_worker).get(reverse("inbox")).content.decode()
    assert "You have no notifications" in body


def test_inbox_unread_first_and_mark_read(world):
    with_requests(world)
    deliver_pending()
    items = list(InboxItem.objects.filter(user=world.police_officer))
    assert items
    client = world.client_for(world.police_officer)
    body = client.get(reverse("inbox")).content.decode()
    assert "MASH information request" in body and "Unread" in body
    nav = client.get(reverse("my_work")).content.decode()
    assert f"Notifications ({len(items)} unread)" in nav
    item = items[0]
    assert client.get(reverse("inbox_read", args=[item.pk])).status_code == 405
    assert client.post(reverse("inbox_read", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    first = item.read_at
    assert first is not None
    assert client.post(reverse("inbox_read", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert item.read_at == first  # again is harmless


def test_someone_elses_notification_is_404(world):
    with_requests(world)
    deliver_pending()
    item = InboxItem.objects.filter(user=world.police_officer)[0]
    response = world.client_for(world.school_lead).post(reverse("inbox_read", args=[item.pk]))
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.read_at is None
    body = world.client_for(world.school_lead).get(reverse("inbox")).content.decode()
    assert f'action="{reverse("inbox_read", args=[item.pk])}"' not in body


def test_mark_all_read(world):
    with_requests(world)
    deliver_pending()
    client = world.client_for(world.police_officer)
    assert client.post(reverse("inbox_read_all")).status_code == 302
    assert not InboxItem.objects.filter(user=world.police_officer, read_at__isnull=True).exists()
    assert InboxItem.objects.filter(user=world.school_lead, read_at__isnull=True).exists()
