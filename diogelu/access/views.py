"""Break-glass access to restricted records, and its review by the information governance lead."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diogelu.access import services
from diogelu.access.forms import BreakGlassForm, ReviewForm
from diogelu.accounts.models import Role
from diogelu.core.exceptions import DomainError
from diogelu.core.views import AuthedRequest, add_domain_error, require_role


def break_glass_view(request: AuthedRequest) -> HttpResponse:
    """Open emergency access to a restricted record by its reference and a written reason.

    The answer for a reference that does not exist, is not restricted, or belongs to another
    authority is the same, so the form reveals nothing about records the user may not see.
    """
    if not request.user.is_local_authority_staff:
        raise Http404
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = services.find_restricted_by_reference(
            request.user, form.cleaned_data["la_reference"]
        )
        if person is None:
            form.add_error(
                "la_reference",
                _(
                    "Emergency access cannot be opened for this reference. "
                    "Check it, or ask your manager"
                ),
            )
        else:
            try:
                services.break_glass(
                    actor=request.user,
                    person=person,
                    reason_code=form.cleaned_data["reason_code"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return HttpResponseRedirect(reverse("show_person", args=[person.pk]))
    return render(
        request, "access/break_glass.jinja", {"form": form}, status=400 if form.errors else 200
    )


@require_role(Role.IG_LEAD)
def break_glass_review_view(request: AuthedRequest) -> HttpResponse:
    accesses = services.break_glass_for_review(request.user)
    alerts = services.read_volume_alerts_for(request.user)
    return render(
        request,
        "access/break_glass_review.jinja",
        {"accesses": accesses, "alerts": alerts, "form": ReviewForm()},
    )


@require_role(Role.IG_LEAD)
@require_POST
def review_break_glass_view(request: AuthedRequest, access_id: int) -> HttpResponse:
    access = services.break_glass_to_review(request.user, access_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_break_glass(
                actor=request.user, access=access, note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Review recorded"))
    else:
        messages.error(request, _("Enter what you found"))
    return HttpResponseRedirect(reverse("break_glass_review"))
