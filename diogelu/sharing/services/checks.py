"""MASH checks: information requests to partner agencies, answered (and amended), cancelled or
escalated when overdue. Each sharing is written to the disclosure log."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diogelu import procedures
from diogelu.access import naming
from diogelu.accounts.models import MASH_ROLES, PARTNER_WORK_ROLES, Agency, Role, User
from diogelu.chronology.models import Audience, EventKind
from diogelu.chronology.services import add_case_event
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.core.texts import choice_of, msg
from diogelu.notifications.models import Kind
from diogelu.notifications.services import complete_task, enqueue
from diogelu.referrals.models import LawfulBasis, Report, ReportChild, ReportStatus
from diogelu.sharing.models import (
    PRIORITY_RULES,
    AnswerVersion,
    DisclosureKind,
    InformationAnswer,
    InformationRequest,
    Priority,
    RequestStatus,
)
from diogelu.sharing.services._common import MAX_TEXT, RISK_INDICATORS, _disclose


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
