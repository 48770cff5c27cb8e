"""The thin Django side of matching: people as engine records, and an index kept in step.

One in-memory :class:`~diogelu.matching.MatchIndex` per local authority per process, built on
first use and brought up to date before each query from what changed since (people, their names
and addresses, merges). Queries answer only people the asking user may see: the engine ranks,
``visible_to`` decides.
"""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from diogelu.matching import Candidate, MatchIndex, Record, explain

if TYPE_CHECKING:
    from diogelu.accounts.models import User
    from diogelu.people.models import Person

_lock = threading.Lock()


@dataclass
class _AuthorityIndex:
    index: MatchIndex
    synced_at: datetime.datetime


_indexes: dict[int, _AuthorityIndex] = {}

#: How far before the last sync each sync reads back (as people search's names do).
SYNC_OVERLAP = datetime.timedelta(seconds=60)


def record_for(person: Person) -> Record:
    """The engine's view of a person: names, aliases, birth date, sex, postcode, identifiers."""
    others = tuple(
        " ".join(p for p in (n.given_name, n.family_name) if p) for n in person.other_names.all()
    )
    current = [a for a in person.addresses.all() if a.moved_out_on is None]  # uses the prefetch
    current.sort(key=lambda a: a.moved_in_on or datetime.date.min, reverse=True)
    address = current[0] if current else None
    born = person.expected_date_of_birth if person.is_unborn else person.date_of_birth
    sex = {"FEMALE": "F", "MALE": "M"}.get(person.sex)
    return Record(
        record_id=str(person.pk),
        given_name=person.given_name or None,
        family_name=person.family_name or None,
        other_names=others,
        date_of_birth=born,
        sex=sex,
        postcode=address.postcode if address else None,
        address=address.line_1 if address else None,
        nhs_number=person.nhs_number or None,
        upn=person.upn or None,
    )


def _changed_people(authority_id: int, since: datetime.datetime | None) -> Any:

    from diogelu.people.models import Address, Person, PersonName

    people = Person.objects.filter(authority_id=authority_id)
    if since is not None:
        # The people changed, and those with a name or an address added, each read through its
        # time index and put together in one statement: the three as one OR read every person
        # of the authority on every search (0.06 s at a county).
        touched = (
            Person.objects.filter(updated_at__gte=since)
            .order_by()
            .values("pk")
            .union(
                PersonName.objects.filter(updated_at__gte=since).order_by().values("person_id"),
                Address.objects.filter(created_at__gte=since).order_by().values("person_id"),
            )
        )
        people = people.filter(pk__in=touched)
    return people.prefetch_related("other_names", "addresses")


def index_for(authority_id: int) -> MatchIndex:
    """The authority's index, brought up to date with the database."""
    from django.utils import timezone

    with _lock:
        entry = _indexes.get(authority_id)
        now = timezone.now()
        if entry is None:
            index = MatchIndex.load_default()
            index.add_many(
                record_for(p)
                for p in _changed_people(authority_id, None).filter(merged_into__isnull=True)
            )
            _indexes[authority_id] = _AuthorityIndex(index=index, synced_at=now)
            return index
        # Read back a minute: a row is stamped when written but seen only when its transaction
        # commits (a request's, an import's), and app servers' clocks may differ a little; 5 s
        # could miss a slow transaction's person for good (the review of ADR 0834).
        since = entry.synced_at - SYNC_OVERLAP
        for person in _changed_people(authority_id, since):
            key = str(person.pk)
            if person.merged_into_id is not None:
                if key in entry.index:
                    entry.index.remove(key)
            elif key in entry.index:
                entry.index.update(record_for(person))
            else:
                entry.index.add(record_for(person))
        entry.synced_at = now
        return entry.index


def warm_indexes() -> int:
    """Build every local authority's index now (gunicorn's master, before it forks its workers:
    ``gunicorn.conf.py``). Each worker then starts with the index, shares its memory with the
    others until written, and only syncs what changed since. Returns the records indexed."""
    from diogelu.accounts.models import Agency, AgencyKind
    from diogelu.core.rowscope import system_scope
    from diogelu.people.name_vocabulary import vocabulary

    total = 0
    # Before fork no request has set an authority scope, and row-level security (ADR 0751) would
    # show the runtime role no person: an index built empty would stay without them, since
    # workers only sync what changed since. The cache is per authority, read by authority.
    with system_scope("matching_index_warm"):
        for authority_id in Agency.objects.filter(kind=AgencyKind.LOCAL_AUTHORITY).values_list(
            "pk", flat=True
        ):
            total += len(index_for(authority_id))
            # People search's names too (``name_vocabulary``): read once here, not per worker.
            vocabulary(authority_id)
    return total


def forget_indexes() -> None:
    """Drop every cached index, and people search's names (tests, and after bulk imports)."""
    from diogelu.people.name_vocabulary import forget

    with _lock:
        _indexes.clear()
    forget()


@dataclass(frozen=True)
class PersonCandidate:
    person: Person
    probability: float
    reasons: list[str]


def candidates_for_record(
    user: User, authority_id: int, record: Record, top_k: int = 8, min_probability: float = 0.2
) -> list[PersonCandidate]:
    """Known people who may be this record, best first, with readable reasons; only people
    ``user`` may see."""
    from diogelu.people.models import Person

    found: list[Candidate] = index_for(authority_id).query(
        record, top_k=top_k * 3, min_probability=min_probability
    )
    ids = [int(c.record_id) for c in found]
    visible = {p.pk: p for p in Person.objects.visible_to(user).filter(pk__in=ids)}
    out: list[PersonCandidate] = []
    for c in found:
        person = visible.get(int(c.record_id))
        if person is None:
            continue
        reasons = [f.text for f in sorted(c.explanation, key=lambda f: -f.weight) if f.weight > 0.5]
        out.append(PersonCandidate(person=person, probability=c.match_probability, reasons=reasons))
        if len(out) >= top_k:
            break
    return out


def explain_people(a: Person, b: Person) -> list[dict[str, object]]:
    """Field-by-field comparison of two people, strongest evidence first."""
    lines = explain(record_for(a), record_for(b))
    return [
        {"text": f.text, "weight": round(f.weight, 1), "field": f.field}
        for f in sorted(lines, key=lambda f: -abs(f.weight))
    ]
