"""The tick runs the sweeps the apps register, each on its own, knowing none of them."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest

from diogelu.core import sweeps
from diogelu.notifications.reminders import run_reminders

# The keys the tick has always reported (tests/test_timeliness.py, test_dormant_accounts.py,
# test_access_log_chain.py and diogelu/conferences/tests/test_reminders.py read them).
TICK_KEYS = {
    "requests_escalated",
    "outcomes_escalated",
    "decisions_reminded",
    "enquiries_reminded",
    "accounts_deactivated",
    "access_log_sealed",
    "registrations_ended_at_18",
    *(
        f"{name}_{stage}"
        for name in ("conferences", "records", "acknowledgements", "core_groups", "reviews")
        for stage in ("reminded", "escalated")
    ),
    "visits_reminded",
    "visits_escalated",
}


@pytest.fixture
def registry() -> Iterator[dict[str, tuple[int, sweeps.Sweep]]]:
    """The registry as the apps left it, restored after the test."""
    saved = dict(sweeps._REGISTRY)
    yield sweeps._REGISTRY
    sweeps._REGISTRY.clear()
    sweeps._REGISTRY.update(saved)


def test_each_app_registers_its_own_sweeps_and_the_tick_reports_the_same_keys(world):
    names = [name for name, _ in sweeps.registered_sweeps()]
    assert {
        "requests_escalated",
        "outcomes_escalated",
        "decisions_reminded",
        "enquiries_reminded",
        "conferences",
        "accounts_deactivated",
        "access_log_sealed",
    } <= set(names)
    # Housekeeping last: dormant accounts after the reminders, sealing the access log at the end.
    assert names[-2:] == ["accounts_deactivated", "access_log_sealed"]
    assert set(run_reminders()) >= TICK_KEYS


def test_a_failing_sweep_is_counted_zero_and_does_not_stop_the_others(world, registry, caplog):
    ran: list[datetime.datetime] = []

    def broken(now: datetime.datetime) -> int:
        raise ValueError("boom")

    def counting(now: datetime.datetime) -> dict[str, int]:
        ran.append(now)
        return {"counted_a": 1, "counted_b": 2}

    registry.clear()
    sweeps.register_sweep("late", lambda now: 7, order=5)
    sweeps.register_sweep("broken", broken)
    sweeps.register_sweep("counting", counting)
    moment = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)

    results = run_reminders(moment)

    assert results == {"broken": 0, "counted_a": 1, "counted_b": 2, "late": 7}
    assert list(results) == ["broken", "counted_a", "counted_b", "late"]  # by order
    assert ran == [moment]
    assert "sweep broken failed: ValueError" in caplog.text
    assert "boom" not in caplog.text  # the exception's type only, never its message


def test_registering_a_name_again_replaces_the_sweep(registry):
    registry.clear()
    sweeps.register_sweep("once", lambda now: 1)
    sweeps.register_sweep("once", lambda now: 2)
    [(name, sweep)] = sweeps.registered_sweeps()
    assert (name, sweep(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))) == ("once", 2)
