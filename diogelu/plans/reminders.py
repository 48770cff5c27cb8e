"""The plan's sweep (registered in ``PlansConfig.ready``, after the conferences' sweep, so a child
the 18th-birthday sweep took off the register is not reminded about): the statutory visits
(``visit.*`` rules) of every child on the register, reminded to the lead practitioner on the due
day and escalated to team managers once overdue, with the same dedupe keys and stages as the
register's other deadlines (``conferences/reminders.py``).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from diogelu.conferences.reminders import MANAGERS, Counts, _open_episodes, _remind_episode
from diogelu.plans.due import prefetch_for_dues, visits_due

#: Open episodes whose conference places and visits are read together by the sweep.
BATCH = 500


def remind_visits_due(now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind and escalate every overdue or due statutory visit; the counts by stage."""
    moment = now or timezone.now()
    counts = Counts(values={"visits_reminded": 0, "visits_escalated": 0})
    episodes = list(_open_episodes())
    for start in range(0, len(episodes), BATCH):
        batch = episodes[start : start + BATCH]
        prefetch_for_dues(batch)  # each batch's places and visits in two queries
        for episode in batch:
            for visit in visits_due(episode, moment):
                _remind_episode(
                    counts,
                    "visits",
                    episode=episode,
                    key=f"visit:{episode.pk}:{visit.rule}",
                    due=visit.due,
                    now=moment,
                    escalate_to=MANAGERS,
                    timeliness=visit.timeliness,
                )
    return counts.values
