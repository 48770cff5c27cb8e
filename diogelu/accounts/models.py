"""Agencies, teams, users and their roles, and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from diogelu.core.models import TimeStampedModel


class AgencyKind(models.TextChoices):
    LOCAL_AUTHORITY = "LOCAL_AUTHORITY", _("Local authority children's services")
    POLICE = "POLICE", _("Police force")
    HEALTH = "HEALTH", _("Health board")
    SCHOOL = "SCHOOL", _("School")
    YOUTH_JUSTICE = "YOUTH_JUSTICE", _("Youth justice service")
    PROBATION = "PROBATION", _("Probation service")
    THIRD_SECTOR = "THIRD_SECTOR", _("Third sector organisation")
    OTHER = "OTHER", _("Other agency")


class Role(models.TextChoices):
    # Local authority
    MASH_PRACTITIONER = "MASH_PRACTITIONER", _("MASH practitioner")
    SOCIAL_WORKER = "SOCIAL_WORKER", _("Social worker")
    TEAM_MANAGER = "TEAM_MANAGER", _("Team manager")
    CONFERENCE_CHAIR = "CONFERENCE_CHAIR", _("Conference chair")
    HEAD_OF_SERVICE = "HEAD_OF_SERVICE", _("Head of service")
    DIRECTOR = "DIRECTOR", _("Director of social services")
    PERFORMANCE_OFFICER = "PERFORMANCE_OFFICER", _("Performance and improvement officer")
    AUDITOR = "AUDITOR", _("Auditor")
    ADMINISTRATOR = "ADMINISTRATOR", _("Administrator")
    IG_LEAD = "IG_LEAD", _("Information governance lead")
    # Partner agencies
    POLICE_OFFICER = "POLICE_OFFICER", _("Police officer")
    HEALTH_PRACTITIONER = "HEALTH_PRACTITIONER", _("Health practitioner")
    SCHOOL_DSP = "SCHOOL_DSP", _("School designated safeguarding person")
    PARTNER_PRACTITIONER = "PARTNER_PRACTITIONER", _("Partner agency practitioner")
    AGENCY_SAFEGUARDING_LEAD = "AGENCY_SAFEGUARDING_LEAD", _("Agency safeguarding lead")


LOCAL_AUTHORITY_ROLES = frozenset(
    {
        Role.MASH_PRACTITIONER,
        Role.SOCIAL_WORKER,
        Role.TEAM_MANAGER,
        Role.CONFERENCE_CHAIR,
        Role.HEAD_OF_SERVICE,
        Role.DIRECTOR,
        Role.PERFORMANCE_OFFICER,
        Role.AUDITOR,
        Role.ADMINISTRATOR,
        Role.IG_LEAD,
    }
)
_LEAD = Role.AGENCY_SAFEGUARDING_LEAD
PARTNER_ROLES_BY_KIND: dict[str, frozenset[str]] = {
    AgencyKind.POLICE: frozenset({Role.POLICE_OFFICER, _LEAD}),
    AgencyKind.HEALTH: frozenset({Role.HEALTH_PRACTITIONER, _LEAD}),
    AgencyKind.SCHOOL: frozenset({Role.SCHOOL_DSP, _LEAD}),
    AgencyKind.YOUTH_JUSTICE: frozenset({Role.PARTNER_PRACTITIONER, _LEAD}),
    AgencyKind.PROBATION: frozenset({Role.PARTNER_PRACTITIONER, _LEAD}),
    AgencyKind.THIRD_SECTOR: frozenset({Role.PARTNER_PRACTITIONER, _LEAD}),
    AgencyKind.OTHER: frozenset({Role.PARTNER_PRACTITIONER, _LEAD}),
}

#: Roles of a partner agency that receive its MASH requests and outcomes.
PARTNER_WORK_ROLES = frozenset(
    {
        Role.POLICE_OFFICER,
        Role.HEALTH_PRACTITIONER,
        Role.SCHOOL_DSP,
        Role.PARTNER_PRACTITIONER,
        Role.AGENCY_SAFEGUARDING_LEAD,
    }
)
#: Local authority roles that work the MASH front door.
MASH_ROLES = frozenset({Role.MASH_PRACTITIONER, Role.TEAM_MANAGER})
MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE})


def roles_allowed_for(kind: str) -> frozenset[str]:
    """The roles a user of an agency of this kind may hold."""
    if kind == AgencyKind.LOCAL_AUTHORITY:
        return frozenset(LOCAL_AUTHORITY_ROLES)
    return PARTNER_ROLES_BY_KIND.get(kind, frozenset())


class Agency(TimeStampedModel):
    """An organisation whose staff use Diogelu: a local authority or a partner agency.

    Partner agencies work with one or more local authorities (``partner_of``); a local authority's
    children's services is the tenant that owns children's records.
    """

    kind = models.CharField(max_length=32, choices=AgencyKind.choices)
    name = models.CharField(max_length=200, unique=True)
    name_cy = models.CharField(_("Welsh name"), max_length=200, blank=True)
    code = models.SlugField(max_length=40, unique=True)
    is_relevant_partner = models.BooleanField(
        default=True, help_text=_("A relevant partner under s162 SSWBA 2014 (duty to report).")
    )
    partner_of = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="partners"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    @property
    def is_local_authority(self) -> bool:
        return self.kind == AgencyKind.LOCAL_AUTHORITY


class Team(TimeStampedModel):
    """A team inside an agency (a MASH, a locality team, a public protection unit, ...)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    name_cy = models.CharField(max_length=200, blank=True)
    is_mash = models.BooleanField(default=False)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="team_unique_name_in_agency")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.name})"


class User(AbstractUser):
    """A person who signs in. Belongs to exactly one agency; holds one or more roles there.

    ``session_generation`` is mixed into the session hash: bumping it ("sign out everywhere",
    disabling the account) invalidates every session of the user on their next request.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="users", null=True)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    preferred_language = models.CharField(
        max_length=2, choices=[("en", "English"), ("cy", "Cymraeg")], default="en"
    )
    session_generation = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_session_auth_hash(self) -> str:
        key_salt = "diogelu.accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_generation}", algorithm="sha256"
        ).hexdigest()

    @property
    def roles(self) -> frozenset[str]:
        cached: frozenset[str] | None = getattr(self, "_roles_cache", None)
        if cached is None:
            if self.pk is None:
                return frozenset()
            cached = frozenset(self.role_assignments.values_list("role", flat=True))
            self._roles_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_local_authority_staff(self) -> bool:
        return self.agency is not None and self.agency.is_local_authority


class RoleAssignment(TimeStampedModel):
    """One role held by one user."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"


#: Roles whose grant needs a second administrator's approval (four eyes).
FOUR_EYES_ROLES = frozenset({Role.ADMINISTRATOR, Role.IG_LEAD})
#: Roles that only manage the system: a user holding nothing else reads no child's record.
NON_PRACTICE_ROLES = frozenset({Role.ADMINISTRATOR})


class PendingRoleGrant(TimeStampedModel):
    """A grant of a four-eyes role (administrator, information governance lead) waiting for a
    second administrator. Approving adds the role; refusing closes the request. Kept as history."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pending_grants")
    role = models.CharField(max_length=32, choices=Role.choices)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    approved = models.BooleanField(null=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(decided_at__isnull=True),
                name="one_open_grant_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role} (pending)"


TOKEN_PREFIX = "dgl"  # noqa: S105 - a public prefix, not a secret


def hash_token(secret: str) -> str:
    """SHA-256 of a token. Tokens carry 256 bits of randomness, so a fast hash is enough."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self, now: datetime | None = None) -> ApiTokenQuerySet:
        moment = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=moment, user__is_active=True)


class ApiToken(TimeStampedModel):
    """A personal API token for an agency system, stored hashed, revocable and expiring.

    The full token is shown once, at creation: ``dgl_<lookup>_<secret>``. Only the lookup id and
    the hash of the whole token are kept.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    lookup = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.lookup})"

    @staticmethod
    def generate() -> tuple[str, str]:
        """A new (lookup, full token) pair."""
        lookup = secrets.token_hex(6)
        return lookup, f"{TOKEN_PREFIX}_{lookup}_{secrets.token_urlsafe(32)}"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class PasswordLinkPurpose(models.TextChoices):
    NEW_ACCOUNT = "NEW_ACCOUNT", _("New account")
    RESET = "RESET", _("Password reset")


class PasswordLink(TimeStampedModel):
    """A single-use, time-limited link to set a password (a new account's first, or a reset).

    The link carries ``<lookup>.<hmac>``: the HMAC of the lookup under the server's secret key.
    Only the lookup and the SHA-256 of the whole token are stored, so the database (and the outbox
    message, which holds the link without its secret) cannot be used to sign in; the email is
    given the secret at send time (``notifications.delivery.register_link_expander``).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_links")
    purpose = models.CharField(max_length=12, choices=PasswordLinkPurpose.choices)
    lookup = models.CharField(max_length=32, unique=True)
    token_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Password link {self.pk}"

    @staticmethod
    def token_for(lookup: str) -> str:
        """The secret token of a lookup (computable only with the server's secret key)."""
        mac = salted_hmac("diogelu.accounts.PasswordLink", lookup, algorithm="sha256")
        return f"{lookup}.{mac.hexdigest()}"

    def is_usable(self, now: datetime | None = None) -> bool:
        moment = now or timezone.now()
        return (
            self.used_at is None
            and self.revoked_at is None
            and self.expires_at > moment
            and self.user.is_active
        )
