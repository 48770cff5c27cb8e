"""The transactional outbox: written with the change, delivered once, retried, deduplicated.

Runs on any database (SQLite by default, PostgreSQL in CI). Email goes to Django's locmem
backend through pytest-django's ``mailoutbox``.
"""

from __future__ import annotations

import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from diogelu.accounts.models import PARTNER_WORK_ROLES, Role
from diogelu.notifications import services as outbox
from diogelu.notifications.delivery import deliver_pending, message_id, recipients
from diogelu.notifications.models import EmailDelivery, InboxItem, Kind, OutboxMessage
from diogelu.notifications.tests.helpers import draft_report, leads, submitted_report
from diogelu.referrals import services as referrals
from diogelu.referrals.models import Report, ReportStatus
from diogelu.sharing import services as sharing
from diogelu.sharing.models import Priority
from tests import factories as f


class RollbackError(Exception):
    pass


@pytest.fixture
def emails(world):
    """Give the personas email addresses (factories leave them blank)."""
    for user in (world.mash, world.manager, world.social_worker, world.police_officer):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return world


def inbox_users(message: OutboxMessage) -> set[str]:
    return set(InboxItem.objects.filter(message=message).values_list("user__username", flat=True))


# --- written with the change ---------------------------------------------------------------


def test_message_is_written_in_the_same_transaction_as_the_change(
    world, django_capture_on_commit_callbacks
):
    draft = draft_report(world)
    inside: list[tuple[int, str]] = []

    def submit_then_roll_back() -> None:
        with transaction.atomic():
            referrals.submit_report(actor=world.school_lead, report=draft)
            inside.append(
                (
                    OutboxMessage.objects.filter(kind=Kind.REPORT_RECEIVED).count(),
                    Report.objects.get(pk=draft.pk).status,
                )
            )
            raise RollbackError

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RollbackError):
        submit_then_roll_back()
    # Inside the transaction the message exists with the change it announces...
    assert inside == [(1, ReportStatus.SUBMITTED)]
    # ...and a rollback takes both away, and no delivery is asked for.
    assert OutboxMessage.objects.count() == 0
    assert Report.objects.get(pk=draft.pk).status == ReportStatus.DRAFT
    assert callbacks == []

    with django_capture_on_commit_callbacks() as callbacks:
        report = referrals.submit_report(actor=world.school_lead, report=draft)
    message = OutboxMessage.objects.get()
    assert message.kind == Kind.REPORT_RECEIVED
    assert message.dedupe_key == f"report-received:{report.pk}"
    assert message.delivered_at is None
    assert outbox._kick in callbacks  # delivery is asked for only once the change commits


def test_a_failing_service_writes_no_message(world):
    draft = draft_report(world)
    referrals.save_report_answers(
        actor=world.school_lead,
        report=draft,
        expected_version=draft.version,
        answers={"what_happened": ""},
    )
    with pytest.raises(Exception, match="what happened"):
        referrals.submit_report(actor=world.school_lead, report=Report.objects.get(pk=draft.pk))
    assert OutboxMessage.objects.count() == 0


def test_eager_kick_delivers_at_commit(world, settings, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the embedded default
    with django_capture_on_commit_callbacks(execute=True):
        submitted_report(world)
    assert OutboxMessage.objects.get().delivered_at is not None
    assert InboxItem.objects.filter(user=world.mash).count() == 1


def test_broker_down_leaves_the_message_for_the_sweep(
    world, settings, django_capture_on_commit_callbacks, caplog
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with (
        mock.patch(
            "diogelu.notifications.tasks.deliver_outbox.delay", side_effect=ConnectionError
        ) as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        submitted_report(world)
    assert delay.called
    assert "left for the sweep" in caplog.text
    assert OutboxMessage.objects.get().delivered_at is None
    call_command("tick", stdout=mock.MagicMock())
    assert OutboxMessage.objects.get().delivered_at is not None
    assert InboxItem.objects.filter(user=world.mash).count() == 1


# --- delivered once, to the right people ------------------------------------------------------


def test_delivery_reaches_the_right_users_once_with_one_email_each(emails, mailoutbox):
    world = emails
    report = submitted_report(world)
    leads(world)  # a police safeguarding lead, and a police clerk with no role
    child = report.children.get()
    request = sharing.request_information(
        actor=world.mash,
        report=report,
        child=child,
        agency=world.police,
        priority=Priority.STANDARD,
        question="What do you hold about this child?",
    )
    assert deliver_pending() == 2

    announced = OutboxMessage.objects.get(kind=Kind.REPORT_RECEIVED)
    # The authority's MASH practitioners and team managers; not its social worker, not partners.
    assert inbox_users(announced) == {"mash", "manager"}
    asked = OutboxMessage.objects.get(kind=Kind.INFORMATION_REQUEST)
    assert asked.recipient_agency == world.police
    assert set(asked.recipient_roles) == {str(r) for r in PARTNER_WORK_ROLES}
    # Police users holding a partner work role (the officer and the lead), not the clerk.
    assert inbox_users(asked) == {"police", "plead"}
    assert "pclerk" not in inbox_users(asked)

    # One email per user with an address, per message.
    sent = sorted((m.to[0], m.subject) for m in mailoutbox)
    assert [to for to, _ in sent] == [
        "manager@example.org",
        "mash@example.org",
        "police@example.org",
    ]
    assert all(subject.startswith("[Diogelu] ") for _, subject in sent)
    assert EmailDelivery.objects.count() == 3
    assert f"/requests/{request.pk}/" in next(
        m.body for m in mailoutbox if m.to == ["police@example.org"]
    )

    # A second (and third) sweep delivers nothing again.
    assert deliver_pending() == 0
    call_command("tick", stdout=mock.MagicMock())
    assert InboxItem.objects.count() == 4
    assert len(mailoutbox) == 3
    assert all(m.delivered_at is not None and m.attempts == 1 for m in OutboxMessage.objects.all())


def test_message_to_one_user(emails, mailoutbox):
    world = emails
    message = outbox.enqueue(
        kind=Kind.REMINDER,
        dedupe_key="test:one-user",
        subject="Reminder",
        user=world.social_worker,
        send_email=False,
    )
    assert message is not None
    assert list(recipients(message)) == [world.social_worker]
    assert deliver_pending() == 1
    assert inbox_users(message) == {"sw"}
    assert mailoutbox == []  # send_email=False: in-app only


def test_agency_without_roles_reaches_every_active_user(world):
    message = outbox.enqueue(
        kind=Kind.REMINDER,
        dedupe_key="test:agency",
        subject="All of the school",
        agency=world.school,
    )
    assert message is not None
    extra = f.user(world.school, username="school-office")
    deliver_pending()
    assert inbox_users(message) == {"school", extra.username}


def test_a_message_needs_a_recipient():
    with pytest.raises(ValueError):
        outbox.enqueue(kind=Kind.REMINDER, dedupe_key="x", subject="nobody")


# --- failures, retries, dedupe, inactive users --------------------------------------------------


def test_a_failing_message_is_left_pending_and_does_not_block_the_others(emails, mailoutbox):
    world = emails
    bad = outbox.enqueue(
        kind=Kind.REMINDER, dedupe_key="test:bad", subject="Bad one", user=world.mash
    )
    good = outbox.enqueue(
        kind=Kind.REMINDER, dedupe_key="test:good", subject="Good one", user=world.manager
    )
    assert bad is not None and good is not None
    real = InboxItem.objects.get_or_create

    def broken(*, user, message):
        if message.pk == bad.pk:
            raise RuntimeError("database hiccup")
        return real(user=user, message=message)

    with mock.patch.object(InboxItem.objects, "get_or_create", side_effect=broken):
        assert deliver_pending() == 1
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.delivered_at is None
    assert bad.attempts == 1
    assert bad.last_error == "RuntimeError"
    assert not InboxItem.objects.filter(message=bad).exists()
    assert good.delivered_at is not None
    assert [m.subject for m in mailoutbox] == ["[Diogelu] Good one"]

    # The next sweep delivers it, once.
    assert deliver_pending() == 1
    bad.refresh_from_db()
    assert bad.delivered_at is not None and bad.attempts == 2
    assert inbox_users(bad) == {"mash"}
    assert sorted(m.subject for m in mailoutbox) == ["[Diogelu] Bad one", "[Diogelu] Good one"]


def test_a_failed_email_is_retried_without_sending_the_others_again(emails, mailoutbox):
    world = emails
    message = outbox.enqueue(
        kind=Kind.REMINDER,
        dedupe_key="test:two-users",
        subject="To the MASH",
        agency=world.authority,
        roles=[Role.MASH_PRACTITIONER, Role.TEAM_MANAGER],
    )
    assert message is not None
    from diogelu.notifications.delivery import send_mail as real_send

    def flaky(**kw):
        if kw["recipient_list"] == ["mash@example.org"]:
            raise smtplib.SMTPServerDisconnected("gone")
        return real_send(**kw)

    with mock.patch("diogelu.notifications.delivery.send_mail", side_effect=flaky):
        assert deliver_pending() == 0
    message.refresh_from_db()
    assert message.delivered_at is None
    assert message.attempts == 1
    assert message.last_error == "SMTPServerDisconnected"
    assert [m.to for m in mailoutbox] == [["manager@example.org"]]
    assert deliver_pending() == 1
    message.refresh_from_db()
    assert message.delivered_at is not None and message.attempts == 2
    # The manager's email is not sent a second time; the practitioner's now arrives.
    assert sorted(m.to[0] for m in mailoutbox) == ["manager@example.org", "mash@example.org"]
    assert inbox_users(message) == {"mash", "manager"}


def test_messages_that_keep_failing_do_not_starve_new_ones(world):
    old = [
        outbox.enqueue(kind=Kind.REMINDER, dedupe_key=f"test:old{i}", subject="x", user=world.mash)
        for i in range(2)
    ]
    new = outbox.enqueue(kind=Kind.REMINDER, dedupe_key="test:new", subject="y", user=world.manager)
    assert new is not None
    failing = {m.pk for m in old if m is not None}
    real = InboxItem.objects.get_or_create

    def broken(*, user, message):
        if message.pk in failing:
            raise RuntimeError("poison")
        return real(user=user, message=message)

    with mock.patch.object(InboxItem.objects, "get_or_create", side_effect=broken):
        deliver_pending(limit=2)  # the two old ones fail
        deliver_pending(limit=2)  # the new one goes before those retried
    new.refresh_from_db()
    assert new.delivered_at is not None
    assert OutboxMessage.objects.filter(pk__in=failing, delivered_at__isnull=True).count() == 2


def test_dedupe_key_makes_reannouncing_a_no_op(world, django_capture_on_commit_callbacks):
    kw = {"kind": Kind.REMINDER, "dedupe_key": "test:once", "subject": "Once", "user": world.mash}
    with django_capture_on_commit_callbacks() as callbacks:
        first = outbox.enqueue(**kw)
        second = outbox.enqueue(**{**kw, "subject": "Twice?"})
    assert first is not None and second is None
    assert len(callbacks) == 1
    assert OutboxMessage.objects.get().subject == "Once"
    deliver_pending()
    assert outbox.enqueue(**kw) is None  # also after delivery
    assert deliver_pending() == 0
    assert InboxItem.objects.filter(user=world.mash).count() == 1


def test_submitting_twice_announces_once(world):
    draft = draft_report(world)
    referrals.submit_report(actor=world.school_lead, report=draft)
    referrals.submit_report(actor=world.school_lead, report=draft)  # a double click
    assert OutboxMessage.objects.filter(kind=Kind.REPORT_RECEIVED).count() == 1


def test_an_inactive_user_gets_nothing(emails, mailoutbox):
    world = emails
    world.manager.is_active = False
    world.manager.save(update_fields=["is_active"])
    submitted_report(world)  # to the MASH practitioners and team managers of the authority
    direct = outbox.enqueue(
        kind=Kind.REMINDER,
        dedupe_key="test:inactive",
        subject="For the manager",
        user=world.manager,
    )
    assert direct is not None
    assert deliver_pending() == 2
    assert not InboxItem.objects.filter(user=world.manager).exists()
    assert InboxItem.objects.filter(user=world.mash).count() == 1
    assert [m.to for m in mailoutbox] == [["mash@example.org"]]
    direct.refresh_from_db()
    assert direct.delivered_at is not None  # nothing owed: not retried for ever


def test_mail_outbox_is_locmem(mailoutbox, settings):
    # The unit tests above prove single sends against Django's in-memory backend.
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    assert mail.outbox is mailoutbox


def test_tasks_use_the_project_celery_app(settings):
    # A web process imports the tasks without ever importing diogelu.celery; the tasks must still
    # go to the configured broker (Redis in production), not Celery's default AMQP app.
    from diogelu.notifications.tasks import deliver_outbox, run_reminders

    for task in (deliver_outbox, run_reminders):
        assert task.app.main == "diogelu"
        assert task.app.conf.broker_url == settings.CELERY_BROKER_URL


def test_outcome_for_a_public_reporter_goes_to_the_mash_not_every_la_user(world):
    # A report the local authority took by phone from a member of the public: the authority
    # tells the reporter, so its outcome is for the MASH (who may acknowledge it), not for every
    # social worker, auditor or administrator of the authority.
    report = referrals.start_report(actor=world.mash, authority=world.authority, channel="PHONE")
    referrals.add_child(
        actor=world.mash, report=report, fields={"given_name": "Siân", "family_name": "P"}
    )
    report = referrals.save_report_answers(
        actor=world.mash,
        report=report,
        expected_version=report.version,
        answers={
            "what_happened": "A neighbour heard shouting and a child crying every night.",
            "categories": ["EMOTIONAL"],
            "immediate_danger": "NO",
            "family_aware": "NOT_KNOWN",
            "lawful_basis": "SAFEGUARDING",
            "reporter_kind": "PUBLIC",
            "reporter_name": "A neighbour",
        },
    )
    report = referrals.submit_report(actor=world.mash, report=report)
    referrals.create_person_for_child(actor=world.mash, child=report.children.get())
    referrals.record_decision(
        actor=world.manager,
        report=report,
        outcome="IAA",
        rationale="Advice to the family through the health visitor.",
    )
    message = OutboxMessage.objects.get(kind=Kind.OUTCOME)
    assert message.recipient_agency == world.authority
    deliver_pending()
    assert inbox_users(message) == {"mash", "manager"}  # not "sw"


def test_an_email_sent_again_after_a_crash_carries_the_same_message_id(emails, mailoutbox):
    """Issue 11, defect 7: a worker killed after the mail server took an email but before its
    delivery was recorded sends it again on retry (16 of 3,000 in the chaos run). The copy has
    the same Message-ID, derived from the outbox row and the recipient, so a mail system can
    drop it; another message or another recipient gets a different one."""
    world = emails
    message = outbox.enqueue(
        kind=Kind.REMINDER,
        dedupe_key="test:message-id",
        subject="Reminder",
        user=world.social_worker,
        send_email=True,
    )
    other = outbox.enqueue(
        kind=Kind.REMINDER,
        dedupe_key="test:message-id-2",
        subject="Reminder",
        user=world.social_worker,
        send_email=True,
    )
    assert message is not None and other is not None
    deliver_pending()
    first = {m.extra_headers["Message-ID"] for m in mailoutbox}
    assert len(first) == 2
    assert all(mid.startswith("<outbox-") and mid.endswith(">") for mid in first)
    # The crash: the email left, its delivery record and the message's delivered mark did not.
    EmailDelivery.objects.filter(message=message).delete()
    OutboxMessage.objects.filter(pk=message.pk).update(delivered_at=None)
    deliver_pending()
    assert len(mailoutbox) == 3
    resent = mailoutbox[2].extra_headers["Message-ID"]
    assert resent == message_id(message, world.social_worker)
    assert resent != message_id(other, world.social_worker)
    assert resent != message_id(message, world.mash)
