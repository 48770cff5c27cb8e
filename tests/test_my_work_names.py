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


def test_requests_and_outcomes_children_are_decided_and_logged_together(world):
    """A partner's My work names the children of its requests and of its outcomes: one access
    decision per child and one insert into the log for both lists, not one of each per list
    (issue 17), with the same rows as before: the request's child read as the report names
    them, the outcome's child as a summary."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from diogelu.access.models import Part

    decided_for_strategy(world)  # an outcome for the police to acknowledge
    with_requests(world)  # and a new report's request for them to answer
    client = world.client_for(world.police_officer)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse("my_work")).content.decode()
    assert "Requests to answer" in body and "Outcomes to acknowledge" in body
    sql = [q["sql"] for q in ctx.captured_queries]
    assert sum(s.startswith('INSERT INTO "access_accesslog" ') for s in sql) == 1
    # decide_many's look-up of the officer's involvements with the children named
    assert sum(s.startswith('SELECT "access_involvement"."id"') for s in sql) == 1
    rows = list(
        AccessLog.objects.filter(user=world.police_officer, route="my_work")
        .order_by("pk")
        .values_list("person_id", "part", "basis")
    )
    assert rows == [
        (world.child.pk, Part.REPORT, Basis.INVOLVEMENT),
        (world.child.pk, Part.SUMMARY, Basis.INVOLVEMENT),
    ]
