"""Review and transfer-in conferences, ending a registration, and the child protection section of
the person page: through the pages, for each persona, with their validation."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from diogelu import procedures
from diogelu.accounts.models import Role
from diogelu.conferences import services as conferences
from diogelu.conferences.models import (
    Conference,
    ConferenceKind,
    ConferenceStatus,
    EndReason,
    RegisterEpisode,
)
from diogelu.conferences.tests.test_journey import at, held, three_agencies_attend
from diogelu.plans.due import review_due
from diogelu.plans.models import Plan
from tests import factories as f


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as traveller:
        yield traveller


@pytest.fixture
def plan(world, clock):
    held(world, clock)
    clock.move_to(at(2026, 1, 20, 12))
    return Plan.objects.get()


def client(world, persona):
    return world.client_for(getattr(world, persona))


# --- convening the review --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("social_worker", 200),
        ("manager", 200),
        ("police_officer", 404),  # a core group member reads the plan, never convenes
        ("school_lead", 404),
        ("other_la_worker", 404),
    ],
)
def test_review_and_end_pages_by_persona(world, plan, persona, expected):
    for name in ("convene_review", "end_registration"):
        response = client(world, persona).get(reverse(name, args=[plan.pk]))
        assert response.status_code == expected, name


def test_plan_page_offers_the_review_only_to_staff(world, plan):
    page = client(world, "social_worker").get(reverse("show_plan", args=[plan.pk])).content
    assert reverse("convene_review", args=[plan.pk]) in page.decode()
    assert "Next review conference" in page.decode()
    page = client(world, "police_officer").get(reverse("show_plan", args=[plan.pk])).content
    assert reverse("convene_review", args=[plan.pk]) not in page.decode()
    assert reverse("end_registration", args=[plan.pk]) not in page.decode()


def test_convene_review_through_the_page(world, plan, clock):
    clock.move_to(at(2026, 3, 30, 9))
    sw = client(world, "social_worker")
    bad = sw.post(
        reverse("convene_review", args=[plan.pk]), {"scheduled_on_0": "14", "scheduled_on_1": "4"}
    )
    assert bad.status_code == 400
    assert "govuk-error-summary" in bad.content.decode()
    assert not Conference.objects.filter(kind=ConferenceKind.REVIEW).exists()

    response = sw.post(
        reverse("convene_review", args=[plan.pk]),
        {
            "scheduled_on_0": "14",
            "scheduled_on_1": "4",
            "scheduled_on_2": "2026",
            "scheduled_time": "10:00",
        },
    )
    review = Conference.objects.get(kind=ConferenceKind.REVIEW)
    assert response.status_code == 302
    assert response["Location"] == reverse("show_conference", args=[review.pk])
    # Hand-computed: registered at the ICPC on Monday 19 January 2026; the first review is due
    # within 3 months, by 19 April 2026 (a Sunday: calendar months are not moved to a working day).
    assert procedures.local_date(review.due_at) == review_due(plan.episode).due_on
    assert review.children.get().episode == plan.episode
    page = sw.get(reverse("show_plan", args=[plan.pk])).content.decode()
    assert reverse("show_conference", args=[review.pk]) in page
    assert "Open the review conference convened" in page

    again = sw.post(reverse("convene_review", args=[plan.pk]), {})
    assert again.status_code == 400
    assert "A review is already convened for this child." in again.content.decode()
    assert Conference.objects.filter(kind=ConferenceKind.REVIEW).count() == 1


def _review_ready(world, plan, clock):
    """A review convened, the core group invited and their attendance recorded."""
    clock.move_to(at(2026, 4, 1, 9))
    review = conferences.convene_review_conference(
        actor=world.social_worker, episodes=[plan.episode]
    )
    three_agencies_attend(world, review)
    clock.move_to(at(2026, 4, 14, 12))
    return review


def _review_data(world, review, chair, **overrides):
    child = review.children.get()
    p = f"c{child.pk}_"
    data = {
        "held_on_0": "14",
        "held_on_1": "4",
        "held_on_2": "2026",
        "held_time": "10:00",
        "chair": str(chair.pk),
        p + "child_views": "Siân says home is calmer and she feels safe.",
        p + "views_method": "ATTENDED",
        p + "register": "no",
        p + "reasons": "",
        p + "progress": "Every outcome achieved; the step-father has left the household.",
    }
    data.update({p + k: v for k, v in overrides.items()})
    return data


def test_review_that_deregisters_needs_reasons(world, plan, clock):
    review = _review_ready(world, plan, clock)
    chair = f.user(world.authority, Role.CONFERENCE_CHAIR)
    sw = client(world, "social_worker")
    page = sw.get(reverse("hold_conference", args=[review.pk])).content.decode()
    assert "stay on the register?" in page
    assert "Progress against the plan" in page

    bad = sw.post(reverse("hold_conference", args=[review.pk]), _review_data(world, review, chair))
    assert bad.status_code == 400
    assert "Give the reasons for the decision" in bad.content.decode()
    short = sw.post(
        reverse("hold_conference", args=[review.pk]),
        _review_data(world, review, chair, reasons="Better."),
    )
    assert short.status_code == 400
    assert "evidence of change" in short.content.decode()
    plan.episode.refresh_from_db()
    assert plan.episode.is_open
    assert Conference.objects.get(pk=review.pk).status == ConferenceStatus.CONVENED

    ok = sw.post(
        reverse("hold_conference", args=[review.pk]),
        _review_data(
            world,
            review,
            chair,
            reasons="Siân's lived experience has changed: no incidents in three months, "
            "school attendance 98%, and she says she feels safe.",
        ),
    )
    assert ok.status_code == 302
    episode = RegisterEpisode.objects.get(pk=plan.episode.pk)
    assert not episode.is_open
    assert episode.end_reason == EndReason.REVIEW_DECISION
    assert episode.ending_conference_id == review.pk
    page = sw.get(reverse("show_plan", args=[plan.pk])).content.decode()
    assert "Left the register on" in page
    assert reverse("convene_review", args=[plan.pk]) not in page
    # The police officer was a core group member: the plan is no longer theirs to read.
    assert (
        client(world, "police_officer").get(reverse("show_plan", args=[plan.pk])).status_code == 404
    )


# --- ending a registration without a review -----------------------------------------------


def test_end_registration_refuses_a_child_under_18_and_keeps_the_registration(world, plan):
    sw = client(world, "social_worker")
    response = sw.post(
        reverse("end_registration", args=[plan.pk]),
        {"reason": "AGE_18", "ended_on_0": "20", "ended_on_1": "1", "ended_on_2": "2026"},
    )
    assert response.status_code == 400
    assert "The child is not yet 18." in response.content.decode()
    assert RegisterEpisode.objects.get(pk=plan.episode.pk).is_open
    # A review decision cannot be chosen here.
    response = sw.post(
        reverse("end_registration", args=[plan.pk]),
        {"reason": "REVIEW_DECISION", "ended_on_0": "20", "ended_on_1": "1", "ended_on_2": "2026"},
    )
    assert response.status_code == 400
    assert RegisterEpisode.objects.get(pk=plan.episode.pk).is_open


def test_end_registration_on_leaving_the_uk(world, plan):
    sw = client(world, "social_worker")
    no_note = sw.post(
        reverse("end_registration", args=[plan.pk]),
        {"reason": "LEFT_UK", "ended_on_0": "20", "ended_on_1": "1", "ended_on_2": "2026"},
    )
    assert no_note.status_code == 400
    assert "Record what happened" in no_note.content.decode()
    response = sw.post(
        reverse("end_registration", args=[plan.pk]),
        {
            "reason": "LEFT_UK",
            "ended_on_0": "20",
            "ended_on_1": "1",
            "ended_on_2": "2026",
            "note": "The family moved to Australia permanently; the Australian authorities "
            "were told on 19 January.",
        },
    )
    assert response.status_code == 302
    episode = RegisterEpisode.objects.get(pk=plan.episode.pk)
    assert episode.end_reason == EndReason.LEFT_UK
    assert (
        client(world, "social_worker").get(reverse("end_registration", args=[plan.pk])).status_code
        == 404
    )


# --- transfer-in ----------------------------------------------------------------------------


def test_transfer_in_through_the_person_page(world, clock):
    sw = client(world, "social_worker")
    person_page = sw.get(reverse("show_person", args=[world.sibling.pk])).content.decode()
    assert "Not on the child protection register." in person_page
    url = reverse("convene_transfer_in", args=[world.sibling.pk])
    assert url in person_page
    assert client(world, "police_officer").get(url).status_code == 404
    assert client(world, "other_la_worker").get(url).status_code == 404

    future = sw.post(
        url,
        {
            "from_authority": "Cyngor Sir Enghraifft",
            "notified_on_0": "6",
            "notified_on_1": "2",
            "notified_on_2": "2026",
        },
    )
    assert future.status_code == 400
    assert not Conference.objects.exists()

    response = sw.post(
        url,
        {
            "from_authority": "Cyngor Sir Enghraifft",
            "notified_on_0": "2",
            "notified_on_1": "1",
            "notified_on_2": "2026",
        },
    )
    assert response.status_code == 302
    conference = Conference.objects.get()
    assert conference.kind == ConferenceKind.TRANSFER_IN
    # Hand-computed: told on Friday 2 January 2026; 15 working days → Friday 23 January 2026.
    assert procedures.local_date(conference.due_at).isoformat() == "2026-01-23"
    person_page = sw.get(reverse("show_person", args=[world.sibling.pk])).content.decode()
    assert reverse("show_conference", args=[conference.pk]) in person_page


# --- the person page ---------------------------------------------------------------------------


def test_person_page_shows_the_register_to_those_entitled(world, plan):
    staff = client(world, "social_worker").get(reverse("show_person", args=[world.child.pk]))
    body = staff.content.decode()
    assert "On the child protection register" in body
    assert reverse("show_plan", args=[plan.pk]) in body
    assert reverse("show_conference", args=[plan.episode.conference_id]) in body
    # A core group member sees the registration and the plan, not the conferences list.
    member = client(world, "police_officer").get(reverse("show_person", args=[world.child.pk]))
    body = member.content.decode()
    assert "On the child protection register" in body
    assert reverse("show_plan", args=[plan.pk]) in body
    assert reverse("show_conference", args=[plan.episode.conference_id]) not in body
    # Another officer of the same force is not the named core group member: no plan, and no
    # register section, even where the force's involvement lets them see the child.
    colleague = f.user(world.police, Role.POLICE_OFFICER)
    other = world.client_for(colleague).get(reverse("show_person", args=[world.child.pk]))
    assert other.status_code in (200, 404)
    assert "On the child protection register" not in other.content.decode()
    assert reverse("show_plan", args=[plan.pk]) not in other.content.decode()


def test_conference_page_links_each_registered_child_to_the_plan(world, plan):
    page = client(world, "social_worker").get(
        reverse("show_conference", args=[plan.episode.conference_id])
    )
    assert reverse("show_plan", args=[plan.pk]) in page.content.decode()


# --- a decision per child: errors on the child's own field --------------------------------------


def test_hold_error_names_the_field_of_the_child_at_fault(world, clock):
    clock.move_to(at(2026, 1, 12, 9))
    conference = conferences.convene_transfer_in_conference(
        actor=world.social_worker,
        people=[world.child, world.sibling],
        notified_at=at(2026, 1, 9, 9),
    )
    invitations = three_agencies_attend(world, conference)
    clock.move_to(at(2026, 1, 20, 12))
    chair = f.user(world.authority, Role.CONFERENCE_CHAIR)
    first, second = conference.children.order_by("pk")
    data: dict[str, object] = {
        "held_on_0": "20",
        "held_on_1": "1",
        "held_on_2": "2026",
        "held_time": "10:00",
        "chair": str(chair.pk),
    }
    for child, categories in ((first, ["NEGLECT"]), (second, [])):
        p = f"c{child.pk}_"
        data.update(
            {
                p + "child_views": "Spoke with the advocate about home.",
                p + "views_method": "ADVOCATE",
                p + "register": "yes",
                p + "categories": categories,
                p + "reasons": "Continuing risk of neglect found by the previous authority.",
                p + "lead": str(world.social_worker.pk),
                p + "core_group": [str(i.pk) for i in invitations[1:]],
                p + "first_cg_0": "29",
                p + "first_cg_1": "1",
                p + "first_cg_2": "2026",
                p + "review_0": "14",
                p + "review_1": "4",
                p + "review_2": "2026",
                p + "contingency": "Strategy discussion the same day if anything new happens.",
            }
        )
    response = client(world, "social_worker").post(
        reverse("hold_conference", args=[conference.pk]), data
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert f'href="#c{second.pk}_categories' in body
    assert f'href="#c{first.pk}_categories' not in body
    assert not RegisterEpisode.objects.exists()


# --- My work ------------------------------------------------------------------------------------


def test_my_work_lists_conferences_reports_records_and_registered_children(world, clock):
    from diogelu.conferences.tests.test_journey import convened

    conference, invites = convened(world, clock)
    police = client(world, "police_officer").get(reverse("my_work")).content.decode()
    assert reverse("show_conference", args=[conference.pk]) in police
    assert "Send your report for the initial child protection conference" in police
    school = client(world, "school_lead").get(reverse("my_work")).content.decode()
    assert "Send your report" in school  # invited as an agency, with no named practitioner
    other = client(world, "other_la_worker").get(reverse("my_work")).content.decode()
    assert reverse("show_conference", args=[conference.pk]) not in other
    sw = client(world, "social_worker").get(reverse("my_work")).content.decode()
    assert "to be held" in sw

    conferences.submit_agency_report(
        actor=world.police_officer,
        invitation=invites["police"],
        text="Two domestic incidents attended at the address since June.",
    )
    police = client(world, "police_officer").get(reverse("my_work")).content.decode()
    assert "Send your report" not in police


def test_my_work_lists_records_to_circulate_and_acknowledge(world, clock):
    conference, _invites = held(world, clock)
    clock.move_to(at(2026, 1, 21, 9))
    sw = client(world, "social_worker").get(reverse("my_work")).content.decode()
    assert "record to be circulated" in sw
    assert "Registered children you lead" in sw
    plan = Plan.objects.get()
    assert reverse("show_plan", args=[plan.pk]) in sw
    made = conferences.circulate_record(actor=world.social_worker, conference=conference)
    police = client(world, "police_officer").get(reverse("my_work")).content.decode()
    mine = next(c for c in made if c.recipient_user_id == world.police_officer.pk)
    assert reverse("acknowledge_record", args=[mine.pk]) in police
    conferences.acknowledge_record(actor=world.police_officer, circulation=mine)
    police = client(world, "police_officer").get(reverse("my_work")).content.decode()
    assert reverse("acknowledge_record", args=[mine.pk]) not in police
    sw = client(world, "social_worker").get(reverse("my_work")).content.decode()
    assert "record to be circulated" not in sw


def test_links_in_tables_are_links_not_escaped_text(world, plan):
    """Table cells built from translated text must not escape their own tags."""
    pages = [
        reverse("show_conference", args=[plan.episode.conference_id]),
        reverse("show_plan", args=[plan.pk]),
        reverse("show_person", args=[world.child.pk]),
    ]
    conferences.circulate_record(actor=world.social_worker, conference=plan.episode.conference)
    for url in pages:
        body = client(world, "social_worker").get(url).content.decode()
        assert "&lt;a class" not in body, url
        assert "&lt;span" not in body, url


def test_my_work_stops_listing_the_enquiry_once_its_conference_is_convened(world, clock):
    from diogelu.conferences.tests.test_journey import determination_3

    enquiry = determination_3(world, clock)
    sw = client(world, "social_worker")
    assert reverse("show_enquiry", args=[enquiry.pk]) in sw.get(reverse("my_work")).content.decode()
    conference = conferences.convene_conference(actor=world.social_worker, enquiries=[enquiry])
    body = sw.get(reverse("my_work")).content.decode()
    assert reverse("show_enquiry", args=[enquiry.pk]) not in body
    assert reverse("show_conference", args=[conference.pk]) in body


def test_a_partner_reads_its_copy_of_the_record_until_acknowledged_and_involvement_ended(
    world, plan, clock, monkeypatch
):
    """After the child leaves the register, a partner whose only involvement came from the
    conference keeps nothing but a copy not yet acknowledged (so it can still be read and
    acknowledged); a partner involved otherwise (the police, from the MASH) keeps theirs."""
    # The step-up before a download is tested in tests/test_step_up.py; this is about access.
    monkeypatch.setattr("diogelu.accounts.stepup.has_recent_step_up", lambda request: True)
    conference_id = plan.episode.conference_id
    made = conferences.circulate_record(
        actor=world.social_worker, conference=plan.episode.conference
    )
    health = next(c for c in made if c.recipient_user_id == world.health_practitioner.pk)
    police = next(c for c in made if c.recipient_user_id == world.police_officer.pk)
    record = reverse("acknowledge_record", args=[health.pk])
    record_pdf = reverse("conference_record_pdf", args=[conference_id])
    hv = client(world, "health_practitioner")
    assert hv.get(record).status_code == 200
    assert hv.get(record_pdf).status_code == 200

    clock.move_to(at(2026, 2, 2, 9))
    conferences.end_registration(
        actor=world.social_worker,
        episode=plan.episode,
        reason=EndReason.LEFT_UK,
        ended_at=at(2026, 2, 2, 8),
        note="The family emigrated permanently.",
    )
    hv = client(world, "health_practitioner")  # signed in again after the idle timeout
    # Not yet acknowledged: still readable, and it can be acknowledged.
    assert hv.get(record).status_code == 200
    # Acknowledging ends this partner's sight of it: back to My work, not to a 404.
    acknowledged = hv.post(record)
    assert acknowledged.status_code == 302
    assert acknowledged["Location"] == reverse("my_work")
    # Acknowledged, and the involvement has ended: nothing.
    assert hv.get(record).status_code == 404
    assert hv.get(record_pdf).status_code == 404
    assert hv.get(reverse("show_conference", args=[conference_id])).status_code == 404
    assert (
        reverse("acknowledge_record", args=[health.pk])
        not in hv.get(reverse("my_work")).content.decode()
    )
    # The police are still involved with the child (the MASH): their copy stays readable.
    conferences.acknowledge_record(actor=world.police_officer, circulation=police)
    police_client = client(world, "police_officer")
    assert police_client.get(reverse("acknowledge_record", args=[police.pk])).status_code == 200


def test_hold_page_flags_a_child_registered_before(world, plan, clock):
    clock.move_to(at(2026, 2, 2, 9))
    conferences.end_registration(
        actor=world.social_worker,
        episode=plan.episode,
        reason=EndReason.TRANSFERRED_OUT,
        ended_at=at(2026, 2, 2, 8),
        note="Moved to Aberdewi; their transfer-in conference was held.",
    )
    transfer = conferences.convene_transfer_in_conference(
        actor=world.social_worker, people=[world.child], notified_at=at(2026, 2, 2, 8, 30)
    )
    page = client(world, "social_worker").get(reverse("hold_conference", args=[transfer.pk]))
    body = page.content.decode()
    assert "Registered before" in body
    assert "On the register from 19 January 2026 to 2 February 2026" in body
    sibling_free = client(world, "social_worker").get(
        reverse("hold_conference", args=[plan.episode.conference_id])
    )
    assert "Registered before" not in sibling_free.content.decode()


def test_an_invitee_who_can_no_longer_see_the_child_cannot_send_a_report(world, clock):
    from diogelu.conferences.tests.test_journey import convened

    conference, invites = convened(world, clock)
    hv = client(world, "health_practitioner")
    report = reverse("conference_report", args=[invites["health"].pk])
    assert hv.get(report).status_code == 200
    world.child.is_restricted = True  # only named users see a restricted record
    world.child.save()
    assert hv.get(report).status_code == 404
    posted = hv.post(report, {"text": "Two missed appointments and a bruise seen at clinic."})
    assert posted.status_code == 404
    invites["health"].refresh_from_db()
    assert invites["health"].report_submitted_at is None
    assert report not in hv.get(reverse("my_work")).content.decode()
    assert (
        reverse("show_conference", args=[conference.pk])
        not in hv.get(reverse("my_work")).content.decode()
    )


def test_an_agency_invited_without_a_named_practitioner_is_named_once(world, clock):
    from diogelu.conferences.tests.test_journey import convened

    conference, _invites = convened(world, clock)
    body = client(world, "social_worker").get(reverse("hold_conference", args=[conference.pk]))
    school = world.school.name
    assert school in body.content.decode()
    assert f"{school} ({school})" not in body.content.decode()
