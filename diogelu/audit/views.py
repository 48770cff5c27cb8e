"""Pages of case-file audit. Thin: reads through ``access`` (404 alike for a missing id, another
authority's record or one the reader may not see), every change through one ``services`` call.
Every page that names a child logs the read with the audit as its basis."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from diogelu.access.models import Part
from diogelu.accounts.models import Role, Team, User
from diogelu.audit import access, forms, reports, services
from diogelu.audit.facts import facts_for
from diogelu.audit.models import (
    Audit,
    AuditStatus,
    EvidenceLink,
    FormSection,
    Grade,
    MemberRole,
    Moderation,
    ProgrammeStatus,
)
from diogelu.core.exceptions import DomainError
from diogelu.core.views import AuthedRequest, add_domain_error


def _require_la(request: AuthedRequest) -> None:
    user = request.user
    if (
        not access.may_audit(user)
        and not access.is_quality_team(user)
        and not access.visible_audits(user).exists()
    ):
        raise Http404


def _people(user: User, *, peers: bool = True) -> list[User]:
    """Who may be named an auditor, moderator or action owner: the authority's active staff
    (without ``peers``, only auditors and managers: the set-up page's lists stay short)."""
    from diogelu.accounts.roles import with_roles

    rows = (
        User.objects.filter(agency_id=user.agency_id or 0, is_active=True)
        .select_related("agency")
        .order_by("last_name", "first_name", "username")
    )
    found = [u for u in with_roles(rows) if access.may_audit(u)]
    if not peers:
        found = [u for u in found if u.roles - {Role.SOCIAL_WORKER}]
    return found


def home_view(request: AuthedRequest) -> HttpResponse:
    _require_la(request)
    user = request.user
    programmes = list(
        access.visible_programmes(user).annotate(
            files=Count("audits", distinct=True),
            done=Count(
                "audits",
                filter=Q(
                    audits__status__in=[
                        AuditStatus.SUBMITTED,
                        AuditStatus.IN_MODERATION,
                        AuditStatus.MODERATED,
                    ]
                ),
                distinct=True,
            ),
        )
    )
    mine = list(
        access.visible_audits(user)
        .filter(auditor_id=user.pk, status__in=[AuditStatus.ASSIGNED, AuditStatus.IN_PROGRESS])
        .select_related("programme", "person", "team")
    )
    moderations = list(
        Moderation.objects.filter(moderator_id=user.pk, completed_at__isnull=True).select_related(
            "audit__person", "audit__programme"
        )
    )
    about_me = list(
        access.visible_audits(user)
        .filter(worker_id=user.pk)
        .exclude(status__in=[AuditStatus.ASSIGNED, AuditStatus.IN_PROGRESS])
        .select_related("programme", "person")
    )
    named = access.log_sample_reads(
        user,
        [*mine, *[m.audit for m in moderations], *about_me],
        route="audit_home",
        request=request,
    )
    shown = {a.pk for a in named}
    return render(
        request,
        "audit/home.jinja",
        {
            "programmes": programmes,
            "mine": [a for a in mine if a.pk in shown],
            "moderations": [m for m in moderations if m.audit_id in shown],
            "about_me": [a for a in about_me if a.pk in shown],
            "may_lead": access.is_quality_lead(user),
        },
    )


def programme_new_view(request: AuthedRequest) -> HttpResponse:
    if not access.is_quality_lead(request.user):
        raise Http404
    teams = list(Team.objects.filter(agency_id=request.user.agency_id or 0).order_by("name"))
    form = forms.ProgrammeForm(
        request.POST or None,
        people=_people(request.user, peers=False),
        teams=teams,
        initial={"kind": "THEMED", "theme": "GENERAL", "moderation_percent": 25},
    )
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.create_programme(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                theme=form.cleaned_data["theme"],
                title=form.cleaned_data["title"],
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                due_on=form.cleaned_data.get("due_on"),
                auditors=form.users("auditors"),
                moderators=form.users("moderators"),
                strata=form.strata(),
                moderation_percent=form.cleaned_data["moderation_percent"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Programme set up: draw the sample when ready"))
            return HttpResponseRedirect(reverse("audit_programme", args=[programme.pk]))
    return render(request, "audit/programme_new.jinja", {"form": form})


def programme_view(request: AuthedRequest, programme_id: int) -> HttpResponse:
    programme = access.access_programme(request.user, programme_id)
    lead = access.is_quality_lead(request.user)
    draw = forms.DrawForm(request.POST or None) if lead else None
    if request.method == "POST":
        if not lead or draw is None:
            raise Http404
        action = request.POST.get("action")
        try:
            if action == "draw" and draw.is_valid():
                made = services.draw_sample(
                    actor=request.user, programme=programme, seed=draw.cleaned_data.get("seed")
                )
                messages.success(request, _("Sample drawn: %(n)s files") % {"n": len(made)})
            elif action == "moderate":
                chosen = services.select_for_moderation(actor=request.user, programme=programme)
                messages.success(
                    request, _("%(n)s audits sent for moderation") % {"n": len(chosen)}
                )
            elif action != "draw":
                raise Http404
        except DomainError as exc:
            messages.error(request, exc.message)
        if action != "draw" or (draw is not None and draw.is_valid()):
            return HttpResponseRedirect(reverse("audit_programme", args=[programme.pk]))
    audits = list(
        programme.audits.select_related("person", "team", "auditor", "worker").order_by(
            "team__name", "stage", "draw_rank", "pk"
        )
    )
    visible = {a.pk for a in access.visible_audits(request.user).filter(programme=programme)}
    named = access.log_sample_reads(
        request.user,
        [a for a in audits if a.pk in visible],
        route="audit_programme",
        request=request,
    )
    shown = {a.pk for a in named}
    members = list(programme.members.select_related("user"))
    return render(
        request,
        "audit/programme.jinja",
        {
            "programme": programme,
            "strata": list(programme.strata.select_related("team")),
            "audits": [a for a in audits if a.pk in shown],
            "auditors": [m.user for m in members if m.role == MemberRole.AUDITOR],
            "moderators": [m.user for m in members if m.role == MemberRole.MODERATOR],
            "lead": lead,
            "draw": draw,
            "draft": programme.status == ProgrammeStatus.DRAFT,
            "waiting_moderation": programme.audits.filter(
                status=AuditStatus.SUBMITTED, moderation__isnull=True
            ).count(),
            "skips": [e for e in programme.draw_log if "skip" in e],
            "shorts": [e for e in programme.draw_log if "short" in e],
            "complete_form": forms.CompleteForm() if lead else None,
            "is_quality": access.is_quality_team(request.user),
        },
    )


def programme_complete_view(request: AuthedRequest, programme_id: int) -> HttpResponse:
    programme = access.access_programme(request.user, programme_id)
    if not access.is_quality_lead(request.user):
        raise Http404
    form = forms.CompleteForm(request.POST or None, initial={"summary": programme.summary})
    if request.method == "POST" and form.is_valid():
        try:
            services.complete_programme(
                actor=request.user, programme=programme, summary=form.cleaned_data["summary"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Programme complete"))
            return HttpResponseRedirect(reverse("audit_programme", args=[programme.pk]))
    return render(
        request,
        "audit/simple_form.jinja",
        {
            "form": form,
            "heading": _("Complete the programme"),
            "caption": programme.title,
            "button": _("Complete the programme"),
            "back": reverse("audit_programme", args=[programme.pk]),
        },
    )


def add_file_view(request: AuthedRequest, programme_id: int) -> HttpResponse:
    programme = access.access_programme(request.user, programme_id)
    if not access.is_quality_lead(request.user):
        raise Http404
    auditors = [m.user for m in programme.members.filter(role=MemberRole.AUDITOR)]
    form = forms.AddFileForm(request.POST or None, auditors=auditors)
    if request.method == "POST" and form.is_valid():
        from diogelu.people.models import Person

        person = (
            Person.objects.visible_to(request.user)
            .filter(
                la_reference=form.cleaned_data["reference"].strip(),
                authority_id=programme.authority_id,
            )
            .first()
        )
        if person is None:
            form.add_error("reference", _("No child of your authority has this reference"))
        else:
            try:
                audit = services.add_to_sample(
                    actor=request.user,
                    programme=programme,
                    person=person,
                    reason=form.cleaned_data["reason"],
                    auditor=form.chosen_auditor(),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("File %(n)s added to the sample") % {"n": audit.pk})
                return HttpResponseRedirect(reverse("audit_programme", args=[programme.pk]))
    return render(
        request,
        "audit/simple_form.jinja",
        {
            "form": form,
            "heading": _("Add a file to the sample"),
            "caption": programme.title,
            "button": _("Add the file"),
            "back": reverse("audit_programme", args=[programme.pk]),
        },
    )


def _grades_view_model(audit: Audit) -> list[dict[str, Any]]:
    moderated = {}
    moderation = getattr(audit, "moderation", None)
    if moderation is not None and moderation.completed_at is not None:
        moderated = {g.section_id: g for g in moderation.grades.all()}
    auditor = {g.section_id: g for g in audit.grades.all()}
    rows = []
    for s in audit.programme.form.sections.all():
        rows.append(
            {
                "section": s,
                "title": forms.section_title(s),
                "grade": auditor.get(s.pk),
                "moderated": moderated.get(s.pk),
            }
        )
    rows.append(
        {
            "section": None,
            "title": _("Overall"),
            "overall": audit.overall_grade,
            "moderated": moderated.get(None),
        }
    )
    return rows


def audit_view(request: AuthedRequest, audit_id: int) -> HttpResponse:
    audit = access.access_audit(request.user, audit_id)
    access.log_audit_read(
        request.user, audit, route="audit_show", part=Part.SUMMARY, request=request
    )
    user = request.user
    is_worker = audit.worker_id == user.pk
    response_form = None
    if is_worker and audit.status not in (AuditStatus.ASSIGNED, AuditStatus.IN_PROGRESS):
        response_form = forms.ResponseForm(
            request.POST or None, initial={"response": audit.worker_response}
        )
        if request.method == "POST" and response_form.is_valid():
            try:
                services.respond_to_findings(
                    actor=user, audit=audit, response=response_form.cleaned_data["response"]
                )
            except DomainError as exc:
                add_domain_error(response_form, exc)
            else:
                messages.success(request, _("Your response is recorded"))
                return HttpResponseRedirect(reverse("audit_show", args=[audit.pk]))
    elif request.method == "POST":
        raise Http404
    findings_ready = audit.status not in (AuditStatus.ASSIGNED, AuditStatus.IN_PROGRESS)
    moderation = getattr(audit, "moderation", None)
    may_raise = (
        audit.auditor_id == user.pk
        or access.is_moderator_of(user, audit.programme)
        or access.is_quality_lead(user)
    )
    return render(
        request,
        "audit/audit.jinja",
        {
            "audit": audit,
            "rows": _grades_view_model(audit)
            if (findings_ready or audit.auditor_id == user.pk)
            else [],
            "findings_ready": findings_ready,
            "is_auditor": audit.auditor_id == user.pk,
            "is_worker": is_worker,
            "moderation": moderation,
            "is_moderator": moderation is not None and moderation.moderator_id == user.pk,
            "response_form": response_form,
            "actions": list(audit.actions.select_related("owner")),
            "may_raise": may_raise,
            "may_link": access.is_quality_team(user),
            "evidence": list(
                EvidenceLink.objects.filter(Q(audit=audit) | Q(audit_action__audit=audit))
                .select_related("improvement_action")
                .distinct()
            ),
            "lead": access.is_quality_lead(user),
            "today": timezone.localdate(),
        },
    )


def audit_grade_view(request: AuthedRequest, audit_id: int) -> HttpResponse:
    audit = access.access_audit(request.user, audit_id)
    if audit.auditor_id != request.user.pk:
        raise Http404
    access.log_audit_read(request.user, audit, route="audit_grade", request=request)
    sections = list(audit.programme.form.sections.prefetch_related("questions"))
    initial: dict[str, Any] = {
        "overall_grade": audit.overall_grade,
        "overall_reason": audit.overall_reason,
        "summary": audit.summary,
    }
    for g in audit.grades.all():
        initial[f"grade_{g.section_id}"] = g.grade
        initial[f"comment_{g.section_id}"] = g.commentary
    for a in audit.answers.all():
        initial[f"answer_{a.question_id}"] = a.text
    form = forms.GradeForm(request.POST or None, sections=sections, initial=initial)
    editable = audit.status in (AuditStatus.ASSIGNED, AuditStatus.IN_PROGRESS)
    if request.method == "POST":
        if not editable:
            raise Http404
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                services.save_audit(
                    actor=request.user,
                    audit=audit,
                    grades=form.grades(),
                    answers=form.answers(),
                    overall_grade=form.cleaned_data.get("overall_grade") or "",
                    overall_reason=form.cleaned_data.get("overall_reason") or "",
                    summary=form.cleaned_data.get("summary") or "",
                    submit=submit,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                if submit:
                    messages.success(request, _("Audit submitted: the worker can now read it"))
                    return HttpResponseRedirect(reverse("audit_show", args=[audit.pk]))
                messages.success(request, _("Audit saved"))
                return HttpResponseRedirect(reverse("audit_grade", args=[audit.pk]))
    return render(
        request,
        "audit/grade.jinja",
        {
            "audit": audit,
            "form": form,
            "facts": facts_for(audit),
            "descriptors": _descriptors(sections),
            "section_cy": forms.welsh(),
            "editable": editable,
        },
    )


def _descriptors(sections: list[FormSection]) -> dict[int, list[tuple[str, str]]]:
    from diogelu.audit.models import GRADE_ORDER

    lang = "cy" if forms.welsh() else "en"
    labels = dict(Grade.choices)
    return {
        s.pk: [
            (str(labels[g.value]), str(s.descriptors.get(g.value, {}).get(lang, "")))
            for g in GRADE_ORDER
        ]
        for s in sections
    }


def family_view(request: AuthedRequest, audit_id: int) -> HttpResponse:
    audit = access.access_audit(request.user, audit_id)
    if audit.auditor_id != request.user.pk:
        raise Http404
    initial = {
        "asked": "" if audit.family_asked is None else ("yes" if audit.family_asked else "no"),
        "given_by": audit.family_feedback_from,
        "feedback": audit.family_feedback,
    }
    form = forms.FamilyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_family_feedback(
                actor=request.user,
                audit=audit,
                asked=form.cleaned_data["asked"] == "yes",
                feedback=form.cleaned_data.get("feedback") or "",
                given_by=form.cleaned_data.get("given_by") or "",
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Family feedback recorded"))
            return HttpResponseRedirect(reverse("audit_show", args=[audit.pk]))
    return render(
        request,
        "audit/simple_form.jinja",
        {
            "form": form,
            "heading": _("The family's feedback"),
            "caption": _("Audit %(n)s") % {"n": audit.pk},
            "button": _("Save the feedback"),
            "back": reverse("audit_show", args=[audit.pk]),
        },
    )


def moderate_view(request: AuthedRequest, audit_id: int) -> HttpResponse:
    audit = access.access_audit(request.user, audit_id)
    moderation = getattr(audit, "moderation", None)
    if moderation is None or moderation.moderator_id != request.user.pk:
        raise Http404
    if moderation.completed_at is not None:
        return HttpResponseRedirect(reverse("audit_show", args=[audit.pk]))
    access.log_audit_read(request.user, audit, route="audit_moderate", request=request)
    grades = {g.section_id: g for g in audit.grades.all()}
    sections = list(audit.programme.form.sections.all())
    rows: list[tuple[int | None, str, str]] = [
        (s.pk, forms.section_title(s), grades[s.pk].grade if s.pk in grades else "")
        for s in sections
    ]
    rows.append((None, _("Overall grade"), audit.overall_grade))
    form = forms.ModerationForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.moderate(
                actor=request.user,
                audit=audit,
                grades=form.grades(),
                note=form.cleaned_data.get("note") or "",
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Moderation recorded"))
            return HttpResponseRedirect(reverse("audit_show", args=[audit.pk]))
    return render(
        request,
        "audit/moderate.jinja",
        {
            "audit": audit,
            "form": form,
            "commentary": {s: grades[s].commentary for s in grades},
            "grade_labels": dict(Grade.choices),
            "facts": facts_for(audit),
        },
    )


def action_new_view(request: AuthedRequest, audit_id: int) -> HttpResponse:
    audit = access.access_audit(request.user, audit_id)
    owners = _people(request.user)
    worker = audit.worker if audit.worker is not None and audit.worker.is_active else None
    if worker is not None and worker not in owners:
        owners.insert(0, worker)
    form = forms.ActionForm(
        request.POST or None,
        owners=owners,
        initial={"owner": str(worker.pk) if worker is not None else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.raise_action(
                actor=request.user,
                audit=audit,
                description=form.cleaned_data["description"],
                owner=form.chosen_owner(),
                due_on=form.cleaned_data["due_on"],
                for_team=form.cleaned_data.get("for_team") or False,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Action raised"))
            return HttpResponseRedirect(reverse("audit_show", args=[audit.pk]))
    return render(
        request,
        "audit/simple_form.jinja",
        {
            "form": form,
            "heading": _("Raise an action"),
            "caption": _("Audit %(n)s") % {"n": audit.pk},
            "button": _("Raise the action"),
            "back": reverse("audit_show", args=[audit.pk]),
        },
    )


def action_done_view(request: AuthedRequest, audit_action_id: int) -> HttpResponse:
    action = access.access_action(request.user, audit_action_id)
    form = forms.DoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_action_done(
                actor=request.user, action=action, note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Action marked done"))
            return HttpResponseRedirect(reverse("my_work"))
    return render(
        request,
        "audit/simple_form.jinja",
        {
            "form": form,
            "heading": _("Mark the action done"),
            "caption": action.description,
            "button": _("Mark done"),
            "back": reverse("my_work"),
        },
    )


def evidence_view(request: AuthedRequest, audit_id: int) -> HttpResponse:
    audit = access.access_audit(request.user, audit_id)
    if not access.is_quality_team(request.user):
        raise Http404
    from diogelu.measures import planning
    from diogelu.measures.models import ImprovementAction

    improvement = [
        a
        for a in ImprovementAction.objects.filter(
            finding__inspection__authority_id=request.user.agency_id
        )
        .select_related("finding__inspection")
        .order_by("finding__inspection_id", "number")
        if planning.may_change_action(request.user, a)
    ]
    form = forms.EvidenceForm(
        request.POST or None,
        improvement_actions=improvement,
        audit_actions=list(audit.actions.all()),
        initial={"what": "audit"},
    )
    if request.method == "POST" and form.is_valid():
        target, audit_action = form.chosen()
        try:
            services.link_evidence(
                actor=request.user,
                improvement_action=target,
                audit=None if audit_action is not None else audit,
                audit_action=audit_action,
                note=form.cleaned_data.get("note") or "",
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Linked to the improvement plan as evidence"))
            return HttpResponseRedirect(reverse("audit_show", args=[audit.pk]))
    return render(
        request,
        "audit/simple_form.jinja",
        {
            "form": form,
            "heading": _("Use as evidence for the improvement plan"),
            "caption": _("Audit %(n)s") % {"n": audit.pk},
            "button": _("Link as evidence"),
            "back": reverse("audit_show", args=[audit.pk]),
            "empty": not improvement,
        },
    )


def assign_view(request: AuthedRequest, audit_id: int) -> HttpResponse:
    audit = access.access_audit(request.user, audit_id)
    if not access.is_quality_lead(request.user):
        raise Http404
    auditors = [m.user for m in audit.programme.members.filter(role=MemberRole.AUDITOR)]
    form = forms.AssignForm(
        request.POST or None, auditors=auditors, initial={"auditor": str(audit.auditor_id or "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_auditor(actor=request.user, audit=audit, auditor=form.chosen())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Auditor changed"))
            return HttpResponseRedirect(reverse("audit_programme", args=[audit.programme_id]))
    return render(
        request,
        "audit/simple_form.jinja",
        {
            "form": form,
            "heading": _("Change the auditor"),
            "caption": _("Audit %(n)s") % {"n": audit.pk},
            "button": _("Change the auditor"),
            "back": reverse("audit_programme", args=[audit.programme_id]),
        },
    )


def _report_access(request: AuthedRequest, programme_id: int) -> Any:
    programme = access.access_programme(request.user, programme_id)
    if not access.is_quality_team(request.user):
        raise Http404
    return programme


def report_view(request: AuthedRequest, programme_id: int) -> HttpResponse:
    programme = _report_access(request, programme_id)
    return render(
        request,
        "audit/report.jinja",
        {
            "r": reports.build(programme),
            "programme": programme,
            "section_title": forms.section_title,
            "team_title": forms.team_title,
            "grade_labels": dict(Grade.choices),
        },
    )


def report_pdf_view(request: AuthedRequest, programme_id: int) -> HttpResponse:
    from diogelu.audit.documents import report_pdf
    from diogelu.core.documents import document_languages, pdf_response

    programme = _report_access(request, programme_id)
    langs = document_languages(request.GET.get("lang"))
    pdf = report_pdf(programme, langs=langs, viewer=request.user)
    return pdf_response(pdf, filename=f"diogelu-audit-{programme.pk}-board-report-{langs[0]}.pdf")
