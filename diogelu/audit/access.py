"""Who may see and do what in case-file audit (fail closed; partner agencies never see any of it).

* The quality team — the authority's auditors, performance officers, heads of service and
  director — see every programme, audit and report of their authority; the quality lead (any of
  them but an auditor) sets programmes up and draws samples.
* An audit is also seen by its auditor, the programme's moderators, the worker whose file it is,
  and the managers above that worker (their line, ``Worker.line_manager``).
* A programme is seen by the quality team and its members; its reports by the quality team.
* Reading a child's file for an audit is access-logged with the audit as its basis
  (:func:`log_audit_read`): the row's basis is ``AUDIT`` and an :class:`AuditRead` names the audit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from diogelu.access import chain
from diogelu.access.models import AccessLog, Basis, Channel, Part
from diogelu.access.visibility import decide
from diogelu.accounts.models import Role
from diogelu.audit.models import Audit, AuditAction, AuditRead, MemberRole, Programme
from diogelu.core.middleware import current_request_id
from diogelu.oversight.access import reports_below as reports_below
from diogelu.oversight.models import Worker

if TYPE_CHECKING:
    from django.http import HttpRequest

    from diogelu.accounts.models import User

QUALITY_ROLES = frozenset(
    {Role.AUDITOR, Role.PERFORMANCE_OFFICER, Role.HEAD_OF_SERVICE, Role.DIRECTOR}
)
LEAD_ROLES = frozenset({Role.PERFORMANCE_OFFICER, Role.HEAD_OF_SERVICE, Role.DIRECTOR})
#: Who may be named an auditor or moderator of a programme (social workers audit as peers).
AUDITOR_ROLES = frozenset(
    {
        Role.AUDITOR,
        Role.SOCIAL_WORKER,
        Role.TEAM_MANAGER,
        Role.HEAD_OF_SERVICE,
        Role.PERFORMANCE_OFFICER,
        Role.CONFERENCE_CHAIR,
    }
)
MAX_LINE_DEPTH = 6


def _la_user(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.agency_id is not None
        and user.is_local_authority_staff
    )


def is_quality_team(user: Any) -> bool:
    return _la_user(user) and user.has_role(*QUALITY_ROLES)


def is_quality_lead(user: Any) -> bool:
    return _la_user(user) and user.has_role(*LEAD_ROLES)


def may_audit(user: Any) -> bool:
    return _la_user(user) and user.has_role(*AUDITOR_ROLES)


def managers_above(worker_user_id: int, authority_id: int) -> set[int]:
    """The user ids of the managers above a worker, following ``Worker.line_manager``."""
    found: set[int] = set()
    current = {worker_user_id}
    for _ in range(MAX_LINE_DEPTH):
        up = (
            set(
                Worker.objects.filter(authority_id=authority_id, user_id__in=current)
                .exclude(line_manager__isnull=True)
                .values_list("line_manager_id", flat=True)
            )
            - found
            - {worker_user_id}
        )
        if not up:
            break
        found |= up
        current = up
    return found


def visible_programmes(user: User) -> QuerySet[Programme]:
    if not _la_user(user):
        return Programme.objects.none()
    mine = Programme.objects.filter(authority_id=user.agency_id)
    if is_quality_team(user):
        return mine
    return mine.filter(members__user_id=user.pk).distinct()


def visible_audits(user: User, below: set[int] | None = None) -> QuerySet[Audit]:
    """The audits ``user`` may see; ``below``, when the caller has it, is
    :func:`reports_below` of the user."""
    if not _la_user(user):
        return Audit.objects.none()
    mine = Audit.objects.filter(programme__authority_id=user.agency_id)
    if is_quality_team(user):
        return mine
    if below is None:
        below = reports_below(user)
    moderated = Q(
        programme__members__user_id=user.pk, programme__members__role=MemberRole.MODERATOR
    )
    return mine.filter(
        Q(auditor_id=user.pk) | Q(worker_id=user.pk) | Q(worker_id__in=below) | moderated
    ).distinct()


def access_programme(user: User, pk: object) -> Programme:
    try:
        return visible_programmes(user).get(pk=int(str(pk)))
    except (Programme.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_audit(user: User, pk: object) -> Audit:
    try:
        return (
            visible_audits(user)
            .select_related("programme__form", "person", "team", "worker", "auditor", "case")
            .get(pk=int(str(pk)))
        )
    except (Audit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def visible_actions(user: User) -> QuerySet[AuditAction]:
    if not _la_user(user):
        return AuditAction.objects.none()
    return AuditAction.objects.filter(
        Q(audit__in=visible_audits(user)) | Q(owner_id=user.pk),
        audit__programme__authority_id=user.agency_id,
    ).distinct()


def access_action(user: User, pk: object) -> AuditAction:
    try:
        return visible_actions(user).select_related("audit__person", "owner").get(pk=int(str(pk)))
    except (AuditAction.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def is_moderator_of(user: User, programme: Programme) -> bool:
    return programme.members.filter(user_id=user.pk, role=MemberRole.MODERATOR).exists()


def log_audit_read(
    user: User,
    audit: Audit,
    *,
    route: str,
    part: str = Part.CHRONOLOGY,
    channel: str = Channel.PAGE,
    request: HttpRequest | None = None,
) -> AccessLog:
    """Log the auditor's (or moderator's) read of the child's file with the audit as its basis.

    The reader must still be able to see the child (restricted records stay restricted: 404).
    """
    decision = decide(user, audit.person)
    if decision is None:
        raise Http404
    assert user.agency_id is not None
    addr = request.META.get("REMOTE_ADDR") if request is not None else None
    row = AccessLog.objects.create(
        user=user,
        agency_id=user.agency_id,
        person=audit.person,
        channel=channel,
        route=route[:100],
        part=part,
        basis=Basis.AUDIT,
        break_glass=decision.break_glass,
        request_id=current_request_id(),
        ip_address=str(addr) if addr else None,
    )
    AuditRead.objects.create(audit=audit, access_log=row)
    chain.schedule_seal(from_id=row.pk)
    return row


def log_sample_reads(
    user: User, audits: list[Audit], *, route: str, request: HttpRequest | None = None
) -> list[Audit]:
    """Log that each audit's child was named to ``user`` (the summary part, the audit as the
    basis); returns the audits whose child the user may see (the others are left out)."""
    shown: list[Audit] = []
    rows: list[AccessLog] = []
    assert user.agency_id is not None
    addr = request.META.get("REMOTE_ADDR") if request is not None else None
    for audit in audits:
        decision = decide(user, audit.person)
        if decision is None:
            continue
        shown.append(audit)
        rows.append(
            AccessLog(
                user=user,
                agency_id=user.agency_id,
                person=audit.person,
                channel=Channel.PAGE,
                route=route[:100],
                part=Part.SUMMARY,
                basis=Basis.AUDIT,
                break_glass=decision.break_glass,
                request_id=current_request_id(),
                ip_address=str(addr) if addr else None,
            )
        )
    if rows:
        made = AccessLog.objects.bulk_create(rows)
        AuditRead.objects.bulk_create(
            [AuditRead(audit=a, access_log=row) for a, row in zip(shown, made, strict=True)]
        )
        ids = [row.pk for row in made if row.pk is not None]
        chain.schedule_seal(from_id=min(ids) if ids else None)
    return shown
