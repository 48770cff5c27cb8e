"""Passwords over their life: links to set one (new account, reset), changing one, resetting MFA.

An administrator never sets or knows a password: creating a user (or resetting their
authenticator) emails them a single-use, time-limited link through the outbox. "Forgot your
password" sends the same kind of link and says the same thing whether or not an account matched.
Following a link lets the person set a password, signs them in and, where MFA is required and they
have no authenticator, lets them set one up in that session only (``ENROL_SESSION_KEY``).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from diogelu.accounts.models import PasswordLink, PasswordLinkPurpose, User
from diogelu.core.exceptions import DomainError
from diogelu.notifications import services as notifications
from diogelu.notifications.models import Kind

#: Where a link points; the stored (outbox) form is ``/set-password/<lookup>/``, the emailed form
#: ``/set-password/<lookup>.<secret>/``.
LINK_PREFIX = "/set-password/"
#: Session key: this session came through a password link, so it may set up an authenticator.
ENROL_SESSION_KEY = "mfa_enrol_by_link"
#: Session key: the link being used, between following it and setting the password.
LINK_SESSION_KEY = "password_link_id"
#: Reset links one account may be sent in an hour (more requests are silently ignored).
RESETS_PER_HOUR = 3


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def expand_link(stored: str) -> str:
    """The emailed form of a stored link: the secret is added at send time, never stored."""
    lookup = stored[len(LINK_PREFIX) :].strip("/")
    return f"{LINK_PREFIX}{PasswordLink.token_for(lookup)}/"


def _hours(purpose: str) -> int:
    if purpose == PasswordLinkPurpose.NEW_ACCOUNT:
        return int(settings.PASSWORD_LINK_NEW_ACCOUNT_HOURS)
    return int(settings.PASSWORD_LINK_RESET_HOURS)


def issue_link(*, user: User, purpose: str, issued_by: User | None) -> PasswordLink:
    """Write a new link (ending any earlier open one) and its email, in the caller's
    transaction."""
    now = timezone.now()
    PasswordLink.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    lookup = secrets.token_hex(12)
    hours = _hours(purpose)
    link = PasswordLink.objects.create(
        user=user,
        purpose=purpose,
        lookup=lookup,
        token_hash=_hash(PasswordLink.token_for(lookup)),
        expires_at=now + timedelta(hours=hours),
        issued_by=issued_by,
    )
    with translation.override(user.preferred_language or "en"):
        if purpose == PasswordLinkPurpose.NEW_ACCOUNT:
            subject = _("Set your password for Diogelu")
            opening = _("An account has been made for you on Diogelu, username %(username)s.")
        else:
            subject = _("Set a new password for Diogelu")
            opening = _("Someone asked to set a new password for your account, %(username)s.")
        body = " ".join(
            [
                opening % {"username": user.username},
                _(
                    "Use this link to set your password. It works once, for %(hours)s hours. "
                    "If you did not expect this email, tell your administrator."
                )
                % {"hours": hours},
            ]
        )
    notifications.enqueue(
        kind=Kind.PASSWORD_LINK,
        dedupe_key=f"password-link:{lookup}",
        subject=subject,
        body=body,
        link=f"{LINK_PREFIX}{lookup}/",
        user=user,
        send_email=True,
        show_in_inbox=False,
    )
    return link


@transaction.atomic
def request_password_reset(*, identifier: str) -> None:
    """ "Forgot your password": a reset link to each active account with this username or email
    address. Says nothing either way (the page is the same), and sends at most
    ``RESETS_PER_HOUR`` links an hour to one account."""
    clean = identifier.strip()
    if not clean:
        return
    since = timezone.now() - timedelta(hours=1)
    users = User.objects.filter(
        Q(username__iexact=clean) | Q(email__iexact=clean), is_active=True
    ).exclude(email="")
    for user in users[:5]:
        recent = PasswordLink.objects.filter(
            user=user, purpose=PasswordLinkPurpose.RESET, created_at__gte=since
        ).count()
        if recent < RESETS_PER_HOUR:
            issue_link(user=user, purpose=PasswordLinkPurpose.RESET, issued_by=None)


def usable_link(token: str) -> PasswordLink | None:
    """The link this token opens, if it is genuine, unused, unexpired and its user active."""
    lookup, _sep, _secret = token.partition(".")
    if not lookup or len(token) > 200:
        return None
    link = PasswordLink.objects.filter(lookup=lookup).select_related("user").first()
    if link is None or not constant_time_compare(_hash(token), link.token_hash):
        return None
    return link if link.is_usable() else None


@transaction.atomic
def set_password_by_link(*, link_id: int, password: str) -> User:
    """Set the password through a link, once. Ends the user's other sessions and links."""
    link = (
        PasswordLink.objects.select_for_update().select_related("user").filter(pk=link_id).first()
    )
    if link is None or not link.is_usable():
        raise DomainError(_("This link has expired or has already been used"))
    user = link.user
    _validate(password, user, field="new_password")
    user.set_password(password)
    user.session_generation += 1
    user.save(update_fields=["password", "session_generation"])
    now = timezone.now()
    link.used_at = now
    link.save(update_fields=["used_at", "updated_at"])
    PasswordLink.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    return user


@transaction.atomic
def change_password(*, actor: User, new_password: str) -> User:
    """Change one's own password (the current one checked by the caller). Other sessions end."""
    _validate(new_password, actor, field="new_password")
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    PasswordLink.objects.filter(user=actor, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return actor


def _validate(password: str, user: User, *, field: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field=field) from exc
