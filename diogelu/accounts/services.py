"""Actions on accounts: users, roles, sign-out everywhere, API tokens, MFA reset."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from diogelu.accounts import credentials
from diogelu.accounts.models import (
    FOUR_EYES_ROLES,
    Agency,
    AgencyKind,
    ApiToken,
    PasswordLink,
    PasswordLinkPurpose,
    PendingRoleGrant,
    Role,
    RoleAssignment,
    Team,
    User,
    hash_token,
    roles_allowed_for,
)
from diogelu.core.exceptions import DomainError, NotPermittedError


def administered_agencies(actor: User) -> QuerySet[Agency]:
    """Agencies an administrator manages: their own authority and its partner agencies."""
    if not actor.has_role(Role.ADMINISTRATOR) or actor.agency is None:
        return Agency.objects.none()
    return Agency.objects.filter(pk=actor.agency.pk) | actor.agency.partners.all()


def _check_admin_of(actor: User, agency: Agency) -> None:
    if not administered_agencies(actor).filter(pk=agency.pk).exists():
        raise NotPermittedError(_("You cannot manage users of this agency."))


@transaction.atomic
def create_agency(*, actor: User, name: str, kind: str, code: str, name_cy: str = "") -> Agency:
    """Add a partner agency working with the administrator's authority."""
    if not actor.has_role(Role.ADMINISTRATOR) or actor.agency is None:
        raise NotPermittedError(_("Only an administrator can add agencies."))
    if kind == AgencyKind.LOCAL_AUTHORITY:
        raise DomainError(_("A local authority is set up when Diogelu is installed."), field="kind")
    if Agency.objects.filter(name__iexact=name.strip()).exists():
        raise DomainError(_("An agency with this name already exists"), field="name")
    if Agency.objects.filter(code=code).exists():
        raise DomainError(_("An agency with this code already exists"), field="code")
    agency = Agency.objects.create(name=name.strip(), kind=kind, code=code, name_cy=name_cy.strip())
    agency.partner_of.add(actor.agency)
    return agency


@transaction.atomic
def create_user(
    *,
    actor: User,
    agency: Agency,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    roles: list[str],
    team: Team | None = None,
    job_title: str = "",
) -> User:
    """Create a user in an agency the administrator manages, with roles that agency may hold.

    Nobody sets their first password: they are emailed a single-use link to set it themselves
    (and set up their authenticator where MFA is required)."""
    _check_admin_of(actor, agency)
    _check_roles(agency, roles)
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("This username is already taken"), field="username")
    if team is not None and team.agency_id != agency.pk:
        raise DomainError(_("Choose a team in the user's agency"), field="team")
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        agency=agency,
        team=team,
        job_title=job_title,
    )
    user.set_unusable_password()
    user.save()
    four_eyes = set(roles) & FOUR_EYES_ROLES
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=user, role=r) for r in set(roles) - four_eyes]
    )
    _ask_second_administrator(actor=actor, user=user, roles=four_eyes)
    credentials.issue_link(user=user, purpose=PasswordLinkPurpose.NEW_ACCOUNT, issued_by=actor)
    return user


@transaction.atomic
def send_password_link(*, actor: User, user: User) -> PasswordLink:
    """An administrator sends a user a new link to set their password (the old one expired, or
    they cannot sign in). The administrator never sees the link."""
    assert user.agency is not None
    _check_admin_of(actor, user.agency)
    if not user.is_active:
        raise DomainError(_("This account is deactivated"))
    purpose = (
        PasswordLinkPurpose.RESET if user.has_usable_password() else PasswordLinkPurpose.NEW_ACCOUNT
    )
    return credentials.issue_link(user=user, purpose=purpose, issued_by=actor)


def _check_roles(agency: Agency, roles: list[str]) -> None:
    if not roles:
        raise DomainError(_("Choose at least one role"), field="roles")
    allowed = roles_allowed_for(agency.kind)
    if not set(roles) <= allowed:
        raise DomainError(_("Choose roles that this kind of agency has"), field="roles")


def _ask_second_administrator(*, actor: User, user: User, roles: set[str]) -> list[str]:
    """Open a pending grant for each four-eyes role and tell the other administrators."""
    from diogelu.notifications.models import Kind
    from diogelu.notifications.services import enqueue

    opened: list[str] = []
    for role in sorted(roles):
        grant, created = PendingRoleGrant.objects.get_or_create(
            user=user, role=role, decided_at__isnull=True, defaults={"requested_by": actor}
        )
        if not created:
            continue
        opened.append(role)
        assert actor.agency is not None
        enqueue(
            kind=Kind.REMINDER,
            dedupe_key=f"role-grant:{grant.pk}",
            subject=_("Approve or refuse: %(role)s for %(name)s, asked by %(by)s")
            % {"role": Role(role).label, "name": user, "by": actor},
            link=f"/admin/users/{user.pk}/",
            agency=actor.agency,
            roles=[Role.ADMINISTRATOR],
            task=f"role-grant:{grant.pk}",
        )
    return opened


@transaction.atomic
def set_roles(*, actor: User, user: User, roles: list[str]) -> User:
    """Replace a user's roles. Takes effect on their next request.

    Nobody grants roles to themselves. A new administrator or information governance lead role
    is not given at once: it waits for a second administrator (:func:`decide_role_grant`)."""
    assert user.agency is not None
    _check_admin_of(actor, user.agency)
    _check_roles(user.agency, roles)
    wanted = set(roles)
    current = set(user.roles)
    added = wanted - current
    if user.pk == actor.pk and added:
        raise NotPermittedError(_("You cannot grant roles to yourself: ask another administrator"))
    if user.pk == actor.pk and Role.ADMINISTRATOR not in roles:
        raise DomainError(_("You cannot remove your own administrator role"), field="roles")
    four_eyes = added & FOUR_EYES_ROLES
    RoleAssignment.objects.filter(user=user).exclude(role__in=wanted).delete()
    PendingRoleGrant.objects.filter(user=user, decided_at__isnull=True).exclude(
        role__in=wanted
    ).update(decided_by=actor, decided_at=timezone.now(), approved=False)
    for role in wanted - four_eyes:
        RoleAssignment.objects.get_or_create(user=user, role=role)
    _ask_second_administrator(actor=actor, user=user, roles=four_eyes)
    user._roles_cache = None  # type: ignore[assignment]
    return user


def pending_grants(user: User) -> list[PendingRoleGrant]:
    """Grants of four-eyes roles waiting for a second administrator."""
    return list(
        PendingRoleGrant.objects.filter(user=user, decided_at__isnull=True).select_related(
            "requested_by"
        )
    )


@transaction.atomic
def decide_role_grant(*, actor: User, user: User, role: str, approve: bool) -> PendingRoleGrant:
    """A second administrator approves (the role is added) or refuses a pending grant. Neither
    the administrator who asked nor the user concerned may decide it."""
    from diogelu.notifications.services import complete_task

    assert user.agency is not None
    _check_admin_of(actor, user.agency)
    grant = (
        PendingRoleGrant.objects.select_for_update()
        .filter(user=user, role=role, decided_at__isnull=True)
        .first()
    )
    if grant is None:
        raise DomainError(_("There is no grant of this role waiting for approval."))
    if actor.pk in (grant.requested_by_id, user.pk):
        raise NotPermittedError(
            _("A second administrator must decide: not the one who asked, nor the user")
        )
    grant.decided_by = actor
    grant.decided_at = timezone.now()
    grant.approved = approve
    grant.save(update_fields=["decided_by", "decided_at", "approved"])
    if approve:
        RoleAssignment.objects.get_or_create(user=user, role=role)
    complete_task(f"role-grant:{grant.pk}")
    return grant


@transaction.atomic
def sign_out_everywhere(*, actor: User, user: User) -> None:
    """End every session of ``user`` (their own choice, or an administrator's)."""
    if actor.pk != user.pk:
        assert user.agency is not None
        _check_admin_of(actor, user.agency)
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)


@transaction.atomic
def deactivate_user(*, actor: User, user: User) -> User:
    """Disable an account; all its sessions and API tokens stop working at once."""
    assert user.agency is not None
    _check_admin_of(actor, user.agency)
    if user.pk == actor.pk:
        raise DomainError(_("You cannot deactivate your own account"))
    User.objects.filter(pk=user.pk).update(
        is_active=False, session_generation=F("session_generation") + 1
    )
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    user.refresh_from_db()
    return user


@transaction.atomic
def reset_mfa(*, actor: User, user: User) -> None:
    """Remove a user's authenticator so they set up a new one at their next sign-in."""
    assert user.agency is not None
    _check_admin_of(actor, user.agency)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    # A new authenticator can only be set up through a link sent to the user's email address.
    if user.is_active and user.email:
        credentials.issue_link(user=user, purpose=PasswordLinkPurpose.RESET, issued_by=actor)


@transaction.atomic
def create_api_token(*, actor: User, name: str, days: int) -> tuple[ApiToken, str]:
    """A new personal API token; the full token is returned once and never stored."""
    clean = name.strip()
    if not clean:
        raise DomainError(_("Enter a name for the token"), field="name")
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise DomainError(
            _("Choose an expiry between 1 and %(max)s days") % {"max": settings.API_TOKEN_MAX_DAYS},
            field="days",
        )
    lookup, full = ApiToken.generate()
    token = ApiToken.objects.create(
        user=actor,
        name=clean[:100],
        lookup=lookup,
        token_hash=hash_token(full),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, full


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise NotPermittedError(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
