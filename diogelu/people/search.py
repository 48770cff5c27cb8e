"""People search: tolerant of case, accents and common name variants, scoped to what the user sees.

This is the seam the matching engine drops into (``diogelu.matching``): names are folded and given
names expanded with Welsh/English equivalents from ``diogelu.matching.names``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from diogelu.core.exceptions import DomainError
from diogelu.matching.names import given_names_equivalent, surnames_equivalent
from diogelu.matching.normalise import fold
from diogelu.people.models import Address, Person, PersonName
from diogelu.people.validators import (
    nhs_number_is_valid,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    upn_is_valid,
)

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


# --- names ------------------------------------------------------------------------------------
#
# A name typed into search is read every way it can be: as a family name on its own ("Parry-Jones",
# "ap Dafydd"), and as given name(s) followed by a family name at each split ("Catrin Parry-Jones",
# "Gethin ap Dafydd"); "Jones, Catrin" is family name first. Family names are compared part by part
# so a double surname is found from either half, with or without its hyphen, and from the other
# order; Welsh patronymic particles are one part with the name after them (ab = ap, verch = ferch,
# and the particle may be left out); and each part is compared through the Welsh/English tables of
# ``diogelu.matching.names`` and a spelling key that folds the usual variants (Llywelyn/Llewellyn,
# Smith/Smyth, Pryce/Price). The folded names of the people a user may see are compared in Python,
# so no column or migration is needed; the matched names then filter the visible people in SQL.

#: Patronymic particles and the one form each is compared as.
PARTICLES: dict[str, str] = {
    "ap": "ap",
    "ab": "ap",
    "ferch": "ferch",
    "verch": "ferch",
    "fch": "ferch",
    "vch": "ferch",
}
#: Parts shorter than this are compared exactly or through the tables, never by spelling key.
MIN_KEY_LETTERS = 4
_VOWELS = frozenset("aeiouy")
_DIGRAPHS = (("ph", "f"), ("th", "t"), ("rh", "r"), ("ck", "k"), ("c", "k"), ("q", "k"), ("z", "s"))


@lru_cache(maxsize=65536)
def spelling_key(part: str) -> str:
    """A key equal for common spelling variants of one name part (already folded): doubled letters
    collapse, Welsh and English digraphs fold, and every run of vowels is one vowel.

    ``spelling_key("llywelyn") == spelling_key("llewellyn") == "lawalan"``.
    """
    text = part.replace(" ", "")
    for digraph, single in _DIGRAPHS:
        text = text.replace(digraph, single)
    out: list[str] = []
    for char in text:
        char = "a" if char in _VOWELS else char
        if not out or out[-1] != char:
            out.append(char)
    return "".join(out)


def name_units(folded: str) -> tuple[str, ...]:
    """Folded name words as units: a particle joins the word after it (``"ap dafydd"``)."""
    units: list[str] = []
    pending = ""
    for word in folded.split():
        if word in PARTICLES and not pending:
            pending = PARTICLES[word]
            continue
        units.append(f"{pending} {word}" if pending else word)
        pending = ""
    if pending:  # a trailing particle on its own is a name ("Ab" as a given name)
        units.append(pending)
    return tuple(units)


def _bare(unit: str) -> str:
    """The name in a unit without its particle: ``"ap dafydd"`` → ``"dafydd"``."""
    head, _, tail = unit.partition(" ")
    return tail if head in PARTICLES.values() and tail else unit


@lru_cache(maxsize=65536)
def family_parts_equivalent(query: str, stored: str) -> bool:
    """One family-name unit against another: the same, forms of one another in the tables, the
    same spelling key, or the same name with and without a patronymic particle."""
    if query == stored:
        return True
    q_bare, s_bare = _bare(query), _bare(stored)
    q_particle, s_particle = query != q_bare, stored != s_bare
    if q_particle and s_particle and query.split()[0] != stored.split()[0]:
        return False  # ap (son of) is not ferch (daughter of)
    if q_particle or s_particle:
        # after a particle comes a given name: ap Dafydd = ap David
        return (
            q_bare == s_bare or given_names_equivalent(q_bare, s_bare) or _same_key(q_bare, s_bare)
        )
    return surnames_equivalent(query, stored) or _same_key(query, stored)


def _same_key(a: str, b: str) -> bool:
    return (
        len(a) >= MIN_KEY_LETTERS
        and len(b) >= MIN_KEY_LETTERS
        and a[0] == b[0]
        and spelling_key(a) == spelling_key(b)
    )


@lru_cache(maxsize=65536)
def family_matches(query: str, stored: str) -> int:
    """How well a stored folded family name answers a queried one (both folded): 3 the same,
    2 every part equivalent (any order, hyphens or not), 1 the query is one part of a double
    name or a double name of which the stored name is one part (a prefix of the last part
    counts: "Prydd" finds "Prydderch"); 0 not at all."""
    if not query or not stored:
        return 0
    if query == stored or query.replace(" ", "") == stored.replace(" ", ""):
        return 3
    q_units, s_units = name_units(query), name_units(stored)
    if len(q_units) == len(s_units) and (
        all(family_parts_equivalent(a, b) for a, b in zip(q_units, s_units, strict=True))
        or all(
            family_parts_equivalent(a, b) for a, b in zip(q_units, reversed(s_units), strict=True)
        )
    ):
        return 2
    if len(q_units) == 1:
        unit = q_units[0]
        if any(family_parts_equivalent(unit, s) for s in s_units):
            return 1
        if len(unit) >= 3 and any(
            (_bare(s) if unit == _bare(unit) else s).startswith(unit) for s in s_units
        ):
            return 1
        return 0
    if len(s_units) == 1 and any(family_parts_equivalent(q, s_units[0]) for q in q_units):
        return 1
    return 0


@lru_cache(maxsize=65536)
def given_matches(query: str, stored: str) -> int:
    """How well a stored folded given name (perhaps with middle names) answers one queried given
    name: 3 the same first name, 2 a Welsh/English form or spelling of it, 1 a middle name or
    the start of the first name; 0 not at all."""
    if not query or not stored:
        return 0
    words = stored.split()
    first = words[0]
    if first == query or stored == query:
        return 3
    if given_names_equivalent(query, first) or _same_key(query, first):
        return 2
    if query in words[1:] or (len(query) >= 3 and first.startswith(query)):
        return 1
    return 0


@dataclass(frozen=True)
class NameQuery:
    """The readings of a typed name: (given, family, middle names) triples, given possibly empty;
    middle names are the words between the first and the family name in that reading."""

    readings: tuple[tuple[str, str, str], ...]
    single: str  # a one-word query, which may be a given or a family name

    @classmethod
    def parse(cls, name: str) -> NameQuery:
        if "," in name:  # "Parry-Jones, Catrin"
            family_text, _, given_text = name.partition(",")
            family, given = fold(family_text), fold(given_text)
            if family and given:
                words = given.split()
                return cls(readings=((words[0], family, " ".join(words[1:])),), single="")
        folded = fold(name)
        units = name_units(folded)
        if not units:
            return cls(readings=(), single="")
        readings: list[tuple[str, str, str]] = [("", " ".join(units), "")]
        for i in range(1, len(units)):
            given = units[0]
            if given in PARTICLES.values() or " " in given:
                continue
            readings.append((given, " ".join(units[i:]), " ".join(units[1:i])))
        single = units[0] if len(units) == 1 and " " not in units[0] else ""
        return cls(readings=tuple(readings), single=single)


def _least_family_level(given: str, family: str) -> int:
    """A name of several words read wholly as a family name ("David Prydderch") must match all
    its parts: only with a given name may one half of it stand for the whole."""
    return 2 if not given and len(name_units(family)) > 1 else 1


def _name_filter(name: str, authority_ids: list[int]) -> Q:
    """People whose name (or another name they are known by) answers ``name`` in any reading.

    Which stored spellings answer is looked up in the names of the people of ``authority_ids``
    (the request's scope), kept in memory (``name_vocabulary``): the people are then chosen from
    those the user may see, so a name no visible person has selects nobody."""
    from diogelu.people.name_vocabulary import answering, vocabularies

    query = NameQuery.parse(name)
    if not query.readings:
        return Q()
    known = vocabularies(authority_ids)
    condition = Q(pk__in=[])
    alias = Q(pk__in=[])
    for given, family, _middle in query.readings:
        least = _least_family_level(given, family)
        family_in = answering(known, "family", family, least)
        if not family_in:
            continue
        if not given:
            condition |= Q(family_folded__in=family_in)
            alias |= Q(family_folded__in=family_in)
            continue
        given_in = answering(known, "given", given, 1)
        if given_in:
            both = Q(family_folded__in=family_in, given_folded__in=given_in)
            condition |= both
            alias |= both
    if query.single:
        given_in = answering(known, "given", query.single, 2)
        condition |= Q(given_folded__in=given_in)
        alias |= Q(given_folded__in=given_in)
    # The people known by another name that answers, read first (few): as a subquery OR'd with
    # the name condition, PostgreSQL could use no index and walked the authority's people in
    # name order to the first match (0.06 s for "Jones" at a county).
    others = list(PersonName.objects.filter(alias).values_list("person_id", flat=True))
    return condition | Q(pk__in=others) if others else condition


def name_score(person: Person, name: str) -> int:
    """How well ``person``'s own name answers ``name``: the best reading, family name first."""
    best = 0
    for given, family, middle in NameQuery.parse(name).readings:
        f_score = family_matches(family, person.family_folded)
        if f_score < _least_family_level(given, family):
            continue
        g_score = given_matches(given, person.given_folded) if given else 0
        if given and not g_score:
            continue
        # a word read as a middle name that is not one of the person's given names counts against
        known = person.given_folded.split()
        unmatched = sum(1 for word in middle.split() if word not in known)
        best = max(best, f_score * 4 + g_score * 3 + (2 if given else 0) - 4 * unmatched)
    single = NameQuery.parse(name).single
    if single:
        best = max(best, given_matches(single, person.given_folded) * 3)
    return best


def _score(person: Person, criteria: SearchCriteria) -> int:
    score = 0
    if criteria.nhs_number and person.nhs_number == normalise_nhs_number(criteria.nhs_number):
        score += 100
    if criteria.upn and person.upn == normalise_upn(criteria.upn):
        score += 100
    if criteria.date_of_birth and person.date_of_birth == criteria.date_of_birth:
        score += 20
    if criteria.name:
        score += name_score(person, criteria.name)
    return score


def check_identifiers(criteria: SearchCriteria) -> None:
    """Refuse an NHS number or UPN that fails its check digit: searching by it would find nobody,
    and "nobody" must never be the answer to a typo."""
    if criteria.nhs_number and not nhs_number_is_valid(criteria.nhs_number):
        raise DomainError(
            _("This is not a valid NHS number: its check digit does not match"),
            field="nhs_number",
        )
    if criteria.upn and not upn_is_valid(criteria.upn):
        raise DomainError(
            _("This is not a valid Unique Pupil Number: its check letter does not match"),
            field="upn",
        )


def search_people(user: User, criteria: SearchCriteria, limit: int = MAX_RESULTS) -> list[Person]:
    """People visible to ``user`` who match every criterion given, best matches first."""
    if criteria.is_empty:
        return []
    check_identifiers(criteria)
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
        from diogelu.accounts.tenancy import authority_ids_for

        people = people.filter(_name_filter(criteria.name, authority_ids_for(user)))
    # pk last: people of one name come in one order every time (a page must not reshuffle).
    # Folded names first, so that PostgreSQL reads a name's people in order from the index of
    # folded names; ordered by the names as written, it walked every person of the authority in
    # name order (person_authority_by_name) to reach the first match (0.06 s for "Jones").
    found = list(
        people.select_related("authority").order_by(
            "family_folded", "given_folded", "family_name", "given_name", "pk"
        )[:200]
    )
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
