"""Case notes and missing episodes on a child's record."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from diogelu.access.models import Part
from diogelu.chronology import notes
from diogelu.core.exceptions import DomainError
from diogelu.core.views import AuthedRequest, add_domain_error
from diogelu.people import missing
from diogelu.people.record_forms import CaseNoteForm, MissingEpisodeForm, combine
from diogelu.people.views import _person_page


def case_notes_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    access, context = _person_page(request, person_id, Part.CHRONOLOGY)
    every = notes.visible_notes(request.user, access)
    replaced = {n.replaces_id for n in every if n.replaces_id}
    context.update(
        {
            "notes": [n for n in every if n.pk not in replaced],
            "earlier": {n.pk: n for n in every},
            "may_write": notes.may_write(request.user, access),
            "may_mark": notes.may_mark_significant(request.user),
        }
    )
    return render(request, "people/case_notes.jinja", context)


def write_case_note_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    """A new note, or (``?note=<id>``) a correction: a new version that keeps the old one."""
    access, context = _person_page(request, person_id, Part.CHRONOLOGY)
    if not notes.may_write(request.user, access):
        raise Http404
    note = None
    note_id = request.GET.get("note")
    if note_id:
        try:
            note = notes.note_of(request.user, access, note_id)
        except DomainError:
            raise Http404 from None
        if note.agency_id != request.user.agency_id:
            raise Http404
    initial: dict[str, Any] = {}
    if note is not None:
        from django.utils import timezone

        local = timezone.localtime(note.contact_at)
        initial = {
            "kind": note.kind,
            "contact_on": local.date(),
            "contact_time": local.strftime("%H:%M"),
            "what_happened": note.what_happened,
            "child_seen": note.child_seen,
            "childs_words": note.childs_words,
            "audience": note.audience,
        }
    form = CaseNoteForm(
        request.POST or None,
        initial=initial,
        local_authority=request.user.is_local_authority_staff,
        correcting=note is not None,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            details = notes.NoteDetails(
                kind=d["kind"],
                contact_at=combine(d["contact_on"], d["contact_time"]),
                what_happened=d["what_happened"],
                child_seen=d["child_seen"],
                childs_words=d["childs_words"],
                audience=d["audience"],
            )
            try:
                if note is None:
                    notes.record_case_note(actor=request.user, access=access, details=details)
                else:
                    notes.correct_case_note(
                        actor=request.user,
                        access=access,
                        note=note,
                        details=details,
                        reason=d.get("reason", ""),
                    )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The case note has been saved"))
                return HttpResponseRedirect(reverse("case_notes", args=[access.person.pk]))
    context.update({"form": form, "note": note})
    return render(request, "people/case_note_form.jinja", context, status=status)


def mark_significant_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    if request.method != "POST" or not notes.may_mark_significant(request.user):
        raise Http404
    access, _context = _person_page(request, person_id, Part.CHRONOLOGY)
    try:
        note = notes.note_of(request.user, access, request.POST.get("note"))
        notes.mark_significant(
            actor=request.user,
            access=access,
            note=note,
            significant=request.POST.get("significant", "yes") == "yes",
        )
    except DomainError:
        raise Http404 from None
    messages.success(request, _("The note has been marked"))
    return HttpResponseRedirect(reverse("case_notes", args=[access.person.pk]))


def missing_episodes_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    access, context = _person_page(request, person_id, Part.CHRONOLOGY)
    context.update(
        {
            "episodes": missing.episodes_of(request.user, access),
            "may_record": missing.may_record(request.user, access),
        }
    )
    return render(request, "people/missing_episodes.jinja", context)


def record_missing_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    """A new episode, or (``?episode=<id>``) the return and the return interview of one."""
    from django.utils import timezone

    access, context = _person_page(request, person_id, Part.CHRONOLOGY)
    if not missing.may_record(request.user, access):
        raise Http404
    episode = None
    episode_id = request.GET.get("episode")
    if episode_id:
        try:
            episode = missing.episode_of(request.user, access, episode_id)
        except DomainError:
            raise Http404 from None
    initial: dict[str, Any] = {}
    if episode is not None:
        start = timezone.localtime(episode.started_at)
        end = timezone.localtime(episode.ended_at) if episode.ended_at else None
        initial = {
            "version": episode.version,
            "kind": episode.kind,
            "started_on": start.date(),
            "started_time": start.strftime("%H:%M"),
            "ended_on": end.date() if end else None,
            "ended_time": end.strftime("%H:%M") if end else "",
            "reported_to_police": episode.reported_to_police,
            "police_reference": episode.police_reference,
            "where_found": episode.where_found,
            "debrief_offered_on": episode.debrief_offered_on,
            "debrief_accepted": {True: "yes", False: "no"}.get(episode.debrief_accepted, ""),  # type: ignore[arg-type]
            "debrief_held_on": episode.debrief_held_on,
            "debrief_by": episode.debrief_by,
            "childs_account": episode.childs_account,
        }
    form = MissingEpisodeForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                if episode is None:
                    missing.record_missing_episode(
                        actor=request.user, access=access, details=form.details()
                    )
                else:
                    missing.update_missing_episode(
                        actor=request.user,
                        access=access,
                        episode=episode,
                        expected_version=form.cleaned_data.get("version") or 0,
                        details=form.details(),
                    )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The missing episode has been saved"))
                return HttpResponseRedirect(reverse("missing_episodes", args=[access.person.pk]))
    context.update({"form": form, "episode": episode})
    return render(request, "people/missing_form.jinja", context, status=status)
