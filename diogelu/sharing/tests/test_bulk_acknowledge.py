"""An agency acknowledges several outcomes at once from /outcomes/ (a plain form), and the
notifications about them clear."""

from __future__ import annotations

from django.urls import reverse

from diogelu.notifications.delivery import deliver_pending
from diogelu.notifications.models import InboxItem
from diogelu.sharing.models import OutcomeNotification
from diogelu.sharing.tests.journey import decided_for_strategy


def police_outcomes(world, reports=3):
    for _ in range(reports):
        decided_for_strategy(world)
    deliver_pending()
    return list(OutcomeNotification.objects.filter(recipient_agency=world.police).order_by("pk"))


def test_the_police_acknowledge_several_outcomes_at_once(world):
    outcomes = police_outcomes(world)
    assert len(outcomes) >= 3
    client = world.client_for(world.police_officer)
    page = client.get(reverse("outcome_list")).content.decode()
    assert 'type="checkbox"' in page and "Acknowledge selected outcomes" in page
    inbox = InboxItem.objects.filter(
        user=world.police_officer, message__task__startswith="outcome:"
    )
    assert inbox.filter(read_at__isnull=True).count() == len(outcomes)
    chosen = outcomes[:2]
    response = client.post(reverse("outcome_list"), {"outcomes": [o.pk for o in chosen]})
    assert response.status_code == 302
    for o in outcomes:
        o.refresh_from_db()
    assert [o.acknowledged_by for o in outcomes[:2]] == [world.police_officer] * 2
    assert outcomes[2].acknowledged_at is None
    # the notifications about the two are done and clear from the inbox; the third stays
    assert inbox.filter(read_at__isnull=True).count() == len(outcomes) - 2
    assert all(i.message.done_at for i in inbox.filter(message__task=f"outcome:{chosen[0].pk}"))
    page = client.get(reverse("outcome_list")).content.decode()
    assert "You have acknowledged 2 outcomes" in page


def test_nothing_selected_is_a_clear_error(world):
    police_outcomes(world, reports=1)
    response = world.client_for(world.police_officer).post(reverse("outcome_list"), {})
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body and "Select" in body


def test_another_agencys_outcome_in_the_selection_changes_nothing(world):
    outcomes = police_outcomes(world, reports=1)
    school = OutcomeNotification.objects.filter(recipient_agency=world.school).first()
    assert school is not None
    for ids in ([outcomes[0].pk, school.pk], [outcomes[0].pk, 987654321], ["x"]):
        response = world.client_for(world.police_officer).post(
            reverse("outcome_list"), {"outcomes": ids}
        )
        assert response.status_code == 400
    assert not OutcomeNotification.objects.filter(acknowledged_at__isnull=False).exists()
