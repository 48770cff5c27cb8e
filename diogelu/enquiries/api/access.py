"""The API's fetchers for section 47 enquiries: the app's access rules, read on the API channel
(404 alike for missing and not allowed).
"""

from __future__ import annotations

from diogelu.access.fetch import one_visible
from diogelu.accounts.models import User
from diogelu.enquiries.access import visible_enquiries
from diogelu.enquiries.models import Section47Enquiry


def access_enquiry(user: User, enquiry_id: object) -> Section47Enquiry:
    return one_visible(visible_enquiries(user), enquiry_id)
