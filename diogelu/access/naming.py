"""The one place that decides which agencies, users and people a write may name.

Any write that names an agency, a user or a person — a MASH information request, a strategy
discussion's participants and action owners, a conference invitation, a core group member, a lead
practitioner, a plan action's owner, a visitor, linking a reported child to a known person — may
name only what the local authority works with:

* an **agency**: the authority itself or one of its active partner agencies (``partner_of``);
  ``partners_only`` leaves the authority itself out (a MASH check goes to a partner);
* a **user**: an active user of one of those agencies (and of the agency named beside them, where
  one is);
* a **person**: a person of the authority whom the actor may see (``visible_person_ids``), never
  a merged record.

Anything else is refused with a :class:`~diogelu.core.exceptions.DomainError` on the field, before
anything is written, so the API answers 400 problem+json and a page shows a GOV.UK error. Services
call these checks; views and serializers never decide this themselves (SECURITY.md §1, issue 11).

The lists a partner's system discovers ids from (``/api/v1/agencies/``, ``/users/``:
:func:`nameable_agencies_for`, :func:`nameable_users_for`) are built from the same two rules
(:func:`nameable_agencies`, :func:`nameable_users`), over every authority the caller works with,
so that what is listed is exactly what a write accepts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from diogelu.access.visibility import visible_person_ids
from diogelu.accounts.directory import authorities_of
from diogelu.accounts.dormant import AUTOMATIC_PREFIX
from diogelu.accounts.models import Agency, AgencyKind, User
from diogelu.core.exceptions import DomainError

if TYPE_CHECKING:
    from diogelu.people.models import Person


def _nameable_agency_filter(authority_ids: QuerySet[Agency, Any]) -> Q:
    """The authorities themselves and their active partner agencies."""
    return Q(pk__in=authority_ids) | Q(partner_of__in=authority_ids)


def nameable_agencies(authority_id: int, *, partners_only: bool = False) -> set[int]:
    """The ids of the agencies a write for this authority may name."""
    ids = set(
        Agency.objects.filter(partner_of=authority_id, is_active=True).values_list("pk", flat=True)
    )
    if not partners_only:
        ids.add(authority_id)
    return ids


def nameable_users(agency_ids: QuerySet[Agency, Any] | set[int]) -> QuerySet[User]:
    """The users a write may name among these agencies: active, never an automatic account."""
    return User.objects.filter(agency__in=agency_ids, is_active=True).exclude(
        username__startswith=AUTOMATIC_PREFIX
    )


def nameable_agencies_for(user: User) -> QuerySet[Agency]:
    """Every agency ``user`` may name in some write: over each authority they work with, the
    authority and its active partners (:func:`nameable_agencies`), and their own agency."""
    if not user.is_active or user.agency_id is None:
        return Agency.objects.none()
    authorities = authorities_of(user).values("pk")
    return (
        Agency.objects.filter(
            _nameable_agency_filter(authorities) | Q(pk=user.agency_id), is_active=True
        )
        .distinct()
        .order_by("kind", "name", "pk")
    )


def nameable_users_for(user: User) -> QuerySet[User]:
    """The people of those agencies ``user`` may name (:func:`nameable_users`)."""
    return (
        nameable_users(nameable_agencies_for(user).values("pk"))
        .select_related("agency", "team")
        .prefetch_related("role_assignments")
        .order_by("agency__name", "last_name", "first_name", "pk")
    )


def check_agency(
    *, authority_id: int, agency: Agency | None, field: str, partners_only: bool = False
) -> Agency:
    """``agency`` if the authority may name it, else a DomainError on ``field``."""
    if agency is None or not isinstance(agency, Agency):
        raise DomainError(_("Choose an agency"), field=field)
    if partners_only and agency.kind == AgencyKind.LOCAL_AUTHORITY:
        raise DomainError(_("Choose a partner agency."), field=field)
    if agency.pk not in nameable_agencies(authority_id, partners_only=partners_only):
        raise DomainError(_("Choose an agency that works with this local authority."), field=field)
    return agency


def check_user(
    *, authority_id: int, user: User | None, field: str, agency: Agency | None = None
) -> User:
    """``user`` if active and of an agency the authority may name (and of ``agency``, if given),
    else a DomainError on ``field``."""
    if (
        user is None
        or not isinstance(user, User)
        or not nameable_users({user.agency_id or 0}).filter(pk=user.pk).exists()
    ):
        raise DomainError(_("Choose a practitioner who works with this authority."), field=field)
    if agency is not None and user.agency_id != agency.pk:
        raise DomainError(_("The practitioner must belong to the agency."), field=field)
    if user.agency_id is None or user.agency_id not in nameable_agencies(authority_id):
        raise DomainError(_("Choose a practitioner who works with this authority."), field=field)
    return user


def check_person(*, actor: User, authority_id: int, person: Person | None, field: str) -> Person:
    """``person`` if a person of the authority whom ``actor`` may see, else a DomainError."""
    if (
        person is None
        or person.authority_id != authority_id
        or person.merged_into_id is not None
        or not visible_person_ids(actor).filter(pk=person.pk).exists()
    ):
        raise DomainError(_("Choose a person known to this authority."), field=field)
    return person
