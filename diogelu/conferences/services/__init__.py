"""Child protection conferences and the register: the practice actions (WSP §3 steps 7–8, §4).

Every service: keyword-only arguments with ``actor`` first, one transaction, validate → write →
chronology event → outbox notification. Timescales come from ``procedures`` rules only.

One module per practice action: ``convening``, ``invitations`` (invitations, agency reports,
attendance, quorum), ``holding`` (the conference and its decisions), ``register`` (registering,
continuing and ending an episode, the register check), ``circulation`` (the record and its
acknowledgement); ``_common`` holds the role sets and checks they share. Import from here:
``from diogelu.conferences import services``.
"""

from diogelu.conferences.services._common import (
    CHAIR_ROLES,
    LEAD_ROLES,
    MAX_TEXT,
    MIN_REASONS,
    PARTNER_PARTS,
    REGISTER_CHECK_KINDS,
    REGISTER_CHECK_ROLES,
    SOCIAL_WORK_ROLES,
    _check_staff,
)
from diogelu.conferences.services.circulation import (
    acknowledge_record,
    circulate_record,
    may_acknowledge,
)
from diogelu.conferences.services.convening import (
    convene_conference,
    convene_review_conference,
    convene_transfer_in_conference,
)
from diogelu.conferences.services.holding import (
    hold_conference,
    record_review_conference,
    record_transfer_in_conference,
)
from diogelu.conferences.services.invitations import (
    invite,
    quorum_for,
    record_attendance,
    submit_agency_report,
)
from diogelu.conferences.services.register import (
    RegisterAnswer,
    check_register,
    end_registration,
    open_episode,
)

__all__ = [
    "CHAIR_ROLES",
    "LEAD_ROLES",
    "MAX_TEXT",
    "MIN_REASONS",
    "PARTNER_PARTS",
    "REGISTER_CHECK_KINDS",
    "REGISTER_CHECK_ROLES",
    "SOCIAL_WORK_ROLES",
    "RegisterAnswer",
    "_check_staff",
    "acknowledge_record",
    "check_register",
    "circulate_record",
    "convene_conference",
    "convene_review_conference",
    "convene_transfer_in_conference",
    "end_registration",
    "hold_conference",
    "invite",
    "may_acknowledge",
    "open_episode",
    "quorum_for",
    "record_attendance",
    "record_review_conference",
    "record_transfer_in_conference",
    "submit_agency_report",
]
