"""Pages started from a child's plan that act on the register: convening the review conference
and ending the registration (the services are the conferences app's; the templates too).

They live with plans because they begin from the plan (``plans/<pk>/review/``,
``plans/<pk>/end/``), and plans may use conferences, never the reverse.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from diogelu.accounts.roles import is_conference_staff
from diogelu.conferences import services
from diogelu.conferences.due import review_due
from diogelu.conferences.forms import EndRegistrationForm, ReviewConveneForm
from diogelu.core.views import AuthedRequest, submit_form
from diogelu.plans.access import access_plan


def _route(request: AuthedRequest, default: str) -> str:
    match = request.resolver_match
    return (match.url_name if match else None) or default


def _staff_plan(request: AuthedRequest, pk: int, default: str) -> Any:
    """A plan for the authority's social work staff (who convene reviews and end registrations)."""
    plan = access_plan(request.user, pk, route=_route(request, default))
    if not (
        is_conference_staff(request.user) and request.user.agency_id == plan.episode.authority_id
    ):
        raise Http404
    return plan


def convene_review_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Convene the review conference for a registered child, from the child's plan."""
    plan = _staff_plan(request, pk, "convene_review")
    episode = plan.episode
    form = ReviewConveneForm(request.POST if request.method == "POST" else None)
    due = review_due(episode) if episode.is_open else None
    done, status = submit_form(
        request,
        form,
        lambda d: services.convene_review_conference(
            actor=request.user,
            episodes=[episode],
            scheduled_for=d.get("scheduled_for"),
        ),
        success=_("Review conference convened"),
        then=lambda conference: reverse("show_conference", args=[conference.pk]),
    )
    if done is not None:
        return done
    context = {"plan": plan, "episode": episode, "form": form, "due": due}
    return render(request, "conferences/convene_review.jinja", context, status=status)


def end_registration_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """End a registration at 18, on death, a permanent move out of the UK or a transfer out."""
    plan = _staff_plan(request, pk, "end_registration")
    episode = plan.episode
    if not episode.is_open:
        raise Http404
    form = EndRegistrationForm(request.POST if request.method == "POST" else None)
    done, status = submit_form(
        request,
        form,
        lambda d: services.end_registration(
            actor=request.user,
            episode=episode,
            reason=d["reason"],
            ended_at=d["ended_at"],
            note=d.get("note", ""),
        ),
        success=_("Registration ended"),
        then=lambda _result: reverse("show_plan", args=[plan.pk]),
    )
    if done is not None:
        return done
    context = {"plan": plan, "episode": episode, "form": form}
    return render(request, "conferences/end_registration.jinja", context, status=status)
