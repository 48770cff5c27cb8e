"""The API's fetchers for section 47 enquiries: the app's access rules, read on the API channel
(404 alike for missing and not allowed).
"""

from __future__ import annotations

from django.db.models import QuerySet

from diogelu.access.fetch import one_visible
from diogelu.accounts.models import User
from diogelu.enquiries.access import reads_whole as reads_whole
from diogelu.enquiries.access import visible_enquiries, visible_strategies
from diogelu.enquiries.models import Section47Enquiry, StrategyDiscussion


def access_enquiry(user: User, enquiry_id: object) -> Section47Enquiry:
    return one_visible(visible_enquiries(user), enquiry_id)


def enquiries_for(user: User) -> QuerySet[Section47Enquiry]:
    return visible_enquiries(user)


def access_strategy(user: User, strategy_id: object) -> StrategyDiscussion:
    return one_visible(visible_strategies(user), strategy_id)


def strategies_for(user: User) -> QuerySet[StrategyDiscussion]:
    return visible_strategies(user)
