"""My work's conferences for a social worker: those they convened and those of the children they
lead, waiting to be held or for their record to be circulated (issue 17: found by id through
the lead practitioner's index, not by an OR over a join of every conference)."""

from __future__ import annotations

from diogelu.accounts.models import Role
from diogelu.conferences import queues
from diogelu.conferences.models import Conference
from diogelu.conferences.tests.test_journey import at, clock, held  # noqa: F401 - fixture
from tests import factories as f


def test_a_lead_practitioner_sees_their_childs_conference_until_its_record_is_circulated(
    world,
    clock,  # noqa: F811 - the fixture
):
    conference, _invites = held(world, clock)
    convener = f.user(world.authority, Role.SOCIAL_WORKER)
    other = f.user(world.authority, Role.SOCIAL_WORKER)
    Conference.objects.filter(pk=conference.pk).update(convened_by=convener)
    # The social worker leads the registered child; the convener convened it; the other has
    # nothing to do with it.
    assert list(queues.conferences_waiting(world.social_worker)) == [conference]
    assert list(queues.conferences_waiting(convener)) == [conference]
    assert list(queues.conferences_waiting(other)) == []
    Conference.objects.filter(pk=conference.pk).update(record_circulated_at=at(2026, 1, 20))
    assert list(queues.conferences_waiting(world.social_worker)) == []
    assert list(queues.conferences_waiting(convener)) == []
