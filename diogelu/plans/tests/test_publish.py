"""Publishing a plan: saved first, the quality result shown and confirmed on its own page; below
the authority's quality threshold, a manager's sign-off with a reason, kept and shown.

Regression (issue 10): "Publish" sat above the form, discarded what had been typed, published
without confirmation and irreversibly."""

from __future__ import annotations

import pytest
from django.urls import reverse

from diogelu.access.models import AccessLog
from diogelu.notifications.models import OutboxMessage
from diogelu.plans.models import PlanVersion
from diogelu.plans.quality import plan_quality
from diogelu.plans.tests.test_pages import client, clock, plan, plan_data

__all__ = ["clock", "plan"]

REASON = "Agreed at the conference; the gaps are filled at the first core group."


def _draft(world, plan, **overrides):
    sw = client(world, "social_worker")
    sw.post(reverse("start_plan", args=[plan.pk]))
    draft = plan.draft()
    response = sw.post(
        reverse("edit_plan", args=[plan.pk]),
        plan_data(draft.version, then="publish", **overrides),
    )
    draft.refresh_from_db()
    return sw, draft, response


def test_save_and_publish_saves_what_was_typed_then_asks_for_confirmation(world, plan):
    sw, draft, response = _draft(world, plan, child_words="I want nobody to shout at me.")
    assert response.status_code == 302
    assert response["Location"] == reverse("publish_plan", args=[plan.pk])
    # what was typed is saved, and nothing is published yet
    assert draft.child_words == "I want nobody to shout at me."
    assert not draft.is_published
    page = sw.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert f"Quality check: {plan_quality(draft).score}%" in body
    assert "Siân is safe from being hit at home" in body
    assert "is never changed" in body
    # the edit page has no form that publishes: publishing goes through the saved draft
    edit = sw.get(reverse("edit_plan", args=[plan.pk])).content.decode()
    assert f'action="{reverse("publish_plan", args=[plan.pk])}"' not in edit
    assert "Save and check before publishing" in edit


def test_above_the_threshold_the_social_worker_publishes_after_confirming(world, plan, settings):
    settings.PLAN_QUALITY_THRESHOLD = 0
    sw, draft, _ = _draft(world, plan)
    body = sw.get(reverse("publish_plan", args=[plan.pk])).content.decode()
    assert "below this authority" not in body
    response = sw.post(
        reverse("publish_plan", args=[plan.pk]),
        {"expected_version": str(draft.version), "action": "publish"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published and draft.signed_off_by is None
    assert draft.quality_threshold == 0


def test_a_stale_confirmation_publishes_nothing(world, plan, settings):
    settings.PLAN_QUALITY_THRESHOLD = 0
    sw, draft, _ = _draft(world, plan)
    old = draft.version
    sw.post(reverse("edit_plan", args=[plan.pk]), plan_data(old, o0_measure="Seen weekly"))
    response = sw.post(
        reverse("publish_plan", args=[plan.pk]), {"expected_version": str(old), "action": "publish"}
    )
    assert response.status_code == 409
    assert "check it again before publishing" in response.content.decode()
    assert not PlanVersion.objects.filter(status="PUBLISHED").exists()


def test_below_the_threshold_a_manager_signs_off_with_a_reason(world, plan, settings):
    settings.PLAN_QUALITY_THRESHOLD = 75
    sw, draft, _ = _draft(world, plan)
    url = reverse("publish_plan", args=[plan.pk])
    body = sw.get(url).content.decode()
    assert "below this authority&#39;s threshold of 75%" in body or "threshold of 75%" in body
    assert "Ask a manager to sign off" in body
    # the social worker cannot publish it
    refused = sw.post(url, {"expected_version": str(draft.version), "action": "publish"})
    assert refused.status_code == 403
    assert "must sign it off" in refused.content.decode()
    # ... but asks the team manager, who is sent a link to the page
    asked = sw.post(url, {"action": "ask"})
    assert asked.status_code == 302
    message = OutboxMessage.objects.get(dedupe_key__startswith="plan-sign-off:")
    assert message.recipient_user == world.manager and message.link == url
    # the manager must give a reason
    manager = client(world, "manager")
    page = manager.get(url).content.decode()
    assert "Sign off and publish version 1" in page
    no_reason = manager.post(url, {"expected_version": str(draft.version), "action": "publish"})
    assert no_reason.status_code == 400
    assert "Say why the plan should be published below the quality threshold" in (
        no_reason.content.decode()
    )
    draft.refresh_from_db()
    assert not draft.is_published
    done = manager.post(
        url,
        {"expected_version": str(draft.version), "action": "publish", "sign_off_reason": REASON},
    )
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    assert (draft.signed_off_by, draft.sign_off_reason, draft.quality_threshold) == (
        world.manager,
        REASON,
        75,
    )
    history = sw.get(reverse("show_plan", args=[plan.pk])).content.decode()
    assert "Signed off below the threshold of 75% by" in history and REASON in history


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("social_worker", 200),
        ("manager", 200),
        ("police_officer", 404),
        ("school_lead", 404),
        ("health_practitioner", 404),
        ("mash", 404),
        ("other_la_worker", 404),
    ],
)
def test_publish_page_by_persona(world, plan, persona, expected):
    _draft(world, plan)
    user = getattr(world, persona)
    before = AccessLog.objects.filter(user=user).count()
    response = client(world, persona).get(reverse("publish_plan", args=[plan.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert AccessLog.objects.filter(user=user).count() > before
    else:
        assert AccessLog.objects.filter(user=user).count() == before


def test_the_childs_words_and_contingency_carry_forward_into_the_next_version(world, plan):
    from diogelu.plans import services as plans

    sw, draft, _ = _draft(
        world,
        plan,
        child_words="I want Mam to stop shouting.",
        contingency="If Mam is unwell, Nain looks after me.",
    )
    plans.publish_plan(
        actor=world.manager,
        version=draft,
        expected_version=draft.version,
        sign_off_reason="Agreed at the conference.",
    )
    next_draft = plans.draft_plan(actor=world.social_worker, plan=plan)
    assert next_draft.number == 2
    assert next_draft.child_words == "I want Mam to stop shouting."
    assert next_draft.contingency == "If Mam is unwell, Nain looks after me."
    page = sw.get(reverse("edit_plan", args=[plan.pk])).content.decode()
    assert "I want Mam to stop shouting." in page


def test_a_child_registered_again_starts_from_their_last_plans_words(world, plan, clock):
    """The first version of a new registration's plan carries the child's words and the
    contingency plan forward from the child's last published plan."""
    from django.utils import timezone

    from diogelu.conferences.models import RegisterEpisode
    from diogelu.plans import services as plans
    from diogelu.plans.models import Plan

    _, draft, _ = _draft(world, plan, child_words="I feel safe at Nain's.", contingency="Nain.")
    plans.publish_plan(
        actor=world.manager,
        version=draft,
        expected_version=draft.version,
        sign_off_reason="Agreed at the conference.",
    )
    old = plan.episode
    RegisterEpisode.objects.filter(pk=old.pk).update(
        ended_at=timezone.now(), end_reason="REVIEW_DECISION"
    )
    again = RegisterEpisode.objects.create(
        person=old.person,
        authority=old.authority,
        started_at=timezone.now(),
        conference=old.conference,
        lead_practitioner=world.social_worker,
    )
    new_plan = Plan.objects.create(person=old.person, episode=again)
    first = plans.draft_plan(actor=world.social_worker, plan=new_plan)
    assert (first.number, first.child_words, first.contingency) == (
        1,
        "I feel safe at Nain's.",
        "Nain.",
    )
