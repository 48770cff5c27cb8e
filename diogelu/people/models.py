"""People: children and the adults around them, their names, identifiers, addresses and families."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from diogelu.core.models import TimeStampedModel, VersionedModel
from diogelu.matching.normalise import fold
from diogelu.people.querysets import PersonQuerySet
from diogelu.people.validators import normalise_postcode


class Sex(models.TextChoices):
    FEMALE = "FEMALE", _("Female")
    MALE = "MALE", _("Male")
    INDETERMINATE = "INDETERMINATE", _("Indeterminate")
    NOT_KNOWN = "NOT_KNOWN", _("Not known")


class Language(models.TextChoices):
    WELSH = "cy", _("Welsh")
    ENGLISH = "en", _("English")
    OTHER = "other", _("Other language")


class Ethnicity(models.TextChoices):
    # The 2021 census categories used in Wales, grouped as in the CRCS return.
    WHITE = "WHITE", _("White")
    MIXED = "MIXED", _("Mixed or multiple ethnic groups")
    ASIAN = "ASIAN", _("Asian, Asian Welsh or Asian British")
    BLACK = "BLACK", _("Black, Black Welsh, Black British, Caribbean or African")
    OTHER = "OTHER", _("Other ethnic group")
    NOT_KNOWN = "NOT_KNOWN", _("Not known")
    NOT_STATED = "NOT_STATED", _("Prefers not to say")


class Person(VersionedModel):
    """A child (possibly unborn) or an adult known to the authority.

    ``authority`` is the local authority whose record this is: its staff see it (unless it is
    restricted) and partner agencies see it only through an involvement. ``*_folded`` columns hold
    the names folded for tolerant search (case, accents, apostrophes).
    """

    authority = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="people"
    )
    la_reference = models.CharField(_("Local authority reference"), max_length=20, unique=True)
    given_name = models.CharField(_("Given name"), max_length=100, blank=True)
    family_name = models.CharField(_("Family name"), max_length=100)
    preferred_name = models.CharField(_("Preferred name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("Date of birth"), null=True, blank=True)
    is_unborn = models.BooleanField(_("Unborn child"), default=False)
    expected_date_of_birth = models.DateField(_("Expected date of birth"), null=True, blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    sex = models.CharField(_("Sex"), max_length=16, choices=Sex.choices, default=Sex.NOT_KNOWN)
    gender = models.CharField(_("Gender identity"), max_length=60, blank=True)
    nhs_number = models.CharField(_("NHS number"), max_length=10, blank=True, db_index=True)
    upn = models.CharField(_("Unique Pupil Number"), max_length=13, blank=True, db_index=True)
    preferred_language = models.CharField(
        _("Preferred language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    other_language = models.CharField(max_length=60, blank=True)
    needs_interpreter = models.BooleanField(default=False)
    ethnicity = models.CharField(
        _("Ethnicity"), max_length=16, choices=Ethnicity.choices, default=Ethnicity.NOT_KNOWN
    )
    disability = models.CharField(_("Disability"), max_length=200, blank=True)
    is_restricted = models.BooleanField(
        _("Restricted record"),
        default=False,
        help_text=_("Visible only to named users, or through recorded break-glass access."),
    )
    given_folded = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    family_folded = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["family_folded", "given_folded"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(is_unborn=True, expected_date_of_birth__isnull=True),
                name="person_unborn_has_edd",
            ),
        ]

    def __str__(self) -> str:
        return f"Person {self.la_reference}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.given_folded = fold(self.given_name)
        self.family_folded = fold(self.family_name)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        if self.is_unborn and not self.given_name:
            return str(_("Unborn child of %(family)s")) % {"family": self.family_name}
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    def age_on(self, day: datetime.date) -> int | None:
        """Whole years of age on ``day``, or None for an unborn child or unknown birth date."""
        if self.is_unborn or self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class NameKind(models.TextChoices):
    ALIAS = "ALIAS", _("Also known as")
    PREVIOUS = "PREVIOUS", _("Previous name")
    BIRTH = "BIRTH", _("Name at birth")
    NICKNAME = "NICKNAME", _("Nickname")


class PersonName(TimeStampedModel):
    """Another name a person is or was known by."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    kind = models.CharField(max_length=16, choices=NameKind.choices)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    given_folded = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    family_folded = models.CharField(max_length=100, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["kind", "family_name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of person {self.person_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.given_folded = fold(self.given_name)
        self.family_folded = fold(self.family_name)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)


class Address(TimeStampedModel):
    """An address a person lives or lived at. ``postcode`` is kept normalised (``CF31 1AA``)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField(_("Address line 1"), max_length=200)
    line_2 = models.CharField(_("Address line 2"), max_length=200, blank=True)
    town = models.CharField(_("Town or city"), max_length=100)
    county = models.CharField(_("County"), max_length=100, blank=True)
    postcode = models.CharField(_("Postcode"), max_length=8, db_index=True)
    moved_in_on = models.DateField(null=True, blank=True)
    moved_out_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-moved_in_on"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return f"Address {self.pk} of person {self.person_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.postcode = normalise_postcode(self.postcode)
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        return self.moved_out_on is None

    @property
    def lines(self) -> list[str]:
        parts = [self.line_1, self.line_2, self.town, self.county, self.postcode]
        return [part for part in parts if part]


class RelationshipKind(models.TextChoices):
    """What ``relative`` is to ``person``."""

    MOTHER = "MOTHER", _("Mother")
    FATHER = "FATHER", _("Father")
    PARENT = "PARENT", _("Parent")
    STEP_PARENT = "STEP_PARENT", _("Step-parent")
    PARENTS_PARTNER = "PARENTS_PARTNER", _("Parent's partner")
    CARER = "CARER", _("Carer")
    CHILD = "CHILD", _("Child")
    SIBLING = "SIBLING", _("Sibling")
    HALF_SIBLING = "HALF_SIBLING", _("Half-sibling")
    STEP_SIBLING = "STEP_SIBLING", _("Step-sibling")
    GRANDPARENT = "GRANDPARENT", _("Grandparent")
    GRANDCHILD = "GRANDCHILD", _("Grandchild")
    AUNT_UNCLE = "AUNT_UNCLE", _("Aunt or uncle")
    NIECE_NEPHEW = "NIECE_NEPHEW", _("Niece or nephew")
    HOUSEHOLD_MEMBER = "HOUSEHOLD_MEMBER", _("Household member")


_INVERSE = {
    RelationshipKind.MOTHER: RelationshipKind.CHILD,
    RelationshipKind.FATHER: RelationshipKind.CHILD,
    RelationshipKind.PARENT: RelationshipKind.CHILD,
    RelationshipKind.STEP_PARENT: RelationshipKind.CHILD,
    RelationshipKind.PARENTS_PARTNER: RelationshipKind.HOUSEHOLD_MEMBER,
    RelationshipKind.CARER: RelationshipKind.CHILD,
    RelationshipKind.CHILD: RelationshipKind.PARENT,
    RelationshipKind.SIBLING: RelationshipKind.SIBLING,
    RelationshipKind.HALF_SIBLING: RelationshipKind.HALF_SIBLING,
    RelationshipKind.STEP_SIBLING: RelationshipKind.STEP_SIBLING,
    RelationshipKind.GRANDPARENT: RelationshipKind.GRANDCHILD,
    RelationshipKind.GRANDCHILD: RelationshipKind.GRANDPARENT,
    RelationshipKind.AUNT_UNCLE: RelationshipKind.NIECE_NEPHEW,
    RelationshipKind.NIECE_NEPHEW: RelationshipKind.AUNT_UNCLE,
    RelationshipKind.HOUSEHOLD_MEMBER: RelationshipKind.HOUSEHOLD_MEMBER,
}


def inverse_kind(kind: str) -> RelationshipKind:
    """What ``person`` is to ``relative`` when ``relative`` is ``kind`` to ``person``."""
    return _INVERSE[RelationshipKind(kind)]


class Relationship(TimeStampedModel):
    """``relative`` is ``kind`` to ``person`` (stored once; the family view shows both ways)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    relative = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="relationships_as_relative"
    )
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    has_parental_responsibility = models.BooleanField(default=False)
    lives_with = models.BooleanField(default=False)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "relative", "kind"], name="relationship_unique_kind"
            ),
            models.CheckConstraint(
                condition=~models.Q(person=models.F("relative")), name="relationship_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"Relationship {self.pk}"


class PersonMerge(models.Model):
    """One record merged into another, reversibly.

    ``moved`` lists every row that was re-pointed from the duplicate to the survivor
    (``{"people.Address": [ids], ...}``) and ``created`` the rows the merge made, so an unmerge
    restores both records and every link exactly.
    """

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_in")
    duplicate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_out")
    reason = models.TextField()
    merged_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    moved = models.JSONField(default=dict)
    created = models.JSONField(default=dict)
    survivor_was_restricted = models.BooleanField(default=False)
    unmerged_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unmerged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"Merge {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.unmerged_at is None
