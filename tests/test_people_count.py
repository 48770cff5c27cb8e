"""How many people a user may see, without reading them all (issue 17, ADR 0817).

PostgreSQL keeps each authority's live people (not merged) by statement triggers; the API
people list's ``count`` is that less the user's hidden records, or a partner's involvements
counted once per person. Each must equal counting the rule itself, through every way the
people table changes.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from diogelu.access.models import Involvement, Part, RestrictedAccessGrant
from diogelu.accounts.models import AgencyKind, Role
from diogelu.accounts.services import create_api_token
from diogelu.people.counts import live_people, visible_people_count
from diogelu.people.models import AuthorityPeopleCount, Person
from tests import factories as f


def _live(authority) -> int:
    return Person.objects.filter(authority=authority, merged_into__isnull=True).count()


def test_the_kept_count_follows_inserts_bulk_loads_merges_moves_and_deletes(db):
    one, two = f.agency(), f.agency()
    people = [f.person(one) for _ in range(3)] + [f.person(two)]
    Person.objects.bulk_create(
        [
            Person(
                authority=one,
                la_reference=f"BULK-{one.pk}-{i}",
                given_name="Bulk",
                family_name=f"Load{i}",
            )
            for i in range(5)
        ]
    )
    assert (live_people(one.pk), live_people(two.pk)) == (_live(one), _live(two)) == (8, 1)
    # A merge takes the merged record out; undoing it puts it back.
    Person.objects.filter(pk=people[0].pk).update(merged_into=people[1])
    assert live_people(one.pk) == _live(one) == 7
    Person.objects.filter(pk=people[0].pk).update(merged_into=None)
    assert live_people(one.pk) == _live(one) == 8
    # Moving a person to another authority, and saving without a change, one statement each.
    Person.objects.filter(pk=people[2].pk).update(authority=two)
    people[1].save()
    assert (live_people(one.pk), live_people(two.pk)) == (_live(one), _live(two)) == (7, 2)
    # Deleting: one, and many in one statement; a merged record deleted counts nothing.
    Person.objects.filter(pk=people[0].pk).update(merged_into=people[1])
    Person.objects.filter(pk=people[0].pk).delete()
    Person.objects.filter(family_name__startswith="Load").delete()
    assert (live_people(one.pk), live_people(two.pk)) == (_live(one), _live(two)) == (1, 2)
    if connection.vendor == "postgresql":
        assert dict(AuthorityPeopleCount.objects.values_list("authority_id", "live")) == {
            one.pk: 1,
            two.pk: 2,
        }


def test_the_api_people_list_counts_what_it_lists_without_counting_every_person(db, client):
    """Before, its ``count`` read every person of the authority on every page (40 ms at a
    county, 130 ms at a million)."""
    la = f.agency(AgencyKind.LOCAL_AUTHORITY)
    police = f.agency(AgencyKind.POLICE)
    staff = f.user(la, Role.SOCIAL_WORKER)
    officer = f.user(police, Role.POLICE_OFFICER)
    people = [f.person(la) for _ in range(6)]
    hidden = f.person(la, is_restricted=True)
    named = f.person(la, is_restricted=True)
    RestrictedAccessGrant.objects.create(person=named, user=staff, granted_by=staff, reason="r")
    Person.objects.filter(pk=people[5].pk).update(merged_into=people[4])
    started = timezone.now() - datetime.timedelta(days=1)
    for person, parts in (
        (people[0], [Part.SUMMARY]),
        (people[0], [Part.CHRONOLOGY]),  # two involvements, one person
        (people[1], []),  # shares nothing: not seen
        (people[2], [Part.SUMMARY]),
        (hidden, [Part.SUMMARY]),  # restricted, not named: not seen
    ):
        Involvement.objects.create(
            person=person, agency=police, reason="OTHER", parts=parts, started_at=started
        )
    for user, expected in ((staff, 6), (officer, 2)):
        assert visible_people_count(user) == Person.objects.visible_to(user).count() == expected
        _token, text = create_api_token(actor=user, name="count", days=1)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(
                "/api/v1/people/?limit=1", headers={"Authorization": f"Bearer {text}"}
            )
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == expected and len(body["results"]) == 1
        assert (body["next"] is None) == (expected == 1)
        if connection.vendor == "postgresql":
            counted_people = [
                q["sql"]
                for q in ctx.captured_queries
                if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "people_person"')
                # every person of the authority, or every person a partner is involved with
                # (the hidden records are counted, through the partial index on restricted ones)
                and (
                    '"people_person"."authority_id" =' in q["sql"]
                    or '"access_involvement"' in q["sql"]
                )
            ]
            assert counted_people == [], counted_people


def test_a_partners_count_reads_only_the_sight_index_in_person_order(db):
    """At Wales scale a police officer's count read each involvement's row and sorted them for
    ``COUNT(DISTINCT …)`` (101 ms of the API list's 110 ms p95, issue 17). The partial index
    ``involvement_sight`` holds everything the rule reads, so PostgreSQL counts from it alone
    (35 ms), in person order. (On this small table the planner would rather read the heap, so
    the other ways are turned off to show that this one is open: a change to the rule's
    conditions that the index's no longer imply closes it.)"""
    if connection.vendor != "postgresql":
        return
    la = f.agency(AgencyKind.LOCAL_AUTHORITY)
    police = f.agency(AgencyKind.POLICE)
    officer = f.user(police, Role.POLICE_OFFICER)
    started = timezone.now() - datetime.timedelta(days=1)
    for k in range(5):
        Involvement.objects.create(
            person=f.person(la),
            agency=police,
            reason="OTHER",
            parts=[Part.SUMMARY],
            started_at=started,
            user=officer if k % 2 else None,
        )
    with CaptureQueriesContext(connection) as ctx:
        counted = visible_people_count(officer)
    assert counted == Person.objects.visible_to(officer).count() == 5
    (count_sql,) = [q["sql"] for q in ctx.captured_queries if '"access_involvement"' in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + count_sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using involvement_sight" in plan, plan
