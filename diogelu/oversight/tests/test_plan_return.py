"""A plan below the quality threshold: a manager returns it to its author with a reason (shown
on the plan, kept in the approval history), and never signs off a plan they wrote or last
changed themselves (issue 12). Regression: the only way out was to sign it off, by anyone with
a manager's role, including its author."""

from __future__ import annotations

from django.urls import reverse

from diogelu.notifications.models import OutboxMessage
from diogelu.oversight.models import Approval, ApprovalStatus
from diogelu.plans.models import PlanVersion
from diogelu.plans.tests.test_pages import client, clock, plan, plan_data

__all__ = ["clock", "plan"]

WHY = "The contingency plan is missing: say who the children go to if dad comes home."


def _draft_by(world, plan, persona):
    author = client(world, persona)
    author.post(reverse("start_plan", args=[plan.pk]))
    draft = plan.draft()
    author.post(reverse("edit_plan", args=[plan.pk]), plan_data(draft.version, then="publish"))
    draft.refresh_from_db()
    return author, draft


def test_a_manager_returns_a_plan_below_the_threshold_with_a_reason(world, plan, settings):
    settings.PLAN_QUALITY_THRESHOLD = 75
    sw, draft = _draft_by(world, plan, "social_worker")
    url = reverse("publish_plan", args=[plan.pk])
    sw.post(url, {"action": "ask"})
    manager = client(world, "manager")
    page = manager.get(url).content.decode()
    assert "Return the plan with this reason" in page
    # a reason is needed
    empty = manager.post(url, {"action": "return", "return_reason": ""})
    assert empty.status_code == 400
    draft.refresh_from_db()
    assert draft.returned_at is None
    done = manager.post(url, {"action": "return", "return_reason": WHY})
    assert done.status_code == 302
    draft.refresh_from_db()
    assert not draft.is_published
    assert (draft.returned_by, draft.return_reason) == (world.manager, WHY)
    # the author is told and sees the reason on the plan and on the edit page
    told = OutboxMessage.objects.get(dedupe_key__startswith="plan-returned:")
    assert told.recipient_user == world.social_worker
    assert WHY in sw.get(reverse("show_plan", args=[plan.pk])).content.decode()
    assert WHY in sw.get(reverse("edit_plan", args=[plan.pk])).content.decode()
    # the approval history records the return, proposed by the author, decided by the manager
    approval = Approval.objects.get(source=f"plans.version:{draft.pk}")
    assert approval.status == ApprovalStatus.RETURNED
    assert (approval.proposed_by, approval.decided_by) == (world.social_worker, world.manager)
    assert approval.decision_note == WHY
    # asking again clears the banner and opens a new pending approval
    sw.post(url, {"action": "ask"})
    draft.refresh_from_db()
    assert draft.returned_at is None
    assert Approval.objects.filter(
        source=f"plans.version:{draft.pk}", status=ApprovalStatus.PENDING
    ).exists()


def test_a_social_worker_cannot_return_a_plan(world, plan, settings):
    settings.PLAN_QUALITY_THRESHOLD = 75
    sw, draft = _draft_by(world, plan, "social_worker")
    refused = sw.post(
        reverse("publish_plan", args=[plan.pk]), {"action": "return", "return_reason": WHY}
    )
    assert refused.status_code == 403
    draft.refresh_from_db()
    assert draft.returned_at is None


def test_a_manager_cannot_sign_off_a_plan_they_wrote(world, plan, settings):
    settings.PLAN_QUALITY_THRESHOLD = 75
    manager, draft = _draft_by(world, plan, "manager")
    url = reverse("publish_plan", args=[plan.pk])
    page = manager.get(url).content.decode()
    assert "another manager must sign it off" in page
    assert "Sign off and publish" not in page
    refused = manager.post(
        url,
        {
            "expected_version": str(draft.version),
            "action": "publish",
            "sign_off_reason": "I am sure it is fine as it is.",
        },
    )
    assert refused.status_code == 403
    assert "cannot sign it off yourself" in refused.content.decode()
    assert not PlanVersion.objects.filter(status="PUBLISHED").exists()
    assert not Approval.objects.filter(source=f"plans.version:{draft.pk}").exists()
    # nor return it to themselves
    assert manager.post(url, {"action": "return", "return_reason": WHY}).status_code == 403


def test_a_manager_who_last_changed_the_plan_cannot_sign_it_off(world, plan, settings):
    settings.PLAN_QUALITY_THRESHOLD = 75
    _sw, draft = _draft_by(world, plan, "social_worker")
    manager = client(world, "manager")
    manager.post(reverse("edit_plan", args=[plan.pk]), plan_data(draft.version))
    draft.refresh_from_db()
    assert draft.last_edited_by == world.manager
    refused = manager.post(
        reverse("publish_plan", args=[plan.pk]),
        {
            "expected_version": str(draft.version),
            "action": "publish",
            "sign_off_reason": "I am sure it is fine as it is.",
        },
    )
    assert refused.status_code == 403
    draft.refresh_from_db()
    assert not draft.is_published
