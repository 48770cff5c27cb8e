"""Closing the loop on outcomes: which were not shared with whom, sharing with agencies newly
involved, acknowledging, and escalating outcomes not acknowledged in time."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import EmptyResultSet
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
    # Each notification is made with the report whose outcome it shares (``share_outcome``):
    # the report's own index finds them, where the OR of subqueries alone read every
    # notification of the authority (70 ms a report page at a county; issue 17).
    sent = set(
        OutcomeNotification.objects.filter(which, report_id__in=id_filter).values_list(
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


def fully_shared_count(reports: QuerySet[Report], now: datetime.datetime | None = None) -> int:
    """How many of ``reports`` have every outcome shared with every recipient (those for which
    :func:`unshared_outcomes_by_report` is empty), counted in one SQL statement: no report,
    recipient or label is built in Python, so the MASH dashboard's closed-loop measure costs
    the same whether a year holds 500 reports or 20,000 (issue 17). The recipients and outcome
    events are those of ``recipients_for`` and ``outcome_events``; the test
    ``test_fully_shared_count_agrees_with_unshared_outcomes`` holds the two definitions together.
    Tables are reached through the report's relations (sharing does not import enquiries)."""
    from django.db import connection

    from diogelu.access.models import Involvement
    from diogelu.accounts.models import Agency
    from diogelu.referrals.models import Decision, ReportChild
    from diogelu.sharing.models import InformationRequest, RequestStatus

    moment = now or timezone.now()
    strategy = Report._meta.get_field("strategy_discussions").related_model
    participant = strategy._meta.get_field("participants").related_model  # type: ignore[union-attr]
    enquiry = Report._meta.get_field("enquiries").related_model
    t = {
        "report": Report._meta.db_table,
        "user": User._meta.db_table,
        "agency": Agency._meta.db_table,
        "request": InformationRequest._meta.db_table,
        "strategy": strategy._meta.db_table,  # type: ignore[union-attr]
        "participant": participant._meta.db_table,  # type: ignore[union-attr]
        "child": ReportChild._meta.db_table,
        "involvement": Involvement._meta.db_table,
        "decision": Decision._meta.db_table,
        "enquiry": enquiry._meta.db_table,  # type: ignore[union-attr]
        "notification": OutcomeNotification._meta.db_table,
    }
    try:
        ids_sql, ids_params = reports.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # reports.none(): a user with no authority's reports to count
        return 0
    sql = f"""
    WITH rep AS (
        SELECT r.id, r.authority_id, r.reporter_user_id, r.reporter_agency_id, r.reporter_kind,
               u.agency_id AS reporter_user_agency_id
        FROM {t["report"]} r LEFT JOIN {t["user"]} u ON u.id = r.reporter_user_id
        WHERE r.id IN ({ids_sql})
    ),
    involved AS (
        SELECT q.report_id, q.agency_id FROM {t["request"]} q JOIN rep ON rep.id = q.report_id
        WHERE q.status <> %s
        UNION
        SELECT sd.report_id, p.agency_id FROM {t["strategy"]} sd
        JOIN {t["participant"]} p ON p.strategy_id = sd.id JOIN rep ON rep.id = sd.report_id
        WHERE p.agency_id IS NOT NULL
        UNION
        SELECT rc.report_id, i.agency_id FROM {t["child"]} rc JOIN rep ON rep.id = rc.report_id
        JOIN {t["involvement"]} i ON i.person_id = rc.person_id
        WHERE i.started_at <= %s AND (i.ended_at IS NULL OR i.ended_at > %s)
        UNION
        SELECT rep.id, rep.reporter_agency_id FROM rep
        WHERE rep.reporter_agency_id IS NOT NULL AND rep.reporter_user_id IS NULL
    ),
    partners AS (
        SELECT involved.report_id, involved.agency_id FROM involved
        JOIN {t["agency"]} a ON a.id = involved.agency_id WHERE a.kind <> %s
    ),
    recipients AS (
        SELECT report_id, agency_id, CAST(NULL AS integer) AS user_id FROM partners
        UNION ALL
        SELECT rep.id, CAST(NULL AS integer), rep.reporter_user_id FROM rep
        WHERE rep.reporter_user_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM partners
            WHERE partners.report_id = rep.id AND partners.agency_id = rep.reporter_user_agency_id
        )
        UNION ALL
        SELECT rep.id, rep.authority_id, CAST(NULL AS integer) FROM rep
        WHERE rep.reporter_user_id IS NULL AND rep.reporter_kind <> %s
    ),
    events AS (
        SELECT d.report_id, %s AS source, d.id AS source_id FROM {t["decision"]} d
        JOIN rep ON rep.id = d.report_id
        WHERE d.needs_authorisation = %s OR d.authorised_at IS NOT NULL
        UNION ALL
        SELECT sd.report_id, %s, sd.id FROM {t["strategy"]} sd JOIN rep ON rep.id = sd.report_id
        UNION ALL
        SELECT e.report_id, %s, e.id FROM {t["enquiry"]} e JOIN rep ON rep.id = e.report_id
        WHERE COALESCE(e.determination, '') <> ''
          AND (e.determination <> '1' OR e.ratified_at IS NOT NULL)
    ),
    unshared AS (
        SELECT DISTINCT events.report_id FROM events
        JOIN recipients ON recipients.report_id = events.report_id
        WHERE NOT EXISTS (
            SELECT 1 FROM {t["notification"]} n
            WHERE n.source = events.source AND n.source_id = events.source_id
              -- "equal, or both empty" as plain equality (ids are positive), which PostgreSQL
              -- can hash: written with OR it was a join filter tried pair by pair (0.5 s at
              -- a county's year of reports)
              AND COALESCE(n.recipient_agency_id, 0) = COALESCE(recipients.agency_id, 0)
              AND COALESCE(n.recipient_user_id, 0) = COALESCE(recipients.user_id, 0)
        )
    )
    SELECT (SELECT COUNT(*) FROM rep) - (SELECT COUNT(*) FROM unshared)
    """  # noqa: S608 - table names from the models' metadata; values are parameters
    params = [
        *ids_params,
        RequestStatus.CANCELLED,
        moment,
        moment,
        AgencyKind.LOCAL_AUTHORITY,
        "ANONYMOUS",
        OutcomeSource.DECISION,
        False,
        OutcomeSource.STRATEGY,
        OutcomeSource.DETERMINATION,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return int(row[0]) if row else 0


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
