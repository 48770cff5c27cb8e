"""Fetching a person with an access check, and the actions that change who may see whom.

``access_person`` is the only way pages and the API get one person: it answers 404 alike for a
person who does not exist and one the user may not see, and it writes the access-log row in the
caller's transaction (requests are atomic), so a read that is not logged does not happen. The
rows are sealed into the hash chain just after that transaction commits (``chain.schedule_seal``),
so logging never waits for another request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diogelu.access import chain
from diogelu.access.models import (
    AccessLog,
    Basis,
    BreakGlass,
    BreakGlassReason,
    Channel,
    Involvement,
    InvolvementReason,
    Part,
    ReadVolumeAlert,
    RestrictedAccessGrant,
)
from diogelu.access.visibility import Decision, decide, decide_many, person_model
from diogelu.accounts.models import Role
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.core.middleware import current_request_id
from diogelu.core.texts import msg
from diogelu.notifications.models import Kind
from diogelu.notifications.services import complete_task, enqueue

if TYPE_CHECKING:
    from diogelu.accounts.models import Agency, User
    from diogelu.people.models import Person


@dataclass(frozen=True)
class PersonAccess:
    """A person the user may see, with the decision that allows it."""

    person: Person
    decision: Decision

    def may_see(self, part: str) -> bool:
        return self.decision.may_see(part)


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    addr = request.META.get("REMOTE_ADDR")
    return str(addr) if addr else None


def _first_id(rows: list[AccessLog]) -> int | None:
    """The lowest id bulk-created (None where the database did not return the ids)."""
    ids = [row.pk for row in rows]
    return min(ids) if ids and None not in ids else None


def _log(
    *,
    user: User,
    person: Person,
    decision: Decision,
    channel: str,
    route: str,
    part: str,
    request: HttpRequest | None,
) -> AccessLog:
    row = _read_row(user, person, part, decision, None, channel, route, request)
    row.save(force_insert=True)
    chain.schedule_seal(from_id=row.pk)
    return row


def access_person(
    user: User,
    person_id: object,
    *,
    part: str = Part.SUMMARY,
    channel: str = Channel.PAGE,
    route: str,
    request: HttpRequest | None = None,
) -> PersonAccess:
    """Fetch one person for ``user`` and log the read of ``part``.

    Raises ``Http404`` when the person does not exist, is not visible to the user, or the part is
    not shared with them — the same answer in every case, so nothing leaks.
    """
    Person = person_model()  # noqa: N806 - the model class

    try:
        pk = int(str(person_id))
    except (TypeError, ValueError):
        raise Http404 from None
    person = Person.objects.filter(pk=pk).select_related("authority").first()
    if person is None:
        raise Http404
    decision = decide(user, person)
    if decision is None or not decision.may_see(part):
        raise Http404
    _log(
        user=user,
        person=person,
        decision=decision,
        channel=channel,
        route=route,
        part=part,
        request=request,
    )
    return PersonAccess(person=person, decision=decision)


def log_reads(
    user: User,
    people: Iterable[Person],
    *,
    part: str,
    route: str,
    channel: str = Channel.PAGE,
    request: HttpRequest | None = None,
    fallback_basis: str | None = None,
) -> int:
    """Log that ``part`` of each person's record was shown to ``user``; returns rows written.

    The basis is the user's access decision for the person. Where there is none, a row is
    written only when the caller names another basis (``fallback_basis``, e.g. a partner agency
    asked by the MASH about a child it has no involvement with); otherwise the person is skipped,
    because pages never show anything of a person the user may not see.
    """
    return log_reads_of(
        user, [(people, part, fallback_basis)], route=route, channel=channel, request=request
    )


ReadGroup = tuple["Iterable[Person]", str, "str | None"]


def log_reads_of(
    user: User,
    groups: Iterable[ReadGroup],
    *,
    route: str,
    channel: str = Channel.PAGE,
    request: HttpRequest | None = None,
) -> int:
    """:func:`log_reads` for several groups of people shown on one page, each group as
    ``(people, part, fallback_basis)``: one access decision per person and one insert for them
    all (a partner's My work names the children of its requests and of its outcomes)."""
    assert user.agency_id is not None
    listed = [(list(people), part, fallback) for people, part, fallback in groups]
    everyone = {p.pk: p for people, _part, _fallback in listed for p in people}
    decisions = decide_many(user, everyone.values())
    rows: list[AccessLog] = []
    for people, part, fallback_basis in listed:
        for person in people:
            decision = decisions[person.pk]
            if decision is None and fallback_basis is None:
                continue
            rows.append(
                _read_row(user, person, part, decision, fallback_basis, channel, route, request)
            )
    _write_reads(rows)
    return len(rows)


def _read_row(
    user: User,
    person: Person,
    part: str,
    decision: Decision | None,
    fallback_basis: str | None,
    channel: str,
    route: str,
    request: HttpRequest | None,
) -> AccessLog:
    """One read of ``part`` of a person's record, on the user's decision or the fallback basis."""
    assert user.agency_id is not None
    return AccessLog(
        user=user,
        agency_id=user.agency_id,
        person=person,
        channel=channel,
        route=route[:100],
        part=part,
        basis=decision.basis if decision else str(fallback_basis),
        involvement=decision.involvement if decision else None,
        break_glass=decision.break_glass if decision else None,
        request_id=current_request_id(),
        ip_address=_client_ip(request),
    )


def _write_reads(rows: list[AccessLog]) -> None:
    """Insert the reads at once and have them sealed after the commit."""
    if rows:
        AccessLog.objects.bulk_create(rows)
        chain.schedule_seal(from_id=_first_id(rows))


def log_search_results(
    user: User,
    people: Iterable[Person],
    *,
    channel: str = Channel.SEARCH,
    route: str,
    request: HttpRequest | None = None,
) -> list[PersonAccess]:
    """Log that each person in a result list was shown to ``user``; return their decisions.

    The people must come from a ``visible_to(user)`` queryset; anyone the decision refuses is
    dropped rather than shown (defence in depth).
    """
    shown: list[PersonAccess] = []
    rows: list[AccessLog] = []
    assert user.agency_id is not None
    people = list(people)
    decisions = decide_many(user, people)
    for person in people:
        decision = decisions[person.pk]
        if decision is None or not decision.may_see(Part.SUMMARY):
            continue
        shown.append(PersonAccess(person=person, decision=decision))
        rows.append(_read_row(user, person, Part.SUMMARY, decision, None, channel, route, request))
    _write_reads(rows)
    return shown


@transaction.atomic
def record_involvement(
    *,
    actor: User,
    person: Person,
    agency: Agency,
    reason: str,
    parts: Iterable[str] = (Part.SUMMARY, Part.CHRONOLOGY),
    user: User | None = None,
    note: str = "",
) -> Involvement:
    """Record that ``agency`` (or one of its users) has a legitimate relationship with ``person``.

    Only local authority staff of the person's authority record involvements.
    """
    if not actor.is_local_authority_staff or actor.agency_id != person.authority_id:
        raise NotPermittedError(_("Only the child's local authority can record an involvement."))
    chosen = sorted({str(Part(p)) for p in parts} - {Part.ACCESS_LOG})
    if not chosen:
        raise DomainError(_("Choose at least one part of the record to share."), field="parts")
    if user is not None and user.agency_id != agency.pk:
        raise DomainError(_("The user must belong to the agency."), field="user")
    return Involvement.objects.create(
        person=person,
        agency=agency,
        user=user,
        reason=InvolvementReason(reason),
        parts=chosen,
        recorded_by=actor,
        note=note,
    )


@transaction.atomic
def end_involvement(*, actor: User, involvement: Involvement) -> Involvement:
    """End an involvement now; the agency loses sight of the person on its next request."""
    if not actor.is_local_authority_staff or actor.agency_id != involvement.person.authority_id:
        raise NotPermittedError(_("Only the child's local authority can end an involvement."))
    involvement.ended_at = timezone.now()
    involvement.save(update_fields=["ended_at"])
    return involvement


@transaction.atomic
def grant_restricted_access(
    *, actor: User, person: Person, user: User, reason: str
) -> RestrictedAccessGrant:
    """Name ``user`` on a restricted record. Team managers and heads of service only."""
    if not actor.has_role(Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.IG_LEAD):
        raise NotPermittedError(_("Only a manager can name someone on a restricted record."))
    if actor.agency_id != person.authority_id:
        raise NotPermittedError(_("Only the child's local authority can do this."))
    if not reason.strip():
        raise DomainError(_("Enter the reason for naming this person"), field="reason")
    return RestrictedAccessGrant.objects.create(
        person=person, user=user, granted_by=actor, reason=reason.strip()
    )


def find_restricted_by_reference(user: User, la_reference: str) -> Person | None:
    """The restricted record of the user's own authority with this reference, if any."""
    Person = person_model()  # noqa: N806 - the model class

    if not user.is_local_authority_staff or not user.is_active:
        return None
    return Person.objects.filter(
        la_reference=la_reference.strip().upper(),
        is_restricted=True,
        authority_id=user.agency_id,
        merged_into__isnull=True,
    ).first()


def read_volume_alerts_for(user: User) -> QuerySet[ReadVolumeAlert]:
    """The read-volume alerts of the IG lead's authority, newest first (the last 90 days)."""
    if not user.has_role(Role.IG_LEAD) or user.agency_id is None:
        return ReadVolumeAlert.objects.none()
    since = timezone.now() - timedelta(days=90)
    return ReadVolumeAlert.objects.filter(
        authority_id=user.agency_id, window_end__gte=since
    ).select_related("user", "user__agency")


def break_glass_to_review(user: User, access_id: int) -> BreakGlass:
    """One break-glass access in the IG lead's authority, or 404."""
    access = BreakGlass.objects.filter(pk=access_id, person__authority_id=user.agency_id).first()
    if access is None or not user.has_role(Role.IG_LEAD):
        raise Http404
    return access


@transaction.atomic
def break_glass(*, actor: User, person: Person, reason_code: str, reason: str) -> BreakGlass:
    """Open time-limited emergency access to a restricted record, with a written reason.

    The access is listed for the information governance lead until reviewed, and every read made
    under it says so in the access log.
    """
    if not actor.is_local_authority_staff or actor.agency_id != person.authority_id:
        raise NotPermittedError(_("Only staff of the child's local authority can use break-glass."))
    if reason_code not in BreakGlassReason.values:
        raise DomainError(_("Choose the reason for emergency access"), field="reason_code")
    text = reason.strip()
    if len(text) < 20:
        raise DomainError(
            _("Explain in at least 20 characters why you need emergency access"), field="reason"
        )
    now = timezone.now()
    access = BreakGlass.objects.create(
        user=actor,
        person=person,
        reason_code=reason_code,
        reason=text[:5000],
        started_at=now,
        expires_at=now + timedelta(hours=settings.BREAK_GLASS_HOURS),
    )
    # Every new emergency access is told to the authority's information governance leads at
    # once (references only: the message names the record's reference, not the child).
    enqueue(
        kind=Kind.BREAK_GLASS,
        dedupe_key=f"break-glass:{access.pk}",
        subject="",
        subject_key=gettext_noop(
            "Emergency access to restricted record %(ref)s by %(name)s: review it"
        ),
        subject_params={"ref": person.la_reference, "name": str(actor)},
        body=msg(
            gettext_noop("Reason given: %(reason)s"), reason=BreakGlassReason(reason_code).label
        ),
        link=f"/emergency-access/review/{access.pk}/",
        agency=person.authority,
        roles=[Role.IG_LEAD],
        task=f"break-glass:{access.pk}",
    )
    return access


@transaction.atomic
def review_break_glass(*, actor: User, access: BreakGlass, note: str) -> BreakGlass:
    """The information governance lead records that they reviewed a break-glass access."""
    if not actor.has_role(Role.IG_LEAD) or actor.agency_id != access.person.authority_id:
        raise NotPermittedError(
            _("Only the information governance lead reviews break-glass access.")
        )
    if access.reviewed_at is not None:
        raise DomainError(_("This access has already been reviewed."))
    if not note.strip():
        raise DomainError(_("Enter what you found"), field="note")
    access.reviewed_by = actor
    access.reviewed_at = timezone.now()
    access.review_note = note.strip()[:5000]
    access.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    complete_task(f"break-glass:{access.pk}")
    return access


def break_glass_for_review(actor: User) -> list[BreakGlass]:
    """Break-glass accesses in the IG lead's authority, unreviewed first."""
    if not actor.has_role(Role.IG_LEAD):
        return []
    return list(
        BreakGlass.objects.filter(person__authority_id=actor.agency_id)
        .select_related("user", "person")
        .order_by("reviewed_at", "-started_at")[:200]
    )


def person_access_log(access: PersonAccess) -> QuerySet[AccessLog]:
    """The access log of a person, newest first, for a viewer entitled to see it."""
    if not access.may_see(Part.ACCESS_LOG):
        raise Http404
    return (
        AccessLog.objects.filter(person=access.person)
        .select_related("user", "agency")
        .order_by("-at", "-id")
    )


__all__ = [
    "Basis",
    "PersonAccess",
    "access_person",
    "break_glass",
    "log_search_results",
    "record_involvement",
]


def log_list_reads(
    user: User, people: Iterable[Person], *, route: str, request: HttpRequest | None = None
) -> int:
    """Log the people shown in a work list (name and reference: the summary part) in a fixed
    number of queries: local authority staff of the person's authority see an unrestricted
    record as staff; anyone else (partners, restricted records) goes through :func:`decide`."""
    assert user.agency_id is not None
    rows: list[AccessLog] = []
    for person in people:
        if (
            user.is_local_authority_staff
            and person.authority_id == user.agency_id
            and not person.is_restricted
            and person.merged_into_id is None
        ):
            basis: str = Basis.AUTHORITY_STAFF
            involvement, glass = None, None
        else:
            decision = decide(user, person)
            if decision is None:
                continue
            basis, involvement, glass = (
                decision.basis,
                decision.involvement,
                decision.break_glass,
            )
        rows.append(
            AccessLog(
                user=user,
                agency_id=user.agency_id,
                person=person,
                channel=Channel.PAGE,
                route=route[:100],
                part=Part.SUMMARY,
                basis=basis,
                involvement=involvement,
                break_glass=glass,
                request_id=current_request_id(),
                ip_address=_client_ip(request),
            )
        )
    if rows:
        AccessLog.objects.bulk_create(rows)
        chain.schedule_seal()
    return len(rows)
