"""Who may see which MASH requests, outcomes and disclosures; fetching one, with the read logged.

* A partner agency sees the requests addressed to it (the child's identity and the question, not
  the child's file) and the outcomes meant for it; the person who reported sees the outcomes meant
  for them.
* The local authority's MASH (practitioners and managers) and its heads of service see every request
  of the authority's reports, and the outcomes addressed to the authority (a reporter told by
  phone).
* Managers, heads of service, auditors and the information governance lead read the disclosure log.

``access_request`` / ``access_outcome`` answer 404 alike for missing and not allowed, and write an
access-log row (part "Reports and MASH work") for each linked child the page shows, in the
request's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from diogelu.access.models import Basis, Part
from diogelu.access.services import ReadGroup, log_reads_of
from diogelu.accounts.models import MASH_ROLES, PARTNER_WORK_ROLES, Role
from diogelu.accounts.roles import MASH_VIEW_ROLES as MASH_VIEW_ROLES
from diogelu.accounts.roles import is_mash_viewer as is_mash_viewer
from diogelu.accounts.roles import is_partner_worker as is_partner_worker
from diogelu.referrals.access import log_report_reads as log_report_reads
from diogelu.referrals.models import ReportChild
from diogelu.sharing.models import Disclosure, InformationRequest, OutcomeNotification

if TYPE_CHECKING:
    from diogelu.accounts.models import User

#: Local authority roles that read the disclosure log.
DISCLOSURE_LOG_ROLES = frozenset(
    {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.AUDITOR, Role.IG_LEAD}
)


def _usable(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.agency_id is not None)


# --- access log ----------------------------------------------------------------------------------


# ``log_report_reads`` (one row per linked child shown) is the report's, in referrals: below
# both sharing and enquiries, which use it (ADR 0770).


# --- information requests ------------------------------------------------------------------------


def visible_requests(user: User) -> QuerySet[InformationRequest]:
    """The information requests ``user`` may see."""
    base = InformationRequest.objects.select_related(
        "report", "child", "child__person", "agency", "requested_by", "report__authority"
    )
    if is_partner_worker(user):
        return base.filter(agency_id=user.agency_id or 0)
    if is_mash_viewer(user):
        # A report's children are linked only to people of the report's authority, a rule the
        # database keeps (ADR 0816), so of the authority's requests only those about one of its
        # hidden records are hidden: the few children linked to them, read through the index on
        # linked people. Asked of every child's person ("of this authority and not hidden"),
        # PostgreSQL joined all of a county's 300,000 people to count a manager's requests in
        # the API (131 ms of 160; ADR 0848, addendum 3).
        return base.filter(report__authority_id=user.agency_id).exclude(
            child_id__in=_hidden_children(user)
        )
    return base.none()


def _hidden_children(user: User) -> QuerySet[ReportChild, Any]:
    """The ids of the report children linked to a person of ``user``'s authority whom ``user``
    may not see."""
    from diogelu.access.visibility import hidden_person_ids

    return ReportChild.objects.filter(person_id__in=hidden_person_ids(user)).values("pk")


def access_request(
    user: User, pk: object, *, route: str, request: HttpRequest | None = None
) -> InformationRequest:
    """One request for ``user``, or 404 (missing and not allowed alike); the read is logged."""
    try:
        key = int(str(pk))
    except (TypeError, ValueError):
        raise Http404 from None
    found = visible_requests(user).filter(pk=key).first()
    if found is None:
        raise Http404
    log_report_reads(user, [found.child.person_id], route=route, request=request)
    return found


def may_answer(user: User, info_request: InformationRequest) -> bool:
    """True when ``user`` answers for the asked agency (the service checks it again)."""
    return is_partner_worker(user) and user.agency_id == info_request.agency_id


# --- outcomes ------------------------------------------------------------------------------------


def actable_outcomes(user: User, ids: list[str]) -> list[OutcomeNotification] | None:
    """The unacknowledged outcomes with these ids that ``user`` may acknowledge, or None when
    any id is not one of them (missing and not allowed alike)."""
    from diogelu.sharing.services import may_act_for

    try:
        keys = {int(i) for i in ids}
    except (TypeError, ValueError):
        return None
    if len(keys) > 200:
        return None
    found = [
        o
        for o in visible_outcomes(user).filter(pk__in=keys, acknowledged_at__isnull=True)
        if may_act_for(user, o)
    ]
    return found if {o.pk for o in found} == keys else None


def visible_outcomes(user: User) -> QuerySet[OutcomeNotification]:
    """The outcomes meant for ``user`` or for their agency (as ``may_act_for`` decides)."""
    base = OutcomeNotification.objects.select_related(
        "report", "recipient_agency", "recipient_user", "acknowledged_by"
    )
    if not _usable(user):
        return base.none()
    mine = Q(recipient_user_id=user.pk)
    if _acts_for_agency(user):
        mine |= Q(recipient_user__isnull=True, recipient_agency_id=user.agency_id)
    return base.filter(mine)


def acknowledged_outcomes(user: User, limit: int) -> list[OutcomeNotification]:
    """The last ``limit`` of :func:`visible_outcomes` acknowledged, newest first: each of its
    two disjoint halves read from the top of its own index (``outcome_acked_by_user``,
    ``outcome_acked_by_agency``) and the two merged, so the cost is ``limit`` rows however
    many years of outcomes were acknowledged (as one OR they were all read and sorted)."""
    if not _usable(user):
        return []
    done = visible_outcomes(user).filter(acknowledged_at__isnull=False)
    newest = ("-acknowledged_at", "-id")
    rows = list(done.filter(recipient_user_id=user.pk).order_by(*newest)[:limit])
    if _acts_for_agency(user):
        agency = done.filter(recipient_user__isnull=True, recipient_agency_id=user.agency_id)
        rows += agency.order_by(*newest)[:limit]
    rows.sort(key=lambda o: (o.acknowledged_at, o.pk), reverse=True)
    return rows[:limit]


def outcome_parts(user: User) -> list[QuerySet[OutcomeNotification]]:
    """:func:`visible_outcomes` as its disjoint parts: meant for the user; meant for their
    agency with no one named (when they act for it). Each is read newest first from its own
    index (``outcome_shared_to_user``, ``outcome_shared_to_agency``) by the API's list."""
    if not _usable(user):
        return []
    parts = [OutcomeNotification.objects.filter(recipient_user_id=user.pk)]
    if _acts_for_agency(user):
        parts.append(
            OutcomeNotification.objects.filter(
                recipient_user__isnull=True, recipient_agency_id=user.agency_id
            )
        )
    return parts


def _acts_for_agency(user: User) -> bool:
    """Whether ``user`` receives the outcomes meant for their agency with no one named."""
    agency_roles = MASH_ROLES if user.is_local_authority_staff else PARTNER_WORK_ROLES
    return user.has_role(*agency_roles)


def count_waiting_outcomes(user: User) -> int:
    """How many of :func:`visible_outcomes` are not yet acknowledged, counted as its two
    disjoint halves (meant for the user; meant for their agency, no one named), each an
    index-only count (migration ``sharing.0009``). As one OR the count read every row from the
    table: 45 ms for a police officer's 18,096 at Wales scale, on every My work; now 2 ms."""
    if not _usable(user):
        return 0
    waiting = OutcomeNotification.objects.filter(acknowledged_at__isnull=True)
    count = waiting.filter(recipient_user_id=user.pk).count()
    if _acts_for_agency(user):
        count += waiting.filter(
            recipient_user__isnull=True, recipient_agency_id=user.agency_id
        ).count()
    return count


def access_outcome(
    user: User, pk: object, *, route: str, request: HttpRequest | None = None
) -> OutcomeNotification:
    """One outcome for ``user``, or 404; the read is logged for each linked child."""
    try:
        key = int(str(pk))
    except (TypeError, ValueError):
        raise Http404 from None
    found = visible_outcomes(user).filter(pk=key).first()
    if found is None:
        raise Http404
    log_report_reads(
        user,
        found.report.children.values_list("person_id", flat=True),
        route=route,
        request=request,
    )
    return found


# --- disclosure log ------------------------------------------------------------------------------


def may_read_disclosures(user: User) -> bool:
    return _usable(user) and user.is_local_authority_staff and user.has_role(*DISCLOSURE_LOG_ROLES)


def visible_disclosures(user: User) -> QuerySet[Disclosure]:
    """The disclosure log of the user's authority (its reports), for those who may read it."""
    if not may_read_disclosures(user):
        return Disclosure.objects.none()
    return Disclosure.objects.filter(report__authority_id=user.agency_id).select_related(
        "from_agency", "to_agency", "to_user", "by_user", "report"
    )


def children_named_in_work(
    user: User,
    requests: Iterable[InformationRequest],
    outcomes: Iterable[OutcomeNotification],
    *,
    route: str,
    request: HttpRequest | None = None,
) -> dict[str, str]:
    """The child each task on My work is about, as "Name (reference)": for a request the agency
    answers, the child as the report names them (the request's basis); for an outcome, the
    report's children the user may see. Each child named is an access-logged read. Keys are
    ``"request:<id>"`` and ``"outcome:<id>"``."""
    from diogelu.people.models import Person

    named: dict[str, str] = {}
    asked: list[Person] = []
    for r in requests:
        person = r.child.person
        ref = person.la_reference if person is not None else r.report.reference
        named[f"request:{r.pk}"] = f"{r.child.display_name} ({ref})"
        if person is not None:
            asked.append(person)
    # Both lists' children are logged at the end, together: one access decision each and one
    # insert (issue 17: a partner's My work decided and logged twice).
    groups: list[ReadGroup] = [(asked, Part.REPORT, Basis.MASH_REQUEST)] if asked else []
    by_report: dict[int, list[int]] = {}
    outcome_list = list(outcomes)
    for o in outcome_list:
        by_report.setdefault(o.report_id, [])
    if outcome_list:
        from diogelu.referrals.models import ReportChild

        for child in ReportChild.objects.filter(
            report_id__in=by_report, person__isnull=False
        ).values("report_id", "person_id"):
            by_report[child["report_id"]].append(child["person_id"])
        wanted = {pid for pids in by_report.values() for pid in pids}
        people = {p.pk: p for p in Person.objects.visible_to(user).filter(pk__in=wanted)}
        if people:
            groups.append((list(people.values()), Part.SUMMARY, None))
        for o in outcome_list:
            shown = [people[pid] for pid in by_report[o.report_id] if pid in people]
            if shown:
                named[f"outcome:{o.pk}"] = ", ".join(
                    f"{p.full_name} ({p.la_reference})" for p in shown
                )
    if groups:
        log_reads_of(user, groups, route=route, request=request)
    return named


def outcome_people(outcomes: list[OutcomeNotification]) -> list[int | None]:
    """The people of each outcome's report (outcomes the caller was given by
    :func:`visible_outcomes`), in one query for a page: one an outcome
    before (ADR 0842)."""
    from diogelu.referrals.models import ReportChild

    by_report: dict[int, list[int | None]] = {}
    for report_id, person_id in ReportChild.objects.filter(
        report_id__in={o.report_id for o in outcomes}
    ).values_list("report_id", "person_id"):
        by_report.setdefault(report_id, []).append(person_id)
    return [pid for o in outcomes for pid in by_report.get(o.report_id, [])]
