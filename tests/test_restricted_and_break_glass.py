"""Restricted records: named users only; break-glass with a written reason, time-limited,
logged, and listed for the information governance lead."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from diogelu.access import services
from diogelu.access.models import AccessLog, AppendOnlyError, Basis, BreakGlass
from diogelu.accounts.models import Role
from diogelu.core.exceptions import DomainError, NotPermittedError
from tests import factories as f

REASON = "Police at the door at 02:00 asking whether the child is known to us."


@pytest.fixture
def restricted(world):
    world.child.is_restricted = True
    world.child.save()
    return world


def open_glass(client, ref, reason=REASON, code="IMMEDIATE_RISK"):
    return client.post(
        reverse("break_glass"), {"la_reference": ref, "reason_code": code, "reason": reason}
    )


def test_restricted_record_hidden_from_unnamed_staff_and_partners(restricted):
    w = restricted
    for user in (w.social_worker, w.manager, w.police_officer, w.school_lead):
        assert w.client_for(user).get(reverse("show_person", args=[w.child.pk])).status_code == 404


def test_named_user_sees_restricted_record(restricted):
    w = restricted
    services.grant_restricted_access(
        actor=w.manager, person=w.child, user=w.social_worker, reason="Allocated"
    )
    response = w.client_for(w.social_worker).get(reverse("show_person", args=[w.child.pk]))
    assert response.status_code == 200
    assert AccessLog.objects.get(user=w.social_worker).basis == Basis.RESTRICTED_GRANT


def test_only_managers_name_users_on_restricted_records(restricted):
    with pytest.raises(NotPermittedError):
        services.grant_restricted_access(
            actor=restricted.social_worker,
            person=restricted.child,
            user=restricted.social_worker,
            reason="x",
        )


def test_break_glass_flow(restricted, settings):
    w = restricted
    ig = f.user(w.authority, Role.IG_LEAD, username="ig")
    client = w.client_for(w.social_worker)
    response = open_glass(client, w.child.la_reference.lower())
    assert response.status_code == 302
    assert response["Location"] == reverse("show_person", args=[w.child.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "emergency access" in page.content.decode()
    row = AccessLog.objects.get(user=w.social_worker)
    assert row.basis == Basis.BREAK_GLASS
    assert row.break_glass is not None
    # the IG lead sees it and reviews it
    review = w.client_for(ig).get(reverse("break_glass_review"))
    assert REASON in review.content.decode()
    glass = BreakGlass.objects.get()
    w.client_for(ig).post(
        reverse("review_break_glass", args=[glass.pk]), {"note": "Justified: EDT call."}
    )
    glass.refresh_from_db()
    assert glass.reviewed_by == ig
    # and it expires
    later = glass.expires_at + datetime.timedelta(minutes=1)
    with time_machine.travel(later):
        assert client.get(reverse("show_person", args=[w.child.pk])).status_code in (302, 404)


def test_break_glass_needs_a_real_reason(restricted):
    client = restricted.client_for(restricted.social_worker)
    response = open_glass(client, restricted.child.la_reference, reason="because")
    assert response.status_code == 400
    assert "at least 20 characters" in response.content.decode()
    assert BreakGlass.objects.count() == 0


def test_break_glass_answers_alike_for_unknown_and_unrestricted_references(restricted):
    client = restricted.client_for(restricted.social_worker)
    unknown = open_glass(client, "NOPE-000001")
    unrestricted = open_glass(client, restricted.sibling.la_reference)
    other_la = open_glass(client, restricted.other_child.la_reference)
    for response in (unknown, unrestricted, other_la):
        assert response.status_code == 400
        assert "Emergency access cannot be opened for this reference" in response.content.decode()
    assert BreakGlass.objects.count() == 0


def test_partners_cannot_break_glass(restricted):
    client = restricted.client_for(restricted.police_officer)
    assert client.get(reverse("break_glass")).status_code == 404
    with pytest.raises(NotPermittedError):
        services.break_glass(
            actor=restricted.police_officer,
            person=restricted.child,
            reason_code="OTHER",
            reason=REASON,
        )


def test_only_the_ig_lead_reviews(restricted):
    glass = services.break_glass(
        actor=restricted.social_worker, person=restricted.child, reason_code="OTHER", reason=REASON
    )
    assert (
        restricted.client_for(restricted.manager).get(reverse("break_glass_review")).status_code
        == 404
    )
    with pytest.raises(NotPermittedError):
        services.review_break_glass(actor=restricted.manager, access=glass, note="fine")
    with pytest.raises(DomainError):
        services.break_glass(
            actor=restricted.social_worker,
            person=restricted.child,
            reason_code="BAD",
            reason=REASON,
        )


def test_access_log_cannot_be_changed_or_deleted(world):
    world.client_for(world.social_worker).get(reverse("show_person", args=[world.child.pk]))
    row = AccessLog.objects.get()
    row.route = "tampered"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=row.pk).update(route="tampered")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()


def test_database_refuses_to_update_the_access_log(world):
    world.client_for(world.social_worker).get(reverse("show_person", args=[world.child.pk]))
    row_id = AccessLog.objects.get().pk
    with pytest.raises(Exception) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE access_accesslog SET route = 'x' WHERE id = %s", [row_id])
    assert "append-only" in str(caught.value)
    assert not isinstance(caught.value, IntegrityError) or "append-only" in str(caught.value)
    if connection.vendor == "postgresql":
        with (
            pytest.raises(Exception) as caught,
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM access_accesslog WHERE id = %s", [row_id])
        assert "append-only" in str(caught.value)


def test_the_ig_lead_is_alerted_to_every_new_emergency_access(restricted, mailoutbox):
    from diogelu.notifications.delivery import deliver_pending
    from diogelu.notifications.models import InboxItem

    w = restricted
    ig = f.user(w.authority, Role.IG_LEAD, username="ig", email="ig@glanrafon.example")
    other_ig = f.user(w.other_authority, Role.IG_LEAD, username="ig2")
    for _ in range(2):
        assert open_glass(w.client_for(w.social_worker), w.child.la_reference).status_code == 302
        BreakGlass.objects.update(expires_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    deliver_pending()
    glasses = list(BreakGlass.objects.order_by("pk"))
    items = InboxItem.objects.filter(user=ig).select_related("message").order_by("pk")
    assert [i.message.link for i in items] == [
        reverse("review_break_glass", args=[g.pk]) for g in glasses
    ]
    assert all(w.child.la_reference in i.message.subject for i in items)
    assert not InboxItem.objects.filter(user__in=[other_ig, w.manager]).exists()
    # the email names the reference, never the child
    assert mailoutbox and all("Siân" not in m.subject + m.body for m in mailoutbox)
    # reviewing clears the alert
    services.review_break_glass(actor=ig, access=glasses[0], note="Justified: EDT call.")
    items = list(items)
    items[0].refresh_from_db()
    assert items[0].read_at is not None and items[0].message.task == f"break-glass:{glasses[0].pk}"
