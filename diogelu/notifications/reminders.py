"""The tick's reminders and escalations: every sweep the apps register, each on its own.

The notifications app knows no domain app: each app registers its sweeps in its
``AppConfig.ready()`` with :func:`diogelu.core.sweeps.register_sweep` (the MASH's requests and
outcomes in ``sharing``, the decision reminder in ``referrals``, the section 47 reminder in
``enquiries``, conferences, the register and plans in ``conferences``, dormant accounts in
``accounts``, sealing the access log in ``access``). Every sweep is idempotent: each reminder
has a dedupe key, each escalation is recorded on its object, so the tick may run as often as
wanted and retries whatever failed.
"""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone

from diogelu.core.sweeps import registered_sweeps

log = logging.getLogger(__name__)


def run_reminders(now: datetime.datetime | None = None) -> dict[str, int]:
    """Run every registered sweep once for ``now``; their counts by name.

    A sweep that returns a dict contributes its named counts; one that returns an int is
    counted under its own name. Each sweep runs on its own: one that fails is logged (its
    name and the exception's type, no personal data) and counted 0 under its name, and the
    others still run, above all the sealing of the access log.
    """
    moment = now or timezone.now()
    results: dict[str, int] = {}
    for name, sweep in registered_sweeps():
        try:
            outcome = sweep(moment)
        except Exception as exc:  # isolate the sweeps from each other
            log.error("sweep %s failed: %s", name, type(exc).__name__)
            results[name] = 0
            continue
        if isinstance(outcome, dict):
            results.update(outcome)
        else:
            results[name] = int(outcome)
    return results
