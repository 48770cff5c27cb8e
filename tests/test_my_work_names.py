"""Every task on My work names its child (name and reference), as an access-logged read."""

from __future__ import annotations

from django.urls import reverse

from diogelu.access.models import AccessLog, Basis
from diogelu.sharing.tests.journey import decided_for_strategy, with_requests


def test_a_request_to_answer_names_the_child(world):
    with_requests(world)
    body = world.client_for(world.health_practitioner).get(reverse("my_work")).content.decode()
    assert f"about Siân Prydderch ({world.child.la_reference})" in body
    row = AccessLog.objects.get(user=world.health_practitioner, route="my_work")
    assert (row.person, row.basis) == (world.child, Basis.MASH_REQUEST)


def test_an_outcome_to_acknowledge_names_the_children_the_user_may_see(world):
    decided_for_strategy(world)
    body = world.client_for(world.police_officer).get(reverse("my_work")).content.decode()
    assert f"Siân Prydderch ({world.child.la_reference})" in body
    # the police are not involved with the sibling: not named
    assert "Dafydd Prydderch" not in body
    logged = set(
        AccessLog.objects.filter(user=world.police_officer, route="my_work").values_list(
            "person_id", flat=True
        )
    )
    assert logged == {world.child.pk}
