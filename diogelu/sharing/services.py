"""MASH checks and closed loops: requests answered or escalated, outcomes shared with every agency
involved and acknowledged, each sharing written to the disclosure log."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diogelu import procedures
from diogelu.access import naming
from diogelu.access.models import Involvement
from diogelu.accounts.models import (
    MASH_ROLES,
    PARTNER_WORK_ROLES,
    Agency,
    AgencyKind,
    Role,
    User,
)
from diogelu.chronology.models import Audience, EventKind
from diogelu.chronology.services import add_case_event
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.core.texts import Stored, choice_of, lines, msg, on_date, written
from diogelu.notifications.models import Kind
from diogelu.notifications.services import complete_task, enqueue
from diogelu.referrals.models import LawfulBasis, Report, ReportChild, ReportStatus
from diogelu.sharing.models import (
    PRIORITY_RULES,
    AnswerVersion,
    Disclosure,
    DisclosureKind,
    InformationAnswer,
    InformationRequest,
    OutcomeNotification,
    OutcomeSource,
    Priority,
    RequestStatus,
)

if TYPE_CHECKING:
    from diogelu.enquiries.models import Section47Enquiry, StrategyDiscussion
    from diogelu.referrals.models import Decision

MAX_TEXT = 20_000
RISK_INDICATORS = (
    "DOMESTIC_ABUSE",
    "VIOLENCE",
    "SUBSTANCE_MISUSE",
    "MENTAL_HEALTH",
    "MISSING",
    "EXPLOITATION",
    "NON_ATTENDANCE",
    "INJURIES",
)


def _report_people(report: Report) -> list[int | None]:
    """The children of a report linked to a record (the people a notification is about)."""
    return [c.person_id for c in report.children.all()]


def _disclose(
    *,
    kind: str,
    by: User,
    from_agency_id: int,
    report: Report,
    description: Stored,
    lawful_basis: str,
    to_agency_id: int | None = None,
    to_user: User | None = None,
    person_id: int | None = None,
    object_id: int | None = None,
) -> Disclosure:
    return Disclosure.objects.create(
        kind=kind,
        by_user=by,
        from_agency_id=from_agency_id,
        to_agency_id=to_agency_id,
        to_user=to_user,
        report=report,
        person_id=person_id,
        description=written(description)[:300],
        text=description,
        lawful_basis=lawful_basis,
        object_id=object_id,
    )


# --- MASH checks -------------------------------------------------------------------------------


@transaction.atomic
def request_information(
    *,
    actor: User,
    report: Report,
    child: ReportChild,
    agency: Agency,
    priority: str,
    question: str,
    lawful_basis: str = LawfulBasis.SAFEGUARDING,
) -> InformationRequest:
    """Ask a partner agency what it holds about one child. Due by the priority's rule."""
    if not (
        actor.is_local_authority_staff
        and actor.agency_id == report.authority_id
        and actor.has_role(*MASH_ROLES)
    ):
        raise NotPermittedError(_("Only the MASH sends information requests."))
    if report.status not in (ReportStatus.SUBMITTED, ReportStatus.IN_MASH, ReportStatus.DECIDED):
        raise DomainError(_("Information requests can only be sent on an open report."))
    if child.report_id != report.pk:
        raise DomainError(_("Choose a child named in this report."), field="child")
    naming.check_agency(
        authority_id=report.authority_id, agency=agency, field="agency", partners_only=True
    )
    if priority not in Priority.values:
        raise DomainError(_("Choose how urgent the request is"), field="priority")
    if lawful_basis not in LawfulBasis.values:
        raise DomainError(_("Choose the lawful basis for sharing"), field="lawful_basis")
    text = question.strip()
    if len(text) < 5:
        raise DomainError(_("Enter the question for the agency"), field="question")
    if InformationRequest.objects.filter(
        child=child, agency=agency, status=RequestStatus.OPEN
    ).exists():
        raise DomainError(
            _("This agency already has an open request about this child."), field="agency"
        )
    now = timezone.now()
    due = procedures.due(PRIORITY_RULES[Priority(priority)], now)
    request = InformationRequest.objects.create(
        report=report,
        child=child,
        agency=agency,
        priority=priority,
        question=text[:MAX_TEXT],
        lawful_basis=lawful_basis,
        requested_by=actor,
        requested_at=now,
        due_at=due.due_at,
        due_rule=due.rule.key,
        due_rule_version=due.rule.version,
    )
    assert actor.agency_id is not None
    _disclose(
        kind=DisclosureKind.INFORMATION_REQUEST,
        by=actor,
        from_agency_id=actor.agency_id,
        to_agency_id=agency.pk,
        report=report,
        person_id=child.person_id,
        description=msg(
            gettext_noop("MASH check %(number)s (%(priority)s): the child's identity and question"),
            number=str(request.pk),
            priority=choice_of(request, "priority"),
        ),
        lawful_basis=lawful_basis,
        object_id=request.pk,
    )
    if child.person_id is not None:
        add_case_event(
            actor=actor,
            person_id=child.person_id,
            kind=EventKind.INFORMATION_REQUEST,
            title=msg(gettext_noop("MASH asked %(agency)s for information"), agency=agency.name),
            occurred_at=now,
            audience=Audience.LOCAL_AUTHORITY,
        )
    enqueue(
        kind=Kind.INFORMATION_REQUEST,
        dedupe_key=f"request:{request.pk}",
        subject=_("MASH information request %(ref)s-%(pk)s (%(priority)s)")
        % {"ref": report.reference, "pk": request.pk, "priority": request.get_priority_display()},
        link=f"/requests/{request.pk}/",
        agency=agency,
        roles=sorted(PARTNER_WORK_ROLES),
        task=f"request:{request.pk}",
        people=[child.person_id],
    )
    return request


@transaction.atomic
def request_information_from_agencies(
    *,
    actor: User,
    report: Report,
    child: ReportChild,
    agencies: Sequence[Agency],
    priority: str,
    question: str,
) -> list[InformationRequest]:
    """The same MASH check sent to several agencies in one go: all are sent, or (on any error,
    such as an agency already asked) none."""
    if not agencies:
        raise DomainError(_("Choose an agency"), field="agency")
    return [
        request_information(
            actor=actor,
            report=report,
            child=child,
            agency=agency,
            priority=priority,
            question=question,
        )
        for agency in agencies
    ]


#: The shortest answer that says what an agency holds.
MIN_ANSWER = 5


def answer_summary_error(holds_information: bool, summary: str) -> str | None:
    """The error for an answer's "what your agency holds", or None (the form and the service
    give the same message)."""
    text = summary.strip()
    if not holds_information:
        return None
    if not text:
        return _("Enter what your agency holds, or choose that it holds nothing")
    if len(text) < MIN_ANSWER:
        return _(
            "What your agency holds must be %(n)s characters or more: say what it is, with dates "
            'and sources. If your agency holds nothing, choose "No, we hold nothing"'
        ) % {"n": MIN_ANSWER}
    return None


def _valid_answer(
    *,
    holds_information: bool,
    summary: str,
    known_to_agency: str,
    last_contact_on: datetime.date | None,
    current_concerns: str,
    risk_indicators: Iterable[str],
) -> tuple[list[str], str]:
    """The answer's risk indicators and summary, checked; a ``DomainError`` if anything is wrong."""
    indicators = sorted({str(i) for i in risk_indicators})
    if not set(indicators) <= set(RISK_INDICATORS):
        raise DomainError(_("Choose from the list"), field="risk_indicators")
    text = summary.strip()
    problem = answer_summary_error(holds_information, text)
    if problem:
        raise DomainError(problem, field="summary")
    if len(text) > MAX_TEXT or len(current_concerns) > MAX_TEXT:
        raise DomainError(_("The answer must be 20,000 characters or fewer"), field="summary")
    if last_contact_on is not None and last_contact_on > timezone.localdate():
        raise DomainError(
            _("The last contact must be today or in the past"), field="last_contact_on"
        )
    if known_to_agency not in ("", "YES", "NO", "NOT_KNOWN"):
        raise DomainError(_("Choose yes, no or not known"), field="known_to_agency")
    return indicators, text


@transaction.atomic
def answer_request(
    *,
    actor: User,
    request: InformationRequest,
    holds_information: bool,
    summary: str = "",
    known_to_agency: str = "",
    last_contact_on: datetime.date | None = None,
    current_concerns: str = "",
    risk_indicators: Iterable[str] = (),
) -> InformationAnswer:
    """The asked agency answers with what it holds, or says it holds nothing. Once."""
    locked = InformationRequest.objects.select_for_update().get(pk=request.pk)
    if actor.agency_id != locked.agency_id or not actor.has_role(*PARTNER_WORK_ROLES):
        raise NotPermittedError(_("This request is for another agency."))
    if locked.status != RequestStatus.OPEN:
        raise DomainError(_("This request has already been answered or cancelled."))
    indicators, text = _valid_answer(
        holds_information=holds_information,
        summary=summary,
        known_to_agency=known_to_agency,
        last_contact_on=last_contact_on,
        current_concerns=current_concerns,
        risk_indicators=risk_indicators,
    )
    answer = InformationAnswer.objects.create(
        request=locked,
        answered_by=actor,
        holds_information=holds_information,
        known_to_agency=known_to_agency,
        last_contact_on=last_contact_on,
        current_concerns=current_concerns.strip(),
        risk_indicators=indicators,
        summary=text,
    )
    locked.status = RequestStatus.ANSWERED if holds_information else RequestStatus.NOTHING_HELD
    locked.save(update_fields=["status"])
    complete_task(f"request:{locked.pk}")
    report = locked.report
    _disclose(
        kind=DisclosureKind.INFORMATION_ANSWER,
        by=actor,
        from_agency_id=locked.agency_id,
        to_agency_id=report.authority_id,
        report=report,
        person_id=locked.child.person_id,
        description=msg(
            gettext_noop("Answer to MASH check %(number)s: information held")
            if holds_information
            else gettext_noop("Answer to MASH check %(number)s: nothing held"),
            number=str(locked.pk),
        ),
        lawful_basis=locked.lawful_basis,
        object_id=answer.pk,
    )
    if locked.child.person_id is not None:
        add_case_event(
            actor=actor,
            person_id=locked.child.person_id,
            kind=EventKind.INFORMATION_SHARED,
            title=msg(
                gettext_noop("%(agency)s answered the MASH check"), agency=locked.agency.name
            ),
            occurred_at=answer.answered_at,
            detail=text[:2000],
            # The answer is for the MASH: other partner agencies do not see it.
            audience=Audience.SOURCE_AGENCY,
        )
    enqueue(
        kind=Kind.ANSWER_RECEIVED,
        dedupe_key=f"answer:{answer.pk}",
        subject="",
        subject_key=gettext_noop("%(agency)s answered request %(pk)s on %(ref)s"),
        subject_params={"agency": locked.agency.name, "pk": locked.pk, "ref": report.reference},
        link=f"/mash/reports/{report.pk}/",
        user=locked.requested_by,
        people=[locked.child.person_id],
    )
    return answer


def may_amend(answer: InformationAnswer) -> bool:
    """An answer may be amended until the decision on the report is final."""
    decision = getattr(answer.request.report, "decision", None)
    return not (decision is not None and decision.is_final)


@transaction.atomic
def amend_answer(
    *,
    actor: User,
    answer: InformationAnswer,
    reason: str,
    holds_information: bool,
    summary: str = "",
    known_to_agency: str = "",
    last_contact_on: datetime.date | None = None,
    current_concerns: str = "",
    risk_indicators: Iterable[str] = (),
) -> InformationAnswer:
    """The asked agency amends its answer, with a reason, until the decision on the report. The
    version it replaces is kept (the first version is always kept and shown), the amendment is a
    new disclosure and a chronology event, and the MASH is told."""
    locked = InformationAnswer.objects.select_for_update().get(pk=answer.pk)
    info_request = InformationRequest.objects.select_related("report", "agency", "child").get(
        pk=locked.request_id
    )
    if actor.agency_id != info_request.agency_id or not actor.has_role(*PARTNER_WORK_ROLES):
        raise NotPermittedError(_("This request is for another agency."))
    if not may_amend(locked):
        raise DomainError(
            _("The MASH has made its decision on this report: the answer can no longer be amended")
        )
    why = reason.strip()
    if len(why) < MIN_ANSWER:
        raise DomainError(_("Say why you are amending the answer"), field="reason")
    if len(why) > 2000:
        raise DomainError(_("The reason must be 2,000 characters or fewer"), field="reason")
    indicators, text = _valid_answer(
        holds_information=holds_information,
        summary=summary,
        known_to_agency=known_to_agency,
        last_contact_on=last_contact_on,
        current_concerns=current_concerns,
        risk_indicators=risk_indicators,
    )
    now = timezone.now()
    AnswerVersion.objects.create(
        answer=locked,
        number=locked.versions.count() + 1,
        answered_by_id=locked.amended_by_id or locked.answered_by_id,
        answered_at=locked.amended_at or locked.answered_at,
        holds_information=locked.holds_information,
        known_to_agency=locked.known_to_agency,
        last_contact_on=locked.last_contact_on,
        current_concerns=locked.current_concerns,
        risk_indicators=locked.risk_indicators,
        summary=locked.summary,
        replaced_at=now,
    )
    locked.holds_information = holds_information
    locked.known_to_agency = known_to_agency
    locked.last_contact_on = last_contact_on
    locked.current_concerns = current_concerns.strip()
    locked.risk_indicators = indicators
    locked.summary = text
    locked.amended_at = now
    locked.amended_by = actor
    locked.amendment_reason = why
    locked.save()
    info_request.status = (
        RequestStatus.ANSWERED if holds_information else RequestStatus.NOTHING_HELD
    )
    info_request.save(update_fields=["status"])
    report = info_request.report
    _disclose(
        kind=DisclosureKind.INFORMATION_ANSWER,
        by=actor,
        from_agency_id=info_request.agency_id,
        to_agency_id=report.authority_id,
        report=report,
        person_id=info_request.child.person_id,
        description=msg(
            gettext_noop("Amended answer to MASH check %(number)s"), number=str(info_request.pk)
        ),
        lawful_basis=info_request.lawful_basis,
        object_id=locked.pk,
    )
    if info_request.child.person_id is not None:
        add_case_event(
            actor=actor,
            person_id=info_request.child.person_id,
            kind=EventKind.INFORMATION_SHARED,
            title=msg(
                gettext_noop("%(agency)s amended its answer to the MASH check"),
                agency=info_request.agency.name,
            ),
            occurred_at=now,
            detail=f"{why}\n\n{text[:2000]}",
            audience=Audience.SOURCE_AGENCY,
        )
    enqueue(
        kind=Kind.ANSWER_RECEIVED,
        dedupe_key=f"answer-amended:{locked.pk}:{locked.versions.count()}",
        subject="",
        subject_key=gettext_noop("%(agency)s amended its answer to request %(pk)s on %(ref)s"),
        subject_params={
            "agency": info_request.agency.name,
            "pk": info_request.pk,
            "ref": report.reference,
        },
        link=f"/mash/reports/{report.pk}/",
        user=info_request.requested_by,
    )
    return locked


@transaction.atomic
def cancel_request(*, actor: User, request: InformationRequest) -> InformationRequest:
    if not (actor.is_local_authority_staff and actor.agency_id == request.report.authority_id):
        raise NotPermittedError(_("Only the MASH can cancel a request."))
    if request.status != RequestStatus.OPEN:
        raise DomainError(_("Only an open request can be cancelled."))
    request.status = RequestStatus.CANCELLED
    request.save(update_fields=["status"])
    complete_task(f"request:{request.pk}")
    return request


def escalate_overdue_requests(now: datetime.datetime | None = None) -> int:
    """Escalate each overdue open request once: to the agency's safeguarding lead and to the
    MASH managers. Returns how many were escalated."""
    moment = now or timezone.now()
    count = 0
    for request in InformationRequest.objects.filter(
        status=RequestStatus.OPEN, due_at__lt=moment, escalated_at__isnull=True
    ).select_related("report", "agency"):
        with transaction.atomic():
            updated = InformationRequest.objects.filter(
                pk=request.pk, escalated_at__isnull=True
            ).update(escalated_at=moment)
            if not updated:
                continue
            subject = _("Overdue: MASH request %(pk)s on %(ref)s to %(agency)s") % {
                "pk": request.pk,
                "ref": request.report.reference,
                "agency": request.agency.name,
            }
            enqueue(
                kind=Kind.REQUEST_OVERDUE,
                dedupe_key=f"request-overdue-agency:{request.pk}",
                subject=subject,
                link=f"/requests/{request.pk}/",
                agency=request.agency,
                roles=[Role.AGENCY_SAFEGUARDING_LEAD],
                task=f"request:{request.pk}",
                people=[request.child.person_id],
            )
            enqueue(
                kind=Kind.REQUEST_OVERDUE,
                dedupe_key=f"request-overdue-mash:{request.pk}",
                subject=subject,
                link=f"/mash/reports/{request.report_id}/",
                agency=request.report.authority,
                roles=[Role.TEAM_MANAGER],
                task=f"request:{request.pk}",
                people=[request.child.person_id],
            )
            count += 1
    return count


# --- Outcomes ------------------------------------------------------------------------------------


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


def summary_for(value: Any) -> str:
    return str(value)[:200]
