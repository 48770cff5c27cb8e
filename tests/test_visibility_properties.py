"""Property test: the queryset (`visible_person_ids`) and the per-person decision (`decide`) agree,
and both match a small reference model of the rules, over generated situations."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diogelu.access.models import BreakGlass, Involvement, RestrictedAccessGrant
from diogelu.access.visibility import (
    decide,
    decide_many,
    hidden_person_ids,
    visible_person_ids,
    visible_person_q,
)
from diogelu.accounts.models import AgencyKind, Role
from diogelu.people.counts import visible_people_count
from diogelu.people.models import Person
from tests import factories as f

situations = st.fixed_dictionaries(
    {
        "viewer": st.sampled_from(
            ["la", "other_la", "partner", "partner_colleague", "inactive_la"]
        ),
        "restricted": st.booleans(),
        "named": st.booleans(),
        "glass": st.sampled_from(["none", "active", "expired"]),
        "involvement": st.sampled_from(
            ["none", "agency", "this_user", "other_user", "ended", "future"]
        ),
        "merged": st.booleans(),
        # What the involvement shares: an involvement that shares nothing a partner may read
        # (no parts, or only the access log) gives no sight of the person (issue 17).
        "parts": st.sampled_from([["SUMMARY"], ["CHRONOLOGY"], [], ["ACCESS_LOG"]]),
    }
)


def expected(s) -> bool:
    if s["viewer"] == "inactive_la" or s["merged"]:
        return False
    if s["viewer"] == "la":
        return not s["restricted"] or s["named"] or s["glass"] == "active"
    if s["viewer"] == "other_la":
        return False
    involved = (
        s["involvement"] == "agency"
        or (s["involvement"] == "this_user" and s["viewer"] == "partner")
        or (s["involvement"] == "other_user" and s["viewer"] == "partner_colleague")
    )
    shares = bool(set(s["parts"]) - {"ACCESS_LOG"})
    return involved and shares and (not s["restricted"] or s["named"])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(s=situations)
def test_queryset_and_decision_agree_with_the_rules(db, s):
    now = timezone.now()
    la = f.agency(AgencyKind.LOCAL_AUTHORITY)
    other_la = f.agency(AgencyKind.LOCAL_AUTHORITY)
    police = f.agency(AgencyKind.POLICE)
    users = {
        "la": f.user(la, Role.SOCIAL_WORKER),
        "inactive_la": f.user(la, Role.SOCIAL_WORKER, is_active=False),
        "other_la": f.user(other_la, Role.SOCIAL_WORKER),
        "partner": f.user(police, Role.POLICE_OFFICER),
        "partner_colleague": f.user(police, Role.POLICE_OFFICER),
    }
    viewer = users[s["viewer"]]
    person = f.person(la, is_restricted=s["restricted"])
    if s["merged"]:
        survivor = f.person(la)
        Person.objects.filter(pk=person.pk).update(merged_into=survivor)
        person.refresh_from_db()
    if s["named"]:
        RestrictedAccessGrant.objects.create(
            person=person, user=viewer, granted_by=users["la"], reason="r"
        )
    if s["glass"] != "none":
        start = now - datetime.timedelta(hours=1 if s["glass"] == "active" else 20)
        BreakGlass.objects.create(
            user=viewer,
            person=person,
            reason_code="OTHER",
            reason="x" * 30,
            started_at=start,
            expires_at=start + datetime.timedelta(hours=8),
        )
    kind = s["involvement"]
    if kind != "none":
        Involvement.objects.create(
            person=person,
            agency=police,
            user={"this_user": users["partner"], "other_user": users["partner_colleague"]}.get(
                kind
            ),
            reason="OTHER",
            parts=s["parts"],
            started_at=now + datetime.timedelta(days=1)
            if kind == "future"
            else now - datetime.timedelta(days=2),
            ended_at=now - datetime.timedelta(days=1) if kind == "ended" else None,
        )
    in_queryset = (
        Person.objects.filter(pk__in=visible_person_ids(viewer))
        .filter(pk=person.pk, merged_into__isnull=True)
        .exists()
    )
    decision = decide(viewer, person)
    decided = decision is not None
    assert in_queryset == decided == expected(s), s
    # The batched form (lists and searches, issue 17) decides the same, basis and parts included.
    assert decide_many(viewer, [person]) == {person.pk: decision}, s
    # Who may not see whom within the viewer's own authority is the complement, however it is
    # computed (issue 17: from the restricted records, not from every person).
    raw_visible = Person.objects.filter(pk__in=visible_person_ids(viewer), pk=person.pk).exists()
    in_hidden = Person.objects.filter(pk__in=hidden_person_ids(viewer), pk=person.pk).exists()
    assert in_hidden == (person.authority_id == viewer.agency_id and not raw_visible), s
    # Rows that point at a person (or at nobody) filtered by visible_person_q are the rows the
    # plain "empty, or in the visible set" filter keeps (issue 17: the MASH dashboard's requests).
    # Any nullable foreign key to a person serves; here a merged record's pointer.
    stranger = f.person(other_la)
    pointers = [f.person(la, merged_into=target) for target in (person, stranger, None)]
    rows = Person.objects.filter(pk__in=[p.pk for p in pointers])
    plain = rows.filter(Q(merged_into__isnull=True) | Q(merged_into__in=visible_person_ids(viewer)))
    assert set(rows.filter(visible_person_q(viewer, "merged_into"))) == set(plain), s
    # The same rule with the authority read for each row by key (ADR 0848).
    per_row = visible_person_q(viewer, "merged_into", per_row=True)
    assert set(rows.filter(per_row)) == set(plain), s
    # How many people the viewer may see, counted without reading every person (the API people
    # list's count, ADR 0817), is the count of the rule itself.
    assert visible_people_count(viewer) == Person.objects.visible_to(viewer).count(), s
