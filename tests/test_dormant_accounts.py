"""Dormant accounts (SECURITY.md §1 row 26): not used for DORMANT_DAYS → deactivated by the sweep,
administrators told through the outbox, sessions and tokens stopped; idempotent."""

from __future__ import annotations

import datetime
import io
import logging

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from diogelu.accounts.dormant import deactivate_dormant_accounts
from diogelu.accounts.models import AgencyKind, ApiToken, Role, User
from diogelu.notifications.delivery import deliver_pending
from diogelu.notifications.models import InboxItem, OutboxMessage
from diogelu.notifications.reminders import run_reminders
from tests import factories as f

UTC = datetime.UTC
DAY0 = datetime.datetime(2030, 1, 6, 9, 0, tzinfo=UTC)


@pytest.fixture
def accounts(db):
    with time_machine.travel(DAY0, tick=False) as clock:
        authority = f.agency(AgencyKind.LOCAL_AUTHORITY, "Glanrafon Children's Services")
        police = f.agency(AgencyKind.POLICE, "Dyffryn Police")
        police.partner_of.add(authority)
        admin = f.user(authority, Role.ADMINISTRATOR, username="admin")
        sw = f.user(authority, Role.SOCIAL_WORKER, username="sw")
        officer = f.user(police, Role.POLICE_OFFICER, username="officer")
        never = f.user(authority, Role.SOCIAL_WORKER, username="never-signed-in")
        yield {
            "clock": clock,
            "authority": authority,
            "admin": admin,
            "sw": sw,
            "officer": officer,
            "never": never,
        }


def _sign_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("sign_in"), {"username": username, "password": f.PASSWORD})
    assert response.status_code == 302
    return client


def _active(user: User) -> bool:
    user.refresh_from_db()
    return user.is_active


def test_unused_for_dormant_days_are_deactivated_and_admins_told(accounts, settings, caplog):
    settings.DORMANT_DAYS = 90
    clock = accounts["clock"]
    sw_client = _sign_in("sw")
    _sign_in("admin")
    _sign_in("officer")
    clock.shift(datetime.timedelta(days=60))
    _sign_in("admin")  # the administrator keeps using the service
    clock.shift(datetime.timedelta(days=30, seconds=-1))
    assert deactivate_dormant_accounts() == 0  # 90 days less a second: not yet
    clock.shift(datetime.timedelta(seconds=2))
    with caplog.at_level(logging.INFO, logger="diogelu.accounts.dormant"):
        assert deactivate_dormant_accounts() == 3
    assert not _active(accounts["sw"])
    assert not _active(accounts["officer"])
    assert not _active(accounts["never"])  # never signed in: counted from when it was made
    assert _active(accounts["admin"])
    # Their sessions stop at once.
    assert sw_client.get(reverse("my_work")).status_code == 302
    # Logged with the user id only.
    lines = [r.getMessage() for r in caplog.records]
    assert f"accounts: user {accounts['sw'].pk} deactivated after 90 days unused" in lines
    assert not any("sw" in line.split() for line in lines)
    # The authority's administrators are told (for the partner agency user too).
    messages = OutboxMessage.objects.filter(recipient_agency=accounts["authority"])
    assert messages.count() == 3
    assert all(m.recipient_roles == [Role.ADMINISTRATOR] for m in messages)
    subjects = sorted(m.subject for m in messages)
    assert "Account officer was deactivated: not used for 90 days" in subjects
    assert deliver_pending() == 3
    assert InboxItem.objects.filter(user=accounts["admin"]).count() == 3
    assert _sign_in("admin").get(reverse("my_work")).status_code == 200  # still works


def test_the_sweep_is_idempotent(accounts, settings):
    settings.DORMANT_DAYS = 90
    accounts["clock"].shift(datetime.timedelta(days=91))
    first = deactivate_dormant_accounts()
    assert first == 4  # nobody signed in at all, the administrator included
    assert deactivate_dormant_accounts() == 0
    assert OutboxMessage.objects.count() == 4
    accounts["clock"].shift(datetime.timedelta(days=1))
    assert deactivate_dormant_accounts() == 0
    assert OutboxMessage.objects.count() == 4


def test_recent_api_token_use_counts_as_use(accounts, settings):
    settings.DORMANT_DAYS = 90
    token = f.token(accounts["officer"], days=365)
    accounts["clock"].shift(datetime.timedelta(days=80))
    used = Client().get("/api/v1/me/", headers={"Authorization": f"Bearer {token}"})
    assert used.status_code == 200
    accounts["clock"].shift(datetime.timedelta(days=20))
    deactivate_dormant_accounts()
    assert _active(accounts["officer"])  # used through the API 20 days ago
    assert not _active(accounts["sw"])


def test_deactivation_revokes_api_tokens(accounts, settings):
    settings.DORMANT_DAYS = 90
    token = f.token(accounts["sw"])
    accounts["clock"].shift(datetime.timedelta(days=91))
    deactivate_dormant_accounts()
    assert ApiToken.objects.get(user=accounts["sw"]).revoked_at is not None
    response = Client().get("/api/v1/me/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_automatic_accounts_and_inactive_accounts_are_left_alone(accounts, settings):
    from diogelu.conferences.reminders import system_actor

    settings.DORMANT_DAYS = 90
    automatic = system_actor(accounts["authority"])
    accounts["clock"].shift(datetime.timedelta(days=365))
    before = User.objects.get(pk=automatic.pk).session_generation
    deactivate_dormant_accounts()
    automatic.refresh_from_db()
    assert automatic.session_generation == before
    assert not OutboxMessage.objects.filter(subject__contains=automatic.username).exists()


def test_zero_turns_the_sweep_off(accounts, settings):
    settings.DORMANT_DAYS = 0
    accounts["clock"].shift(datetime.timedelta(days=365))
    assert deactivate_dormant_accounts() == 0
    assert _active(accounts["sw"])


def test_tick_and_celery_run_the_sweep(accounts, settings):
    settings.DORMANT_DAYS = 90
    accounts["clock"].shift(datetime.timedelta(days=91))
    assert run_reminders()["accounts_deactivated"] == 4
    out = io.StringIO()
    call_command("tick", stdout=out)
    assert "accounts_deactivated 0" in out.getvalue()
