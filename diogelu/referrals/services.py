"""Reporting a child at risk, intake in the MASH, and the decision within 1 working day.

Services take keyword-only arguments with ``actor`` first, run in one transaction, validate, write,
add chronology events, queue notifications in the outbox and raise domain errors.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diogelu import procedures
from diogelu.access import naming
from diogelu.access.models import InvolvementReason, Part
from diogelu.accounts.models import MASH_ROLES, Agency, AgencyKind, Role, User
from diogelu.chronology.models import Audience, EventKind
from diogelu.chronology.services import add_case_event
from diogelu.core import extensions, rowscope
from diogelu.core.concurrency import save_versioned
from diogelu.core.exceptions import (
    DomainError,
    InvalidAnswersError,
    NotPermittedError,
    StaleEditError,
)
from diogelu.core.texts import choice, msg
from diogelu.notifications.models import Kind
from diogelu.notifications.services import complete_task, enqueue
from diogelu.people.models import Address, Person, Relationship, RelationshipKind, Sex
from diogelu.people.validators import (
    nhs_number_is_valid,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    upn_is_valid,
    validate_postcode,
)
from diogelu.referrals import hooks
from diogelu.referrals.models import (
    NEEDS_AUTHORISATION,
    Category,
    Channel,
    Decision,
    Flag,
    LawfulBasis,
    Outcome,
    Report,
    ReportChild,
    ReporterKind,
    ReportStatus,
    ReturnedDecision,
    YesNoUnknown,
)

MAX_TEXT = 20_000
#: What a report maker can say about one child (``clean_child`` validates each).
CHILD_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "is_unborn",
    "expected_date_of_birth",
    "sex",
    "address",
    "postcode",
    "school",
    "nhs_number",
    "upn",
)
ANSWER_FIELDS = {
    "what_happened",
    "child_words",
    "categories",
    "flags",
    "immediate_danger",
    "police_called",
    "police_reference",
    "who_else_knows",
    "family_aware",
    "lawful_basis",
    "lawful_basis_note",
    "reporter_name",
    "reporter_contact",
    "reporter_kind",
    "channel",
    "received_at",
}


def _is_la_staff_of(actor: User, authority: Agency) -> bool:
    return actor.is_local_authority_staff and actor.agency_id == authority.pk


def _check_draft_owner(actor: User, report: Report) -> None:
    if report.status != ReportStatus.DRAFT:
        raise DomainError(_("This report has been sent and can no longer be changed."))
    if report.created_by_id != actor.pk:
        raise NotPermittedError(_("Only the person writing this report can change it."))


@transaction.atomic
def discard_draft(*, actor: User, report: Report) -> None:
    """Delete a draft report (and the children named in it) that ``actor`` is writing. A sent
    report is never deleted: it is a record of what the authority was told."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    _check_draft_owner(actor, locked)
    locked.children.all().delete()
    locked.delete()


@transaction.atomic
def start_report(*, actor: User, authority: Agency, channel: str = Channel.ONLINE) -> Report:
    """A new draft report to ``authority`` by ``actor``.

    Any signed-in agency user can report; local authority staff also record reports taken by
    phone, email or in person from practitioners and the public.
    """
    if authority.kind != AgencyKind.LOCAL_AUTHORITY:
        raise DomainError(_("Reports go to a local authority."), field="authority")
    if channel not in Channel.values:
        raise DomainError(_("Choose how the report was made"), field="channel")
    la_staff = _is_la_staff_of(actor, authority)
    if not la_staff and channel not in (Channel.ONLINE, Channel.API):
        raise NotPermittedError(_("Only the local authority records reports made by phone."))
    return Report.objects.create(
        authority=authority,
        channel=channel,
        created_by=actor,
        reporter_kind=ReporterKind.PRACTITIONER,
        reporter_user=None if la_staff else actor,
        reporter_agency=None if la_staff else actor.agency,
    )


def _clean_choice_list(values: Any, allowed: list[str], field: str) -> list[str]:
    if not isinstance(values, list | tuple):
        raise DomainError(_("Choose from the list"), field=field)
    out = sorted({str(v) for v in values})
    if not set(out) <= set(allowed):
        raise DomainError(_("Choose from the list"), field=field)
    return out


@transaction.atomic
def save_report_answers(
    *, actor: User, report: Report, expected_version: int, answers: dict[str, Any]
) -> Report:
    """Save some answers to a draft (each question page saves; a timeout loses nothing)."""
    _check_draft_owner(actor, report)
    unknown = set(answers) - ANSWER_FIELDS
    if unknown:
        raise DomainError(_("Unknown answer: %(names)s") % {"names": ", ".join(sorted(unknown))})
    errors: dict[str, list[str]] = {}
    for name, value in answers.items():
        try:
            value = _clean_answer(actor, report, name, value)
        except NotPermittedError:
            raise
        except DomainError as exc:
            # Every bad answer is named, not only the first.
            errors.setdefault(exc.field or name, []).append(exc.message)
            continue
        setattr(report, name, value)
    if errors:
        raise InvalidAnswersError(errors)
    return save_versioned(report, expected_version=expected_version, fields=sorted(answers))


def _clean_answer(actor: User, report: Report, name: str, value: Any) -> Any:
    """One answer, cleaned; a DomainError naming the field when it breaks a rule."""
    if name == "categories":
        value = _clean_choice_list(value, Category.values, name)
    elif name == "flags":
        value = _clean_choice_list(value, Flag.values, name)
    elif name in ("immediate_danger", "police_called", "family_aware"):
        if value not in YesNoUnknown.values and value != "":
            raise DomainError(_("Choose yes, no or not known"), field=name)
    elif name == "lawful_basis":
        if value not in LawfulBasis.values and value != "":
            raise DomainError(_("Choose the lawful basis for sharing"), field=name)
    elif name == "reporter_kind":
        if value not in ReporterKind.values:
            raise DomainError(_("Choose who made the report"), field=name)
    elif name == "received_at":
        value = _clean_received_at(actor, report, value)
    elif name == "channel":
        if value not in Channel.values:
            raise DomainError(_("Choose how the report was made"), field=name)
        if value not in (Channel.ONLINE, Channel.API) and not _is_la_staff_of(
            actor, report.authority
        ):
            raise NotPermittedError(_("Only the local authority records phone reports."))
    else:
        value = str(value or "").strip()
        if len(value) > MAX_TEXT:
            raise DomainError(_("This answer must be 20,000 characters or fewer"), field=name)
    return value


def _clean_received_at(actor: User, report: Report, value: Any) -> datetime.datetime | None:
    """When a report recorded by the local authority reached it (kept on the draft)."""
    if value is None or value == "":
        return None
    if not _is_la_staff_of(actor, report.authority):
        raise NotPermittedError(_("Only the local authority records when a report arrived."))
    if not isinstance(value, datetime.datetime) or timezone.is_naive(value):
        raise DomainError(_("Enter the date and time the report was received"), field="received_at")
    now = timezone.now()
    if value > now or value < now - datetime.timedelta(days=30):
        raise DomainError(_("The time received must be in the last 30 days"), field="received_at")
    return value


def clean_child(fields: dict[str, Any]) -> dict[str, Any]:
    """Validate what a report maker knows of one child; raise ``InvalidAnswersError`` naming
    every field that breaks a rule (not only the first)."""
    data = {k: fields.get(k) for k in CHILD_FIELDS}
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for name in ("given_name", "family_name", "address", "school"):
        value = str(data[name] or "").strip()
        if len(value) > (300 if name == "address" else 200 if name == "school" else 100):
            fail(name, _("This answer is too long"))
        elif any(ord(c) < 32 for c in value):
            fail(name, _("Remove the control characters"))
        data[name] = value
    data["is_unborn"] = bool(data["is_unborn"])
    today = timezone.localdate()
    dob = data["date_of_birth"]
    edd = data["expected_date_of_birth"]
    if data["is_unborn"]:
        if not isinstance(edd, datetime.date):
            fail("expected_date_of_birth", _("Enter the expected date of birth"))
        data["date_of_birth"] = None
    else:
        data["expected_date_of_birth"] = None
        if dob is not None:
            if not isinstance(dob, datetime.date):
                fail("date_of_birth", _("Date of birth must be a real date"))
            elif dob > today:
                fail("date_of_birth", _("Date of birth must be in the past"))
            elif (today - dob).days > 18 * 366:
                fail("date_of_birth", _("A child must be under 18"))
    if not (data["given_name"] or data["family_name"] or data["is_unborn"]):
        fail("given_name", _("Enter the child's name, or what you know of it"))
    sex = str(data["sex"] or "")
    if sex and sex not in Sex.values:
        fail("sex", _("Choose the child's sex"))
    data["sex"] = sex
    postcode = str(data["postcode"] or "").strip()
    if postcode:
        try:
            validate_postcode(postcode)
        except Exception:
            fail("postcode", _("Enter a real postcode, like CF31 4AB"))
        else:
            postcode = normalise_postcode(postcode)
    data["postcode"] = postcode
    nhs = normalise_nhs_number(str(data["nhs_number"] or ""))
    if nhs and not nhs_number_is_valid(nhs):
        fail("nhs_number", _("Enter a real NHS number, or leave it blank"))
    data["nhs_number"] = nhs
    upn = normalise_upn(str(data["upn"] or ""))
    if upn and not upn_is_valid(upn):
        fail("upn", _("Enter a real Unique Pupil Number, or leave it blank"))
    data["upn"] = upn
    if errors:
        raise InvalidAnswersError(errors)
    return data


@transaction.atomic
def add_child(*, actor: User, report: Report, fields: dict[str, Any]) -> ReportChild:
    """Add a child (or an unborn child) to a draft report; a sibling group is one report."""
    _check_draft_owner(actor, report)
    if report.children.count() >= 12:
        raise DomainError(_("A report can name up to 12 children"))
    return ReportChild.objects.create(report=report, **clean_child(fields))


@transaction.atomic
def update_child(*, actor: User, child: ReportChild, fields: dict[str, Any]) -> ReportChild:
    _check_draft_owner(actor, child.report)
    for name, value in clean_child(fields).items():
        setattr(child, name, value)
    child.save()
    return child


@transaction.atomic
def remove_child(*, actor: User, child: ReportChild) -> None:
    _check_draft_owner(actor, child.report)
    child.delete()


def missing_answers(report: Report) -> dict[str, str]:
    """What a report still needs before it can be sent: field → message."""
    missing: dict[str, str] = {}
    if not report.children.exists():
        missing["children"] = _("Add at least one child")
    if not report.what_happened.strip():
        missing["what_happened"] = _("Enter what happened")
    if not report.categories and not report.flags:
        missing["categories"] = _("Choose at least one kind of concern")
    if not report.immediate_danger:
        missing["immediate_danger"] = _("Say whether a child is in immediate danger")
    elif report.immediate_danger == YesNoUnknown.YES and not report.police_called:
        missing["police_called"] = _("Say whether the police have been called")
    if not report.family_aware:
        missing["family_aware"] = _("Say whether the family knows you are reporting")
    if not report.lawful_basis:
        missing["lawful_basis"] = _("Choose the lawful basis for sharing")
    if (
        report.reporter_user_id is None
        and not report.reporter_name.strip()
        and (report.reporter_kind != ReporterKind.ANONYMOUS)
    ):
        missing["reporter_name"] = _("Enter who made the report, or say it was anonymous")
    return missing


def _next_reference(report: Report, at: datetime.datetime) -> str:
    year = timezone.localtime(at).year
    prefix = f"R{year}-"
    # References are numbered across every authority, so the counter reads past the request's
    # authority scope (row-level security, ADR 0751); it reads one string, no case data.
    with rowscope.system_scope("report_reference"):
        last = Report.objects.filter(reference__startswith=prefix).aggregate(m=Max("reference"))[
            "m"
        ]
    number = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{number:06d}"


@transaction.atomic
def submit_report(
    *, actor: User, report: Report, received_at: datetime.datetime | None = None
) -> Report:
    """Send a draft report to the local authority. Doing it twice makes one report.

    ``received_at`` may be given by local authority staff recording an earlier phone report; the
    decision clock (rule ``report.decision``) starts then. A telephone report from a practitioner
    is shown as due to be confirmed in writing (rule ``report.written_confirmation``).
    """
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.status != ReportStatus.DRAFT:
        if locked.created_by_id == actor.pk:
            return locked  # a double click or a retry: the first submission stands
        raise DomainError(_("This report has already been sent."))
    _check_draft_owner(actor, locked)
    missing = missing_answers(locked)
    if missing:
        raise DomainError(next(iter(missing.values())), field=next(iter(missing)))
    now = timezone.now()
    if received_at is None and locked.received_at is not None:
        received_at = locked.received_at  # recorded on the draft by the local authority
    if received_at is not None:
        if not _is_la_staff_of(actor, locked.authority):
            raise NotPermittedError(_("Only the local authority records when a report arrived."))
        if received_at > now or received_at < now - datetime.timedelta(days=30):
            raise DomainError(
                _("The time received must be in the last 30 days"), field="received_at"
            )
    locked.received_at = received_at or now
    locked.reference = _next_reference(locked, locked.received_at)
    decision_due = procedures.due("report.decision", locked.received_at)
    locked.decision_due_at = decision_due.due_at
    locked.due_rule_version = decision_due.rule.version
    if locked.channel == Channel.PHONE and locked.reporter_kind == ReporterKind.PRACTITIONER:
        locked.confirmation_due_at = procedures.due(
            "report.written_confirmation", locked.received_at
        ).due_at
    locked.status = ReportStatus.SUBMITTED
    locked.version += 1
    locked.save()
    enqueue(
        kind=Kind.REPORT_RECEIVED,
        dedupe_key=f"report-received:{locked.pk}",
        subject=_("New report %(ref)s to decide by %(due)s")
        % {"ref": locked.reference, "due": _fmt(locked.decision_due_at)},
        link=f"/mash/reports/{locked.pk}/",
        agency=locked.authority,
        roles=[Role.MASH_PRACTITIONER, Role.TEAM_MANAGER],
    )
    return locked


def _fmt(value: datetime.datetime | None) -> str:
    from diogelu.core.presenters import format_datetime

    return format_datetime(value)


@transaction.atomic
def confirm_in_writing(*, actor: User, report: Report) -> Report:
    """Record that a telephone report has been confirmed in writing."""
    if not _is_la_staff_of(actor, report.authority):
        raise NotPermittedError(_("Only the local authority records written confirmation."))
    if report.confirmation_due_at is None:
        raise DomainError(_("This report does not need written confirmation."))
    report.confirmation_received_at = timezone.now()
    report.save(update_fields=["confirmation_received_at"])
    return report


def _check_mash(actor: User, report: Report) -> None:
    if not _is_la_staff_of(actor, report.authority) or not actor.has_role(*MASH_ROLES):
        raise NotPermittedError(_("Only the MASH can do this."))
    if report.status in (ReportStatus.DRAFT, ReportStatus.CLOSED):
        raise DomainError(_("This report is closed."))


@transaction.atomic
def link_child(*, actor: User, child: ReportChild, person: Person) -> ReportChild:
    """Intake: this child of the report is this person already known to the authority."""
    _check_mash(actor, child.report)
    naming.check_person(
        actor=actor, authority_id=child.report.authority_id, person=person, field="person"
    )
    if child.person_id is not None and child.person_id != person.pk:
        raise DomainError(_("This child is already linked. Unlink first."), field="person")
    child.person = person
    child.linked_by = actor
    child.linked_at = timezone.now()
    child.save(update_fields=["person", "linked_by", "linked_at"])
    _after_link(actor, child)
    return child


@transaction.atomic
def create_person_for_child(*, actor: User, child: ReportChild) -> Person:
    """Intake: nobody matches, so the child becomes a new person of the authority."""
    _check_mash(actor, child.report)
    if child.person_id is not None:
        raise DomainError(_("This child is already linked."))
    count = Person.objects.filter(authority=child.report.authority).count() + 1
    reference = f"P{child.report.authority_id}-{count:06d}"
    while Person.objects.filter(la_reference=reference).exists():
        count += 1
        reference = f"P{child.report.authority_id}-{count:06d}"
    person = Person(
        authority=child.report.authority,
        la_reference=reference,
        given_name=child.given_name,
        family_name=child.family_name or str(_("Not known")),
        date_of_birth=child.date_of_birth,
        is_unborn=child.is_unborn,
        expected_date_of_birth=child.expected_date_of_birth,
        sex=child.sex or Sex.NOT_KNOWN,
        nhs_number=child.nhs_number,
        upn=child.upn,
    )
    person.save()
    if child.postcode and child.address:
        Address.objects.create(
            person=person, line_1=child.address[:200], town="", postcode=child.postcode
        )
    child.person = person
    child.linked_by = actor
    child.linked_at = timezone.now()
    child.save(update_fields=["person", "linked_by", "linked_at"])
    _link_family(person, child)
    _after_link(actor, child)
    return person


#: Relationships a child shares with a sibling reported with them (the same parents and carers).
_SHARED_WITH_SIBLINGS = {
    RelationshipKind.MOTHER,
    RelationshipKind.FATHER,
    RelationshipKind.PARENT,
    RelationshipKind.STEP_PARENT,
    RelationshipKind.PARENTS_PARTNER,
    RelationshipKind.CARER,
}


def _link_family(person: Person, child: ReportChild) -> None:
    """A new person reported with already-known children joins their family network: a sibling
    of each, with the same parents and carers (the MASH can correct it on the family view)."""
    for other in child.report.children.exclude(pk=child.pk).exclude(person__isnull=True):
        assert other.person_id is not None
        if other.person_id == person.pk:
            continue
        Relationship.objects.get_or_create(
            person=person,
            relative_id=other.person_id,
            kind=RelationshipKind.SIBLING,
            defaults={"lives_with": True},
        )
        for rel in Relationship.objects.filter(
            person_id=other.person_id, kind__in=_SHARED_WITH_SIBLINGS
        ):
            if rel.relative_id != person.pk:
                Relationship.objects.get_or_create(
                    person=person,
                    relative_id=rel.relative_id,
                    kind=rel.kind,
                    defaults={
                        "has_parental_responsibility": rel.has_parental_responsibility,
                        "lives_with": rel.lives_with,
                    },
                )


def _after_link(actor: User, child: ReportChild) -> None:
    report = child.report
    assert child.person_id is not None
    assert report.received_at is not None
    if report.status == ReportStatus.SUBMITTED:
        report.status = ReportStatus.IN_MASH
        report.save(update_fields=["status"])
    add_case_event(
        actor=actor,
        person_id=child.person_id,
        kind=EventKind.REPORT,
        title=msg(gettext_noop("Report %(ref)s received"), ref=report.reference),
        occurred_at=report.received_at,
        detail=report.what_happened[:2000],
        audience=Audience.LOCAL_AUTHORITY,
        is_significant=True,
    )
    if report.reporter_agency_id is not None:
        from diogelu.access.models import Involvement

        if not Involvement.objects.filter(
            person_id=child.person_id, agency_id=report.reporter_agency_id
        ).exists():
            Involvement.objects.create(
                person_id=child.person_id,
                agency_id=report.reporter_agency_id,
                reason=InvolvementReason.REPORTER,
                parts=[Part.SUMMARY],
                recorded_by=actor,
                note=report.reference or "",
            )


@transaction.atomic
def record_decision(*, actor: User, report: Report, outcome: str, rationale: str) -> Decision:
    """Decide what happens next. Some outcomes wait for a manager's authorisation; a manager's
    own decision is final at once. A final decision is shared with every agency involved."""
    _check_mash(actor, report)
    if report.status == ReportStatus.DECIDED or hasattr(report, "decision"):
        raise DomainError(_("A decision has already been recorded on this report."))
    if report.children.filter(person__isnull=True).exists():
        raise DomainError(_("Link every child to a person before deciding."))
    if outcome not in Outcome.values:
        raise DomainError(_("Choose a decision"), field="outcome")
    text = rationale.strip()
    if len(text) < 10:
        raise DomainError(_("Explain the reasons for the decision"), field="rationale")
    is_manager = actor.has_role(Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE)
    needs = outcome in NEEDS_AUTHORISATION and not is_manager
    decision = Decision.objects.create(
        report=report,
        outcome=outcome,
        rationale=text[:MAX_TEXT],
        decided_by=actor,
        needs_authorisation=needs,
    )
    if needs:
        enqueue(
            kind=Kind.DECISION_TO_AUTHORISE,
            dedupe_key=f"decision-authorise:{decision.pk}",
            subject=_("Decision on %(ref)s waits for your authorisation")
            % {"ref": report.reference},
            link=f"/mash/reports/{report.pk}/",
            agency=report.authority,
            roles=[Role.TEAM_MANAGER],
            task=f"decision-authorise:{decision.pk}",
            people=[c.person_id for c in report.children.all()],
        )
        _tell_oversight(extensions.APPROVAL_PROPOSED, actor, decision, reason=decision.rationale)
    else:
        _finalise(actor, decision)
    return decision


def _tell_oversight(name: str, actor: User, decision: Decision, *, reason: str = "") -> None:
    """Tell the oversight apps (without importing them) about a decision that needs a manager."""
    report = decision.report
    extensions.workflow_event(
        extensions.WorkflowEvent(
            name=name,
            kind="MASH_DECISION",
            source=f"referrals.decision:{decision.pk}",
            person_ids=tuple(c.person_id for c in report.children.all() if c.person_id is not None),
            authority_id=report.authority_id,
            actor=actor,
            at=timezone.now(),
            proposed_by=decision.decided_by,
            reason=reason,
            link=f"/mash/reports/{report.pk}/",
        )
    )


@transaction.atomic
def authorise_decision(*, actor: User, decision: Decision, note: str = "") -> Decision:
    """A manager authorises a proposed decision (not their own)."""
    report = decision.report
    if not _is_la_staff_of(actor, report.authority) or not actor.has_role(
        Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE
    ):
        raise NotPermittedError(_("Only a manager can authorise a decision."))
    if decision.decided_by_id == actor.pk:
        raise NotPermittedError(_("You cannot authorise your own decision."))
    if not decision.needs_authorisation or decision.authorised_at is not None:
        raise DomainError(_("This decision does not need authorising."))
    decision.authorised_by = actor
    decision.authorised_at = timezone.now()
    decision.authorisation_note = note.strip()[:MAX_TEXT]
    decision.save(update_fields=["authorised_by", "authorised_at", "authorisation_note"])
    _finalise(actor, decision)
    _tell_oversight(
        extensions.APPROVAL_APPROVED, actor, decision, reason=decision.authorisation_note
    )
    complete_task(f"decision-authorise:{decision.pk}")
    return decision


@transaction.atomic
def return_decision(*, actor: User, decision: Decision, reason: str) -> ReturnedDecision:
    """A manager returns a proposed decision (not their own) with a reason instead of authorising
    it: the proposal is kept with the reason, the practitioner who proposed it is told, and a new
    decision can be recorded. The decision clock keeps running."""
    report = decision.report
    if not _is_la_staff_of(actor, report.authority) or not actor.has_role(
        Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE
    ):
        raise NotPermittedError(_("Only a manager can return a decision."))
    if decision.decided_by_id == actor.pk:
        raise NotPermittedError(_("You cannot return your own decision."))
    if not decision.needs_authorisation or decision.authorised_at is not None:
        raise DomainError(_("Only a decision waiting for authorisation can be returned."))
    why = reason.strip()
    if len(why) < 10:
        raise DomainError(_("Explain why the decision is returned"), field="reason")
    returned = ReturnedDecision.objects.create(
        report=report,
        outcome=decision.outcome,
        rationale=decision.rationale,
        decided_by_id=decision.decided_by_id,
        decided_at=decision.decided_at,
        returned_by=actor,
        reason=why[:MAX_TEXT],
    )
    complete_task(f"decision-authorise:{decision.pk}")
    _tell_oversight(extensions.APPROVAL_RETURNED, actor, decision, reason=returned.reason)
    decision.delete()
    report.version += 1
    report.save(update_fields=["version"])
    enqueue(
        kind=Kind.DECISION_TO_AUTHORISE,
        dedupe_key=f"decision-returned:{returned.pk}",
        subject="",
        subject_key=gettext_noop("Your decision on %(ref)s was returned: decide again"),
        subject_params={"ref": report.reference},
        body=why[:500],
        link=f"/mash/reports/{report.pk}/",
        user=returned.decided_by,
        people=[c.person_id for c in report.children.all()],
    )
    return returned


def _finalise(actor: User, decision: Decision) -> None:
    report = decision.report
    report.status = ReportStatus.DECIDED
    report.version += 1
    report.save(update_fields=["status", "version"])
    for child in report.children.exclude(person__isnull=True):
        assert child.person_id is not None
        add_case_event(
            actor=actor,
            person_id=child.person_id,
            kind=EventKind.DECISION,
            title=msg(
                gettext_noop("Decision on %(ref)s: %(outcome)s"),
                ref=report.reference,
                outcome=choice(Outcome(decision.outcome).label),
            ),
            occurred_at=timezone.now(),
            detail=decision.rationale[:2000],
            audience=Audience.LOCAL_AUTHORITY,
            is_significant=decision.outcome == Outcome.STRATEGY_DISCUSSION,
        )
    hooks.decision_final(actor=actor, decision=decision)  # sharing shares the outcome
    if decision.outcome in WORK_STAGES:
        extensions.workflow_event(
            extensions.WorkflowEvent(
                name=extensions.WORK_STARTED,
                kind=WORK_STAGES[decision.outcome],
                source=f"referrals.decision:{decision.pk}",
                person_ids=tuple(
                    c.person_id for c in report.children.all() if c.person_id is not None
                ),
                authority_id=report.authority_id,
                actor=actor,
                at=timezone.now(),
                reason=_("Decision on %(ref)s: %(outcome)s")
                % {"ref": report.reference, "outcome": decision.get_outcome_display()},
                link=f"/mash/reports/{report.pk}/",
            )
        )


#: MASH outcomes that start work with the children, and the kind of work (oversight's stages).
WORK_STAGES: dict[str, str] = {
    Outcome.EARLY_HELP: "EARLY_HELP",
    Outcome.ASSESSMENT: "ASSESSMENT",
    Outcome.STRATEGY_DISCUSSION: "CHILD_PROTECTION",
}


@transaction.atomic
def close_report(*, actor: User, report: Report, expected_version: int, note: str = "") -> Report:
    """Close a report. Not while a request is open, an enquiry undetermined, or an outcome not
    shared with and acknowledged by every recipient (a manager may close over unacknowledged
    outcomes that have been escalated, with a note)."""
    _check_mash(actor, report)
    if report.version != expected_version:
        raise StaleEditError(_("Someone else changed this report while you were looking at it."))
    if report.status != ReportStatus.DECIDED:
        raise DomainError(_("Decide the report before closing it."))
    if report.requests.filter(status="OPEN").exists():
        raise DomainError(_("Information requests are still open."))
    decision = getattr(report, "decision", None)
    if (
        decision is not None
        and decision.outcome == Outcome.STRATEGY_DISCUSSION
        and not report.strategy_discussions.exists()
    ):
        raise DomainError(_("Record the strategy discussion before closing the report."))
    if report.enquiries.filter(determination="").exists():
        raise DomainError(_("A section 47 enquiry has no determination yet."))
    unshared = hooks.unshared_outcomes(report)  # sharing's check (ADR 0405)
    if unshared:
        raise DomainError(
            _("The outcome has not been shared with: %(who)s") % {"who": ", ".join(unshared)}
        )
    waiting = report.outcomes.filter(acknowledged_at__isnull=True)
    if waiting.exists():
        is_manager = actor.has_role(Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE)
        if not (
            is_manager and note.strip() and not waiting.filter(escalated_at__isnull=True).exists()
        ):
            raise DomainError(_("Every recipient must acknowledge the outcome before closing."))
    report.status = ReportStatus.CLOSED
    report.closed_at = timezone.now()
    report.closed_by = actor
    report.close_note = note.strip()[:MAX_TEXT]
    return save_versioned(
        report,
        expected_version=expected_version,
        fields=["status", "closed_at", "closed_by", "close_note"],
    )
