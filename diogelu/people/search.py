"""People search: tolerant of case, accents and common name variants, scoped to what the user sees.

This is the seam the matching engine drops into (``diogelu.matching``): names are folded and given
names expanded with Welsh/English equivalents from ``diogelu.matching.names``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

from diogelu.matching.names import given_name_variants
from diogelu.matching.normalise import fold
from diogelu.people.models import Address, Person, PersonName
from diogelu.people.validators import normalise_nhs_number, normalise_postcode, normalise_upn

if TYPE_CHECKING:
    from diogelu.accounts.models import User

MAX_RESULTS = 50


@dataclass(frozen=True)
class SearchCriteria:
    name: str = ""
    date_of_birth: datetime.date | None = None
    nhs_number: str = ""
    upn: str = ""
    postcode: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.name or self.date_of_birth or self.nhs_number or self.upn or self.postcode)


def _name_filter(name: str) -> Q:
    tokens = fold(name).split()
    if not tokens:
        return Q()
    if len(tokens) == 1:
        token = tokens[0]
        variants = given_name_variants(token)
        other = PersonName.objects.filter(
            Q(given_folded__in=variants) | Q(family_folded__startswith=token)
        ).values("person_id")
        return Q(given_folded__in=variants) | Q(family_folded__startswith=token) | Q(pk__in=other)
    given, family = tokens[0], " ".join(tokens[1:])
    last = tokens[-1]
    variants = given_name_variants(given)
    family_q = (
        Q(family_folded=family)
        | Q(family_folded__startswith=last)
        | Q(family_folded__endswith=" " + last)
    )
    other = PersonName.objects.filter(
        Q(given_folded__in=variants) | Q(given_folded=""),
        Q(family_folded=family) | Q(family_folded__startswith=last),
    ).values("person_id")
    return (Q(given_folded__in=variants) & family_q) | Q(pk__in=other)


def _score(person: Person, criteria: SearchCriteria) -> int:
    score = 0
    if criteria.nhs_number and person.nhs_number == normalise_nhs_number(criteria.nhs_number):
        score += 100
    if criteria.upn and person.upn == normalise_upn(criteria.upn):
        score += 100
    if criteria.date_of_birth and person.date_of_birth == criteria.date_of_birth:
        score += 20
    tokens = fold(criteria.name).split()
    if tokens and person.family_folded == tokens[-1]:
        score += 10
    if tokens and person.given_folded == tokens[0]:
        score += 10
    return score


def search_people(user: User, criteria: SearchCriteria, limit: int = MAX_RESULTS) -> list[Person]:
    """People visible to ``user`` who match every criterion given, best matches first."""
    if criteria.is_empty:
        return []
    people = Person.objects.visible_to(user)
    if criteria.nhs_number:
        people = people.filter(nhs_number=normalise_nhs_number(criteria.nhs_number))
    if criteria.upn:
        people = people.filter(upn=normalise_upn(criteria.upn))
    if criteria.date_of_birth:
        people = people.filter(
            Q(date_of_birth=criteria.date_of_birth)
            | Q(expected_date_of_birth=criteria.date_of_birth)
        )
    if criteria.postcode:
        at = Address.objects.filter(postcode=normalise_postcode(criteria.postcode))
        people = people.filter(pk__in=at.values("person_id"))
    if criteria.name:
        people = people.filter(_name_filter(criteria.name))
    found = list(people.select_related("authority").order_by("family_name", "given_name")[:200])
    found.sort(key=lambda p: -_score(p, criteria))
    if criteria.name and user.is_local_authority_staff and user.agency_id is not None:
        seen = {p.pk for p in found}
        found.extend(p for p in _engine_matches(user, criteria) if p.pk not in seen)
    return found[:limit]


#: Probability from which the matching engine adds a person the plain filters missed.
ENGINE_THRESHOLD = 0.5


def _engine_matches(user: User, criteria: SearchCriteria) -> list[Person]:
    """People the Fellegi–Sunter engine thinks likely (a mistyped date of birth, a name spelt
    differently, a new surname), best first; only people ``user`` may see."""
    from diogelu.matching import Record
    from diogelu.people.matching_index import candidates_for_record

    tokens = criteria.name.split()
    record = Record(
        record_id="search",
        given_name=tokens[0] if len(tokens) > 1 else None,
        family_name=" ".join(tokens[1:]) if len(tokens) > 1 else tokens[0],
        date_of_birth=criteria.date_of_birth,
        postcode=criteria.postcode or None,
        nhs_number=criteria.nhs_number or None,
        upn=criteria.upn or None,
    )
    assert user.agency_id is not None
    return [
        c.person
        for c in candidates_for_record(user, user.agency_id, record, top_k=10)
        if c.probability >= ENGINE_THRESHOLD
    ]
