"""How many people a user may see, without reading them all (issue 17, ADR 0817).

The API people list answers ``count`` on every page. Counting the authority's people there read
every one of them: 40 ms at a county of 300,000, 130 ms at a million, on every request. Here:

* the authority's own staff: the authority's live people, kept by PostgreSQL triggers
  (:class:`~diogelu.people.models.AuthorityPeopleCount`), less their hidden (restricted) records,
  a handful read through the partial index on them;
* a partner agency's workers: their involvements, counted once per person
  (:func:`diogelu.access.visibility.count_partner_visible_people`);
* anyone else, and SQLite (no triggers): the rule itself, counted.

Each answer equals ``Person.objects.visible_to(user).count()``; tests/test_people_count.py
checks that through inserts, bulk loads, merges, moves between authorities, deletes and
restricted records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connections, router

from diogelu.access.visibility import (
    count_partner_visible_people,
    hidden_person_ids,
    is_practising_la_staff,
)
from diogelu.people.models import AuthorityPeopleCount, Person

if TYPE_CHECKING:
    from diogelu.accounts.models import User


def _kept_by_triggers() -> bool:
    alias = router.db_for_read(AuthorityPeopleCount)
    return connections[alias].vendor == "postgresql"


def live_people(authority_id: int) -> int:
    """The authority's people not merged into another record."""
    if not _kept_by_triggers():
        return Person.objects.filter(authority_id=authority_id, merged_into__isnull=True).count()
    kept = (
        AuthorityPeopleCount.objects.filter(authority_id=authority_id)
        .values_list("live", flat=True)
        .first()
    )
    return int(kept or 0)


def visible_people_count(user: User) -> int:
    """``Person.objects.visible_to(user).count()``, at a cost that does not grow with the
    authority's people."""
    if is_practising_la_staff(user) and user.agency_id is not None:
        hidden = Person.objects.filter(
            pk__in=hidden_person_ids(user), merged_into__isnull=True
        ).count()
        return live_people(user.agency_id) - hidden
    partner = count_partner_visible_people(user)
    if partner is not None:
        return partner
    return Person.objects.visible_to(user).count()
