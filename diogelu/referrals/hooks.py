"""Hooks through which sharing (later in the workflow) takes part in the report's acts without
referrals importing it (ADR 0403, ADR 0405): sharing registers in its ``AppConfig.ready()``.

* ``register_on_decision_final(func)``: ``func(actor=..., decision=...)`` runs when a decision on a
  report becomes final, in the same transaction (sharing shares its outcome with the reporter and
  every agency involved);
* ``register_mash_sharing(impl)``: the :class:`MashSharing` port through which the MASH report
  page, its forms and actions read and act on sharing's requests and outcomes;
* ``register_unshared_outcomes(func)``: ``func(report)`` returns the labels of recipients who
  have not been sent an outcome they should have; a report is not closed while any is named;
* ``register_outcome_sharing(kind, func)``: ``func(actor=..., **work)`` shares the outcome of a
  later piece of the MASH's work on a report with everyone told of it: ``"strategy"`` (a strategy
  discussion, ``strategy=``) and ``"determination"`` (a section 47 determination, ``enquiry=``).
  Enquiries calls :func:`share_outcome`; so neither sibling imports the other (ADR 0770).

All fail closed: with nothing registered, a final decision, a close or an outcome to share raises
rather than skip the sharing or its check.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from django.db.models import QuerySet

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


_SHARE_OUTCOME: dict[str, Callable[..., Any]] = {}


def register_outcome_sharing(kind: str, func: Callable[..., Any]) -> None:
    _SHARE_OUTCOME[kind] = func


def share_outcome(kind: str, *, actor: User, **work: Any) -> Any:
    """Share the outcome of ``kind`` of work (``"strategy"``, ``"determination"``)."""
    func = _SHARE_OUTCOME.get(kind)
    if func is None:
        raise RuntimeError(f"No app shares the outcome of {kind!r} (is sharing installed?)")
    return func(actor=actor, **work)


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


class MashSharing(Protocol):
    """What the MASH report page and its actions use of sharing (ADR 0405, ADR 0750).

    Sharing registers one implementation in its ``AppConfig.ready()``; referrals calls it through
    :func:`mash_sharing` and imports nothing of sharing.
    """

    @property
    def priority_choices(self) -> list[tuple[str, Any]]: ...

    @property
    def risk_indicator_labels(self) -> Mapping[str, Any]: ...

    def visible_outcomes(self, user: User) -> QuerySet[Any]: ...

    def acknowledge_outcome(self, *, actor: User, notification: Any) -> Any: ...

    def may_act_for(self, user: User, notification: Any) -> bool: ...

    def unshared_outcomes(self, report: Report) -> list[str]: ...

    def request_information_from_agencies(self, **kwargs: Any) -> Any: ...

    def share_with_newly_involved(self, *, actor: User, report: Report) -> Any: ...


_MASH_SHARING: list[MashSharing] = []


def register_mash_sharing(impl: MashSharing) -> None:
    _MASH_SHARING[:] = [impl]


def mash_sharing() -> MashSharing:
    """The registered sharing port; fails closed when sharing is not installed."""
    if not _MASH_SHARING:
        raise RuntimeError("No app provides the MASH's sharing (is sharing installed?)")
    return _MASH_SHARING[0]
