"""Intake: which people already known to the authority a child named in a report may be.

This is the candidate seam: it gathers people through :mod:`diogelu.people.search` (so only
people visible to the user are ever found) and scores them with the name tools of
:mod:`diogelu.matching`. Identifiers come first (the same NHS number or Unique Pupil Number),
then name, date of birth and postcode similarity. Every candidate carries the reasons it was
found, in words a practitioner can check; a conflicting identifier counts against it.
The probabilistic engine can replace :func:`candidates_for` without changing its callers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from diogelu.matching.names import given_name_variants, surnames_equivalent
from diogelu.matching.normalise import fold, swapped_day_month
from diogelu.people.models import Person
from diogelu.people.search import SearchCriteria, search_people

if TYPE_CHECKING:
    from diogelu.accounts.models import User
    from diogelu.referrals.models import ReportChild

#: Candidates scoring below this are not shown (a lone weak similarity is not a candidate).
MIN_SCORE = 25
#: The Fellegi–Sunter engine's match probability from which it proposes a candidate by itself.
ENGINE_THRESHOLD = 0.5
MAX_CANDIDATES = 10


@dataclass(frozen=True)
class Candidate:
    """A person the child may be, with the score and the reasons for it (strongest first)."""

    person: Person
    score: int
    reasons: tuple[str, ...]
    identifier_match: bool
    probability: float | None = None


def _postcodes(person: Person) -> set[str]:
    return {a.postcode for a in person.addresses.all() if a.postcode}


def _score(child: ReportChild, person: Person) -> tuple[int, list[str], bool]:
    score = 0
    reasons: list[str] = []
    identifier = False
    if child.nhs_number and person.nhs_number:
        if child.nhs_number == person.nhs_number:
            score += 100
            identifier = True
            reasons.append(_("Same NHS number"))
        else:
            score -= 60
            reasons.append(_("Different NHS number"))
    if child.upn and person.upn:
        if child.upn == person.upn:
            score += 100
            identifier = True
            reasons.append(_("Same Unique Pupil Number"))
        else:
            score -= 40
            reasons.append(_("Different Unique Pupil Number"))
    child_dob = child.expected_date_of_birth if child.is_unborn else child.date_of_birth
    person_dob = person.expected_date_of_birth if person.is_unborn else person.date_of_birth
    if child_dob and person_dob:
        if child_dob == person_dob:
            score += 30
            reasons.append(
                _("Same expected date of birth") if child.is_unborn else _("Same date of birth")
            )
        elif swapped_day_month(child_dob) == person_dob:
            score += 15
            reasons.append(_("Date of birth with day and month swapped"))
        elif child_dob.year == person_dob.year:
            score += 5
            reasons.append(_("Born in the same year"))
        else:
            score -= 15
            reasons.append(_("Different date of birth"))
    given, their_given = fold(child.given_name), person.given_folded
    if given and their_given:
        if given == their_given:
            score += 20
            reasons.append(_("Same given name"))
        elif their_given in given_name_variants(given):
            score += 15
            reasons.append(
                _("Given name is a Welsh/English form (%(theirs)s/%(ours)s)")
                % {"theirs": person.given_name, "ours": child.given_name}
            )
        elif their_given[:3] == given[:3]:
            score += 5
            reasons.append(_("Given name starts the same"))
    family, their_family = fold(child.family_name), person.family_folded
    if family and their_family:
        if family == their_family:
            score += 20
            reasons.append(_("Same family name"))
        elif surnames_equivalent(family, their_family):
            score += 15
            reasons.append(
                _("Family name is another form (%(theirs)s/%(ours)s)")
                % {"theirs": person.family_name, "ours": child.family_name}
            )
    if child.postcode and child.postcode in _postcodes(person):
        score += 15
        reasons.append(_("Same postcode"))
    return score, reasons, identifier


def candidates_for(child: ReportChild, user: User) -> list[Candidate]:
    """People visible to ``user`` whom ``child`` may be, best first, each with its reasons.

    An identifier match ranks above any similarity. Only people ``user`` may see are searched
    (``search_people`` starts from ``Person.objects.visible_to(user)``); merged records are left
    out. The caller logs the candidates shown (``log_search_results``).
    """
    searches: list[SearchCriteria] = []
    if child.nhs_number:
        searches.append(SearchCriteria(nhs_number=child.nhs_number))
    if child.upn:
        searches.append(SearchCriteria(upn=child.upn))
    full_name = " ".join(p for p in (child.given_name, child.family_name) if p)
    if full_name:
        searches.append(SearchCriteria(name=full_name))
    if child.family_name:
        searches.append(SearchCriteria(name=child.family_name))
    dob = child.expected_date_of_birth if child.is_unborn else child.date_of_birth
    if dob:
        searches.append(SearchCriteria(date_of_birth=dob))
    if child.postcode:
        searches.append(SearchCriteria(postcode=child.postcode))
    found: dict[int, Person | None] = {}
    for criteria in searches:
        for person in search_people(user, criteria, limit=100):
            if person.merged_into_id is None:
                found.setdefault(person.pk, person)
    engine = _engine_probabilities(child, user)
    for person_id in engine:
        found.setdefault(person_id, None)
    if not found:
        return []
    people = Person.objects.visible_to(user).filter(pk__in=found).prefetch_related("addresses")
    candidates: list[Candidate] = []
    for person in people:
        score, reasons, identifier = _score(child, person)
        probability = engine.get(person.pk)
        if probability is not None:
            reasons.append(
                _("Matching engine: %(percent)s in 100 likely to be the same person")
                % {"percent": max(1, min(99, round(probability * 100)))}
            )
        if identifier or score >= MIN_SCORE or (probability or 0) >= ENGINE_THRESHOLD:
            candidates.append(
                Candidate(
                    person=person,
                    score=score,
                    reasons=tuple(reasons),
                    identifier_match=identifier,
                    probability=probability,
                )
            )
    candidates.sort(
        key=lambda c: (not c.identifier_match, -(c.probability or 0.0), -c.score, c.person.pk)
    )
    return candidates[:MAX_CANDIDATES]


def _engine_probabilities(child: ReportChild, user: User) -> dict[int, float]:
    """The probabilistic engine's view (diogelu.matching): person id → match probability,
    for people ``user`` may see."""
    from diogelu.matching import Record
    from diogelu.people.matching_index import candidates_for_record

    record = Record(
        record_id=f"report-child-{child.pk}",
        given_name=child.given_name or None,
        family_name=child.family_name or None,
        date_of_birth=child.expected_date_of_birth if child.is_unborn else child.date_of_birth,
        sex={"FEMALE": "F", "MALE": "M"}.get(child.sex),
        postcode=child.postcode or None,
        address=child.address or None,
        nhs_number=child.nhs_number or None,
        upn=child.upn or None,
    )
    return {
        c.person.pk: c.probability
        for c in candidates_for_record(
            user, child.report.authority_id, record, top_k=MAX_CANDIDATES
        )
    }
