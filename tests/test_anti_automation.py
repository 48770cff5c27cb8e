"""Anti-automation (issue 11, defect 5): limits in a store every worker shares, a per-address limit
on failed sign-ins across usernames, a maximum API page size, and an alert to the information
governance lead when one user reads an unusual number of children's records in an hour."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from diogelu.access.alerts import alert_read_volume
from diogelu.access.models import AccessLog, Basis, Channel, Part, ReadVolumeAlert
from diogelu.accounts.models import Role
from diogelu.core.sweeps import registered_sweeps
from diogelu.notifications.delivery import deliver_pending
from diogelu.notifications.models import InboxItem, Kind, OutboxMessage
from tests import factories as f

PROBLEM = "application/problem+json"


def sign_in(client: Client, username: str, password: str) -> int:
    response = client.post(reverse("sign_in"), {"username": username, "password": password})
    return int(response.status_code)


def test_a_password_spray_from_one_address_is_stopped(world):
    """60 usernames, one wrong password each, from one address: axes locks no (username,
    address) pair, but the address is refused once it passes the limit, even with a right
    password; another address is not affected."""
    spray = Client(REMOTE_ADDR="203.0.113.9")
    answers = [sign_in(spray, f"user{i}", "Summer2026!Summer") for i in range(60)]
    limit = settings.SIGN_IN_IP_FAILURE_LIMIT
    assert answers[:limit] == [400] * limit
    assert set(answers[limit:]) == {429}
    assert sign_in(spray, world.social_worker.username, f.PASSWORD) == 429
    page = spray.post(reverse("sign_in"), {"username": "sw", "password": f.PASSWORD})
    assert "Too many attempts to sign in" in page.content.decode()
    assert page["Retry-After"] == str(settings.SIGN_IN_IP_WINDOW_SECONDS)
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert sign_in(elsewhere, world.social_worker.username, f.PASSWORD) == 302


def test_the_address_limit_ends_with_its_window(world, settings):
    settings.SIGN_IN_IP_FAILURE_LIMIT = 3
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 5, tzinfo=datetime.UTC)) as clock:
        client = Client(REMOTE_ADDR="203.0.113.10")
        for i in range(3):
            sign_in(client, f"someone{i}", "wrong-password-123")
        assert sign_in(client, world.social_worker.username, f.PASSWORD) == 429
        clock.shift(datetime.timedelta(hours=1))
        assert sign_in(client, world.social_worker.username, f.PASSWORD) == 302


def test_limits_live_in_a_store_every_worker_shares(world):
    """Not the per-process memory cache: Redis where REDIS_URL is set, otherwise the database.
    A second connection to the cache (another worker) sees the count of the first."""
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in (
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    )
    client = Client(REMOTE_ADDR="203.0.113.11")
    sign_in(client, "nobody", "wrong-password-123")
    other_worker = caches.create_connection("default")
    if backend.endswith("DatabaseCache"):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM diogelu_cache WHERE cache_key LIKE %s", ["%sign-in%"]
            )
            assert cursor.fetchone()[0] == 1
    assert other_worker is not caches["default"]


def test_the_api_throttle_counts_in_the_shared_store(world, settings):
    from rest_framework.throttling import UserRateThrottle

    original = UserRateThrottle.THROTTLE_RATES
    UserRateThrottle.THROTTLE_RATES = {"user": "3/hour"}
    try:
        token = f.token(world.social_worker)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        answers = [client.get("/api/v1/me/").status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        key = f"throttle_user_{world.social_worker.pk}"
        other_worker = caches.create_connection("default")
        assert len(other_worker.get(key)) == 3
    finally:
        UserRateThrottle.THROTTLE_RATES = original


@pytest.mark.parametrize("limit", ["100000", "101", "0", "-1", "many"])
def test_an_api_list_refuses_a_page_above_the_maximum(world, limit):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {f.token(world.social_worker)}")
    response = client.get("/api/v1/people/", {"limit": limit})
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert not AccessLog.objects.exists()


def test_an_api_list_gives_up_to_the_maximum(world):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {f.token(world.social_worker)}")
    response = client.get("/api/v1/people/", {"limit": settings.API_MAX_PAGE_SIZE})
    assert response.status_code == 200
    schema = client.get("/api/v1/schema/").content.decode()
    assert f"maximum: {settings.API_MAX_PAGE_SIZE}" in schema


def _reads(user, people, at):
    for person in people:
        AccessLog.objects.create(
            at=at,
            user=user,
            agency=user.agency,
            person=person,
            channel=Channel.API,
            route="test",
            part=Part.SUMMARY,
            basis=Basis.AUTHORITY_STAFF,
        )


def test_reading_many_records_in_an_hour_alerts_the_ig_lead(world, settings):
    settings.READ_VOLUME_ALERT_THRESHOLD = 3
    ig_lead = f.user(world.authority, Role.IG_LEAD, username="ig")
    other_ig = f.user(world.other_authority, Role.IG_LEAD, username="otherig")
    now = timezone.now()
    people = [world.child, world.sibling, world.mother] + [
        f.person(world.authority) for _ in range(2)
    ]
    _reads(world.social_worker, people[:3], now - datetime.timedelta(minutes=30))
    _reads(world.manager, people, now - datetime.timedelta(hours=2))  # outside the hour
    assert alert_read_volume(now) == 0  # three, not more than three
    _reads(world.social_worker, people[3:] + people[:2], now - datetime.timedelta(minutes=5))
    assert alert_read_volume(now) == 1
    alert = ReadVolumeAlert.objects.get()
    assert (alert.user, alert.authority, alert.records_read, alert.threshold) == (
        world.social_worker,
        world.authority,
        5,
        3,
    )
    deliver_pending()
    message = OutboxMessage.objects.get(kind=Kind.READ_VOLUME)
    assert InboxItem.objects.filter(message=message, user=ig_lead).exists()
    assert not InboxItem.objects.filter(message=message, user=other_ig).exists()
    assert not InboxItem.objects.filter(message=message, user=world.manager).exists()
    assert "Siân" not in message.body and "Prydderch" not in message.body
    # Idempotent: the next tick in the same hour raises nothing new.
    assert alert_read_volume(now + datetime.timedelta(minutes=15)) == 0
    page = Client()
    page.force_login(ig_lead)
    assert (
        "Unusual numbers of records read"
        in page.get(reverse("break_glass_review")).content.decode()
    )


def test_the_alert_is_a_registered_sweep():
    assert dict(registered_sweeps())["read_volume_alerted"] is alert_read_volume
