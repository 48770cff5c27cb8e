"""MASH checks and closed loops: requests answered or escalated, outcomes shared with every agency
involved and acknowledged, each sharing written to the disclosure log.

Every service: keyword-only arguments with ``actor`` first, one transaction, validate → write →
disclosure log → outbox notification. Timescales come from ``procedures`` rules only.

One module per practice action: ``checks`` (information requests: asked, answered, amended,
cancelled, escalated), ``outcomes`` (who an outcome reaches, and sharing a decision's, a strategy
discussion's and a determination's outcome), ``acknowledgement`` (what is still unshared, sharing
with agencies newly involved, acknowledging, escalating); ``_common`` holds the risk indicators
and the disclosure log's row they share. Import from here: ``from diogelu.sharing import services``.
"""

from diogelu.sharing.services._common import MAX_TEXT, RISK_INDICATORS, summary_for
from diogelu.sharing.services.acknowledgement import (
    acknowledge_outcome,
    acknowledge_outcomes,
    escalate_unacknowledged,
    fully_shared_count,
    may_act_for,
    outcome_events,
    outcome_events_by_report,
    share_with_newly_involved,
    unshared_outcomes,
    unshared_outcomes_by_report,
)
from diogelu.sharing.services.checks import (
    MIN_ANSWER,
    amend_answer,
    answer_request,
    answer_summary_error,
    cancel_request,
    escalate_overdue_requests,
    may_amend,
    request_information,
    request_information_from_agencies,
)
from diogelu.sharing.services.outcomes import (
    Recipient,
    recipients_by_report,
    recipients_for,
    share_decision_outcome,
    share_determination_outcome,
    share_strategy_outcome,
)

__all__ = [
    "MAX_TEXT",
    "MIN_ANSWER",
    "RISK_INDICATORS",
    "Recipient",
    "acknowledge_outcome",
    "acknowledge_outcomes",
    "amend_answer",
    "answer_request",
    "answer_summary_error",
    "cancel_request",
    "escalate_overdue_requests",
    "escalate_unacknowledged",
    "fully_shared_count",
    "may_act_for",
    "may_amend",
    "outcome_events",
    "outcome_events_by_report",
    "recipients_by_report",
    "recipients_for",
    "request_information",
    "request_information_from_agencies",
    "share_decision_outcome",
    "share_determination_outcome",
    "share_strategy_outcome",
    "share_with_newly_involved",
    "summary_for",
    "unshared_outcomes",
    "unshared_outcomes_by_report",
]
