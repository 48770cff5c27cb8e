"""The outbox over a real SMTP server (aiosmtpd on a local port), as production sends: one
connection for a sweep's emails, not one per email, and an email the server refuses fails alone
and is sent again by the next sweep (ADR 0826)."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from diogelu.accounts.models import Role
from diogelu.notifications import services as outbox
from diogelu.notifications.delivery import deliver_pending
from diogelu.notifications.models import InboxItem, Kind, OutboxMessage
from tests import factories as f


@dataclass
class Relay:
    """What the server saw: each accepted email's recipient and the connection it came on, and
    the Message-IDs."""

    received: list[tuple[str, int]] = field(default_factory=list)
    message_ids: list[str] = field(default_factory=list)
    refuse_next: int = 0
    connections: int = 0

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_next:
            self.refuse_next -= 1
            return "421 closing the connection"
        self.received.append((envelope.rcpt_tos[0], id(session)))
        self.message_ids.append(str(email.message_from_bytes(envelope.content)["Message-ID"]))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def relay(settings) -> Iterator[Relay]:
    handler = Relay()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_TIMEOUT = 5
    try:
        yield handler
    finally:
        controller.stop()


def _messages(world, count: int) -> None:
    """``count`` messages to the authority's team managers: two, each with an address."""
    second = f.user(world.authority, Role.TEAM_MANAGER, username="manager2")
    for user in (world.manager, second):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    for n in range(count):
        assert outbox.enqueue(
            kind=Kind.REPORT_RECEIVED,
            dedupe_key=f"smtp-test:{n}",
            subject=f"Message {n}",
            agency=world.authority,
            roles=[Role.TEAM_MANAGER],
        )


@pytest.mark.django_db
def test_a_sweep_sends_its_emails_on_one_connection(world, relay):
    _messages(world, 3)
    assert deliver_pending() == 3
    assert (
        sorted(to for to, _ in relay.received)
        == ["manager2@example.org"] * 3 + ["manager@example.org"] * 3
    )
    # One SMTP session for the six emails (six sessions before 2026-12-06).
    assert relay.connections == 1
    assert len({session for _, session in relay.received}) == 1


@pytest.mark.django_db
def test_a_refused_email_is_sent_again_by_the_next_sweep_and_the_rest_go_on(world, relay):
    _messages(world, 3)
    relay.refuse_next = 1  # the server refuses the first email (421: closing)
    assert deliver_pending() == 2
    pending = OutboxMessage.objects.get(delivered_at__isnull=True)
    assert pending.last_error.startswith("SMTP")
    # The other emails went on a connection opened again after the failure.
    assert len(relay.received) == 5
    assert relay.connections == 2
    # The inbox items were delivered whatever the mail server did.
    assert InboxItem.objects.count() == 6
    assert deliver_pending() == 1
    assert len(relay.received) == 6
    # Each message reached each manager's mailbox once.
    assert len(set(relay.message_ids)) == 6
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 0
