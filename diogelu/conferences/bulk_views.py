"""One page for a conference's invitations and attendance: several agencies invited in one go,
everyone's attendance recorded in one go (no JavaScript needed)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext

from diogelu.conferences import access, bulk
from diogelu.conferences.forms import AttendanceAllForm, InviteAgenciesForm
from diogelu.conferences.models import Conference, ConferenceStatus
from diogelu.core.exceptions import DomainError
from diogelu.core.views import AuthedRequest, add_domain_error


def _page(
    request: AuthedRequest,
    conference: Conference,
    invite_form: InviteAgenciesForm,
    attendance_form: AttendanceAllForm,
    *,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "c": conference,
        "invite_form": invite_form,
        "attendance_form": attendance_form,
        "convened": conference.status == ConferenceStatus.CONVENED,
    }
    return render(request, "conferences/invitees.jinja", context, status=status)


def invitees_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Invite several agencies, and record everyone's attendance, on one page."""
    conference = access.access_conference(
        request.user, pk, route="conference_invitees", request=request
    )
    invitations = list(conference.invitations.select_related("agency", "user"))
    action = request.POST.get("action") if request.method == "POST" else None
    invite_form = InviteAgenciesForm(
        request.POST if action == "invite" else None, conference=conference
    )
    attendance_form = AttendanceAllForm(
        request.POST if action == "attendance" else None, invitations=invitations
    )
    if action is None:
        return _page(request, conference, invite_form, attendance_form)
    form: InviteAgenciesForm | AttendanceAllForm = (
        invite_form if action == "invite" else attendance_form
    )
    if not form.is_valid():
        return _page(request, conference, invite_form, attendance_form, status=400)
    try:
        if action == "invite":
            made = bulk.invite_agencies(
                actor=request.user, conference=conference, agencies=invite_form.chosen()
            )
            done = ngettext("%(n)s agency invited", "%(n)s agencies invited", len(made))
        else:
            made = bulk.record_attendance_all(
                actor=request.user, conference=conference, answers=attendance_form.answers()
            )
            done = ngettext(
                "Attendance recorded for %(n)s invitee",
                "Attendance recorded for %(n)s invitees",
                len(made),
            )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _page(request, conference, invite_form, attendance_form, status=exc.status_code)
    messages.success(request, done % {"n": len(made)})
    return HttpResponseRedirect(reverse("conference_invitees", args=[conference.pk]))
