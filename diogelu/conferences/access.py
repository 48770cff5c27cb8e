"""Who may see child protection conferences (fail closed).

The authority's social work staff and conference chairs see the whole conference of children
they may see. An invitee (a named practitioner, or a worker of an invited agency) sees only their
own invitation; a recipient of the circulated record sees that record. Everyone else gets 404,
alike for missing and not allowed. Each fetcher logs the read of the children it shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from diogelu.access.models import Channel, Part
from diogelu.access.services import log_reads
from diogelu.access.visibility import hidden_person_ids
from diogelu.accounts.models import PARTNER_WORK_ROLES, AgencyKind
from diogelu.accounts.roles import CONFERENCE_STAFF_ROLES
from diogelu.accounts.roles import is_conference_staff as is_conference_staff
from diogelu.conferences.models import Circulation, Conference, ConferenceChild, Invitation
from diogelu.conferences.services import (
    REGISTER_CHECK_KINDS,
    REGISTER_CHECK_ROLES,
    may_acknowledge,
)

if TYPE_CHECKING:
    from diogelu.accounts.models import User


def _pk(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise Http404 from None


def _signed_in(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.agency_id is not None)


def may_check_register(user: User) -> bool:
    agency = user.agency if _signed_in(user) else None
    return bool(
        agency is not None
        and agency.kind in REGISTER_CHECK_KINDS
        and agency.kind != AgencyKind.LOCAL_AUTHORITY
        and user.has_role(*REGISTER_CHECK_ROLES)
    )


def _hidden_people(user: User) -> QuerySet[Any, Any]:
    return hidden_person_ids(user)


def visible_conferences(user: User) -> QuerySet[Conference]:
    """Whole conferences: the authority's social work staff, for children they may see."""
    if not is_conference_staff(user):
        return Conference.objects.none()
    return (
        Conference.objects.filter(authority_id=user.agency_id)
        .exclude(children__person__in=_hidden_people(user))
        .select_related("authority", "chair", "convened_by")
        .distinct()
    )


def _log(
    user: User,
    conference: Conference,
    route: str,
    request: HttpRequest | None,
    channel: str = Channel.PAGE,
) -> None:
    people = [c.person for c in conference.children.select_related("person")]
    log_reads(user, people, part=Part.SUMMARY, route=route, request=request, channel=channel)


def access_conference(
    user: User,
    pk: object,
    *,
    route: str,
    request: HttpRequest | None = None,
    channel: str = Channel.PAGE,
) -> Conference:
    """A whole conference for its authority's social work staff, or 404."""
    found = visible_conferences(user).filter(pk=_pk(pk)).first()
    if found is None:
        raise Http404
    _log(user, found, route, request, channel)
    return found


def _invitations_for(user: User) -> QuerySet[Invitation]:
    if not _signed_in(user):
        return Invitation.objects.none()
    mine = Q(user_id=user.pk)
    if user.has_role(*PARTNER_WORK_ROLES) or (
        user.is_local_authority_staff and user.has_role(*CONFERENCE_STAFF_ROLES)
    ):
        mine |= Q(user__isnull=True, agency_id=user.agency_id)
    return Invitation.objects.filter(mine, invitee_kind="AGENCY")


def sees_every_child(user: User, conference: Conference) -> bool:
    """Whether ``user`` may still see every child of ``conference`` (an invitation gives sight
    of a conference only while the involvement with each child lasts)."""
    from diogelu.access.visibility import decide

    return all(
        decide(user, c.person) is not None for c in conference.children.select_related("person")
    )


def conferences_seen_whole(user: User, conferences: Iterable[Conference]) -> set[int]:
    """The ids of those ``conferences`` every child of which ``user`` may still see: what
    :func:`sees_every_child` says of each, in two queries for them all (a police officer's
    My work asked it of each invitation, three queries a child)."""
    from diogelu.access.visibility import decide_many

    ids = {c.pk for c in conferences}
    if not ids:
        return set()
    places = list(ConferenceChild.objects.filter(conference_id__in=ids).select_related("person"))
    seen = decide_many(user, {p.person_id: p.person for p in places}.values())
    hidden = {p.conference_id for p in places if seen.get(p.person_id) is None}
    return ids - hidden


def my_invitations(user: User, conference: Conference) -> list[Invitation]:
    """The invitations on ``conference`` this user answers for, while they may still see every
    child in it."""
    found = list(_invitations_for(user).filter(conference=conference).select_related("agency"))
    if found and not sees_every_child(user, conference):
        return []
    return found


def may_still_read(user: User, circulation: Circulation) -> bool:
    """Whether a recipient may (still) open a circulated record.

    A copy not yet acknowledged stays readable, so that it can be read and acknowledged even when
    the recipient's involvement ended on circulation (a child not registered). Once acknowledged,
    it is readable only while the recipient may still see every child in it: nothing after the
    involvement ends. Nobody reaches a restricted child they may not see through a copy, and the
    authority's staff (acknowledging for a family member) must be able to see every child."""
    from diogelu.access.visibility import decide

    if not may_acknowledge(user, circulation):
        return False
    people = [c.person for c in circulation.conference.children.select_related("person")]
    hidden = [p for p in people if decide(user, p) is None]
    if not hidden:
        return True
    if user.is_local_authority_staff or any(p.is_restricted for p in hidden):
        return False
    return not circulation.is_acknowledged


def my_circulations(user: User, conference: Conference) -> list[Circulation]:
    """The copies of the record sent to this user (or their agency) on ``conference`` that they
    may still read (:func:`may_still_read`)."""
    if not _signed_in(user):
        return []
    found = conference.circulations.filter(
        Q(recipient_user_id=user.pk) | Q(recipient_agency_id=user.agency_id)
    )
    return [c for c in found.select_related("conference") if may_still_read(user, c)]


def access_conference_as_invitee(
    user: User,
    pk: object,
    *,
    route: str,
    request: HttpRequest | None = None,
    channel: str = Channel.PAGE,
) -> Conference:
    """A conference for someone invited to it or sent its record (their own part only)."""
    pk = _pk(pk)
    conference = Conference.objects.filter(pk=pk).select_related("authority").first()
    if conference is None or not (
        my_invitations(user, conference) or my_circulations(user, conference)
    ):
        raise Http404
    _log(user, conference, route, request, channel)
    return conference


def access_invitation(
    user: User,
    pk: object,
    *,
    route: str,
    request: HttpRequest | None = None,
    channel: str = Channel.PAGE,
) -> Invitation:
    """An invitation, for its conference's social work staff, or 404."""
    found = (
        Invitation.objects.filter(pk=_pk(pk), conference__in=visible_conferences(user))
        .select_related("conference", "agency", "user", "person")
        .first()
    )
    if found is None:
        raise Http404
    _log(user, found.conference, route, request, channel)
    return found


def access_own_invitation(
    user: User,
    pk: object,
    *,
    route: str,
    request: HttpRequest | None = None,
    channel: str = Channel.PAGE,
) -> Invitation:
    """An agency invitation the user answers for (to submit the agency's report), while they may
    still see every child of the conference; else 404."""
    found = (
        _invitations_for(user)
        .filter(pk=_pk(pk))
        .select_related("conference", "conference__authority", "agency", "user")
        .first()
    )
    if found is None or not sees_every_child(user, found.conference):
        raise Http404
    _log(user, found.conference, route, request, channel)
    return found


def _hidden_children(user: User) -> QuerySet[ConferenceChild]:
    """The children of the outer query's conference that ``user`` may not see now (a correlated
    subquery on ``conference_id``): what :func:`sees_every_child` asks child by child."""
    from django.db.models import OuterRef

    from diogelu.access.visibility import visible_person_q

    # The child's visibility said of the child's row (for a partner: an involvement looked up
    # by the child's key, restricted records as their small set), not "among the visible
    # people": PostgreSQL hashed that into the set of every conference with a hidden child,
    # reading all of a county's 300,000 people for a police officer's list of records.
    return ConferenceChild.objects.filter(conference_id=OuterRef("conference_id")).exclude(
        visible_person_q(user, "person", per_row=True)
    )


def open_invitations(user: User) -> QuerySet[Invitation]:
    """The agency invitations the user answers for, on conferences whose every child they may
    still see (as :func:`access_own_invitation` decides), newest first: one query to page,
    however many invitations years of conferences sent (a police officer's, one by one: 3 s at a
    county; issue 17)."""
    from django.db.models import Exists

    return (
        _invitations_for(user)
        .filter(~Exists(_hidden_children(user)))
        .select_related("conference", "conference__authority", "agency", "user")
        .order_by("-invited_at", "-pk")
    )


def records_for(user: User) -> QuerySet[Circulation]:
    """The copies of conference records sent to the user or their agency that they may still
    read and acknowledge (as :func:`may_still_read` decides of each), newest first, as one query
    to page (asked copy by copy, a police force's 9,000 statements took 25 s at a county; issue
    17). ``test_records_for_agrees_with_may_still_read`` holds the two together."""
    from django.db.models import Exists

    from diogelu.conferences.services.circulation import agency_may_acknowledge

    if not _signed_in(user):
        return Circulation.objects.none()
    mine = Q(recipient_user_id=user.pk)
    if agency_may_acknowledge(user):
        mine |= Q(recipient_user__isnull=True, recipient_agency_id=user.agency_id)
    hidden = _hidden_children(user)
    readable: Any = ~Exists(hidden)
    if not user.is_local_authority_staff:
        # a copy not yet acknowledged stays readable, unless a child in it is restricted
        readable |= Q(acknowledged_at__isnull=True) & ~Exists(
            hidden.filter(person__is_restricted=True)
        )
    return (
        Circulation.objects.filter(mine)
        .filter(readable)
        .select_related("conference", "conference__authority", "conference__chair")
        .order_by("-sent_at", "-pk")
    )


def access_circulation(
    user: User,
    pk: object,
    *,
    route: str,
    request: HttpRequest | None = None,
    channel: str = Channel.PAGE,
) -> Circulation:
    """A circulated record the user may acknowledge, or 404."""
    found = (
        Circulation.objects.filter(pk=_pk(pk))
        .select_related("conference", "conference__authority", "conference__chair")
        .first()
    )
    if found is None or not _signed_in(user) or not may_still_read(user, found):
        raise Http404
    _log(user, found.conference, route, request, channel)
    return found


def episode_conferences(user: User, episode: Any) -> list[Conference]:
    """The conferences of one registration (the one that registered the child, its reviews and any
    convened), for the authority's social work staff; oldest first."""
    # The ids first, through the index on the episode: "a child of this episode, or this
    # conference" as one OR over a join read every conference of the authority (23 ms on a plan
    # page at a county, growing with the years).
    ids = set(
        ConferenceChild.objects.filter(episode_id=episode.pk).values_list(
            "conference_id", flat=True
        )
    )
    if episode.conference_id is not None:
        ids.add(episode.conference_id)
    return list(visible_conferences(user).filter(pk__in=ids).order_by("created_at"))
