"""The MASH report page reaches sharing through a registered port (ADR 0750)."""

from __future__ import annotations

import pytest

from diogelu.referrals import hooks


def test_sharing_registers_the_port() -> None:
    port = hooks.mash_sharing()
    assert {value for value, _label in port.priority_choices} == {"URGENT", "STANDARD"}
    assert "DOMESTIC_ABUSE" in port.risk_indicator_labels


def test_the_port_fails_closed_when_nothing_is_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hooks, "_MASH_SHARING", [])
    with pytest.raises(RuntimeError, match="is sharing installed"):
        hooks.mash_sharing()
