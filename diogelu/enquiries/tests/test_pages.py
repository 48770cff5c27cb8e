"""Strategy discussion and section 47 pages, for each persona, with their validation."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from diogelu.access.models import AccessLog, Part
from diogelu.enquiries import services as enquiries
from diogelu.enquiries.models import Section47Enquiry, StrategyDiscussion
from diogelu.sharing.models import OutcomeNotification
from diogelu.sharing.tests.journey import decided_for_strategy, linked_report

LA_ENTITLED = {"social_worker": 200, "manager": 200, "mash": 200}
OTHERS = {
    "police_officer": 404,
    "school_lead": 404,
    "health_practitioner": 404,
    "other_la_worker": 404,
}
BY_PERSONA = list({**LA_ENTITLED, **OTHERS}.items())
#: Reading back (ADR 0640): the police and the school took part in the discussion; health did not.
READERS = {**LA_ENTITLED, **OTHERS, "police_officer": 200, "school_lead": 200}
READ_BY_PERSONA = list(READERS.items())


def held_moment(report) -> datetime.datetime:
    """A whole minute after the report arrived (the form takes hours and minutes)."""
    start = timezone.localtime(report.received_at) + datetime.timedelta(minutes=2)
    return start.replace(second=0, microsecond=0)


def strategy_data(world, j, held, **overrides):
    local = timezone.localtime(held)
    data = {
        "kind": "MEETING",
        "medium": "VIDEO",
        "held_on_0": str(local.day),
        "held_on_1": str(local.month),
        "held_on_2": str(local.year),
        "held_time": local.strftime("%H:%M"),
        "chair": str(world.manager.pk),
        "information_shared": "Police: two DA incidents. School: attendance and hunger.",
        "p0_agency": str(world.authority.pk),
        "p0_name": "Team manager",
        "p0_role": "Chair",
        "p0_authorised": "on",
        "p1_agency": str(world.police.pk),
        "p1_name": "DC Harries",
        "p1_role": "Public protection",
        "p1_authorised": "on",
        "p2_agency": str(world.school.pk),
        "p2_name": "Designated safeguarding person",
        f"c{j.child.pk}_s47": "JOINT",
        f"c{j.child.pk}_reasons": "Disclosure of physical harm by the step-father.",
        f"c{j.sibling.pk}_s47": "SINGLE",
        f"c{j.sibling.pk}_reasons": "Younger sibling in the same household.",
        "lead_social_worker": str(world.social_worker.pk),
        "a0_description": "Police check on the step-father",
        "a0_owner": str(world.police.pk),
        "a0_due_0": "1",
        "a0_due_1": "1",
        "a0_due_2": str(local.year + 1),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post_strategy(world, j, user=None, **overrides):
    held = held_moment(j.report)
    with time_machine.travel(held + datetime.timedelta(hours=1), tick=True):
        return world.client_for(user or world.mash).post(
            reverse("record_strategy", args=[j.report.pk]),
            strategy_data(world, j, held, **overrides),
        )


@pytest.fixture
def recorded(world):
    """A strategy meeting recorded through the page; two s47 enquiries started."""
    j = decided_for_strategy(world)
    response = post_strategy(world, j)
    assert response.status_code == 302, response.content.decode()[:3000]
    j.strategy = StrategyDiscussion.objects.get()
    return j


def test_anonymous_is_sent_to_sign_in(db):
    for name in ("record_strategy", "show_strategy", "show_enquiry"):
        response = Client().get(reverse(name, args=[1]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("sign_in"))


@pytest.mark.parametrize(("persona", "expected"), BY_PERSONA)
def test_strategy_form_by_persona(world, persona, expected):
    j = decided_for_strategy(world)
    response = world.client_for(getattr(world, persona)).get(
        reverse("record_strategy", args=[j.report.pk])
    )
    assert response.status_code == expected
    if expected == 200:
        body = response.content.decode()
        assert "Participant 6" in body and "Action 4" in body
        assert "Section 47 enquiry for Siân Prydderch" in body
        assert "Section 47 enquiry for Dafydd Prydderch" in body


def test_strategy_form_before_a_decision_to_hold_one_explains(world):
    j = linked_report(world)
    response = world.client_for(world.mash).get(reverse("record_strategy", args=[j.report.pk]))
    assert response.status_code == 200
    assert "is recorded after a decision to hold one" in response.content.decode()


def test_record_strategy_through_the_page(recorded, world):
    s = recorded.strategy
    assert s.participants.count() == 3
    assert s.actions.get().owner_agency == world.police
    assert Section47Enquiry.objects.count() == 2
    assert set(Section47Enquiry.objects.values_list("kind", flat=True)) == {"JOINT", "SINGLE"}
    assert Section47Enquiry.objects.filter(lead_social_worker=world.social_worker).count() == 2
    assert OutcomeNotification.objects.filter(source="STRATEGY").exists()


def test_strategy_without_police_shows_error_summary_and_saves_nothing(world):
    j = decided_for_strategy(world)
    response = post_strategy(world, j, p1_agency=None, p1_name=None, p1_role=None)
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Police and social services must both take part" in body
    assert 'href="#p0_agency"' in body
    assert not StrategyDiscussion.objects.exists()
    assert not Section47Enquiry.objects.exists()


def test_strategy_form_validation_messages(world):
    j = decided_for_strategy(world)
    response = post_strategy(
        world,
        j,
        kind=None,
        held_time="25:99",
        p2_name="",
        a0_owner="",
        **{f"c{j.sibling.pk}_reasons": ""},
    )
    assert response.status_code == 400
    body = response.content.decode()
    for message in (
        "Choose a discussion or a meeting",
        "Enter the time it started as hours and minutes",
        "Enter participant 3&#39;s name",
        "Choose who is responsible for action 1",
        "Give the reasons for the decision about Dafydd Prydderch",
    ):
        assert message in body, message
    assert not StrategyDiscussion.objects.exists()


def test_strategy_in_the_future_is_refused(world):
    j = decided_for_strategy(world)
    held = held_moment(j.report)
    with time_machine.travel(held + datetime.timedelta(hours=1), tick=True):
        later = held + datetime.timedelta(days=3)
        response = world.client_for(world.mash).post(
            reverse("record_strategy", args=[j.report.pk]), strategy_data(world, j, later)
        )
    assert response.status_code == 400
    assert not StrategyDiscussion.objects.exists()


@pytest.mark.parametrize(("persona", "expected"), READ_BY_PERSONA)
def test_show_strategy_by_persona(recorded, world, persona, expected):
    # After the meeting: the police's involvement with the sibling starts when it is recorded.
    with time_machine.travel(held_moment(recorded.report) + datetime.timedelta(hours=2)):
        response = world.client_for(getattr(world, persona)).get(
            reverse("show_strategy", args=[recorded.strategy.pk])
        )
    assert response.status_code == expected
    if expected == 200:
        body = response.content.decode()
        assert "DC Harries" in body and "Police check on the step-father" in body
        # The information shared at the discussion stays with the authority (ADR 0640).
        shared = "Police: two DA incidents. School: attendance and hunger."
        assert (shared in body) is (persona in LA_ENTITLED)
        # No link to the MASH's page of the report, which a partner cannot open.
        mash_page = reverse("mash_report", args=[recorded.report.pk])
        assert (mash_page in body) is (persona in LA_ENTITLED)
        assert AccessLog.objects.filter(
            user=getattr(world, persona), person=world.child, route="show_strategy"
        ).exists()
    else:
        assert not AccessLog.objects.filter(
            user=getattr(world, persona), route="show_strategy"
        ).exists()


def test_a_partner_reads_the_enquiry_without_the_childs_words_or_an_unshared_determination(
    recorded, world
):
    """ADR 0640: the police took part, so they read the enquiry back — never the child's own
    words, and the determination only once it is shared with them (determination 1 waits for a
    manager's ratification)."""
    enquiry = Section47Enquiry.objects.get(person=world.child)
    sw = world.client_for(world.social_worker)
    held = held_moment(recorded.report)
    police = world.client_for(world.police_officer)
    with time_machine.travel(held + datetime.timedelta(hours=2), tick=True):
        assert sw.post(reverse("enquiry_child_seen", args=[enquiry.pk]), seen_data()).status_code
        rationale = "No evidence of harm was found after the enquiries and interviews."
        response = sw.post(
            reverse("enquiry_determination", args=[enquiry.pk]),
            {"determination": "1", "rationale": rationale},
        )
        assert response.status_code == 302
        page = police.get(reverse("show_enquiry", args=[enquiry.pk])).content.decode()
        assert "want to go home" not in page
        assert "The child was seen on" in page
        assert rationale not in page
        assert "has not been shared with your agency yet" in page
        assert "Record the determination" not in page and "Convene" not in page
        # A partner cannot work the enquiry: 403 on a record it can see, nothing changed.
        refused = police.post(reverse("enquiry_ratify", args=[enquiry.pk]))
        assert refused.status_code == 404  # the ratify page is for managers only
        enquiry.refresh_from_db()
        enquiries.ratify_determination(actor=world.manager, enquiry=enquiry)
        page = police.get(reverse("show_enquiry", args=[enquiry.pk])).content.decode()
    assert rationale in page
    assert "want to go home" not in page


@pytest.mark.parametrize(("persona", "expected"), READ_BY_PERSONA)
def test_show_enquiry_by_persona(recorded, world, persona, expected):
    enquiry = Section47Enquiry.objects.get(person=world.child)
    with time_machine.travel(held_moment(recorded.report) + datetime.timedelta(hours=2)):
        response = world.client_for(getattr(world, persona)).get(
            reverse("show_enquiry", args=[enquiry.pk])
        )
    assert response.status_code == expected
    if expected == 200:
        body = response.content.decode()
        assert "within 42 working days" in body
        assert AccessLog.objects.filter(
            user=getattr(world, persona), person=world.child, part=Part.REPORT, route="show_enquiry"
        ).exists()


def seen_data(**overrides):
    now = timezone.localtime() - datetime.timedelta(minutes=1)
    data = {
        "seen_on_0": str(now.day),
        "seen_on_1": str(now.month),
        "seen_on_2": str(now.year),
        "seen_time": now.strftime("%H:%M"),
        "seen_alone": "yes",
        "child_views": "I don't want to go home when he is there.",
    }
    data.update(overrides)
    return data


def test_determination_before_the_child_is_seen_is_an_error(recorded, world):
    enquiry = Section47Enquiry.objects.get(person=world.child)
    client = world.client_for(world.social_worker)
    response = client.post(
        reverse("enquiry_determination", args=[enquiry.pk]),
        {"determination": "3", "rationale": "Substantiated with continuing risk of harm."},
    )
    assert response.status_code == 400
    assert "Record that the child was seen before the determination" in response.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.determination == ""


def test_child_seen_then_determination_3_shows_conference_due(recorded, world):
    enquiry = Section47Enquiry.objects.get(person=world.child)
    client = world.client_for(world.social_worker)
    held = held_moment(recorded.report)
    with time_machine.travel(held + datetime.timedelta(hours=2), tick=True):
        response = client.post(reverse("enquiry_child_seen", args=[enquiry.pk]), seen_data())
        assert response.status_code == 302
        response = client.post(
            reverse("enquiry_determination", args=[enquiry.pk]),
            {
                "determination": "3",
                "rationale": "Substantiated with continuing risk of physical harm.",
                "agency_contributions": "Police: interviews. School: attendance records.",
            },
        )
        assert response.status_code == 302
        page = client.get(reverse("show_enquiry", args=[enquiry.pk])).content.decode()
    enquiry.refresh_from_db()
    assert enquiry.determination == "3" and enquiry.conference_due_at is not None
    assert "Initial child protection conference due by" in page
    assert "15 working days from the last strategy discussion, WSP §3 pt2 [S13]" in page
    assert "I don&#39;t want to go home when he is there." in page


def test_child_seen_not_alone_needs_a_reason(recorded, world):
    enquiry = Section47Enquiry.objects.get(person=world.sibling)
    response = world.client_for(world.social_worker).post(
        reverse("enquiry_child_seen", args=[enquiry.pk]), seen_data(seen_alone="no")
    )
    assert response.status_code == 400
    assert "Say why the child was not seen alone" in response.content.decode()


def test_partner_cannot_post_to_an_enquiry(recorded, world):
    """The police took part, so they see the enquiry (ADR 0640): working it is 403, not 404; an
    agency that did not take part still gets 404."""
    enquiry = Section47Enquiry.objects.get(person=world.child)
    response = world.client_for(world.police_officer).post(
        reverse("enquiry_child_seen", args=[enquiry.pk]), seen_data()
    )
    assert response.status_code == 403
    response = world.client_for(world.health_practitioner).post(
        reverse("enquiry_child_seen", args=[enquiry.pk]), seen_data()
    )
    assert response.status_code == 404
    enquiry.refresh_from_db()
    assert enquiry.child_seen_at is None


def _seen(world):
    """The younger sibling's enquiry, the child seen."""
    enquiry = Section47Enquiry.objects.get(person=world.sibling)
    enquiries.record_child_seen(
        actor=world.social_worker,
        enquiry=enquiry,
        seen_at=timezone.now(),
        seen_alone=False,
        not_alone_reason="Too young (3)",
        child_views="(pre-verbal) played happily",
    )
    return enquiry


def _determined_1(world, enquiry):
    enquiries.record_determination(
        actor=world.social_worker,
        enquiry=enquiry,
        determination="1",
        rationale="No evidence of harm to the younger sibling.",
    )


def test_manager_ratifies_determination_1(recorded, world):
    enquiry = _seen(world)
    _determined_1(world, enquiry)
    url = reverse("show_enquiry", args=[enquiry.pk])
    sw_page = world.client_for(world.social_worker).get(url).content.decode()
    assert "Waiting for a manager to ratify" in sw_page
    assert "Ratify determination 1" not in sw_page
    # a social worker cannot ratify
    ratify = reverse("enquiry_ratify", args=[enquiry.pk])
    assert world.client_for(world.social_worker).post(ratify).status_code == 404
    manager = world.client_for(world.manager)
    assert "Ratify determination 1" in manager.get(url).content.decode()
    assert "Determinations to ratify (1)" in manager.get(reverse("my_work")).content.decode()
    assert manager.post(ratify).status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.ratified_by == world.manager
    # ratifying again: a clear error, nothing changed
    again = manager.post(ratify)
    assert again.status_code == 400
    assert "Only an unratified determination 1 is ratified" in again.content.decode()
    assert OutcomeNotification.objects.filter(source="DETERMINATION", source_id=enquiry.pk).exists()


def test_manager_returns_determination_1_with_a_reason(recorded, world):
    """Approve or return with a reason, never your own (issue 12): the return clears the
    determination for the lead to determine again, keeps the reason on the chronology and in the
    child's oversight approvals, and tells the lead."""
    from diogelu.chronology.models import ChronologyEvent
    from diogelu.notifications.models import OutboxMessage
    from diogelu.oversight.models import Approval

    enquiry = _seen(world)
    _determined_1(world, enquiry)
    back = reverse("enquiry_return", args=[enquiry.pk])
    reason = "Speak to the nursery before deciding, please."
    # Not a manager: 404; not a POST: 405; partners: 404.
    assert world.client_for(world.social_worker).post(back, {"reason": reason}).status_code == 404
    assert world.client_for(world.police_officer).post(back, {"reason": reason}).status_code == 404
    manager = world.client_for(world.manager)
    assert manager.get(back).status_code == 405
    page = manager.get(reverse("show_enquiry", args=[enquiry.pk])).content.decode()
    assert "Return it to the lead social worker" in page
    # A reason is needed: nothing changes without one.
    short = manager.post(back, {"reason": "No"})
    assert short.status_code == 400
    assert "Explain why the determination is returned" in short.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.determination == "1"
    done = manager.post(back, {"reason": reason})
    assert done.status_code == 302
    enquiry.refresh_from_db()
    assert (enquiry.determination, enquiry.determined_at, enquiry.ratified_at) == ("", None, None)
    assert ChronologyEvent.objects.filter(
        person=world.sibling, title="Section 47 determination 1 returned by a manager"
    ).exists()
    assert OutboxMessage.objects.filter(
        dedupe_key__startswith=f"determination-returned:{enquiry.pk}:",
        recipient_user=world.social_worker,
    ).exists()
    approval = Approval.objects.get(person=world.sibling, kind="DETERMINATION_1")
    assert (approval.status, approval.decided_by, approval.decision_note) == (
        "RETURNED",
        world.manager,
        reason,
    )
    # The lead determines again: a new approval, the returned one kept.
    enquiries.record_determination(
        actor=world.social_worker,
        enquiry=enquiry,
        determination="1",
        rationale="The nursery confirms no concerns for the younger sibling.",
    )
    statuses = Approval.objects.filter(person=world.sibling, kind="DETERMINATION_1")
    assert sorted(statuses.values_list("status", flat=True)) == ["PENDING", "RETURNED"]
    # Never your own: a manager who determined it cannot return it.
    enquiry.determined_by = world.manager
    enquiry.save(update_fields=["determined_by"])
    own = manager.post(back, {"reason": reason})
    assert own.status_code == 403


def test_social_worker_my_work_lists_enquiries(recorded, world):
    body = world.client_for(world.social_worker).get(reverse("my_work")).content.decode()
    assert "Your section 47 enquiries (2)" in body
    for enquiry in Section47Enquiry.objects.all():
        assert reverse("show_enquiry", args=[enquiry.pk]) in body


def test_social_worker_my_work_pages_enquiries(recorded, world, monkeypatch):
    """Enquiries a social worker leads, soonest due first, a page at a time with the count of
    all (issue 17: a lead's list on generated data ran to 141 rows)."""
    from diogelu import my_work

    monkeypatch.setattr(my_work, "ENQUIRIES_PER_PAGE", 1)
    c = world.client_for(world.social_worker)
    ordered = list(Section47Enquiry.objects.order_by("due_at", "pk"))
    assert len(ordered) == 2
    first = c.get(reverse("my_work")).content.decode()
    second = c.get(reverse("my_work"), {"enquiries_page": 2}).content.decode()
    assert "Your section 47 enquiries (2)" in first
    assert "Showing 1 to 1 of 2, soonest due first." in first
    assert "enquiries_page=2#enquiries" in first
    assert reverse("show_enquiry", args=[ordered[0].pk]) in first
    assert reverse("show_enquiry", args=[ordered[1].pk]) not in first
    assert reverse("show_enquiry", args=[ordered[1].pk]) in second


def test_determinations_to_ratify_are_the_authoritys_and_not_the_makers(recorded, world):
    """The waiting determinations are found first and then filtered by what the manager may see
    (issue 17): still only their own authority's, never the maker's own."""
    from diogelu.accounts.models import Role
    from diogelu.enquiries.queues import determinations_to_ratify
    from tests import factories as f

    enquiry = _seen(world)
    assert determinations_to_ratify(world.manager) == []
    _determined_1(world, enquiry)
    assert determinations_to_ratify(world.manager) == [enquiry]
    elsewhere = f.user(world.other_authority, Role.TEAM_MANAGER)
    assert determinations_to_ratify(elsewhere) == []
    assert determinations_to_ratify(world.social_worker) == []
