"""Which of the authority's information requests its MASH may see (``access.visible_requests``):
every one but those about a restricted child the reader is not named on, counted without
reading every person (ADR 0848, addendum 3)."""

from __future__ import annotations

import re

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diogelu.access import services as access_services
from diogelu.sharing import access
from diogelu.sharing import services as sharing
from diogelu.sharing.models import Priority
from diogelu.sharing.tests.test_queues import at, received_friday


def _ask(world, report, person):
    with time_machine.travel(at(2026, 5, 26, 10, 0), tick=False):
        return sharing.request_information(
            actor=world.mash,
            report=report,
            child=report.children.get(person=person),
            agency=world.police,
            priority=Priority.STANDARD,
            question="Anything known?",
        )


def _seen(user):
    found = access.visible_requests(user)
    return set(found.values_list("pk", flat=True)), found.count()


def test_a_request_about_a_restricted_child_is_hidden_until_the_reader_is_named(world):
    report = received_friday(world)
    about_child = _ask(world, report, world.child)
    about_sibling = _ask(world, report, world.sibling)
    assert _seen(world.mash) == ({about_child.pk, about_sibling.pk}, 2)

    world.sibling.is_restricted = True
    world.sibling.save(update_fields=["is_restricted"])
    for reader in (world.mash, world.manager):
        assert _seen(reader) == ({about_child.pk}, 1)
    # The police are asked about both: a partner's requests are the ones addressed to it.
    assert _seen(world.police_officer)[1] == 2

    access_services.grant_restricted_access(
        actor=world.manager, person=world.sibling, user=world.mash, reason="MASH enquiry"
    )
    assert _seen(world.mash) == ({about_child.pk, about_sibling.pk}, 2)
    assert _seen(world.manager) == ({about_child.pk}, 1)  # named on nothing
    assert _seen(world.other_la_worker) == (set(), 0)


def test_the_authority_s_requests_are_counted_without_joining_every_person(world):
    """Regression: "is each request's child of this authority and not hidden" joined every
    report child to every person: 131 ms of a manager's API requests list at a county of
    300,000 people. A report's children are linked only to people of its authority (ADR 0816,
    kept by the database), so only the few restricted records are read."""
    report = received_friday(world)
    _ask(world, report, world.child)
    with CaptureQueriesContext(connection) as queries:
        assert access.visible_requests(world.manager).count() == 1
    (sql,) = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    assert 'JOIN "people_person"' not in sql
    assert 'JOIN "referrals_reportchild"' not in sql  # the few hidden children, read apart
    reads = [m.end() for m in re.finditer(r'FROM "people_person"', sql)]
    assert reads
    for end in reads:
        assert '"is_restricted"' in sql[end : end + 120], sql[end - 40 : end + 120]
