"""Tables the measures own: a date dimension built from the procedures calendar, the authority's
targets and settings, inspections and the improvement plan, and the reports to Cabinet.

No case data lives here: measures read the workflow apps' rows and count them in SQL.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from diogelu.core.models import TimeStampedModel


class CalendarDay(models.Model):
    """One calendar day of the procedures' Welsh working-day calendar, for counting in SQL.

    ``wd_index`` is the number of working days from a fixed origin up to and including ``day``,
    so "working days in (a, b]" is ``wd_index(b) - wd_index(a)`` and "n working days after a" is
    the working day whose index is ``wd_index(a) + n``. Built by :func:`calendar.ensure_calendar`
    from ``diogelu.procedures`` (bank holidays and local closures), never by hand.
    """

    day = models.DateField(primary_key=True)
    is_working = models.BooleanField()
    wd_index = models.IntegerField(db_index=True)
    #: days since the origin, for calendar-day differences
    day_number = models.IntegerField()
    plus_12_months = models.DateField()

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return self.day.isoformat()


class Direction(models.TextChoices):
    HIGHER = "HIGHER", _("Higher is better")
    LOWER = "LOWER", _("Lower is better")


class Target(TimeStampedModel):
    """The authority's target for one measure, with the amber tolerance below (or above) it."""

    authority = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    measure = models.CharField(max_length=60)
    target = models.DecimalField(max_digits=7, decimal_places=2)
    amber_within = models.DecimalField(max_digits=7, decimal_places=2, default=5)
    set_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["measure"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "measure"], name="target_once_per_measure")
        ]

    def __str__(self) -> str:
        return f"Target {self.measure}"


class ReportLayout(models.TextChoices):
    SIDE_BY_SIDE = "SIDE_BY_SIDE", _("Welsh and English side by side")
    WELSH_FIRST = "WELSH_FIRST", _("Welsh first, then English")
    ENGLISH_FIRST = "ENGLISH_FIRST", _("English first, then Welsh")


class AuthoritySettings(TimeStampedModel):
    """What the authority sets for its measures: the child population for rates per 10,000,
    and how the bilingual Cabinet report is laid out."""

    authority = models.OneToOneField(
        "accounts.Agency", on_delete=models.PROTECT, related_name="measure_settings"
    )
    child_population = models.PositiveIntegerField(null=True, blank=True)
    population_source = models.CharField(max_length=200, blank=True)
    report_layout = models.CharField(
        max_length=14, choices=ReportLayout.choices, default=ReportLayout.SIDE_BY_SIDE
    )

    def __str__(self) -> str:
        return f"Measure settings {self.authority_id}"
