"""Keeping a person's record right: details, other names, addresses and relationships.

Only local authority staff in a casework role change a record, always with a reason; every change
is kept in :class:`PersonChange` (who, when, which field, before, after). Details are edited with
optimistic versioning, so a stale edit changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diogelu.access.models import Part
from diogelu.accounts.models import Role
from diogelu.chronology.models import Audience, EventKind
from diogelu.chronology.services import add_case_event
from diogelu.core.concurrency import save_versioned
from diogelu.core.exceptions import DomainError, NotPermittedError, StaleEditError
from diogelu.core.texts import msg
from diogelu.people.models import (
    Address,
    NameKind,
    Person,
    PersonChange,
    PersonName,
    Relationship,
    RelationshipKind,
)
from diogelu.people.validators import (
    normalise_nhs_number,
    normalise_upn,
    validate_nhs_number,
    validate_upn,
)

if TYPE_CHECKING:
    from diogelu.access.services import PersonAccess
    from diogelu.accounts.models import User

#: Local authority roles that may change a person's record.
EDIT_ROLES = frozenset(
    {Role.MASH_PRACTITIONER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE}
)

#: The details a reviewer may edit, and the part of the record each belongs to.
DETAIL_FIELDS: dict[str, str] = {
    "given_name": Part.SUMMARY,
    "family_name": Part.SUMMARY,
    "preferred_name": Part.SUMMARY,
    "date_of_birth": Part.SUMMARY,
    "sex": Part.SUMMARY,
    "nhs_number": Part.SUMMARY,
    "upn": Part.SUMMARY,
    "preferred_language": Part.SUMMARY,
    "other_language": Part.SUMMARY,
    "needs_interpreter": Part.SUMMARY,
    "ethnicity": Part.SUMMARY,
    "disability": Part.SUMMARY,
    "gp_practice": Part.SUMMARY,
    "school": Part.SUMMARY,
}

#: Chronology kinds whose events prove the child was born by then.
_BORN_BY = (EventKind.REPORT, EventKind.CONFERENCE, EventKind.REGISTER, EventKind.ENQUIRY)


def may_edit(user: User, access: PersonAccess) -> bool:
    return bool(
        user.is_local_authority_staff
        and user.has_role(*EDIT_ROLES)
        and access.person.authority_id == user.agency_id
    )


def _check_editor(actor: User, access: PersonAccess) -> None:
    if not may_edit(actor, access):
        raise NotPermittedError(_("You cannot change this record."))


def _reason(reason: str) -> str:
    clean = reason.strip()
    if not clean:
        raise DomainError(_("Enter why you are making this change"), field="reason")
    return clean


def _stored(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _log(
    actor: User, person: Person, part: str, field: str, before: Any, after: Any, reason: str
) -> None:
    assert actor.agency_id is not None
    PersonChange.objects.create(
        person=person,
        part=part,
        field=field,
        before=_stored(before),
        after=_stored(after),
        reason=reason,
        changed_by=actor,
        agency_id=actor.agency_id,
    )


def _earliest_proof_of_birth(person: Person) -> datetime.date | None:
    from django.db.models import Min

    from diogelu.chronology.models import ChronologyEvent

    first = ChronologyEvent.objects.filter(person=person, kind__in=_BORN_BY).aggregate(
        first=Min("occurred_at")
    )["first"]
    return timezone.localdate(first) if first is not None else None


@transaction.atomic
def edit_person_details(
    *,
    actor: User,
    access: PersonAccess,
    expected_version: int,
    changes: dict[str, Any],
    reason: str,
) -> list[str]:
    """Change some of a person's details; returns the fields that changed.

    Refused, changing nothing: a stale edit, a date of birth in the future or after a report,
    enquiry, conference or registration about the child, an invalid NHS number or UPN.
    """
    _check_editor(actor, access)
    why = _reason(reason)
    person = Person.objects.select_for_update().get(pk=access.person.pk)
    if person.version != expected_version:
        from diogelu.core.exceptions import StaleEditError

        raise StaleEditError(_("Someone else changed this record while you were editing it."))
    unknown = set(changes) - set(DETAIL_FIELDS)
    if unknown:
        raise DomainError(_("That detail cannot be changed here."))
    clean = dict(changes)
    if "family_name" in clean and not str(clean["family_name"]).strip():
        raise DomainError(_("Enter a family name"), field="family_name")
    if clean.get("nhs_number"):
        validate_nhs_number(str(clean["nhs_number"]))
        clean["nhs_number"] = normalise_nhs_number(str(clean["nhs_number"]))
    if clean.get("upn"):
        validate_upn(str(clean["upn"]))
        clean["upn"] = normalise_upn(str(clean["upn"]))
    born = clean.get("date_of_birth")
    if isinstance(born, datetime.date) and born != person.date_of_birth:
        if born > timezone.localdate():
            raise DomainError(
                _("Date of birth must be today or in the past"), field="date_of_birth"
            )
        proof = _earliest_proof_of_birth(person)
        if proof is not None and born > proof:
            from diogelu.core.presenters import format_date

            raise DomainError(
                _(
                    "Date of birth must be on or before %(date)s, when the first report, enquiry,"
                    " conference or registration about this child was recorded"
                )
                % {"date": format_date(proof)},
                field="date_of_birth",
            )
    changed: list[str] = []
    for name, value in clean.items():
        before = getattr(person, name)
        if isinstance(value, str):
            value = value.strip()
        if _stored(before) == _stored(value):
            continue
        setattr(person, name, value)
        changed.append(name)
        _log(actor, person, DETAIL_FIELDS[name], name, before, value, why)
    if not changed:
        return []
    fields = list(changed)
    if "given_name" in fields or "family_name" in fields:
        from diogelu.matching.normalise import fold

        person.given_folded = fold(person.given_name)
        person.family_folded = fold(person.family_name)
        fields += ["given_folded", "family_folded"]
    save_versioned(person, expected_version=expected_version, fields=fields)
    access.person.__dict__.update({f: getattr(person, f) for f in [*fields, "version"]})
    return changed


@transaction.atomic
def add_other_name(
    *, actor: User, access: PersonAccess, kind: str, given_name: str, family_name: str, reason: str
) -> PersonName:
    _check_editor(actor, access)
    why = _reason(reason)
    if kind not in NameKind.values:
        raise DomainError(_("Choose what kind of name this is"), field="kind")
    if not (given_name.strip() or family_name.strip()):
        raise DomainError(_("Enter the name"), field="given_name")
    name = PersonName.objects.create(
        person=access.person,
        kind=kind,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
    )
    _log(actor, access.person, Part.SUMMARY, "other_name", "", name.full_name, why)
    return name


def _check_dates(start: datetime.date | None, end: datetime.date | None, field: str) -> None:
    if start is not None and end is not None and end < start:
        raise DomainError(
            _("The end date must be the same as or after the start date"), field=field
        )


@transaction.atomic
def add_address(
    *,
    actor: User,
    access: PersonAccess,
    line_1: str,
    line_2: str = "",
    town: str,
    postcode: str,
    moved_in_on: datetime.date | None,
    moved_out_on: datetime.date | None = None,
    end_current_on: datetime.date | None = None,
    reason: str,
) -> Address:
    """Add an address; ``end_current_on`` ends the addresses the person lives at now."""
    from diogelu.people.validators import validate_postcode

    _check_editor(actor, access)
    why = _reason(reason)
    if not line_1.strip():
        raise DomainError(_("Enter the first line of the address"), field="line_1")
    validate_postcode(postcode)
    _check_dates(moved_in_on, moved_out_on, "moved_out_on")
    if end_current_on is not None:
        for current in Address.objects.filter(person=access.person, moved_out_on__isnull=True):
            _check_dates(current.moved_in_on, end_current_on, "end_current_on")
            current.moved_out_on = end_current_on
            current.save(update_fields=["moved_out_on", "updated_at"])
            _log(
                actor,
                access.person,
                Part.SUMMARY,
                "address_ended",
                ", ".join(current.lines),
                end_current_on,
                why,
            )
    address = Address.objects.create(
        person=access.person,
        line_1=line_1.strip(),
        line_2=line_2.strip(),
        town=town.strip(),
        postcode=postcode,
        moved_in_on=moved_in_on,
        moved_out_on=moved_out_on,
    )
    _log(actor, access.person, Part.SUMMARY, "address", "", ", ".join(address.lines), why)
    return address


def names_and_addresses(access: PersonAccess) -> tuple[list[PersonName], list[Address]]:
    """The person's other names and every address, most recent first (``access`` proves the
    viewer may see the summary)."""
    names = list(PersonName.objects.filter(person=access.person).order_by("family_name", "pk"))
    addresses = list(Address.objects.filter(person=access.person).order_by("-moved_in_on", "-pk"))
    return names, addresses


def other_name_of(access: PersonAccess, name_id: object) -> PersonName:
    """One of the person's other names, or a domain error (an id of someone else's is unknown)."""
    try:
        return PersonName.objects.get(person=access.person, pk=int(str(name_id)))
    except (PersonName.DoesNotExist, ValueError, TypeError):
        raise DomainError(_("Choose a name of this person"), field="name") from None


def address_of(access: PersonAccess, address_id: object) -> Address:
    """One of the person's addresses, or a domain error (an id of someone else's is unknown)."""
    try:
        return Address.objects.get(person=access.person, pk=int(str(address_id)))
    except (Address.DoesNotExist, ValueError, TypeError):
        raise DomainError(_("Choose an address of this person"), field="address") from None


_ADDRESS_FIELDS = ("line_1", "line_2", "town", "postcode", "moved_in_on", "moved_out_on")


def address_fingerprint(address: Address) -> str:
    """What the address said when a form was shown (its fields and when it last changed)."""
    import hashlib

    values = [_stored(getattr(address, f)) for f in _ADDRESS_FIELDS]
    values.append(address.updated_at.isoformat() if address.updated_at else "")
    return hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:32]


def _check_unchanged_since(address: Address, seen: str) -> None:
    """A stale edit (the address changed after the form was shown) changes nothing."""
    if seen and address_fingerprint(address) != seen:
        raise StaleEditError(_("Someone else changed this record while you were editing it."))


@transaction.atomic
def correct_other_name(
    *,
    actor: User,
    access: PersonAccess,
    name: PersonName,
    kind: str,
    given_name: str,
    family_name: str,
    remove: bool = False,
    reason: str,
) -> PersonName | None:
    """Correct another name of the person, or remove one recorded in error (kept in history)."""
    _check_editor(actor, access)
    why = _reason(reason)
    locked = PersonName.objects.select_for_update().get(pk=name.pk, person=access.person)
    before = f"{locked.get_kind_display()}: {locked.full_name}"
    if remove:
        locked.delete()
        _log(actor, access.person, Part.SUMMARY, "other_name_removed", before, "", why)
        return None
    if kind not in NameKind.values:
        raise DomainError(_("Choose what kind of name this is"), field="kind")
    if not (given_name.strip() or family_name.strip()):
        raise DomainError(_("Enter the name"), field="given_name")
    locked.kind = kind
    locked.given_name = given_name.strip()
    locked.family_name = family_name.strip()
    after = f"{NameKind(kind).label}: {locked.full_name}"
    if after == before:
        raise DomainError(_("Change the name, or go back"), field="given_name")
    locked.save()
    _log(actor, access.person, Part.SUMMARY, "other_name", before, after, why)
    return locked


@transaction.atomic
def correct_address(
    *,
    actor: User,
    access: PersonAccess,
    address: Address,
    line_1: str,
    line_2: str = "",
    town: str,
    postcode: str,
    moved_in_on: datetime.date | None,
    moved_out_on: datetime.date | None,
    seen: str = "",
    reason: str,
) -> Address:
    """Correct an address of the person, past or current (each changed field kept in history).

    ``seen`` is :func:`address_fingerprint` when the form was shown: if the address changed
    since, the edit is stale and nothing is written.
    """
    from diogelu.people.validators import validate_postcode

    _check_editor(actor, access)
    why = _reason(reason)
    locked = Address.objects.select_for_update().get(pk=address.pk, person=access.person)
    _check_unchanged_since(locked, seen)
    if not line_1.strip():
        raise DomainError(_("Enter the first line of the address"), field="line_1")
    if not town.strip():
        raise DomainError(_("Enter the town or city"), field="town")
    validate_postcode(postcode)
    _check_dates(moved_in_on, moved_out_on, "moved_out_on")
    today = timezone.localdate()
    for value, field in ((moved_in_on, "moved_in_on"), (moved_out_on, "moved_out_on")):
        if value is not None and value > today:
            raise DomainError(_("The date must be today or in the past"), field=field)
    wanted = {
        "line_1": line_1.strip(),
        "line_2": line_2.strip(),
        "town": town.strip(),
        "postcode": postcode,
        "moved_in_on": moved_in_on,
        "moved_out_on": moved_out_on,
    }
    changed = [f for f, v in wanted.items() if getattr(locked, f) != v]
    if not changed:
        raise DomainError(_("Change the address, or go back"), field="line_1")
    before = {f: getattr(locked, f) for f in changed}
    for f in changed:
        setattr(locked, f, wanted[f])
    locked.save(update_fields=[*changed, "updated_at"])
    for f in changed:
        _log(actor, access.person, Part.SUMMARY, f"address_{f}", before[f], wanted[f], why)
    return locked


# --- relationships -------------------------------------------------------------------------------

#: The relationships offered when adding a relative from the family view.
ADDABLE_KINDS = (
    RelationshipKind.MOTHER,
    RelationshipKind.FATHER,
    RelationshipKind.PARENT,
    RelationshipKind.STEP_PARENT,
    RelationshipKind.PARENTS_PARTNER,
    RelationshipKind.CARER,
    RelationshipKind.SIBLING,
    RelationshipKind.HALF_SIBLING,
    RelationshipKind.STEP_SIBLING,
    RelationshipKind.GRANDPARENT,
    RelationshipKind.AUNT_UNCLE,
    RelationshipKind.HOUSEHOLD_MEMBER,
    RelationshipKind.PROFESSIONAL,
)


@dataclass(frozen=True)
class NewPerson:
    given_name: str
    family_name: str
    date_of_birth: datetime.date | None


def _new_reference(authority_id: int) -> str:
    count = Person.objects.filter(authority_id=authority_id).count() + 1
    reference = f"P{authority_id}-{count:06d}"
    while Person.objects.filter(la_reference=reference).exists():
        count += 1
        reference = f"P{authority_id}-{count:06d}"
    return reference


@transaction.atomic
def add_relationship(
    *,
    actor: User,
    access: PersonAccess,
    relative: Person | None,
    new_person: NewPerson | None = None,
    kind: str,
    has_parental_responsibility: bool = False,
    lives_with: bool = False,
    started_on: datetime.date | None = None,
    reason: str,
) -> Relationship:
    """``relative`` (an existing person the actor may see, or ``new_person`` made now, only
    after a search found nobody) is ``kind`` to the person."""
    _check_editor(actor, access)
    why = _reason(reason)
    person = access.person
    if kind not in RelationshipKind.values:
        raise DomainError(_("Choose how they are related"), field="kind")
    if relative is None:
        if new_person is None or not new_person.family_name.strip():
            raise DomainError(_("Enter the relative's family name"), field="family_name")
        relative = Person(
            authority_id=person.authority_id,
            la_reference=_new_reference(person.authority_id),
            given_name=new_person.given_name.strip(),
            family_name=new_person.family_name.strip(),
            date_of_birth=new_person.date_of_birth,
        )
        relative.save()
    elif not Person.objects.visible_to(actor).filter(pk=relative.pk).exists():
        raise DomainError(_("Choose a person from the list"), field="choice")
    if relative.pk == person.pk:
        raise DomainError(_("A person cannot be related to themselves"), field="choice")
    if started_on is not None and started_on > timezone.localdate():
        raise DomainError(_("The start date must be today or in the past"), field="started_on")
    existing = (
        Relationship.objects.filter(
            person=person, relative=relative, kind=kind, ended_on__isnull=True
        ).exists()
        or Relationship.objects.filter(
            person=relative, relative=person, ended_on__isnull=True
        ).exists()
    )
    if existing:
        raise DomainError(_("This relationship is already recorded"), field="kind")
    if Relationship.objects.filter(person=person, relative=relative, kind=kind).exists():
        raise DomainError(
            _("This relationship was recorded before and ended: correct it instead"), field="kind"
        )
    rel = Relationship.objects.create(
        person=person,
        relative=relative,
        kind=kind,
        has_parental_responsibility=has_parental_responsibility,
        lives_with=lives_with,
        started_on=started_on,
    )
    label = f"{RelationshipKind(kind).label}: {relative.la_reference}"
    _log(actor, person, Part.FAMILY, "relationship", "", label, why)
    add_case_event(
        actor=actor,
        person_id=person.pk,
        kind=EventKind.RECORD,
        title=msg(gettext_noop("Family member added")),
        occurred_at=timezone.now(),
        audience=Audience.LOCAL_AUTHORITY,
    )
    return rel


def relationship_of(access: PersonAccess, relationship_id: object) -> Relationship:
    """One of the person's relationships (either direction), or a domain error."""
    from django.db.models import Q

    try:
        pk = int(str(relationship_id))
    except (TypeError, ValueError):
        raise DomainError(_("Choose a relationship")) from None
    rel = (
        Relationship.objects.filter(Q(person=access.person) | Q(relative=access.person))
        .filter(pk=pk)
        .select_related("person", "relative")
        .first()
    )
    if rel is None:
        raise DomainError(_("Choose a relationship"))
    return rel


@transaction.atomic
def end_relationship(
    *,
    actor: User,
    access: PersonAccess,
    relationship: Relationship,
    ended_on: datetime.date,
    reason: str,
) -> Relationship:
    _check_editor(actor, access)
    why = _reason(reason)
    if relationship.ended_on is not None:
        raise DomainError(_("This relationship has already ended"))
    if ended_on > timezone.localdate():
        raise DomainError(_("The end date must be today or in the past"), field="ended_on")
    _check_dates(relationship.started_on, ended_on, "ended_on")
    relationship.ended_on = ended_on
    relationship.save(update_fields=["ended_on", "updated_at"])
    label = f"{RelationshipKind(relationship.kind).label}"
    _log(actor, access.person, Part.FAMILY, "relationship_ended", label, ended_on, why)
    return relationship


@transaction.atomic
def correct_relationship(
    *,
    actor: User,
    access: PersonAccess,
    relationship: Relationship,
    kind: str,
    has_parental_responsibility: bool,
    lives_with: bool,
    reason: str,
) -> Relationship:
    """Correct how two people are related (as seen from the person the page is about)."""
    _check_editor(actor, access)
    why = _reason(reason)
    if kind not in RelationshipKind.values:
        raise DomainError(_("Choose how they are related"), field="kind")
    from diogelu.people.models import inverse_kind

    outgoing = relationship.relative_id != access.person.pk
    shown = relationship.kind if outgoing else str(inverse_kind(relationship.kind))
    before = RelationshipKind(shown).label
    # Stored the other way round (the person is the relative): store the inverse.
    stored_kind = kind if outgoing else str(inverse_kind(kind))
    if (
        Relationship.objects.filter(
            person_id=relationship.person_id, relative_id=relationship.relative_id, kind=stored_kind
        )
        .exclude(pk=relationship.pk)
        .exists()
    ):
        raise DomainError(_("This relationship is already recorded"), field="kind")
    relationship.kind = stored_kind
    relationship.has_parental_responsibility = has_parental_responsibility
    relationship.lives_with = lives_with
    relationship.save(
        update_fields=["kind", "has_parental_responsibility", "lives_with", "updated_at"]
    )
    after = RelationshipKind(kind).label
    _log(actor, access.person, Part.FAMILY, "relationship", before, after, why)
    return relationship


def changes_for(access: PersonAccess, limit: int = 200) -> list[PersonChange]:
    """The changes to the parts of the record the viewer may see, newest first."""
    parts = [p for p in (Part.SUMMARY, Part.FAMILY) if access.may_see(p)]
    return list(
        PersonChange.objects.filter(person=access.person, part__in=parts).select_related(
            "changed_by", "agency"
        )[:limit]
    )


def relative_candidate(user: User, person_id: object) -> Person:
    """A person ``user`` may see, chosen from the search results, or a domain error."""
    try:
        pk = int(str(person_id))
    except (TypeError, ValueError):
        raise DomainError(_("Choose a person from the list"), field="choice") from None
    person = Person.objects.visible_to(user).filter(pk=pk).first()
    if person is None:
        raise DomainError(_("Choose a person from the list"), field="choice")
    return person
