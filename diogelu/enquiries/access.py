"""Who may see strategy discussions and section 47 enquiries (ADR 0640), pages and API alike.

* The local authority's social work staff (social workers, MASH practitioners, team managers,
  heads of service) of the authority whose report it is see every one, whole, for children they
  may see.
* A partner agency's worker (``is_partner_worker``) reads back
  - a **strategy discussion** its agency took part in (a participant of that agency), and
  - a **section 47 enquiry** that followed a strategy discussion its agency took part in, or whose
    determination was shared with its agency (or with them) as an outcome,
  only when they may see every child it is about (``visible_person_ids``: restricted records and
  children their agency is not involved with hide the whole record), and only the fields a
  partner is entitled to (:func:`reads_whole`): never the information shared at the discussion
  (each agency's disclosures stay with the authority's record), the child's own words, why the
  child was not seen alone, or a determination before it has been shared (determination 1 waits
  for a manager's ratification).
* Nobody else: an uninvolved agency, another authority's staff and non-practice roles get 404.

Each ``access_*`` fetcher answers 404 alike for missing and not allowed, and logs the read of each
child the page shows (part "Reports and MASH work").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from diogelu.access.visibility import hidden_person_ids, visible_person_q
from diogelu.accounts.roles import is_partner_worker
from diogelu.accounts.roles import is_social_work_staff as is_social_work_staff
from diogelu.enquiries.models import (
    Determination,
    Section47Enquiry,
    StrategyChildDecision,
    StrategyDiscussion,
    StrategyParticipant,
)
from diogelu.referrals.access import log_report_reads
from diogelu.referrals.models import Report, ReportStatus

if TYPE_CHECKING:
    from diogelu.accounts.models import User


def _pk(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise Http404 from None


def _hidden_people(user: User) -> QuerySet[Any, Any]:
    """People of the authority this user may not see (restricted records)."""
    return hidden_person_ids(user)


def reads_whole(user: User) -> bool:
    """True when ``user`` reads strategy discussions and enquiries whole (the authority's social
    work staff); False for a partner agency's worker, who reads the partner view (ADR 0640)."""
    return is_social_work_staff(user)


def visible_strategies(user: User) -> QuerySet[StrategyDiscussion]:
    if is_social_work_staff(user):
        return (
            # No DISTINCT: the report is one row and the children are excluded by a subquery,
            # so no discussion can appear twice. With it, PostgreSQL sorted all of a county's
            # 10,964 discussions to find a page of 25 (63 ms; the page itself 3 ms without).
            StrategyDiscussion.objects.filter(report__authority_id=user.agency_id)
            .exclude(child_decisions__person__in=_hidden_people(user))
            .select_related("report", "chair", "recorded_by")
        )
    if is_partner_worker(user):
        # Per discussion ("its agency took part; none of its children is hidden"), so that the
        # newest few or one by its id are found without first working out every hidden decision
        # of every discussion (0.19 s of a police officer's My work at a county).
        took_part = StrategyParticipant.objects.filter(
            strategy_id=OuterRef("pk"), agency_id=user.agency_id or 0
        )
        hidden = StrategyChildDecision.objects.filter(strategy_id=OuterRef("pk")).exclude(
            visible_person_q(user, "person")
        )
        return (
            StrategyDiscussion.objects.filter(Exists(took_part))
            .exclude(Exists(hidden))
            .select_related("report", "chair", "recorded_by")
        )
    return StrategyDiscussion.objects.none()


def access_strategy(
    user: User, pk: object, *, route: str, request: HttpRequest | None = None
) -> StrategyDiscussion:
    found = visible_strategies(user).filter(pk=_pk(pk)).first()
    if found is None:
        raise Http404
    log_report_reads(
        user,
        found.child_decisions.values_list("person_id", flat=True),
        route=route,
        request=request,
    )
    return found


def _enquiries_shared_with(user: User) -> QuerySet[Any, Any]:
    """Ids of the enquiries whose determination was shared with ``user`` or their agency."""
    # By its label, as sharing's own models name the workflow's (ADR 0402): enquiries and sharing
    # are independent siblings, so enquiries imports nothing of sharing for this.
    outcome = apps.get_model("sharing", "OutcomeNotification")
    shared: QuerySet[Any, Any] = (
        outcome.objects.filter(source="DETERMINATION")
        .filter(Q(recipient_agency_id=user.agency_id) | Q(recipient_user_id=user.pk))
        .values("source_id")
    )
    return shared


def determination_shared(user: User, enquiry: Section47Enquiry) -> bool:
    """True when ``user`` may read the enquiry's determination: the authority's social work staff
    always; a partner once it has been shared with their agency (or them)."""
    if reads_whole(user):
        return True
    if not enquiry.is_determined:
        return False
    if enquiry.determination == Determination.NOT_SUBSTANTIATED and enquiry.ratified_at is None:
        return False
    return _enquiries_shared_with(user).filter(source_id=enquiry.pk).exists()


def determinations_shared(user: User, enquiries: Iterable[Section47Enquiry]) -> set[int]:
    """The ids of those ``enquiries`` whose determination ``user`` may read, as
    :func:`determination_shared` says of each, in one query for a page of them (a partner's
    list asked it one enquiry at a time; issue 17)."""
    enquiries = list(enquiries)
    if reads_whole(user):
        return {e.pk for e in enquiries}
    candidates = {
        e.pk
        for e in enquiries
        if e.is_determined
        and not (e.determination == Determination.NOT_SUBSTANTIATED and e.ratified_at is None)
    }
    if not candidates:
        return set()
    return set(
        _enquiries_shared_with(user)
        .filter(source_id__in=candidates)
        .values_list("source_id", flat=True)
    )


def _enquiry_queryset() -> QuerySet[Section47Enquiry]:
    return Section47Enquiry.objects.select_related(
        "report",
        "person",
        "decision",
        "decision__child",
        "decision__strategy",
        "lead_social_worker",
        "child_seen_by",
        "determined_by",
        "ratified_by",
    )


def visible_enquiries(user: User) -> QuerySet[Section47Enquiry]:
    if is_social_work_staff(user):
        return (
            _enquiry_queryset()
            .filter(report__authority_id=user.agency_id)
            .exclude(person__in=_hidden_people(user))
        )
    if is_partner_worker(user):
        # Said of each enquiry ("its agency took part in the discussion that started it, or its
        # determination was shared with them"), so that one enquiry by its id, or a page, is
        # found without first listing every enquiry the agency was ever part of (a health
        # visitor's enquiry page: 12,838 worked out for one, 37 ms at a county; ADR 0842).
        took_part = StrategyParticipant.objects.filter(
            strategy_id=OuterRef("decision__strategy_id"), agency_id=user.agency_id or 0
        )
        shared = _enquiries_shared_with(user).filter(source_id=OuterRef("pk"))
        return (
            _enquiry_queryset()
            .filter(Exists(took_part) | Exists(shared))
            .filter(visible_person_q(user, "person"))
        )
    return Section47Enquiry.objects.none()


def access_enquiry(
    user: User, pk: object, *, route: str, request: HttpRequest | None = None
) -> Section47Enquiry:
    found = visible_enquiries(user).filter(pk=_pk(pk)).first()
    if found is None:
        raise Http404
    log_report_reads(user, [found.person_id], route=route, request=request)
    return found


def access_report_for_strategy(
    user: User, pk: object, *, route: str, request: HttpRequest | None = None
) -> Report:
    """A report of the user's authority that may have a strategy discussion recorded, or 404."""
    if not is_social_work_staff(user):
        raise Http404
    report = (
        Report.objects.filter(pk=_pk(pk), authority_id=user.agency_id)
        .exclude(status__in=[ReportStatus.DRAFT])
        .exclude(children__person__in=_hidden_people(user))
        .first()
    )
    if report is None:
        raise Http404
    log_report_reads(
        user, report.children.values_list("person_id", flat=True), route=route, request=request
    )
    return report
