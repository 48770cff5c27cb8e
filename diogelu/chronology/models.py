"""The multi-agency timeline: services record events here; pages read them filtered."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    """Who, beyond the local authority, may see an event."""

    ALL_INVOLVED = "ALL_INVOLVED", _("Every agency involved with the person")
    SOURCE_AGENCY = "SOURCE_AGENCY", _("The recording agency and the local authority")
    LOCAL_AUTHORITY = "LOCAL_AUTHORITY", _("The local authority only")


class EventKind(models.TextChoices):
    NOTE = "NOTE", _("Case note")
    REPORT = "REPORT", _("Report of a child at risk")
    CONTACT = "CONTACT", _("Contact")
    SCHOOL = "SCHOOL", _("School event")
    HEALTH = "HEALTH", _("Health event")
    POLICE = "POLICE", _("Police event")
    MISSING = "MISSING", _("Missing episode")
    DECISION = "DECISION", _("Decision")
    MEETING = "MEETING", _("Meeting")
    RECORD = "RECORD", _("Record change")
    INFORMATION_REQUEST = "INFORMATION_REQUEST", _("MASH information request")
    INFORMATION_SHARED = "INFORMATION_SHARED", _("Information shared with the MASH")
    OUTCOME = "OUTCOME", _("Outcome shared")
    STRATEGY = "STRATEGY", _("Strategy discussion")
    ENQUIRY = "ENQUIRY", _("Section 47 enquiry")
    CONFERENCE = "CONFERENCE", _("Child protection conference")
    REGISTER = "REGISTER", _("Child protection register")
    PLAN = "PLAN", _("Care and support protection plan")
    CORE_GROUP = "CORE_GROUP", _("Core group meeting")
    VISIT = "VISIT", _("Statutory visit")


class ChronologyEvent(models.Model):
    """One significant event in a person's life or case, recorded by one agency."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="chronology")
    occurred_at = models.DateTimeField(db_index=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    title = models.CharField(max_length=200)
    #: The title as message keys (``core.texts``) when Diogelu wrote it, rendered in the reader's
    #: language; ``title`` keeps it in the site's language (and what a person typed).
    title_text = models.JSONField(null=True, blank=True)
    detail = models.TextField(blank=True)
    detail_text = models.JSONField(null=True, blank=True)
    source_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    audience = models.CharField(max_length=20, choices=Audience.choices)
    is_significant = models.BooleanField(default=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["person", "-occurred_at"])]

    def __str__(self) -> str:
        return f"Event {self.pk}"

    @property
    def reader_title(self) -> str:
        """The title in the reader's (active) language."""
        if self.title_text:
            from diogelu.core.texts import render

            return render(self.title_text)
        return self.title

    @property
    def reader_detail(self) -> str:
        """The detail in the reader's (active) language."""
        if self.detail_text:
            from diogelu.core.texts import render

            return render(self.detail_text)
        return self.detail


class NoteKind(models.TextChoices):
    VISIT = "VISIT", _("Visit")
    PHONE = "PHONE", _("Phone call")
    MEETING = "MEETING", _("Meeting")
    OBSERVATION = "OBSERVATION", _("Observation")
    MANAGEMENT = "MANAGEMENT", _("Management note")
    OTHER = "OTHER", _("Other")


class CaseNote(models.Model):
    """A practitioner's case note on a child, one version of it.

    A note is never edited: a correction is a new version (``replaces`` the one before, which is
    kept and shown). Every version of a note shares ``event``, the note's place in the chronology,
    which always shows the latest version.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="case_notes")
    event = models.ForeignKey(ChronologyEvent, on_delete=models.CASCADE, related_name="notes")
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    kind = models.CharField(max_length=16, choices=NoteKind.choices)
    contact_at = models.DateTimeField()
    what_happened = models.TextField()
    child_seen = models.BooleanField(default=False)
    childs_words = models.TextField(blank=True)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    correction_reason = models.TextField(blank=True)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-contact_at", "-id"]

    def __str__(self) -> str:
        return f"Case note {self.pk}"
