"""Pages for child protection conferences and the register check.

Thin views: case data only through ``conferences.access``; every change through one
``conferences.services`` call; domain errors shown in the GOV.UK error summary (400/403/409);
not entitled → 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from diogelu import procedures
from diogelu.access.models import Part
from diogelu.access.services import access_person
from diogelu.conferences import access, services
from diogelu.conferences.forms import (
    AttendanceForm,
    ConveneForm,
    HoldForm,
    InviteForm,
    RegisterCheckForm,
    ReportForm,
    TransferInForm,
)
from diogelu.conferences.models import (
    Category,
    Conference,
    ConferenceStatus,
    Invitation,
    InviteeKind,
)
from diogelu.core.exceptions import DomainError
from diogelu.core.views import AuthedRequest, add_domain_error, submit_form
from diogelu.enquiries import access as enquiry_access
from diogelu.sharing import presenters as sp
from diogelu.sharing import queues


def _route(request: AuthedRequest, default: str) -> str:
    match = request.resolver_match
    return (match.url_name if match else None) or default


def _category_labels(codes: list[str]) -> str:
    return ", ".join(str(Category(c).label) for c in codes if c in Category.values)


def _record(conference: Conference) -> dict[str, Any]:
    """Everything the page and the record show about a conference."""
    now = timezone.now()
    due = queues.stored_due(conference.due_rule, conference.created_at, conference.due_at)
    clock = procedures.timeliness(due, now, completed_at=conference.held_at)
    children = []
    episodes = {
        e.person_id: e for e in conference.registrations.select_related("plan").order_by("pk")
    }
    for c in conference.children.select_related("person", "episode", "episode__plan"):
        decision = getattr(c, "decision", None)
        episode = episodes.get(c.person_id) or c.episode
        children.append(
            {
                "child": c,
                "decision": decision,
                "categories": _category_labels(decision.categories) if decision else "",
                "plan": getattr(episode, "plan", None) if episode is not None else None,
            }
        )
    return {"c": conference, "clock": clock, "children": children, "sp": sp}


def _staff_page(conference: Conference) -> dict[str, Any]:
    context = _record(conference)
    invitations = list(conference.invitations.select_related("agency", "user", "person"))
    circulations = list(conference.circulations.all())
    context.update(
        {
            "staff": True,
            "invitations": invitations,
            "quorum": services.quorum_for(conference, chair_reason=conference.quorum_reason),
            "attendance_missing": any(not i.attendance for i in invitations),
            "circulations": circulations,
            "acknowledged": sum(1 for x in circulations if x.is_acknowledged),
            "convened": conference.status == ConferenceStatus.CONVENED,
            "held": conference.status == ConferenceStatus.HELD,
        }
    )
    return context


# --- the conference page ---------------------------------------------------------------------


def show_conference_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The whole conference for social work staff; an invitee sees only their own part."""
    user = request.user
    route = _route(request, "show_conference")
    if access.is_conference_staff(user) and access.visible_conferences(user).filter(pk=pk).exists():
        conference = access.access_conference(user, pk, route=route, request=request)
        return render(request, "conferences/conference_show.jinja", _staff_page(conference))
    conference = access.access_conference_as_invitee(user, pk, route=route, request=request)
    context = {
        "c": conference,
        "staff": False,
        "invitations": access.my_invitations(user, conference),
        "circulations": access.my_circulations(user, conference),
        "convened": conference.status == ConferenceStatus.CONVENED,
    }
    return render(request, "conferences/conference_invitee.jinja", context)


# --- convening -------------------------------------------------------------------------------


def convene_conference_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Convene the initial (or pre-birth) conference from a determination-3 enquiry."""
    enquiry = enquiry_access.access_enquiry(
        request.user, pk, route=_route(request, "convene_conference"), request=request
    )
    if not access.is_conference_staff(request.user):
        raise Http404
    form = ConveneForm(request.POST if request.method == "POST" else None)
    done, status = submit_form(
        request,
        form,
        lambda d: services.convene_conference(
            actor=request.user,
            enquiries=[enquiry],
            kind=d["kind"],
            scheduled_for=d.get("scheduled_for"),
        ),
        success=_("Conference convened"),
        then=lambda conference: reverse("show_conference", args=[conference.pk]),
    )
    if done is not None:
        return done
    context = {"e": enquiry, "form": form}
    return render(request, "conferences/convene.jinja", context, status=status)


def convene_transfer_in_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    """Convene the transfer-in conference for a child on another authority's register who has
    moved here permanently (due ``transfer_in.conference`` from the notification)."""
    person = access_person(
        request.user,
        person_id,
        part=Part.SUMMARY,
        route=_route(request, "convene_transfer_in"),
        request=request,
    ).person
    if (
        not access.is_conference_staff(request.user)
        or request.user.agency_id != person.authority_id
    ):
        raise Http404
    form = TransferInForm(request.POST if request.method == "POST" else None)
    done, status = submit_form(
        request,
        form,
        lambda d: services.convene_transfer_in_conference(
            actor=request.user,
            people=[person],
            notified_at=d["notified_at"],
            scheduled_for=d.get("scheduled_for"),
            from_authority=d["from_authority"],
        ),
        success=_("Transfer-in conference convened"),
        then=lambda conference: reverse("show_conference", args=[conference.pk]),
    )
    if done is not None:
        return done
    context = {
        "person": person,
        "form": form,
        "rule": procedures.get_rule("transfer_in.conference"),
    }
    return render(request, "conferences/convene_transfer_in.jinja", context, status=status)


# --- invitations -----------------------------------------------------------------------------


def invite_view(request: AuthedRequest, pk: int) -> HttpResponse:
    conference = access.access_conference(
        request.user, pk, route=_route(request, "conference_invite"), request=request
    )
    form = InviteForm(request.POST if request.method == "POST" else None, conference=conference)
    done, status = submit_form(
        request,
        form,
        lambda d: services.invite(
            actor=request.user, conference=conference, **form.service_kwargs()
        ),
        success=_("Invitation recorded"),
        then=lambda _result: reverse("show_conference", args=[conference.pk]),
    )
    if done is not None:
        return done
    context = {"c": conference, "form": form}
    return render(request, "conferences/invite.jinja", context, status=status)


def attendance_view(request: AuthedRequest, pk: int) -> HttpResponse:
    invitation = access.access_invitation(
        request.user, pk, route=_route(request, "conference_attendance"), request=request
    )
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        initial={"attendance": invitation.attendance or None},
    )
    done, status = submit_form(
        request,
        form,
        lambda d: services.record_attendance(
            actor=request.user,
            invitation=invitation,
            attendance=d["attendance"],
        ),
        success=_("Attendance recorded"),
        then=lambda _result: reverse("show_conference", args=[invitation.conference_id]),
    )
    if done is not None:
        return done
    context = {"i": invitation, "c": invitation.conference, "form": form}
    return render(request, "conferences/attendance.jinja", context, status=status)


def report_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """An invited agency submits its report before the conference."""
    invitation: Invitation = access.access_own_invitation(
        request.user, pk, route=_route(request, "conference_report"), request=request
    )
    form = ReportForm(
        request.POST if request.method == "POST" else None, initial={"text": invitation.report_text}
    )
    done, status = submit_form(
        request,
        form,
        lambda d: services.submit_agency_report(
            actor=request.user, invitation=invitation, text=d["text"]
        ),
        success=_("Report submitted"),
        then=lambda _result: reverse("show_conference", args=[invitation.conference_id]),
    )
    if done is not None:
        return done
    context = {"i": invitation, "c": invitation.conference, "form": form}
    return render(request, "conferences/report.jinja", context, status=status)


# --- holding the conference ------------------------------------------------------------------


def hold_conference_view(request: AuthedRequest, pk: int) -> HttpResponse:
    conference = access.access_conference(
        request.user, pk, route=_route(request, "hold_conference"), request=request
    )
    form = HoldForm(request.POST if request.method == "POST" else None, conference=conference)
    done, status = submit_form(
        request,
        form,
        lambda d: services.hold_conference(
            actor=request.user, conference=conference, **form.service_kwargs()
        ),
        success=_("Conference recorded"),
        then=lambda _result: reverse("show_conference", args=[conference.pk]),
    )
    if done is not None:
        return done
    context = {
        "c": conference,
        "form": form,
        "quorum": services.quorum_for(conference),
        "convened": conference.status == ConferenceStatus.CONVENED,
    }
    return render(request, "conferences/hold.jinja", context, status=status)


@require_POST
def circulate_view(request: AuthedRequest, pk: int) -> HttpResponse:
    conference = access.access_conference(
        request.user, pk, route=_route(request, "circulate_record"), request=request
    )
    try:
        made = services.circulate_record(actor=request.user, conference=conference)
    except DomainError as exc:
        context = _staff_page(conference) | {"error": exc.message}
        return render(request, "conferences/conference_show.jinja", context, status=exc.status_code)
    messages.success(request, _("Record sent to %(n)s recipients") % {"n": len(made)})
    return HttpResponseRedirect(reverse("show_conference", args=[conference.pk]))


def acknowledge_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The conference record for one recipient, with the button to acknowledge it."""
    circulation = access.access_circulation(
        request.user, pk, route=_route(request, "acknowledge_record"), request=request
    )
    if request.method == "POST":
        services.acknowledge_record(actor=request.user, circulation=circulation)
        messages.success(request, _("Record acknowledged"))
        circulation.refresh_from_db()
        if not access.may_still_read(request.user, circulation):
            # Acknowledging ended a partner's sight of the record (their involvement had ended).
            return HttpResponseRedirect(reverse("my_work"))
        return HttpResponseRedirect(reverse("acknowledge_record", args=[circulation.pk]))
    context = _record(circulation.conference)
    context["circulation"] = circulation
    return render(request, "conferences/record.jinja", context)


# --- the register check ----------------------------------------------------------------------


@sensitive_post_parameters()
def register_check_view(request: AuthedRequest) -> HttpResponse:
    """Health and police check whether a child is on the register (by POST, so identifiers
    never appear in URLs); the answer is only yes/no, since when and whom to contact."""
    if not access.may_check_register(request.user):
        raise Http404
    form: forms.Form = RegisterCheckForm(request.POST if request.method == "POST" else None)
    answer = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                answer = services.check_register(
                    actor=request.user,
                    reason=data["reason"],
                    nhs_number=data.get("nhs_number", ""),
                    given_name=data.get("given_name", ""),
                    family_name=data.get("family_name", ""),
                    date_of_birth=data.get("date_of_birth"),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                status = 200
    context = {"form": form, "answer": answer, "invitee_kind": InviteeKind}
    return render(request, "conferences/register_check.jinja", context, status=status)
