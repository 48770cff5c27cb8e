"""The API's fetchers for information requests and outcomes: the app's access rules, read on the
API channel (404 alike for missing and not allowed).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from rest_framework.request import Request

from diogelu.access.fetch import one_visible
from diogelu.access.models import Channel
from diogelu.accounts.models import User
from diogelu.sharing.access import log_report_reads, visible_outcomes, visible_requests
from diogelu.sharing.models import InformationRequest, OutcomeNotification


def log_reads(
    user: User, person_ids: Iterable[int | None], *, route: str, request: Request
) -> None:
    log_report_reads(user, person_ids, route=route, request=request._request, channel=Channel.API)


def requests_for(user: User) -> QuerySet[InformationRequest]:
    return visible_requests(user)


def access_request(user: User, request_id: object) -> InformationRequest:
    return one_visible(visible_requests(user), request_id)


def outcomes_for(user: User) -> QuerySet[OutcomeNotification]:
    return visible_outcomes(user)


def access_outcome(user: User, outcome_id: object) -> OutcomeNotification:
    return one_visible(visible_outcomes(user), outcome_id)
