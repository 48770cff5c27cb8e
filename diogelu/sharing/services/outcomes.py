"""Outcomes shared with the reporter and every agency involved: who they reach, and the sharing of
a decision's, a strategy discussion's and a section 47 determination's outcome."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diogelu import procedures
from diogelu.access.models import Involvement
from diogelu.accounts.models import MASH_ROLES, PARTNER_WORK_ROLES, Agency, AgencyKind, User
from diogelu.core.texts import choice_of, lines, msg, on_date, written
from diogelu.notifications.models import Kind
from diogelu.notifications.services import enqueue
from diogelu.referrals.models import LawfulBasis, Report, ReportChild
from diogelu.sharing.models import (
    DisclosureKind,
    InformationRequest,
    OutcomeNotification,
    OutcomeSource,
    RequestStatus,
)
from diogelu.sharing.services._common import _disclose, _report_people

if TYPE_CHECKING:
    from diogelu.enquiries.models import Section47Enquiry, StrategyDiscussion
    from diogelu.referrals.models import Decision


@dataclass(frozen=True)
class Recipient:
    label: str
    agency: Agency | None
    user: User | None
    is_reporter: bool


def recipients_for(report: Report, *, include_strategy: bool = True) -> list[Recipient]:
    """Everyone an outcome of this report must reach: the reporter, and every partner agency
    involved (asked for information, at a strategy discussion, or involved with a child).

    The one-report case of :func:`recipients_by_report` (one definition of who hears)."""
    return recipients_by_report([report], include_strategy=include_strategy)[report.pk]


def _reporter_recipient(report: Report) -> Recipient | None:
    if report.reporter_user is not None:
        return Recipient(
            label=_("%(name)s (who reported)") % {"name": report.reporter_user},
            agency=None,
            user=report.reporter_user,
            is_reporter=True,
        )
    if report.reporter_kind != "ANONYMOUS":
        return Recipient(
            label=_("%(name)s (who reported; tell them and record it)")
            % {"name": report.reporter_name or _("the reporter")},
            agency=report.authority,
            user=None,
            is_reporter=True,
        )
    return None


def recipients_by_report(
    reports: Iterable[Report] | QuerySet[Report], *, include_strategy: bool = True
) -> dict[int, list[Recipient]]:
    """:func:`recipients_for` for many reports at once, keyed by report id, in a constant
    number of queries (a queryset is used as a subquery, so its size costs no parameters)."""
    objects, id_filter = _reports_and_filter(reports)
    return _recipients_by_report(objects, id_filter, include_strategy=include_strategy)


def _reports_and_filter(reports: Iterable[Report] | QuerySet[Report]) -> tuple[list[Report], Any]:
    """The reports as objects, and a filter on their ids: a subquery for a queryset."""
    if isinstance(reports, QuerySet):
        return list(reports.select_related("reporter_user", "authority")), reports.values("pk")
    objects = list(reports)
    return objects, [r.pk for r in objects]


def _recipients_by_report(
    objects: list[Report], id_filter: Any, *, include_strategy: bool = True
) -> dict[int, list[Recipient]]:
    if not objects:
        return {}
    agency_ids: dict[int, set[int]] = {r.pk: set() for r in objects}
    for report_id, agency_id in (
        InformationRequest.objects.filter(report_id__in=id_filter)
        .exclude(status=RequestStatus.CANCELLED)
        .values_list("report_id", "agency_id")
    ):
        agency_ids[report_id].add(agency_id)
    if include_strategy:
        # Through the report's own relations: sharing sits below enquiries (ADR 0405).
        for report_id, agency_id in Report.objects.filter(
            pk__in=id_filter, strategy_discussions__participants__agency_id__isnull=False
        ).values_list("pk", "strategy_discussions__participants__agency_id"):
            if agency_id is not None:
                agency_ids[report_id].add(agency_id)
    reports_of_person: dict[int, set[int]] = {}
    for report_id, person_id in ReportChild.objects.filter(
        report_id__in=id_filter, person_id__isnull=False
    ).values_list("report_id", "person_id"):
        reports_of_person.setdefault(person_id, set()).add(report_id)
    for person_id, agency_id in (
        Involvement.objects.active()
        .filter(
            person_id__in=ReportChild.objects.filter(
                report_id__in=id_filter, person_id__isnull=False
            ).values("person_id")
        )
        .values_list("person_id", "agency_id")
    ):
        for report_id in reports_of_person.get(person_id, ()):
            agency_ids[report_id].add(agency_id)
    for r in objects:
        if r.reporter_agency_id is not None and r.reporter_user_id is None:
            agency_ids[r.pk].add(r.reporter_agency_id)
    # The reporter hears as themselves; their agency as an agency only if otherwise involved.
    wanted = set().union(*agency_ids.values())
    agencies = (
        list(
            Agency.objects.filter(pk__in=wanted)
            .exclude(kind=AgencyKind.LOCAL_AUTHORITY)
            .order_by("name")
        )
        if wanted
        else []
    )
    found: dict[int, list[Recipient]] = {}
    for r in objects:
        rows: list[Recipient] = []
        reporter = _reporter_recipient(r)
        if reporter is not None:
            rows.append(reporter)
        ids = agency_ids[r.pk]
        reporter_agency_id = r.reporter_user.agency_id if r.reporter_user else None
        for a in agencies:
            if a.pk not in ids:
                continue
            if a.pk == reporter_agency_id:
                # One notification per recipient and event: the reporter's own agency is involved
                # too, so it hears once, as the agency (the reporter is among its partner work
                # roles and sees the agency's fuller content), marked as the reporter's.
                rows = [x for x in rows if x.user is None or x.user.pk != r.reporter_user_id]
                rows.append(Recipient(label=a.name, agency=a, user=None, is_reporter=True))
                continue
            rows.append(Recipient(label=a.name, agency=a, user=None, is_reporter=False))
        found[r.pk] = rows
    return found


def _share(
    *,
    actor: User,
    report: Report,
    source: str,
    source_id: int,
    title: dict[str, Any],
    reporter_content: dict[str, Any],
    agency_content: dict[str, Any],
) -> list[OutcomeNotification]:
    """Share one outcome with every recipient. The texts are ``core.texts`` structures, kept as
    message keys and rendered in each reader's language (the plain fields keep the site's)."""
    now = timezone.now()
    due = procedures.due("outcome.acknowledge", now)
    made: list[OutcomeNotification] = []
    assert actor.agency_id is not None
    for recipient in recipients_for(report):
        exists = OutcomeNotification.objects.filter(
            source=source,
            source_id=source_id,
            recipient_agency=recipient.agency,
            recipient_user=recipient.user,
        ).exists()
        if exists:
            continue
        # A partner agency (even the reporter's own) gets the agency content; the reporter as a
        # person, or the authority telling a member of the public, the reporter's.
        partner = (
            recipient.agency is not None and recipient.agency.kind != AgencyKind.LOCAL_AUTHORITY
        )
        content = reporter_content if recipient.is_reporter and not partner else agency_content
        notification = OutcomeNotification.objects.create(
            report=report,
            source=source,
            source_id=source_id,
            recipient_agency=recipient.agency,
            recipient_user=recipient.user,
            recipient_label=recipient.label[:200],
            is_reporter=recipient.is_reporter,
            title=written(title)[:200],
            content=written(content),
            title_text=title,
            content_text=content,
            shared_at=now,
            acknowledge_by=due.due_at,
            due_rule_version=due.rule.version,
        )
        made.append(notification)
        _disclose(
            kind=DisclosureKind.OUTCOME,
            by=actor,
            from_agency_id=actor.agency_id,
            to_agency_id=recipient.agency.pk if recipient.agency else None,
            to_user=recipient.user,
            report=report,
            description=msg(
                gettext_noop("Outcome %(number)s (%(source)s) shared"),
                number=str(notification.pk),
                source=choice_of(notification, "source"),
            ),
            lawful_basis=LawfulBasis.SAFEGUARDING,
            object_id=notification.pk,
        )
        enqueue(
            kind=Kind.OUTCOME,
            dedupe_key=f"outcome:{notification.pk}",
            # References only: a notification (and its email) never names the child.
            subject_key=gettext_noop("Outcome to acknowledge on report %(ref)s"),
            subject_params={"ref": report.reference},
            subject="",
            link=f"/outcomes/{notification.pk}/",
            task=f"outcome:{notification.pk}",
            people=_report_people(report),
            user=recipient.user,
            agency=None if recipient.user else recipient.agency,
            # To those who may acknowledge it (may_act_for): the MASH for a reporter the local
            # authority tells itself, an agency's partner work roles otherwise.
            roles=()
            if recipient.user
            else sorted(MASH_ROLES)
            if recipient.agency and recipient.agency.kind == AgencyKind.LOCAL_AUTHORITY
            else sorted(PARTNER_WORK_ROLES),
        )
    return made


def share_decision_outcome(*, actor: User, decision: Decision) -> list[OutcomeNotification]:
    """Share a final decision with the reporter and every agency involved."""
    report = decision.report
    outcome = choice_of(decision, "outcome")
    title = msg(gettext_noop("Report %(ref)s: %(outcome)s"), ref=report.reference, outcome=outcome)
    reporter = msg(
        gettext_noop(
            "Thank you for your report %(ref)s. The local authority has decided: %(outcome)s. "
            "If you have new concerns, report them again straight away."
        ),
        ref=report.reference,
        outcome=outcome,
    )
    agency = msg(
        gettext_noop("Children: %(children)s.\nDecision: %(outcome)s.\n\nReasons: %(rationale)s"),
        children=", ".join(c.display_name for c in report.children.all()),
        outcome=outcome,
        rationale=decision.rationale,
    )
    return _share(
        actor=actor,
        report=report,
        source=OutcomeSource.DECISION,
        source_id=decision.pk,
        title=title,
        reporter_content=reporter,
        agency_content=agency,
    )


def share_strategy_outcome(
    *, actor: User, strategy: StrategyDiscussion
) -> list[OutcomeNotification]:
    """Share what a strategy discussion decided, child by child."""
    report = strategy.report
    children = [
        lines(d.child.display_name, ": ", choice_of(d, "s47"), ". ", d.reasons, sep="")
        for d in strategy.child_decisions.select_related("child")
    ]
    actions = [
        lines("- ", a.description, " (", a.owner_agency.name, ", ", on_date(a.due_on), ")", sep="")
        for a in strategy.actions.select_related("owner_agency")
    ]
    agency = lines(*children)
    if actions:
        agency = lines(agency, "", msg(gettext_noop("Actions:")), *actions)
    reporter = msg(
        gettext_noop(
            "A strategy discussion about your report %(ref)s has been held. Agencies are working "
            "together to keep the child safe."
        ),
        ref=report.reference,
    )
    return _share(
        actor=actor,
        report=report,
        source=OutcomeSource.STRATEGY,
        source_id=strategy.pk,
        title=msg(gettext_noop("Strategy discussion on %(ref)s"), ref=report.reference),
        reporter_content=reporter,
        agency_content=agency,
    )


def share_determination_outcome(
    *, actor: User, enquiry: Section47Enquiry
) -> list[OutcomeNotification]:
    """Share a section 47 determination (for determination 1, once a manager has ratified it)."""
    report = enquiry.report
    child = enquiry.decision.child.display_name
    text = msg(
        gettext_noop("%(child)s: determination %(det)s.\n\nReasons: %(why)s"),
        child=child,
        det=choice_of(enquiry, "determination"),
        why=enquiry.determination_rationale,
    )
    if enquiry.conference_due_at:
        text = lines(
            text,
            "",
            msg(
                gettext_noop("An initial child protection conference is due by %(date)s."),
                date=on_date(enquiry.conference_due_at),
            ),
        )
    reporter = msg(
        gettext_noop(
            "The enquiries that followed your report %(ref)s have concluded. "
            "Thank you for reporting."
        ),
        ref=report.reference,
    )
    return _share(
        actor=actor,
        report=report,
        source=OutcomeSource.DETERMINATION,
        source_id=enquiry.pk,
        title=msg(
            gettext_noop("Section 47 determination for %(child)s (%(ref)s)"),
            child=child,
            ref=report.reference,
        ),
        reporter_content=reporter,
        agency_content=text,
    )
