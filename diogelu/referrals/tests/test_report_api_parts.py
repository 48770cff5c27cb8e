"""The report API's outcomes, requests and enquiries are parts that sharing and enquiries
register with referrals (ADR 0770); referrals' hooks share enquiries' outcomes through sharing."""

from __future__ import annotations

import pytest

from diogelu.referrals import hooks
from diogelu.referrals.api import parts
from diogelu.referrals.api.serializers import ReportSerializer


def test_sharing_and_enquiries_register_the_report_parts() -> None:
    assert parts.report_part("outcomes").serializer.__name__ == "OutcomeSerializer"
    assert parts.report_part("requests").serializer.__name__ == "RequestSummarySerializer"
    assert parts.report_part("enquiries").serializer.__name__ == "EnquirySummarySerializer"


def test_a_missing_part_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parts, "_PARTS", {})
    with pytest.raises(LookupError, match="outcomes"):
        parts.report_part("outcomes")
    field = ReportSerializer(context={"la_view": True, "user": None}).fields["outcomes"]
    with pytest.raises(LookupError, match="outcomes"):
        field.to_representation(object())


def test_an_la_only_part_is_empty_for_others_without_reading_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parts, "_PARTS", {})  # not even looked up for a non-LA viewer
    field = ReportSerializer(context={"la_view": False, "user": None}).fields["requests"]
    assert field.to_representation(object()) == []


def test_sharing_shares_enquiries_outcomes_and_it_fails_closed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert {"strategy", "determination"} <= set(hooks._SHARE_OUTCOME)
    monkeypatch.setattr(hooks, "_SHARE_OUTCOME", {})
    with pytest.raises(RuntimeError, match="is sharing installed"):
        hooks.share_outcome("strategy", actor=None, strategy=None)  # type: ignore[arg-type]
