"""The report, reporter and MASH pages, persona by persona: report a child at risk page by page,
the reporter's view of a sent report, intake with candidates and reasons, checks, the decision
with authorisation, outcomes and closing."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from diogelu.access.models import AccessLog, Part
from diogelu.accounts.models import Role
from diogelu.referrals import services as referrals
from diogelu.referrals.intake import candidates_for
from diogelu.referrals.models import Decision, Outcome, Report, ReportChild, ReportStatus
from diogelu.sharing import services as sharing
from diogelu.sharing.models import InformationRequest, OutcomeNotification
from tests import factories as f


def _errors(response) -> list[str]:
    html = response.content.decode()
    assert 'class="govuk-error-summary' in html, "no error summary on the page"
    block = html.split('govuk-error-summary__list"', 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r"<li>(.*?)</li>", block, re.S)]


def _start(client: Client, world, **extra) -> Report:
    response = client.post(reverse("start_report"), {"authority": world.authority.pk, **extra})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Report.objects.latest("pk")


def _child(given="Siân", family="Prydderch", dob=(27, 3, 2015), **extra) -> dict[str, str]:
    data = {"given_name": given, "family_name": family}
    if dob:
        data.update(
            date_of_birth_0=str(dob[0]), date_of_birth_1=str(dob[1]), date_of_birth_2=str(dob[2])
        )
    data.update(extra)
    return data


def _step(report: Report, step: str) -> str:
    return reverse("report_step", args=[report.pk, step])


def _fill(world, client: Client, report: Report) -> None:
    """Answer every question page of a draft through the pages."""
    client.post(reverse("add_report_child", args=[report.pk]), _child(nhs_number="999 000 0018"))
    client.post(reverse("add_report_child", args=[report.pk]), _child("Dafydd", dob=None))
    for step, data in (
        ("children", {}),
        ("concerns", {"categories": ["PHYSICAL"], "what_happened": "Bruises on both arms."}),
        ("danger", {"immediate_danger": "NO"}),
        ("family", {"family_aware": "NO"}),
        ("basis", {"lawful_basis": "SAFEGUARDING"}),
    ):
        report.refresh_from_db()
        response = client.post(_step(report, step), {"version": report.version, **data})
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    report.refresh_from_db()


def _sent_report(world) -> Report:
    """A school's report of the two siblings, sent through the services."""
    report = referrals.start_report(actor=world.school_lead, authority=world.authority)
    referrals.add_child(
        actor=world.school_lead,
        report=report,
        fields={
            "given_name": "Siân",
            "family_name": "Prydderch",
            "date_of_birth": datetime.date(2015, 3, 27),
            "nhs_number": "9990000018",
            "postcode": "CF31 4AB",
        },
    )
    referrals.add_child(
        actor=world.school_lead,
        report=report,
        fields={"given_name": "David", "family_name": "Prydderch"},
    )
    report = referrals.save_report_answers(
        actor=world.school_lead,
        report=report,
        expected_version=report.version,
        answers={
            "what_happened": "Bruises on both arms; said her step-dad grabbed her.",
            "categories": ["PHYSICAL"],
            "immediate_danger": "NO",
            "family_aware": "NO",
            "lawful_basis": "SAFEGUARDING",
        },
    )
    return referrals.submit_report(actor=world.school_lead, report=report)


def _linked_report(world) -> Report:
    report = _sent_report(world)
    first, second = report.children.all()
    referrals.link_child(actor=world.mash, child=first, person=world.child)
    referrals.link_child(actor=world.mash, child=second, person=world.sibling)
    report.refresh_from_db()
    return report


# --- Reporting, page by page -----------------------------------------------------------------


def test_reporter_journey_page_by_page(world):
    client = world.client_for(world.school_lead)
    start = client.get(reverse("start_report"))
    assert start.status_code == 200
    assert "Report a child at risk" in start.content.decode()
    report = _start(client, world)
    assert report.status == ReportStatus.DRAFT and report.reporter_user == world.school_lead

    # children: continuing with none, and a bad NHS number, are refused and change nothing
    response = client.post(_step(report, "children"), {"version": report.version})
    assert response.status_code == 400
    assert _errors(response) == ["Add at least one child"]
    response = client.post(
        reverse("add_report_child", args=[report.pk]), _child(nhs_number="1234567890")
    )
    assert response.status_code == 400
    assert "Enter a real NHS number, or leave it blank" in _errors(response)
    response = client.post(reverse("add_report_child", args=[report.pk]), _child(dob=(31, 2, 2015)))
    assert response.status_code == 400
    assert _errors(response) == ["Date of birth must be a real date"]
    response = client.post(reverse("add_report_child", args=[report.pk]), {"is_unborn": "on"})
    assert _errors(response) == ["Enter the expected date of birth"]
    assert not report.children.exists()
    assert client.post(reverse("add_report_child", args=[report.pk]), _child()).status_code == 302
    unborn = {
        "family_name": "Prydderch",
        "is_unborn": "on",
        "expected_date_of_birth_0": "1",
        "expected_date_of_birth_1": "9",
        "expected_date_of_birth_2": str(timezone.localdate().year + 1),
    }
    assert client.post(reverse("add_report_child", args=[report.pk]), unborn).status_code == 302
    page = client.get(_step(report, "children")).content.decode()
    assert "Siân Prydderch" in page and "Unborn child of Prydderch" in page
    response = client.post(_step(report, "children"), {"version": report.version})
    assert response.status_code == 302 and response["Location"] == _step(report, "concerns")

    # concerns: nothing chosen and nothing written
    response = client.post(_step(report, "concerns"), {"version": report.version})
    assert response.status_code == 400
    assert _errors(response) == ["Choose at least one kind of concern", "Enter what happened"]
    report.refresh_from_db()
    assert report.what_happened == "" and report.version == 1
    response = client.post(
        _step(report, "concerns"),
        {
            "version": report.version,
            "categories": ["PHYSICAL", "NEGLECT"],
            "flags": ["DOMESTIC_ABUSE"],
            "what_happened": "Bruises on both arms.",
            "child_words": "He grabbed me.",
        },
    )
    assert response.status_code == 302 and response["Location"] == _step(report, "danger")
    report.refresh_from_db()
    assert report.categories == ["NEGLECT", "PHYSICAL"] and report.flags == ["DOMESTIC_ABUSE"]

    # danger: yes, without saying whether the police were called
    response = client.post(
        _step(report, "danger"), {"version": report.version, "immediate_danger": "YES"}
    )
    assert response.status_code == 400
    assert _errors(response) == ["Say whether the police have been called"]
    report.refresh_from_db()
    assert report.immediate_danger == ""
    response = client.post(
        _step(report, "danger"),
        {
            "version": report.version,
            "immediate_danger": "YES",
            "police_called": "YES",
            "police_reference": "DP-2026-0411",
        },
    )
    assert response.status_code == 302

    # family
    response = client.post(_step(report, "family"), {"version": report.version + 1})
    assert response.status_code == 400
    assert _errors(response) == ["Say whether the family knows you are reporting"]
    report.refresh_from_db()
    response = client.post(
        _step(report, "family"),
        {"version": report.version, "family_aware": "NO", "who_else_knows": "School nurse"},
    )
    assert response.status_code == 302

    # lawful basis, with the explanation that consent is not required
    page = client.get(_step(report, "basis")).content.decode()
    assert "You do not need the family's consent" in page
    report.refresh_from_db()
    response = client.post(_step(report, "basis"), {"version": report.version})
    assert response.status_code == 400
    assert _errors(response) == ["Choose the lawful basis for sharing"]
    response = client.post(
        _step(report, "basis"), {"version": report.version, "lawful_basis": "SAFEGUARDING"}
    )
    assert response["Location"] == reverse("check_report", args=[report.pk])

    # check your answers, with change links
    page = client.get(reverse("check_report", args=[report.pk])).content.decode()
    assert "Check your answers before sending your report" in page
    assert "You have not answered every question" not in page
    assert f"{_step(report, 'concerns')}?change=1" in page
    assert "DP-2026-0411" in page and "He grabbed me." in page

    # send twice: one report
    first = client.post(reverse("check_report", args=[report.pk]))
    second = client.post(reverse("check_report", args=[report.pk]))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("report_sent", args=[report.pk])
    assert Report.objects.count() == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.reference
    sent = client.get(first["Location"]).content.decode()
    assert "Report sent" in sent and report.reference in sent
    # a sent report's question pages lead to its progress page
    assert client.get(_step(report, "concerns"))["Location"] == reverse(
        "show_report", args=[report.pk]
    )
    ours = client.get(reverse("your_reports")).content.decode()
    assert report.reference in ours


def test_change_from_check_your_answers_returns_there(world):
    client = world.client_for(world.school_lead)
    report = _start(client, world)
    _fill(world, client, report)
    response = client.post(
        _step(report, "family") + "?change=1",
        {"version": report.version, "family_aware": "YES"},
    )
    assert response["Location"] == reverse("check_report", args=[report.pk])
    child = report.children.first()
    response = client.get(reverse("remove_report_child", args=[report.pk, child.pk]))
    assert "Remove Siân Prydderch from the report?" in response.content.decode()
    response = client.post(
        reverse("remove_report_child", args=[report.pk, child.pk]), {"confirm": "yes"}
    )
    assert response.status_code == 302
    assert report.children.count() == 1


def test_check_your_answers_lists_what_is_missing(world):
    client = world.client_for(world.school_lead)
    report = _start(client, world)
    page = client.get(reverse("check_report", args=[report.pk])).content.decode()
    assert "You have not answered every question" in page
    assert "Add at least one child" in page
    assert f'href="{_step(report, "concerns")}?change=1"' in page
    response = client.post(reverse("check_report", args=[report.pk]))
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.reference is None


def test_stale_edit_is_refused(world):
    client = world.client_for(world.school_lead)
    report = _start(client, world)
    loaded_at = report.version
    # the same draft saved in another tab
    referrals.save_report_answers(
        actor=world.school_lead,
        report=report,
        expected_version=loaded_at,
        answers={"what_happened": "Saved in the other tab."},
    )
    response = client.post(
        _step(report, "concerns"),
        {"version": loaded_at, "categories": ["NEGLECT"], "what_happened": "Older text."},
    )
    assert response.status_code == 409
    assert "Someone else changed this record while you were editing it." in _errors(response)
    report.refresh_from_db()
    assert report.what_happened == "Saved in the other tab." and report.categories == []
    # the page now carries the current version, so saving again is a deliberate choice
    assert f'name="version" value="{report.version}"' in response.content.decode()


def test_only_the_author_sees_a_draft(world):
    client = world.client_for(world.school_lead)
    report = _start(client, world)
    for persona in (world.police_officer, world.social_worker, world.mash, world.other_la_worker):
        other = world.client_for(persona)
        assert other.get(_step(report, "concerns")).status_code == 404
        assert other.get(reverse("check_report", args=[report.pk])).status_code == 404
        assert other.get(reverse("show_report", args=[report.pk])).status_code == 404
    assert Client().get(_step(report, "concerns"))["Location"].startswith(reverse("sign_in"))


def test_start_page_offers_partner_authorities(world):
    world.police.partner_of.add(world.other_authority)
    client = world.client_for(world.police_officer)
    page = client.get(reverse("start_report")).content.decode()
    assert "Glanrafon Children&#39;s Services" in page and "Aberdewi" in page
    response = client.post(reverse("start_report"), {})
    assert response.status_code == 400
    assert _errors(response) == ["Choose the local authority"]
    report = _start(client, world)
    assert report.authority == world.authority and report.channel == "ONLINE"


def test_local_authority_records_a_phone_report(world):
    client = world.client_for(world.mash)
    report = _start(client, world, channel="PHONE")
    assert report.channel == "PHONE" and report.reporter_user is None
    response = client.get(_step(report, "reporter"))
    assert response.status_code == 200
    response = client.post(
        _step(report, "reporter"),
        {"version": report.version, "channel": "PHONE", "reporter_kind": "PRACTITIONER"},
    )
    assert response.status_code == 400
    assert _errors(response) == ["Enter who made the report, or say it was anonymous"]
    earlier = timezone.localtime(timezone.now() - datetime.timedelta(hours=2))
    response = client.post(
        _step(report, "reporter"),
        {
            "version": report.version,
            "channel": "PHONE",
            "reporter_kind": "PRACTITIONER",
            "reporter_name": "Nurse Bethan Hughes, health visiting",
            "reporter_contact": "01234 567890",
            "received_on_0": str(earlier.day),
            "received_on_1": str(earlier.month),
            "received_on_2": str(earlier.year),
            "received_time": earlier.strftime("%H:%M"),
        },
    )
    assert response.status_code == 302 and response["Location"] == _step(report, "children")
    report.refresh_from_db()
    _fill(world, client, report)
    assert client.post(reverse("check_report", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.received_at == earlier.replace(second=0, microsecond=0)
    assert report.confirmation_due_at is not None
    sent = client.get(reverse("report_sent", args=[report.pk])).content.decode()
    assert "must be confirmed in writing by" in sent
    page = client.get(reverse("show_report", args=[report.pk])).content.decode()
    assert "Record written confirmation" in page
    response = client.post(reverse("confirm_report_in_writing", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.confirmation_received_at is not None


def test_partner_cannot_record_written_confirmation(world):
    report = _sent_report(world)
    response = world.client_for(world.school_lead).post(
        reverse("confirm_report_in_writing", args=[report.pk])
    )
    assert response.status_code == 403


# --- The reporter's view ---------------------------------------------------------------------


def test_reporter_sees_progress_and_acknowledges_their_outcome(world):
    report = _linked_report(world)
    referrals.record_decision(
        actor=world.manager,
        report=report,
        outcome=Outcome.ASSESSMENT,
        rationale="Needs a care and support assessment.",
    )
    client = world.client_for(world.school_lead)
    before = AccessLog.objects.filter(user=world.school_lead, part=Part.REPORT).count()
    page = client.get(reverse("show_report", args=[report.pk])).content.decode()
    assert report.reference in page and "Decided" in page
    # The school reported and is involved with the child: it hears once, as the reporting agency
    # (issue 11), with the agencies' content its staff are entitled to.
    mine = OutcomeNotification.objects.get(recipient_agency=world.school, is_reporter=True)
    assert not OutcomeNotification.objects.filter(recipient_user=world.school_lead).exists()
    assert mine.title in page
    # each read of a report about known children is in the access log
    assert AccessLog.objects.filter(user=world.school_lead, part=Part.REPORT).count() == before + 2
    theirs = OutcomeNotification.objects.exclude(pk=mine.pk).first()
    assert (
        client.post(reverse("acknowledge_report_outcome", args=[report.pk, theirs.pk])).status_code
        == 404  # someone else's outcome answers like a missing one (tests/test_idor_matrix.py)
    )
    response = client.post(reverse("acknowledge_report_outcome", args=[report.pk, mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.acknowledged_by == world.school_lead
    listing = client.get(reverse("your_reports")).content.decode()
    assert "All acknowledged" in listing


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("school_lead", 200),
        ("social_worker", 200),
        ("mash", 200),
        ("police_officer", 404),
        ("health_practitioner", 404),
        ("other_la_worker", 404),
    ],
)
def test_who_sees_a_sent_report(world, persona, status):
    report = _sent_report(world)
    client = world.client_for(getattr(world, persona))
    assert client.get(reverse("show_report", args=[report.pk])).status_code == status
    assert client.get(reverse("show_report", args=[report.pk + 999])).status_code == 404


# --- Intake ------------------------------------------------------------------------------------


def test_intake_candidates_with_reasons(world):
    look_alike = f.person(
        world.authority,
        given_name="Siân",
        family_name="Prydderch",
        date_of_birth=datetime.date(2015, 3, 27),
    )
    f.person(world.other_authority, given_name="Siân", family_name="Prydderch")
    report = _sent_report(world)
    sian, david = report.children.all()
    found = candidates_for(sian, world.mash)
    assert found[0].person == world.child  # the NHS-number match ranks first
    assert found[0].reasons[0] == "Same NHS number"
    assert "Same postcode" in found[0].reasons
    assert look_alike in [c.person for c in found]
    others = next(c for c in found if c.person == look_alike)
    assert {"Same date of birth", "Same given name", "Same family name"} <= set(others.reasons)
    assert all(c.person.authority == world.authority for c in found)
    brothers = candidates_for(david, world.mash)
    assert brothers[0].person == world.sibling
    assert "Given name is a Welsh/English form (Dafydd/David)" in brothers[0].reasons
    # only people the user may see
    assert candidates_for(sian, world.health_practitioner) == []
    assert world.child not in [c.person for c in candidates_for(sian, world.other_la_worker)]


def test_mash_page_links_a_child_and_shows_the_family(world):
    report = _sent_report(world)
    sian, david = report.children.all()
    client = world.client_for(world.mash)
    page = client.get(reverse("mash_report", args=[report.pk])).content.decode()
    assert "Same NHS number" in page and "Link to this person" in page
    assert "None of these: create a new record" in page
    response = client.post(
        reverse("mash_link_child", args=[report.pk, sian.pk]), {"person": world.child.pk}
    )
    assert response.status_code == 302
    sian.refresh_from_db()
    assert sian.person == world.child
    response = client.post(reverse("mash_create_person", args=[report.pk, david.pk]))
    assert response.status_code == 302
    david.refresh_from_db()
    assert david.person is not None and david.person.given_name == "David"
    page = client.get(reverse("mash_report", args=[report.pk])).content.decode()
    assert "Family network" in page and "Rhian Prydderch" in page
    rows = AccessLog.objects.filter(user=world.mash, part=Part.REPORT, route="mash_report")
    assert {r.person_id for r in rows} == {world.child.pk, david.person_id}
    # a person of another authority cannot be linked: 404 as for a missing one
    response = client.post(
        reverse("mash_link_child", args=[report.pk, sian.pk]), {"person": world.other_child.pk}
    )
    assert response.status_code == 404


# --- MASH pages per persona --------------------------------------------------------------------


def test_mash_pages_per_persona(world):
    report = _sent_report(world)
    pages = [reverse("mash_report_list"), reverse("mash_report", args=[report.pk])]
    for page in pages:
        assert Client().get(page)["Location"].startswith(reverse("sign_in"))
    other_mash = f.user(world.other_authority, Role.MASH_PRACTITIONER)
    for persona in (
        world.police_officer,
        world.school_lead,
        world.health_practitioner,
        world.social_worker,
        world.other_la_worker,
    ):
        client = world.client_for(persona)
        for page in pages:
            assert client.get(page).status_code == 404, (persona, page)
    other = world.client_for(other_mash)
    assert other.get(pages[0]).status_code == 200
    assert report.reference not in other.get(pages[0]).content.decode()
    assert other.get(pages[1]).status_code == 404
    assert (
        other.post(
            reverse("mash_decide", args=[report.pk]), {"decision-outcome": "NFA"}
        ).status_code
        == 404
    )
    for persona in (world.mash, world.manager):
        client = world.client_for(persona)
        listing = client.get(pages[0]).content.decode()
        assert report.reference in listing and "Siân Prydderch" in listing
        assert "Due by" in listing
        assert client.get(pages[1]).status_code == 200


def test_information_request_from_the_mash_page(world):
    report = _linked_report(world)
    sian = report.children.first()
    client = world.client_for(world.mash)
    response = client.post(
        reverse("mash_request_information", args=[report.pk]),
        {"request-child": sian.pk, "request-agency": world.police.pk, "request-priority": ""},
    )
    assert response.status_code == 400
    assert _errors(response) == [
        "Choose how urgent the request is",
        "Enter the question for the agency",
    ]
    assert not InformationRequest.objects.exists()
    data = {
        "request-child": sian.pk,
        "request-agency": world.police.pk,
        "request-priority": "URGENT",
        "request-question": "Any incidents at the address?",
    }
    assert (
        client.post(reverse("mash_request_information", args=[report.pk]), data).status_code == 302
    )
    request = InformationRequest.objects.get()
    assert request.agency == world.police and request.child == sian
    response = client.post(reverse("mash_request_information", args=[report.pk]), data)
    assert response.status_code == 400
    assert _errors(response) == ["This agency already has an open request about this child."]
    sharing.answer_request(
        actor=world.police_officer,
        request=request,
        holds_information=True,
        summary="Two domestic incidents this year.",
    )
    page = client.get(reverse("mash_report", args=[report.pk])).content.decode()
    assert "Two domestic incidents this year." in page and "Dyffryn Police" in page


def test_decision_needs_authorisation_and_a_manager_authorises(world):
    report = _linked_report(world)
    client = world.client_for(world.mash)
    response = client.post(
        reverse("mash_decide", args=[report.pk]), {"decision-outcome": "STRATEGY"}
    )
    assert response.status_code == 400
    assert _errors(response) == ["Explain the reasons for the decision"]
    assert not Decision.objects.exists()
    page = client.get(reverse("mash_report", args=[report.pk])).content.decode()
    assert "These decisions need a manager's authorisation" in page
    response = client.post(
        reverse("mash_decide", args=[report.pk]),
        {
            "decision-outcome": "STRATEGY",
            "decision-rationale": "Disclosure and injuries: reasonable cause to suspect harm.",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.needs_authorisation and decision.authorised_at is None
    page = client.get(reverse("mash_report", args=[report.pk])).content.decode()
    assert "Waiting for a manager's authorisation" in page
    assert "Authorise decision" not in page
    # the practitioner cannot authorise
    response = client.post(reverse("mash_authorise_decision", args=[report.pk]), {})
    assert response.status_code == 403
    assert _errors(response) == ["Only a manager can authorise a decision."]
    manager = world.client_for(world.manager)
    assert (
        "Authorise decision"
        in manager.get(reverse("mash_report", args=[report.pk])).content.decode()
    )
    response = manager.post(
        reverse("mash_authorise_decision", args=[report.pk]), {"authorise-note": "Agreed."}
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    report.refresh_from_db()
    assert decision.authorised_by == world.manager and report.status == ReportStatus.DECIDED
    assert OutcomeNotification.objects.filter(report=report).exists()
    # a second decision is refused
    response = manager.post(
        reverse("mash_decide", args=[report.pk]),
        {"decision-outcome": "NFA", "decision-rationale": "Changed my mind entirely."},
    )
    assert response.status_code == 400
    assert Decision.objects.count() == 1


def test_manager_cannot_authorise_their_own_decision(world):
    report = _linked_report(world)
    other_manager = f.user(world.authority, Role.TEAM_MANAGER, Role.MASH_PRACTITIONER)
    referrals.record_decision(
        actor=world.mash,
        report=report,
        outcome=Outcome.NO_FURTHER_ACTION,
        rationale="Nothing. No concerns found by any agency.",
    )
    Decision.objects.filter(report=report).update(decided_by=other_manager)
    client = world.client_for(other_manager)
    page = client.get(reverse("mash_report", args=[report.pk])).content.decode()
    assert "A manager must authorise this decision before it takes effect." in page
    response = client.post(reverse("mash_authorise_decision", args=[report.pk]), {})
    assert response.status_code == 403
    assert _errors(response) == ["You cannot authorise your own decision."]


def test_deciding_on_a_closed_report_is_refused(world):
    report = _linked_report(world)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.CLOSED)
    response = world.client_for(world.mash).post(
        reverse("mash_decide", args=[report.pk]),
        {"decision-outcome": "IAA", "decision-rationale": "Advice to the family by letter."},
    )
    assert response.status_code == 400
    assert _errors(response) == ["This report is closed."]
    assert not Decision.objects.exists()


def test_deciding_before_every_child_is_linked_is_refused(world):
    report = _sent_report(world)
    response = world.client_for(world.manager).post(
        reverse("mash_decide", args=[report.pk]),
        {"decision-outcome": "IAA", "decision-rationale": "Advice to the family by letter."},
    )
    assert response.status_code == 400
    assert _errors(response) == ["Link every child to a person before deciding."]


def test_closing_refused_while_outcomes_unacknowledged(world):
    report = _linked_report(world)
    referrals.record_decision(
        actor=world.manager,
        report=report,
        outcome=Outcome.INFORMATION_ADVICE,
        rationale="Advice to the family; school to monitor.",
    )
    report.refresh_from_db()
    client = world.client_for(world.mash)
    page = client.get(reverse("mash_report", args=[report.pk])).content.decode()
    assert "Waiting for acknowledgement" in page and "Close report" in page
    response = client.post(
        reverse("mash_close_report", args=[report.pk]), {"close-version": report.version}
    )
    assert response.status_code == 400
    assert _errors(response) == ["Every recipient must acknowledge the outcome before closing."]
    report.refresh_from_db()
    assert report.status == ReportStatus.DECIDED
    by_agency = {
        world.police.pk: world.police_officer,
        world.school.pk: world.school_lead,
        world.health.pk: world.health_practitioner,
    }
    for n in OutcomeNotification.objects.filter(report=report):
        actor = n.recipient_user or by_agency[n.recipient_agency_id]
        sharing.acknowledge_outcome(actor=actor, notification=n)
    response = client.post(
        reverse("mash_close_report", args=[report.pk]), {"close-version": report.version - 1}
    )
    assert response.status_code == 409
    response = client.post(
        reverse("mash_close_report", args=[report.pk]),
        {"close-version": report.version, "close-note": "All acknowledged."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED
    page = client.get(reverse("mash_report", args=[report.pk])).content.decode()
    assert "Closed by" in page and "Link to this person" not in page


def test_share_with_newly_involved_agencies(world):
    report = _linked_report(world)
    referrals.record_decision(
        actor=world.manager,
        report=report,
        outcome=Outcome.INFORMATION_ADVICE,
        rationale="Advice to the family; school to monitor.",
    )
    youth = f.agency("YOUTH_JUSTICE", "Glanrafon Youth Justice")
    f.involve(world.child, youth)
    client = world.client_for(world.mash)
    page = client.get(reverse("mash_report", args=[report.pk])).content.decode()
    assert "Share with newly involved agencies" in page
    response = client.post(reverse("mash_share_outcomes", args=[report.pk]))
    assert response.status_code == 302
    assert OutcomeNotification.objects.filter(recipient_agency=youth).count() == 1
    page = client.get(reverse("mash_report", args=[report.pk])).content.decode()
    assert "Share with newly involved agencies" not in page


def test_report_children_are_named_by_what_the_reporter_gave(world):
    report = _sent_report(world)
    assert [c.display_name for c in ReportChild.objects.filter(report=report)] == [
        "Siân Prydderch",
        "David Prydderch",
    ]


def test_only_the_local_authority_records_when_a_report_arrived(world):
    from diogelu.core.exceptions import NotPermittedError

    report = referrals.start_report(actor=world.school_lead, authority=world.authority)
    with pytest.raises(NotPermittedError):
        referrals.save_report_answers(
            actor=world.school_lead,
            report=report,
            expected_version=report.version,
            answers={"received_at": timezone.now() - datetime.timedelta(hours=1)},
        )
    report.refresh_from_db()
    assert report.received_at is None


def test_concerns_are_checkboxes_and_answers_radios(world):
    client = world.client_for(world.school_lead)
    report = _start(client, world)
    page = client.get(_step(report, "concerns")).content.decode()
    assert re.search(
        r'type="checkbox"[^>]*name="categories"|name="categories"[^>]*type="checkbox"', page
    )
    assert 'class="govuk-checkboxes' in page
    page = client.get(_step(report, "danger")).content.decode()
    assert 'class="govuk-radios' in page and 'type="checkbox"' not in page


def test_time_left_is_shown_one_way_on_every_page(world):
    """Regression: the MASH report page said "3 days 14 hours left" while the MASH dashboard said
    "1 working day left" for the same 1-working-day decision. One presenter, in working days."""
    import time_machine

    received = datetime.datetime(2026, 5, 22, 9, 30, tzinfo=datetime.UTC)  # a Friday
    with time_machine.travel(received, tick=False):
        report = _sent_report(world)
    client = world.client_for(world.mash)
    with time_machine.travel(received + datetime.timedelta(hours=1), tick=False):
        pages = {
            name: client.get(reverse(name, args=args)).content.decode()
            for name, args in (
                ("mash_report", [report.pk]),
                ("mash_report_list", []),
                ("mash_dashboard", []),
            )
        }
    for name, page in pages.items():
        assert "1 working day left" in page, name
        assert "hours left" not in page and "days left" not in page, name


def test_report_naming_a_restricted_child_is_hidden_from_unnamed_staff(world):
    from diogelu.referrals import services as referrals
    from diogelu.referrals.access import visible_reports

    report = referrals.start_report(actor=world.school_lead, authority=world.authority)
    referrals.add_child(
        actor=world.school_lead,
        report=report,
        fields={"given_name": "Siân", "family_name": "Prydderch"},
    )
    report = referrals.save_report_answers(
        actor=world.school_lead,
        report=report,
        expected_version=report.version,
        answers={
            "what_happened": "Worrying bruises seen.",
            "categories": ["PHYSICAL"],
            "immediate_danger": "NO",
            "family_aware": "NO",
            "lawful_basis": "SAFEGUARDING",
        },
    )
    report = referrals.submit_report(actor=world.school_lead, report=report)
    referrals.link_child(actor=world.mash, child=report.children.get(), person=world.child)
    assert visible_reports(world.social_worker).filter(pk=report.pk).exists()
    world.child.is_restricted = True
    world.child.save()
    assert not visible_reports(world.social_worker).filter(pk=report.pk).exists()
    assert (
        visible_reports(world.school_lead).filter(pk=report.pk).exists()
    )  # its maker still sees it


def test_someone_elses_outcome_on_a_visible_report_is_404_like_a_missing_one(world):
    """Regression (IDOR matrix): acknowledging an outcome meant for another agency answered 403
    (and showed the report) where a missing id answered 404, so the difference told which outcome
    ids exist on the report. Now both are 404, nothing is logged and nothing changes."""
    report = _linked_report(world)
    referrals.record_decision(
        actor=world.manager,
        report=report,
        outcome=Outcome.ASSESSMENT,
        rationale="Needs a care and support assessment.",
    )
    theirs = (
        OutcomeNotification.objects.exclude(recipient_user=world.school_lead)
        .exclude(recipient_agency=world.school)
        .first()
    )
    assert theirs is not None and theirs.recipient_user_id != world.social_worker.pk
    for user in (world.school_lead, world.social_worker):  # the reporter; the authority's staff
        client = world.client_for(user)
        logged = AccessLog.objects.count()
        url = reverse("acknowledge_report_outcome", args=[report.pk, theirs.pk])
        missing = reverse("acknowledge_report_outcome", args=[report.pk, 987654])
        assert client.post(url).status_code == 404
        assert client.post(missing).status_code == 404
        assert AccessLog.objects.count() == logged
        theirs.refresh_from_db()
        assert theirs.acknowledged_at is None


def test_a_manager_returns_a_proposed_decision_with_a_reason(world):
    from diogelu.notifications.models import OutboxMessage
    from diogelu.referrals.models import ReturnedDecision

    report = _linked_report(world)
    client = world.client_for(world.mash)
    client.post(
        reverse("mash_decide", args=[report.pk]),
        {
            "decision-outcome": "STRATEGY",
            "decision-rationale": "Disclosure and injuries: reasonable cause to suspect harm.",
        },
    )
    url = reverse("mash_return_decision", args=[report.pk])
    # the practitioner cannot return their own proposal; a reason is needed
    assert client.post(url, {"return-reason": "Not sure about this one."}).status_code == 403
    manager = world.client_for(world.manager)
    page = manager.get(reverse("mash_report", args=[report.pk])).content.decode()
    assert "Return the decision instead, with a reason" in page
    assert manager.post(url, {"return-reason": ""}).status_code == 400
    assert Decision.objects.exists()
    response = manager.post(
        url, {"return-reason": "Ask health for the injury history before deciding."}
    )
    assert response.status_code == 302
    assert not Decision.objects.exists()
    returned = ReturnedDecision.objects.get()
    assert (returned.decided_by, returned.returned_by) == (world.mash, world.manager)
    assert OutboxMessage.objects.filter(
        dedupe_key__startswith="decision-returned:", recipient_user=world.mash
    ).exists()
    report.refresh_from_db()
    assert not OutcomeNotification.objects.filter(report=report).exists()  # nothing shared
    page = client.get(reverse("mash_report", args=[report.pk])).content.decode()
    assert "Ask health for the injury history before deciding." in page
    # the practitioner decides again
    again = client.post(
        reverse("mash_decide", args=[report.pk]),
        {
            "decision-outcome": "STRATEGY",
            "decision-rationale": "Health confirm two earlier injuries: strategy discussion.",
        },
    )
    assert again.status_code == 302 and Decision.objects.count() == 1


def test_one_check_goes_to_several_agencies_in_one_submission(world):
    report = _linked_report(world)
    sian = report.children.first()
    client = world.client_for(world.mash)
    page = client.get(reverse("mash_report", args=[report.pk])).content.decode()
    assert "Which agencies do you want to ask?" in page
    data = {
        "request-child": sian.pk,
        "request-agency": [world.police.pk, world.school.pk, world.health.pk],
        "request-priority": "STANDARD",
        "request-question": "What do you hold about Siân and the household?",
    }
    response = client.post(reverse("mash_request_information", args=[report.pk]), data)
    assert response.status_code == 302
    assert set(InformationRequest.objects.values_list("agency", flat=True)) == {
        world.police.pk,
        world.school.pk,
        world.health.pk,
    }
    # all or nothing: a second go (each agency already asked) sends none
    InformationRequest.objects.filter(agency=world.health).update(status="CANCELLED")
    again = client.post(reverse("mash_request_information", args=[report.pk]), data)
    assert again.status_code == 400
    assert InformationRequest.objects.filter(status="OPEN").count() == 2
    assert InformationRequest.objects.count() == 3
