"""Fixtures for the procedures tests: the packaged rules with no override file."""

from __future__ import annotations

import pytest

from diogelu.procedures import RuleSet, WorkingCalendar, load_rules


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    """The packaged rules, ignoring any DIOGELU_PROCEDURES_RULES in the environment."""
    return load_rules(environ={})


@pytest.fixture(scope="session")
def cal(rules: RuleSet) -> WorkingCalendar:
    """The Welsh working-day calendar of the packaged rules."""
    return rules.calendar
