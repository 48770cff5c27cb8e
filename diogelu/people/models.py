"""People: children and the adults around them, their names, identifiers, addresses and families."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diogelu.core.models import TimeStampedModel, VersionedModel
from diogelu.matching.normalise import fold
from diogelu.people.querysets import PersonQuerySet
from diogelu.people.validators import normalise_postcode

if TYPE_CHECKING:
    from diogelu.accounts.models import User


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
    gp_practice = models.CharField(_("GP practice"), max_length=200, blank=True)
    school = models.CharField(_("School, nursery or college"), max_length=200, blank=True)
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
        indexes = [
            models.Index(fields=["family_folded", "given_folded"]),
            # people search chooses people by the given names a typed one answers (given_folded IN)
            models.Index(fields=["given_folded"], name="person_given_folded"),
            # the matching index syncs the people changed since its last sync
            models.Index(fields=["updated_at"], name="person_updated_at"),
            # Restricted records, few in any authority: who may not see whom is read from these
            # (access.visibility.hidden_person_ids), not from every person.
            models.Index(
                fields=["authority"],
                condition=models.Q(is_restricted=True),
                name="person_restricted_by_authority",
            ),
            # An authority's people in name order, a page at a time (the API people list): read
            # from the index's start instead of sorting every person of the authority
            models.Index(
                fields=["authority", "family_name", "given_name", "id"],
                condition=models.Q(merged_into__isnull=True),
                name="person_authority_by_name",
            ),
            # a partner's people in name order (a police officer's API list: partners see people
            # of several authorities through their involvements, so the index above cannot
            # order them; 0.10 s of reading every person for a page of 25 at a county)
            models.Index(
                fields=["family_name", "given_name", "id"],
                condition=models.Q(merged_into__isnull=True),
                name="person_by_name",
            ),
        ]
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
        # the matching index and people search's names sync the names added or corrected since
        # their last sync (``updated_at`` is set on both; ``created_at`` missed a correction)
        indexes = [models.Index(fields=["updated_at"], name="personname_updated_at")]

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
        # the matching index syncs the addresses added since its last sync
        indexes = [models.Index(fields=["created_at"], name="address_created_at")]
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
    PROFESSIONAL = "PROFESSIONAL", _("Professional")
    SUPPORTED = "SUPPORTED", _("Person they support")


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
    RelationshipKind.PROFESSIONAL: RelationshipKind.SUPPORTED,
    RelationshipKind.SUPPORTED: RelationshipKind.PROFESSIONAL,
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


class PersonChange(models.Model):
    """One field of a person's record changed: who, when, why, before and after (append-only).

    ``part`` is the part of the record the field belongs to, so a partner agency sees the changes
    to the parts shared with it and no others. ``before`` and ``after`` hold the stored values
    (dates as ISO, choices as codes); the presenter shows them in the reader's language.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="changes")
    part = models.CharField(max_length=20)
    field = models.CharField(max_length=40)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    reason = models.TextField()
    changed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"Change {self.pk} of person {self.person_id}"


class EpisodeKind(models.TextChoices):
    MISSING = "MISSING", _("Missing")
    ABSENT = "ABSENT", _("Absent")


class AuthorityPeopleCount(models.Model):
    """How many people (not merged into another record) an authority holds, kept by PostgreSQL
    itself: statement triggers on the people table add and take away as rows are inserted,
    merged, moved between authorities or deleted, in the same transaction (migration 0010,
    ADR 0817). The API people list's ``count`` for the authority's staff is this less their
    hidden records, not a count of every person (40 ms at a county, 130 ms at Wales, on every
    page). On SQLite (the embedded default) there are no triggers and the people are counted."""

    authority = models.OneToOneField(
        "accounts.Agency", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    live = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.authority_id}: {self.live}"


class MissingEpisodeQuerySet(models.QuerySet["MissingEpisode"]):
    def visible_to(self, user: User) -> MissingEpisodeQuerySet:
        """Episodes of the people ``user`` may see: local authority staff see every one; a partner
        agency sees the episodes of people whose chronology is shared with it."""
        from diogelu.access.visibility import visible_person_q

        mine = self.filter(visible_person_q(user, "person"))
        if user.is_local_authority_staff:
            return mine
        from diogelu.access.models import Involvement, Part

        shared = (
            Involvement.objects.active(timezone.now())
            .filter(agency_id=user.agency_id or 0)
            .filter(models.Q(user__isnull=True) | models.Q(user_id=user.pk))
            .sharing(Part.CHRONOLOGY)
            .values("person_id")
        )
        return mine.filter(person_id__in=shared)

    def in_period(self, start: datetime.datetime, end: datetime.datetime) -> MissingEpisodeQuerySet:
        """Episodes that began in ``[start, end)``."""
        return self.filter(started_at__gte=start, started_at__lt=end)


class MissingEpisode(VersionedModel):
    """A child missing (whereabouts unknown) or absent (not where they should be), and the return
    ("debrief") interview offered afterwards. The chronology event is written by the service."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="missing_episodes")
    kind = models.CharField(_("Missing or absent"), max_length=8, choices=EpisodeKind.choices)
    started_at = models.DateTimeField(_("Went missing"), db_index=True)
    ended_at = models.DateTimeField(_("Returned or found"), null=True, blank=True)
    reported_to_police = models.BooleanField(_("Reported to the police"), default=False)
    police_reference = models.CharField(_("Police reference"), max_length=40, blank=True)
    where_found = models.CharField(_("Where the child was found"), max_length=300, blank=True)
    debrief_offered_on = models.DateField(_("Return interview offered on"), null=True, blank=True)
    debrief_accepted = models.BooleanField(_("Return interview accepted"), null=True, blank=True)
    debrief_held_on = models.DateField(_("Return interview held on"), null=True, blank=True)
    debrief_by = models.CharField(_("Return interview held by"), max_length=200, blank=True)
    childs_account = models.TextField(_("What the child said"), blank=True)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(
        "chronology.ChronologyEvent", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MissingEpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
                name="missing_episode_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Missing episode {self.pk}"


def current_address_of(person: Person) -> Address | None:
    """The person's current address (open, latest moved in): from
    :func:`prefetch_current_addresses` when a list prefetched it, else one query."""
    prefetched = getattr(person, "open_addresses", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return (
        Address.objects.filter(person=person, moved_out_on__isnull=True)
        .order_by("-moved_in_on")
        .first()
    )


def prefetch_current_addresses(people: list[Person], *, other_names: bool = False) -> None:
    """One query for the current addresses of a list of people (search results, API pages), and
    one for their other names if asked: a look-up per person made people search 79 queries and
    the API people list 74 on a generated county (issue 17)."""
    models.prefetch_related_objects(
        people,
        models.Prefetch(
            "addresses",
            queryset=Address.objects.filter(moved_out_on__isnull=True).order_by("-moved_in_on"),
            to_attr="open_addresses",
        ),
        *(["other_names"] if other_names else []),
    )
