"""The one place that decides which people a user may see, and on what basis.

Rules (fail closed):

* An inactive user, or one with no agency, sees nobody. There is no superuser bypass.
* Local authority staff see the people of their own authority, except restricted records.
* Partner agency users see only people their agency (or they personally) have an active
  involvement with, and only the parts that involvement shares.
* A restricted record is seen only by users named on it, or by local authority staff of the
  authority during an active break-glass access.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import Exact
from django.utils import timezone

from diogelu.access.models import (
    Basis,
    BreakGlass,
    Involvement,
    Part,
    RestrictedAccessGrant,
)
from diogelu.accounts.models import NON_PRACTICE_ROLES, Role

if TYPE_CHECKING:
    from diogelu.accounts.models import User
    from diogelu.people.models import Person

#: Roles that may read a person's access log (besides nobody else).
ACCESS_LOG_ROLES = frozenset({Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.AUDITOR, Role.IG_LEAD})


def _user_involvements(user: User, at: datetime) -> QuerySet[Involvement]:
    """The user's (or their agency's) involvements in force at ``at`` that share some part of
    the record. One that shares nothing (no parts, or only the access log, which a partner never
    sees) gives no sight of the person: :func:`decide` has always refused it, and the queryset
    must agree (issue 17 found generated data where it did not: a police officer's API list
    counted 30,459 people and showed one of the 25 on its first page)."""
    return (
        Involvement.objects.active(at)
        .filter(agency_id=user.agency_id or 0)
        .filter(Q(user__isnull=True) | Q(user_id=user.pk))
        .exclude(parts=[])
        .exclude(parts=[Part.ACCESS_LOG])
    )


def _named_on(user: User) -> QuerySet[RestrictedAccessGrant]:
    return RestrictedAccessGrant.objects.filter(user_id=user.pk, revoked_at__isnull=True)


def _break_glass(user: User, at: datetime) -> QuerySet[BreakGlass]:
    return BreakGlass.objects.filter(user_id=user.pk, started_at__lte=at, expires_at__gt=at)


def practises(user: User) -> bool:
    """True when the user holds a practice role. An administrator manages accounts but reads no
    child's record unless also given a practice role (SECURITY.md: separation of duties)."""
    return bool(user.roles - NON_PRACTICE_ROLES)


def _practising_la_staff(user: User) -> bool:
    """An active local authority worker with a practice role: sees their authority's people but
    its hidden (restricted) records, so what they may not see is that small set."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.agency_id is not None
        and user.is_local_authority_staff
        and practises(user)
    )


def _practising_partner(user: User) -> bool:
    """An active partner agency worker with a practice role: sees the people their agency (or
    they) are involved with, less restricted records they are not named on."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.agency_id is not None
        and not user.is_local_authority_staff
        and practises(user)
    )


def person_model() -> type[Person]:
    """The person model, found by its app label as access's foreign keys name it
    (``"people.Person"``): people asks access who may see whom, so access imports nothing from
    people (ADR 0402)."""
    return cast("type[Person]", apps.get_model("people", "Person"))


def visible_person_ids(user: User, at: datetime | None = None) -> QuerySet[Person, Any]:
    """A subquery of the ids of the people ``user`` may see (use with ``pk__in``)."""
    Person = person_model()  # noqa: N806 - the model class

    moment = at or timezone.now()
    nobody = Person.objects.none().values("pk")
    if not user.is_authenticated or not user.is_active or user.agency_id is None:
        return nobody
    if not practises(user):
        return nobody
    named = Q(pk__in=_named_on(user).values("person_id"))
    if user.is_local_authority_staff:
        glass = Q(pk__in=_break_glass(user, moment).values("person_id"))
        return Person.objects.filter(
            Q(authority_id=user.agency_id) & (Q(is_restricted=False) | named | glass)
        ).values("pk")
    involved = Q(pk__in=_user_involvements(user, moment).values("person_id"))
    return Person.objects.filter(involved & (Q(is_restricted=False) | named)).values("pk")


def hidden_person_ids(user: User, at: datetime | None = None) -> QuerySet[Person, Any]:
    """A subquery of the ids of the people of ``user``'s own agency's authority that ``user`` may
    not see: the complement of :func:`visible_person_ids` within that authority.

    For the authority's own practising staff that is its restricted records they are neither named
    on nor have broken the glass for: a small set read through the partial index on restricted
    people, whatever the number of people (the complement taken the other way round read every
    person of the authority: 235 ms at 50,000 people on every conference and plan page).
    """
    Person = person_model()  # noqa: N806 - the model class

    moment = at or timezone.now()
    if _practising_la_staff(user):
        return (
            Person.objects.filter(authority_id=user.agency_id, is_restricted=True)
            .exclude(pk__in=_named_on(user).values("person_id"))
            .exclude(pk__in=_break_glass(user, moment).values("person_id"))
            .values("pk")
        )
    return (
        Person.objects.filter(authority_id=user.agency_id or 0)
        .exclude(pk__in=visible_person_ids(user, moment))
        .values("pk")
    )


def visible_person_q(
    user: User, path: str, at: datetime | None = None, *, per_row: bool = False
) -> Q:
    """Rows whose person at ``path`` (a nullable foreign key to a person) is empty or one ``user``
    may see: the same rows as ``Q(path__isnull=True) | Q(path__in=visible_person_ids(user))``.

    Written for PostgreSQL's planner. "In the set of everyone visible", OR'd with the empty case,
    is a sub-plan it cannot hash: it re-read the authority's people for every row (the MASH
    dashboard's overdue requests took 3.5 s at a county of 300,000 people). For the authority's
    own practising staff this says instead "of this authority and not one of its hidden
    (restricted) records", a small set read through the partial index on restricted people
    (:func:`hidden_person_ids`). Everyone else keeps the set of the visible, which for them is
    small (their involvements). ``tests/test_visibility_properties.py`` checks the two agree.

    ``per_row``: for a list of few rows over many people (a county's plans: 4,828 of 300,000
    people), the staff's "of this authority" is read for each row by the person's key, not by
    joining the person: joined, PostgreSQL read every person of the authority to count the plans
    (62-83 ms at a county, and growing with the people; ADR 0848).
    """
    empty = Q(**{f"{path}__isnull": True})
    if _practising_la_staff(user):
        if per_row:
            Person = person_model()  # noqa: N806 - the model class
            authority = (
                Person.objects.filter(pk=OuterRef(path)).order_by().values("authority_id")[:1]
            )
            own = Q(Exact(Subquery(authority), user.agency_id))
        else:
            own = Q(**{f"{path}__authority_id": user.agency_id})
        return empty | (own & ~Q(**{f"{path}__in": hidden_person_ids(user, at)}))
    if _practising_partner(user):
        # A partner's rule said of the row's person (the set of the visible, built first, read
        # every person twice: 0.19 s for a police officer's strategy discussions at a county).
        # Restricted records are read as a set (few, through the partial index on them), not
        # by joining every row's person to read its flag.
        involved = Exists(
            _user_involvements(user, at or timezone.now()).filter(person_id=OuterRef(path))
        )
        Person = person_model()  # noqa: N806 - the model class
        unnamed = (
            Person.objects.filter(is_restricted=True)
            .exclude(pk__in=_named_on(user).values("person_id"))
            .values("pk")
        )
        return empty | (Q(involved) & ~Q(**{f"{path}__in": unnamed}))
    return empty | Q(**{f"{path}__in": visible_person_ids(user, at)})


def visible_people_q(user: User, at: datetime | None = None) -> Q:
    """A filter on people themselves: the same people as ``pk__in=visible_person_ids(user)``,
    written as :func:`visible_person_q` is, so that PostgreSQL reads an authority's people through
    its indexes (a page of them in name order, or their count) instead of building the set of
    everyone visible first: the API people list spent 0.43 s of 0.47 s on that at a county."""
    if _practising_la_staff(user):
        return Q(authority_id=user.agency_id) & ~Q(pk__in=hidden_person_ids(user, at))
    if _practising_partner(user):
        # The same rule as visible_person_ids's for partners, said of the people themselves:
        # "in a set of people who are involved and not restricted" made PostgreSQL read every
        # person twice (0.33 s for a police officer's API people list at a county, 30,000 of
        # whose people the police are involved with).
        named = Q(pk__in=_named_on(user).values("person_id"))
        involved = Q(pk__in=_user_involvements(user, at or timezone.now()).values("person_id"))
        return involved & (Q(is_restricted=False) | named)
    return Q(pk__in=visible_person_ids(user, at))


def count_partner_visible_people(user: User, at: datetime | None = None) -> int | None:
    """For a practising partner worker, how many people :func:`visible_people_q` lets them see
    (less merged records), counted from their involvements rather than by reading every person
    (issue 17: 100 ms for a police officer at a county, 300 ms at Wales, on every API page).
    None for anyone else. ``tests/test_visibility_properties.py`` checks it against the count of
    the rule itself."""
    if not _practising_partner(user):
        return None
    from django.db.models import Count

    Person = person_model()  # noqa: N806 - the model class
    # Involved people who are merged into another record, or restricted and not named to them:
    # both few, read through their indexes.
    left_out = Person.objects.filter(
        Q(merged_into__isnull=False)
        | (Q(is_restricted=True) & ~Q(pk__in=_named_on(user).values("person_id")))
    ).values("pk")
    counted = (
        _user_involvements(user, at or timezone.now())
        .exclude(person_id__in=left_out)
        .aggregate(n=Count("person_id", distinct=True))
    )
    return int(counted["n"] or 0)


def is_practising_la_staff(user: User) -> bool:
    """Public name of the rule :func:`visible_people_q` applies to the authority's own staff."""
    return _practising_la_staff(user)


@dataclass(frozen=True)
class Decision:
    """Why a user may see a person, and which parts."""

    basis: str
    parts: frozenset[str]
    involvement: Involvement | None = None
    break_glass: BreakGlass | None = None
    reasons: tuple[str, ...] = field(default_factory=tuple)

    def may_see(self, part: str) -> bool:
        return part in self.parts


def decide(user: User, person: Person, at: datetime | None = None) -> Decision | None:
    """The basis on which ``user`` may see ``person`` now, or None when they may not.

    Must agree with :func:`visible_person_ids` (a property test checks that it does).
    """
    moment = at or timezone.now()
    if not _may_see_anyone(user) or person.merged_into_id is not None:
        return None
    named = _named_on(user).filter(person_id=person.pk).exists()
    if user.is_local_authority_staff:
        glass = (
            _break_glass(user, moment).filter(person_id=person.pk).first()
            if person.is_restricted and not named
            else None
        )
        return _decision(user, person, named=named, glass=glass, involvements=[])
    involvements = list(_user_involvements(user, moment).filter(person_id=person.pk))
    return _decision(user, person, named=named, glass=None, involvements=involvements)


def decide_many(
    user: User, people: Iterable[Person], at: datetime | None = None
) -> dict[int, Decision | None]:
    """:func:`decide` for many people in at most three queries, whatever their number (lists
    and searches log a read per person shown: issue 17 measured 53 involvement look-ups on one
    request queue). Keyed by person id."""
    moment = at or timezone.now()
    people = list(people)
    if not people or not _may_see_anyone(user):
        return {p.pk: None for p in people}
    ids = [p.pk for p in people]
    named = set(_named_on(user).filter(person_id__in=ids).values_list("person_id", flat=True))
    glasses: dict[int, BreakGlass] = {}
    involvements: dict[int, list[Involvement]] = {}
    if user.is_local_authority_staff:
        restricted = [p.pk for p in people if p.is_restricted and p.pk not in named]
        if restricted:
            first_first = BreakGlass._meta.ordering or ["pk"]  # as .first() in decide()
            for glass in (
                _break_glass(user, moment).filter(person_id__in=restricted).order_by(*first_first)
            ):
                glasses.setdefault(glass.person_id, glass)
    else:
        for involvement in _user_involvements(user, moment).filter(person_id__in=ids):
            involvements.setdefault(involvement.person_id, []).append(involvement)
    return {
        p.pk: None
        if p.merged_into_id is not None
        else _decision(
            user,
            p,
            named=p.pk in named,
            glass=glasses.get(p.pk),
            involvements=involvements.get(p.pk, []),
        )
        for p in people
    }


def _may_see_anyone(user: User) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.agency_id is not None and practises(user)
    )


def _decision(
    user: User,
    person: Person,
    *,
    named: bool,
    glass: BreakGlass | None,
    involvements: list[Involvement],
) -> Decision | None:
    """The rules of :func:`decide`, given what was looked up for the person."""
    if user.is_local_authority_staff:
        if person.authority_id != user.agency_id:
            return None
        parts = {Part.SUMMARY, Part.FAMILY, Part.CHRONOLOGY, Part.REPORT}
        if user.has_role(*ACCESS_LOG_ROLES):
            parts.add(Part.ACCESS_LOG)
        if not person.is_restricted:
            return Decision(basis=Basis.AUTHORITY_STAFF, parts=frozenset(parts))
        if named:
            return Decision(basis=Basis.RESTRICTED_GRANT, parts=frozenset(parts))
        if glass is not None:
            return Decision(basis=Basis.BREAK_GLASS, parts=frozenset(parts), break_glass=glass)
        return None
    if not involvements or (person.is_restricted and not named):
        return None
    shared: set[str] = set()
    for involvement in involvements:
        shared.update(str(p) for p in involvement.parts)
    shared.discard(Part.ACCESS_LOG)
    if not shared:
        return None
    return Decision(
        basis=Basis.INVOLVEMENT,
        parts=frozenset(shared),
        involvement=involvements[0],
        reasons=tuple(sorted({i.reason for i in involvements})),
    )
