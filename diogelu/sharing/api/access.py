"""The API's fetchers for information requests and outcomes: the app's access rules, read on the
API channel (404 alike for missing and not allowed).
"""

from __future__ import annotations

from django.db.models import QuerySet

from diogelu.access.fetch import one_visible
from diogelu.accounts.models import User
from diogelu.referrals.api.access import log_reads as log_reads
from diogelu.sharing.access import outcome_parts as outcome_parts
from diogelu.sharing.access import outcome_people as outcome_people
from diogelu.sharing.access import visible_outcomes, visible_requests
from diogelu.sharing.models import InformationRequest, OutcomeNotification


def requests_for(user: User) -> QuerySet[InformationRequest]:
    return visible_requests(user)


def access_request(user: User, request_id: object) -> InformationRequest:
    return one_visible(visible_requests(user), request_id)


def outcomes_for(user: User) -> QuerySet[OutcomeNotification]:
    return visible_outcomes(user)


def access_outcome(user: User, outcome_id: object) -> OutcomeNotification:
    return one_visible(visible_outcomes(user), outcome_id)
