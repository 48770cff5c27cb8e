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
    detail = models.TextField(blank=True)
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
