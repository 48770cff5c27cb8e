"""Sharing's side of the MASH report page (ADR 0750): the ``MashSharing`` port of
``diogelu.referrals.hooks`` that referrals calls without importing sharing. Each method looks its
function up when called, so a test may replace a service.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from diogelu.sharing import access, presenters, services
from diogelu.sharing.models import OutcomeNotification, Priority

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from diogelu.accounts.models import User
    from diogelu.referrals.models import Report


class SharingForTheMash:
    """Sharing's requests and outcomes as the MASH report page reads and acts on them."""

    @property
    def priority_choices(self) -> list[tuple[str, Any]]:
        return list(Priority.choices)

    @property
    def risk_indicator_labels(self) -> Mapping[str, Any]:
        return presenters.RISK_INDICATOR_LABELS

    def visible_outcomes(self, user: User) -> QuerySet[OutcomeNotification]:
        return access.visible_outcomes(user)

    def acknowledge_outcome(self, *, actor: User, notification: Any) -> OutcomeNotification:
        return services.acknowledge_outcome(actor=actor, notification=notification)

    def may_act_for(self, user: User, notification: Any) -> bool:
        return services.may_act_for(user, notification)

    def unshared_outcomes(self, report: Report) -> list[str]:
        return services.unshared_outcomes(report)

    def request_information_from_agencies(self, **kwargs: Any) -> Any:
        return services.request_information_from_agencies(**kwargs)

    def share_with_newly_involved(self, *, actor: User, report: Report) -> int:
        return services.share_with_newly_involved(actor=actor, report=report)
