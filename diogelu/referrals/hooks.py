"""Hooks through which sharing (later in the workflow) takes part in the report's acts without
referrals importing it (ADR 0403, ADR 0405): sharing registers in its ``AppConfig.ready()``.

* ``register_on_decision_final(func)``: ``func(actor=..., decision=...)`` runs when a decision on a
  report becomes final, in the same transaction (sharing shares its outcome with the reporter and
  every agency involved);
* ``register_unshared_outcomes(func)``: ``func(report)`` returns the labels of recipients who
  have not been sent an outcome they should have; a report is not closed while any is named.

Both fail closed: with nothing registered, a final decision or a close raises rather than skip
the sharing or its check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from diogelu.accounts.models import User
    from diogelu.referrals.models import Decision, Report

OnDecisionFinal = Callable[..., Any]
UnsharedOutcomes = Callable[["Report"], list[str]]

_ON_DECISION_FINAL: list[OnDecisionFinal] = []
_UNSHARED: list[UnsharedOutcomes] = []


def register_on_decision_final(func: OnDecisionFinal) -> None:
    if func not in _ON_DECISION_FINAL:
        _ON_DECISION_FINAL.append(func)


def register_unshared_outcomes(func: UnsharedOutcomes) -> None:
    if func not in _UNSHARED:
        _UNSHARED.append(func)


def decision_final(*, actor: User, decision: Decision) -> None:
    """Tell the registered hooks that ``decision`` is final."""
    if not _ON_DECISION_FINAL:
        raise RuntimeError("No app shares a final decision's outcome (is sharing installed?)")
    for func in _ON_DECISION_FINAL:
        func(actor=actor, decision=decision)


def unshared_outcomes(report: Report) -> list[str]:
    """Every registered check's recipients not yet sent an outcome they should have."""
    if not _UNSHARED:
        raise RuntimeError("No app checks that outcomes were shared (is sharing installed?)")
    return [label for func in _UNSHARED for label in func(report)]
