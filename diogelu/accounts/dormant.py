"""Deactivating dormant accounts (SECURITY.md §1 row 26, the Hackney lesson).

An active account not used for ``DORMANT_DAYS`` days is deactivated: its sessions and API tokens
stop working, as when an administrator deactivates it. "Used" means the last sign-in (or, never
signed in, when the account was made) or the last use of one of its API tokens, whichever is later.
The authorities administering the user's agency are told through the outbox. Run by the reminder
sweep (``manage.py tick`` and Celery beat); running it again changes nothing, since a deactivated
account is no longer active. The authorities' automatic-actions accounts are inactive already and
never touched.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from diogelu.accounts.models import Agency, AgencyKind, ApiToken, Role, User

log = logging.getLogger(__name__)

#: Username prefix of the authorities' automatic-actions accounts (see conferences.reminders);
#: reserved: the user form refuses it. Those accounts are inactive, so this sweep never sees them.
AUTOMATIC_PREFIX = "diogelu-automatic."


def dormant_candidates(now: datetime.datetime) -> list[int]:
    """Ids of active accounts with no sign-in and no API token use since the cutoff."""
    cutoff = now - datetime.timedelta(days=int(settings.DORMANT_DAYS))
    recent_token_users = ApiToken.objects.filter(last_used_at__gte=cutoff).values("user_id")
    return list(
        User.objects.filter(is_active=True)
        .annotate(last_used=Coalesce("last_login", "date_joined"))
        .filter(last_used__lt=cutoff)
        .exclude(pk__in=recent_token_users)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _deactivate_one(user_id: int, now: datetime.datetime) -> bool:
    """Deactivate one dormant account and tell its administrators; False if no longer dormant."""
    from diogelu.notifications.models import Kind
    from diogelu.notifications.services import enqueue

    cutoff = now - datetime.timedelta(days=int(settings.DORMANT_DAYS))
    with transaction.atomic():
        user = (
            User.objects.select_for_update(of=("self",))
            .filter(pk=user_id, is_active=True)
            .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
            .exclude(pk__in=ApiToken.objects.filter(last_used_at__gte=cutoff).values("user_id"))
            .select_related("agency")
            .first()
        )
        if user is None:
            return False
        User.objects.filter(pk=user.pk).update(
            is_active=False, session_generation=F("session_generation") + 1
        )
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        log.info(
            "accounts: user %s deactivated after %s days unused", user.pk, settings.DORMANT_DAYS
        )
        for authority in _administering_authorities(user):
            enqueue(
                kind=Kind.REMINDER,
                dedupe_key=f"dormant:{user.pk}:{authority.pk}:{now.date().isoformat()}",
                subject=_("Account %(username)s was deactivated: not used for %(days)s days")
                % {"username": user.username, "days": settings.DORMANT_DAYS},
                link=f"/admin/users/{user.pk}/",
                agency=authority,
                roles=[Role.ADMINISTRATOR],
                send_email=False,
            )
    return True


def _administering_authorities(user: User) -> list[Agency]:
    """The local authorities whose administrators manage the user's agency."""
    agency = user.agency
    if agency is None:
        return []
    if agency.kind == AgencyKind.LOCAL_AUTHORITY:
        return [agency]
    return list(agency.partner_of.filter(kind=AgencyKind.LOCAL_AUTHORITY).order_by("pk"))


def deactivate_dormant_accounts(now: datetime.datetime | None = None) -> int:
    """Deactivate every dormant account, each in its own transaction; returns how many."""
    if int(settings.DORMANT_DAYS) <= 0:
        return 0
    moment = now or timezone.now()
    return sum(_deactivate_one(pk, moment) for pk in dormant_candidates(moment))
