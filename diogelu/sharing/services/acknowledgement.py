"""Closing the loop on outcomes: which were not shared with whom, sharing with agencies newly
involved, acknowledging, and escalating outcomes not acknowledged in time."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from diogelu.accounts.models import MASH_ROLES, PARTNER_WORK_ROLES, AgencyKind, Role, User
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.notifications.models import Kind
from diogelu.notifications.services import complete_task, enqueue
from diogelu.referrals.models import Report
from diogelu.sharing.models import OutcomeNotification, OutcomeSource
from diogelu.sharing.services._common import _report_people
from diogelu.sharing.services.outcomes import (
    _recipients_by_report,
    _reports_and_filter,
    share_decision_outcome,
    share_determination_outcome,
    share_strategy_outcome,
)


def outcome_events(report: Report) -> list[tuple[str, int]]:
    """Every outcome of the report that must be shared: (source, id)."""
    events: list[tuple[str, int]] = []
    decision = getattr(report, "decision", None)
    if decision is not None and decision.is_final:
        events.append((OutcomeSource.DECISION, decision.pk))
    for strategy_id in report.strategy_discussions.values_list("pk", flat=True):
        events.append((OutcomeSource.STRATEGY, strategy_id))
    for enquiry in report.enquiries.exclude(determination=""):
        if _determination_is_outcome(enquiry.determination, enquiry.ratified_at):
            events.append((OutcomeSource.DETERMINATION, enquiry.pk))
    return events


def _determination_is_outcome(determination: str, ratified_at: datetime.datetime | None) -> bool:
    """A determination is shared once made (determination 1 once a manager has ratified it)."""
    return bool(determination) and (determination != "1" or ratified_at is not None)


def outcome_events_by_report(
    reports: Iterable[Report], id_filter: Any
) -> dict[int, set[tuple[str, int]]]:
    """The set of :func:`outcome_events` of many reports, in three queries (decisions are read
    through ``report.decision``, so select them with the reports)."""
    from diogelu.referrals.models import Decision

    events: dict[int, set[tuple[str, int]]] = {}
    for r in reports:
        events[r.pk] = set()
    for report_id, decision_id, needs, authorised_at in Decision.objects.filter(
        report_id__in=id_filter
    ).values_list("report_id", "pk", "needs_authorisation", "authorised_at"):
        if not needs or authorised_at is not None:  # Decision.is_final
            events[report_id].add((OutcomeSource.DECISION, decision_id))
    for report_id, strategy_id in Report.objects.filter(
        pk__in=id_filter, strategy_discussions__isnull=False
    ).values_list("pk", "strategy_discussions__pk"):
        events[report_id].add((OutcomeSource.STRATEGY, strategy_id))
    for report_id, enquiry_id, determination, ratified_at in Report.objects.filter(
        pk__in=id_filter, enquiries__isnull=False
    ).values_list(
        "pk", "enquiries__pk", "enquiries__determination", "enquiries__ratified_at"
    ):  # the undetermined are left out here, not by an exclude() across the relation
        if _determination_is_outcome(determination, ratified_at):
            events[report_id].add((OutcomeSource.DETERMINATION, enquiry_id))
    return events


def unshared_outcomes(report: Report) -> list[str]:
    """Labels of recipients who have not been sent an outcome they should have (empty = all
    shared). The one-report case of :func:`unshared_outcomes_by_report`."""
    return unshared_outcomes_by_report([report])[report.pk]


def unshared_outcomes_by_report(
    reports: Iterable[Report] | QuerySet[Report],
) -> dict[int, list[str]]:
    """:func:`unshared_outcomes` for many reports, keyed by report id, in a constant number of
    queries whatever the number of reports, outcomes and recipients."""
    objects, id_filter = _reports_and_filter(reports)
    recipients = _recipients_by_report(objects, id_filter)
    events = outcome_events_by_report(objects, id_filter)
    from diogelu.referrals.models import Decision

    # Every notification of any outcome of these reports, by subqueries (no id lists).
    which = (
        Q(
            source=OutcomeSource.DECISION,
            source_id__in=Decision.objects.filter(report_id__in=id_filter).values("pk"),
        )
        | Q(
            source=OutcomeSource.STRATEGY,
            source_id__in=Report.objects.filter(
                pk__in=id_filter, strategy_discussions__isnull=False
            ).values("strategy_discussions__pk"),
        )
        | Q(
            source=OutcomeSource.DETERMINATION,
            source_id__in=Report.objects.filter(pk__in=id_filter, enquiries__isnull=False).values(
                "enquiries__pk"
            ),
        )
    )
    sent = set(
        OutcomeNotification.objects.filter(which).values_list(
            "source", "source_id", "recipient_agency_id", "recipient_user_id"
        )
    )
    missing: dict[int, list[str]] = {}
    for r in objects:
        labels = {
            rec.label
            for source, source_id in events[r.pk]
            for rec in recipients[r.pk]
            if (
                source,
                source_id,
                rec.agency.pk if rec.agency is not None else None,
                rec.user.pk if rec.user is not None else None,
            )
            not in sent
        }
        missing[r.pk] = sorted(labels)
    return missing


@transaction.atomic
def share_with_newly_involved(*, actor: User, report: Report) -> int:
    """Send every past outcome to recipients involved since it was shared. Returns how many."""
    from diogelu.referrals.models import Decision

    if not (actor.is_local_authority_staff and actor.agency_id == report.authority_id):
        raise NotPermittedError(_("Only the local authority shares outcomes."))
    made = 0
    for source, source_id in outcome_events(report):
        if source == OutcomeSource.DECISION:
            made += len(
                share_decision_outcome(actor=actor, decision=Decision.objects.get(pk=source_id))
            )
        elif source == OutcomeSource.STRATEGY:
            made += len(
                share_strategy_outcome(
                    actor=actor, strategy=report.strategy_discussions.get(pk=source_id)
                )
            )
        else:
            made += len(
                share_determination_outcome(actor=actor, enquiry=report.enquiries.get(pk=source_id))
            )
    return made


def may_act_for(user: User, notification: OutcomeNotification) -> bool:
    """True when ``user`` is the outcome's recipient, or works for the recipient agency."""
    if notification.recipient_user_id is not None:
        return notification.recipient_user_id == user.pk
    if notification.recipient_agency_id != user.agency_id:
        return False
    if user.is_local_authority_staff:
        return user.has_role(*MASH_ROLES)
    return user.has_role(*PARTNER_WORK_ROLES)


@transaction.atomic
def acknowledge_outcome(*, actor: User, notification: OutcomeNotification) -> OutcomeNotification:
    """The recipient acknowledges an outcome (once; a second acknowledgement changes nothing)."""
    locked = OutcomeNotification.objects.select_for_update().get(pk=notification.pk)
    if not may_act_for(actor, locked):
        raise NotPermittedError(_("This outcome is for someone else."))
    if locked.acknowledged_at is not None:
        return locked
    locked.acknowledged_at = timezone.now()
    locked.acknowledged_by = actor
    locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
    complete_task(f"outcome:{locked.pk}")
    return locked


@transaction.atomic
def acknowledge_outcomes(
    *, actor: User, notifications: Iterable[OutcomeNotification]
) -> list[OutcomeNotification]:
    """Acknowledge several outcomes at once (all or none): each is checked as one would be."""
    chosen = list(notifications)
    if not chosen:
        raise DomainError(_("Select the outcomes you have read"), field="outcomes")
    return [acknowledge_outcome(actor=actor, notification=n) for n in chosen]


def escalate_unacknowledged(now: datetime.datetime | None = None) -> int:
    """Escalate each outcome not acknowledged by its rule's time, once, to the MASH managers and
    (for an agency) its safeguarding lead."""
    moment = now or timezone.now()
    count = 0
    for n in OutcomeNotification.objects.filter(
        acknowledged_at__isnull=True, acknowledge_by__lt=moment, escalated_at__isnull=True
    ).select_related("report"):
        with transaction.atomic():
            if not OutcomeNotification.objects.filter(pk=n.pk, escalated_at__isnull=True).update(
                escalated_at=moment
            ):
                continue
            # The title of a determination names the child: subjects carry only references.
            subject = _("Not acknowledged: an outcome on %(ref)s (%(who)s)") % {
                "ref": n.report.reference,
                "who": n.recipient_label,
            }
            enqueue(
                kind=Kind.OUTCOME_UNACKNOWLEDGED,
                dedupe_key=f"outcome-unack-mash:{n.pk}",
                subject=subject,
                link=f"/mash/reports/{n.report_id}/",
                task=f"outcome:{n.pk}",
                people=_report_people(n.report),
                agency=n.report.authority,
                roles=[Role.TEAM_MANAGER],
            )
            if (
                n.recipient_agency is not None
                and n.recipient_agency.kind != AgencyKind.LOCAL_AUTHORITY
            ):
                enqueue(
                    kind=Kind.OUTCOME_UNACKNOWLEDGED,
                    dedupe_key=f"outcome-unack-agency:{n.pk}",
                    subject=subject,
                    link=f"/outcomes/{n.pk}/",
                    task=f"outcome:{n.pk}",
                    people=_report_people(n.report),
                    agency=n.recipient_agency,
                    roles=[Role.AGENCY_SAFEGUARDING_LEAD],
                )
            count += 1
    return count
