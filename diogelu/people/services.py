"""Reading a person's family as a viewer may see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from diogelu.access.models import Part
from diogelu.people.models import Person, Relationship, RelationshipKind, inverse_kind

if TYPE_CHECKING:
    from diogelu.access.services import PersonAccess
    from diogelu.accounts.models import User


@dataclass(frozen=True)
class FamilyMember:
    """A relative as shown on the family view.

    ``person`` is None when the viewer may not open the relative's record.
    """

    relationship: str
    name: str
    date_of_birth_text: str
    person: Person | None
    has_parental_responsibility: bool
    lives_with: bool
    relationship_id: int = 0
    started_on_text: str = ""


def family_of(viewer: User, access: PersonAccess) -> list[FamilyMember]:
    """The relatives of ``access.person``, both directions of each stored relationship.

    The family part shares the family's composition: relatives are shown by name, relationship
    and date of birth, with a link only when the viewer may open the relative's own record.
    A restricted relative is never named to a viewer who may not open it.
    """
    from diogelu.core.presenters import format_date

    if not access.may_see(Part.FAMILY):
        return []
    person = access.person
    visible = set(
        Person.objects.visible_to(viewer)
        .values_list("pk", flat=True)
        .filter(pk__in=_relative_ids(person))
    )
    members: list[FamilyMember] = []
    outgoing = Relationship.objects.filter(person=person, ended_on__isnull=True).select_related(
        "relative"
    )
    incoming = Relationship.objects.filter(relative=person, ended_on__isnull=True).select_related(
        "person"
    )
    rows: list[tuple[Person, str, Relationship]] = [
        (r.relative, str(RelationshipKind(r.kind).label), r) for r in outgoing
    ] + [(r.person, str(inverse_kind(r.kind).label), r) for r in incoming]
    for relative, label, rel in rows:
        can_open = relative.pk in visible
        hidden = relative.is_restricted and not can_open
        members.append(
            FamilyMember(
                relationship=str(label),
                name="" if hidden else relative.full_name,
                date_of_birth_text="" if hidden else format_date(relative.date_of_birth),
                person=relative if can_open else None,
                has_parental_responsibility=rel.has_parental_responsibility,
                lives_with=rel.lives_with,
                relationship_id=rel.pk,
                started_on_text=format_date(rel.started_on),
            )
        )
    return members


def _relative_ids(person: Person) -> set[int]:
    out = set(Relationship.objects.filter(person=person).values_list("relative_id", flat=True))
    back = set(Relationship.objects.filter(relative=person).values_list("person_id", flat=True))
    return out | back
