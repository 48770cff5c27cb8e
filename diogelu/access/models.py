"""Who may see which person, why, and the record of every read.

* :class:`Involvement` — an agency (or one of its users) has a legitimate relationship with a
  person, for a reason, from a time until a time, seeing certain parts of the record.
* :class:`RestrictedAccessGrant` — a named user may see a restricted record.
* :class:`BreakGlass` — time-limited emergency access to a restricted record with a written reason,
  reviewed by the authority's information governance lead.
* :class:`AccessLog` — append-only: one row for every read of a person's record.
* :class:`AccessLogSeal` — append-only: the hash chain over the access log, one seal per row,
  added just after the row commits (see :mod:`diogelu.access.chain`).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InvolvementReason(models.TextChoices):
    REPORTER = "REPORTER", _("Reported a concern")
    ASKED_FOR_INFORMATION = "ASKED_FOR_INFORMATION", _("Asked for information by the MASH")
    ALLOCATED_WORKER = "ALLOCATED_WORKER", _("Allocated worker")
    STRATEGY_PARTICIPANT = "STRATEGY_PARTICIPANT", _("Strategy discussion participant")
    CONFERENCE_INVITEE = "CONFERENCE_INVITEE", _("Child protection conference invitee")
    CORE_GROUP_MEMBER = "CORE_GROUP_MEMBER", _("Core group member")
    EDUCATION_PROVIDER = "EDUCATION_PROVIDER", _("School the child attends")
    HEALTH_PROVIDER = "HEALTH_PROVIDER", _("Health professional for the child")
    OTHER = "OTHER", _("Other recorded reason")


class Part(models.TextChoices):
    """Parts of a person's record that can be shared with an involved partner agency."""

    SUMMARY = "SUMMARY", _("Summary")
    FAMILY = "FAMILY", _("Family")
    CHRONOLOGY = "CHRONOLOGY", _("Chronology")
    ACCESS_LOG = "ACCESS_LOG", _("Access log")
    REPORT = "REPORT", _("Reports and MASH work")


DEFAULT_PARTNER_PARTS = [Part.SUMMARY, Part.CHRONOLOGY]


class InvolvementQuerySet(models.QuerySet["Involvement"]):
    def active(self, at: Any = None) -> InvolvementQuerySet:
        """Involvements in force at ``at`` (default: now)."""
        moment = at or timezone.now()
        return self.filter(started_at__lte=moment).filter(
            models.Q(ended_at__isnull=True) | models.Q(ended_at__gt=moment)
        )

    def sharing(self, part: str) -> InvolvementQuerySet:
        """Involvements whose ``parts`` include ``part``, tested in the database (a subquery
        that costs the same whatever the number of involvements). ``parts`` is a JSON list of
        :class:`Part` values, none of which holds another in quotes, so the quoted value as
        text finds it on PostgreSQL and on SQLite alike (``contains`` is PostgreSQL only)."""
        return self.filter(parts__icontains=f'"{part}"')


class Involvement(models.Model):
    """A legitimate relationship between an agency (optionally one user) and a person.

    With ``user`` empty the whole agency is involved; with ``user`` set, only that user. ``parts``
    lists what of the record is shared (see :class:`Part`). Ending an involvement takes effect on
    the next request.
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="involvements"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="involvements"
    )
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
    )
    reason = models.CharField(max_length=32, choices=InvolvementReason.choices)
    parts = models.JSONField(default=list)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)

    objects = InvolvementQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["agency", "person"]),
            # A partner's sight of people (``access.visibility``): everything the rule reads,
            # for involvements that share some part, so that counting an agency's people is
            # an index-only scan in person order (issue 17, ADR 0817 addendum).
            models.Index(
                fields=["agency", "person", "user", "started_at", "ended_at"],
                condition=~models.Q(parts=[]) & ~models.Q(parts=[Part.ACCESS_LOG]),
                name="involvement_sight",
            ),
        ]

    def __str__(self) -> str:
        return f"Involvement {self.pk}"


class RestrictedAccessGrant(models.Model):
    """A named user who may see a restricted record."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="restricted_grants"
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="restricted_grants"
    )
    granted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"Restricted grant {self.pk}"


class BreakGlassReason(models.TextChoices):
    IMMEDIATE_RISK = "IMMEDIATE_RISK", _("A child may be at immediate risk")
    OUT_OF_HOURS = "OUT_OF_HOURS", _("Out-of-hours emergency duty")
    COURT_OR_POLICE = "COURT_OR_POLICE", _("Urgent court or police request")
    OTHER = "OTHER", _("Other urgent reason")


class BreakGlass(models.Model):
    """Emergency access by a local authority user to a restricted record.

    Time-limited (``BREAK_GLASS_HOURS``), always with a written reason, recorded in the access log
    and listed for the information governance lead until reviewed.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="break_glass")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="break_glass"
    )
    reason_code = models.CharField(max_length=20, choices=BreakGlassReason.choices)
    reason = models.TextField()
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name_plural = "break-glass accesses"

    def __str__(self) -> str:
        return f"Break-glass {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.started_at <= timezone.now() < self.expires_at


class Channel(models.TextChoices):
    PAGE = "PAGE", _("Web page")
    API = "API", _("API")
    EXPORT = "EXPORT", _("Export")
    SEARCH = "SEARCH", _("Search result")


class Basis(models.TextChoices):
    AUTHORITY_STAFF = "AUTHORITY_STAFF", _("Local authority staff")
    INVOLVEMENT = "INVOLVEMENT", _("Agency involvement")
    RESTRICTED_GRANT = "RESTRICTED_GRANT", _("Named on a restricted record")
    BREAK_GLASS = "BREAK_GLASS", _("Break-glass access")
    MASH_REQUEST = "MASH_REQUEST", _("Asked by the MASH about this child")
    REGISTER_CHECK = "REGISTER_CHECK", _("Child protection register status check")
    AUDIT = "AUDIT", _("Case-file audit")


class AppendOnlyError(RuntimeError):
    """The access log cannot be changed or deleted by the application."""


class AccessLogQuerySet(models.QuerySet["AccessLog"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The access log is append-only")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The access log is append-only")


class AccessLog(models.Model):
    """One read of a person's record: who, when, what, by which route, and on what basis.

    Written in the same transaction as the read. The application cannot edit or delete rows: the
    model refuses, and database triggers refuse too (see the migration). Holds ids, never content.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    # No index of its own: the (person, -at) index below serves every look-up by person, and
    # each read of a child writes one row to every index of this table (ADR 0832).
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="access_log", db_index=False
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    route = models.CharField(max_length=100)
    part = models.CharField(max_length=20, choices=Part.choices)
    basis = models.CharField(max_length=20, choices=Basis.choices)
    involvement = models.ForeignKey(
        Involvement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    break_glass = models.ForeignKey(
        BreakGlass, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    request_id = models.CharField(max_length=32, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at"])]

    def __str__(self) -> str:
        return f"Access {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The access log is append-only")


class AccessLogSealQuerySet(models.QuerySet["AccessLogSeal"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The access log's seals are append-only")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The access log's seals are append-only")


class AccessLogSeal(models.Model):
    """One link of the access log's hash chain (see :mod:`diogelu.access.chain`).

    Seals are added after the access-log rows they cover have committed, by a sealer that takes
    the chain lock without waiting, so writing an access-log row never waits for another
    transaction. The primary key is the chain order. ``prev_hash`` is unique: two sealers that
    read the same head cannot both append (the chain cannot fork). Append-only like the log
    itself: the model and queryset refuse update and delete, and so does a database trigger.

    The uniqueness is a constraint, not ``unique=True``: on PostgreSQL a unique text field also
    gets a second index for ``LIKE`` (``varchar_pattern_ops``) that nothing asks of a hash, as
    large as the first, and every seal wrote to both (ADR 0832).
    """

    log = models.OneToOneField(AccessLog, on_delete=models.PROTECT, related_name="seal")
    prev_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(default=timezone.now)

    objects = AccessLogSealQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            # The name PostgreSQL gave the column's own UNIQUE when the table was made.
            models.UniqueConstraint(fields=["prev_hash"], name="access_accesslogseal_prev_hash_key")
        ]

    def __str__(self) -> str:
        return f"Seal {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The access log's seals are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The access log's seals are append-only")


class ReadVolumeAlert(models.Model):
    """One user read an unusual number of one authority's children's records in an hour.

    Raised by the ``read_volume_alerted`` sweep (``diogelu.access.alerts``) when the distinct
    people read exceed ``READ_VOLUME_ALERT_THRESHOLD``; the authority's information governance
    lead is notified. Holds ids and counts, never who was read.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    authority = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    window_start = models.DateTimeField()
    window_end = models.DateTimeField(db_index=True)
    records_read = models.PositiveIntegerField()
    threshold = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-window_end"]

    def __str__(self) -> str:
        return f"Read-volume alert {self.pk}"
