"""Keeping the record right, relatives, case notes and missing episodes, as the personas (issue 10).

Entitled → 200 and an access-log row for the read; not entitled → 404 with nothing logged; bad
input → a clear error and nothing changed."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from diogelu.access.models import AccessLog
from diogelu.chronology.models import CaseNote, ChronologyEvent, EventKind
from diogelu.people.models import MissingEpisode, Person, PersonChange, Relationship
from tests import factories as f

NOW = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)

# page -> personas that may open it for the child
READ_PAGES = {
    "case_notes": {"social_worker", "manager", "police_officer", "school_lead"},
    "missing_episodes": {"social_worker", "manager", "police_officer", "school_lead"},
    "write_case_note": {"social_worker", "manager", "police_officer", "school_lead"},
    "record_missing": {"social_worker", "manager", "police_officer", "school_lead"},
    "edit_person": {"social_worker", "manager"},
    "add_other_name": {"social_worker", "manager"},
    "add_address": {"social_worker", "manager"},
    "add_relative": {"social_worker", "manager"},
}
PERSONAS = [
    "social_worker",
    "manager",
    "police_officer",
    "school_lead",
    "health_practitioner",
    "other_la_worker",
]


@pytest.fixture
def clock(world):
    """The world is built now; the clock then stands still (every date used is before now)."""
    with time_machine.travel(max(NOW, datetime.datetime.now(datetime.UTC)), tick=False) as c:
        yield c


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", READ_PAGES)
def test_page_for_each_persona(world, clock, persona, page):
    user = getattr(world, persona)
    response = world.client_for(user).get(reverse(page, args=[world.child.pk]))
    rows = AccessLog.objects.filter(person=world.child, user=user)
    if persona in READ_PAGES[page]:
        assert response.status_code == 200
        assert rows.count() == 1
        assert world.child.full_name in response.content.decode()
    else:
        assert response.status_code == 404
        assert rows.count() == 0


def details(world, **overrides):
    c = world.child
    data = {
        "version": c.version,
        "given_name": c.given_name,
        "family_name": c.family_name,
        "preferred_name": "",
        "date_of_birth_0": c.date_of_birth.day,
        "date_of_birth_1": c.date_of_birth.month,
        "date_of_birth_2": c.date_of_birth.year,
        "sex": c.sex,
        "nhs_number": c.nhs_number,
        "upn": "",
        "preferred_language": c.preferred_language,
        "other_language": "",
        "ethnicity": c.ethnicity,
        "disability": "",
        "gp_practice": "",
        "school": "",
        "reason": "Birth certificate seen",
    }
    data.update(overrides)
    return data


def test_correcting_the_date_of_birth_keeps_history(world, clock):
    client = world.client_for(world.social_worker)
    url = reverse("edit_person", args=[world.child.pk])
    response = client.post(url, details(world, date_of_birth_0="28", gp_practice="Meddygfa'r Bont"))
    assert response.status_code == 302
    world.child.refresh_from_db()
    assert world.child.date_of_birth == datetime.date(2015, 3, 28)
    assert world.child.gp_practice == "Meddygfa'r Bont"
    change = PersonChange.objects.get(person=world.child, field="date_of_birth")
    assert (change.before, change.after) == ("2015-03-27", "2015-03-28")
    assert change.changed_by == world.social_worker and change.reason == "Birth certificate seen"
    page = client.get(reverse("show_person", args=[world.child.pk])).content.decode()
    assert "27 March 2015" in page and "28 March 2015" in page and "Birth certificate seen" in page
    assert "2015-03-2" not in page
    # The police (summary shared) see the change; a family change is shown only with family.
    police = world.client_for(world.police_officer).get(
        reverse("show_person", args=[world.child.pk])
    )
    assert "Birth certificate seen" in police.content.decode()


def test_stale_edit_changes_nothing(world, clock):
    client = world.client_for(world.social_worker)
    url = reverse("edit_person", args=[world.child.pk])
    stale = details(world, family_name="Smith")
    assert client.post(url, details(world, disability="Deaf")).status_code == 302
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    world.child.refresh_from_db()
    assert world.child.family_name == "Prydderch"
    assert PersonChange.objects.filter(field="family_name").count() == 0


def test_date_of_birth_after_a_report_is_refused(world, clock):
    f.event(
        world.child,
        world.authority,
        kind=EventKind.REPORT,
        title="Report",
        occurred_at=datetime.datetime(2020, 5, 1, 9, tzinfo=datetime.UTC),
    )
    client = world.client_for(world.social_worker)
    response = client.post(
        reverse("edit_person", args=[world.child.pk]),
        details(world, date_of_birth_0="1", date_of_birth_1="6", date_of_birth_2="2021"),
    )
    assert response.status_code == 400
    assert "Date of birth must be on or before 1 May 2020" in response.content.decode()
    world.child.refresh_from_db()
    assert world.child.date_of_birth == datetime.date(2015, 3, 27)
    assert not PersonChange.objects.exists()


def test_invalid_nhs_number_is_refused(world, clock):
    response = world.client_for(world.social_worker).post(
        reverse("edit_person", args=[world.child.pk]), details(world, nhs_number="9990000019")
    )
    assert response.status_code == 400
    world.child.refresh_from_db()
    assert world.child.nhs_number == "9990000018"


def test_partner_cannot_edit_by_post(world, clock):
    response = world.client_for(world.police_officer).post(
        reverse("edit_person", args=[world.child.pk]), details(world, family_name="X")
    )
    assert response.status_code == 404
    world.child.refresh_from_db()
    assert world.child.family_name == "Prydderch"


def test_address_end_before_start_is_refused(world, clock):
    response = world.client_for(world.social_worker).post(
        reverse("add_address", args=[world.child.pk]),
        {
            "line_1": "2 Stryd Fawr",
            "town": "Glanrafon",
            "postcode": "CF31 1AB",
            "moved_in_on_0": "5",
            "moved_in_on_1": "1",
            "moved_in_on_2": "2026",
            "moved_out_on_0": "4",
            "moved_out_on_1": "1",
            "moved_out_on_2": "2026",
            "reason": "Moved",
        },
    )
    assert response.status_code == 400
    assert "The end date must be the same as or after the start date" in response.content.decode()
    assert world.child.addresses.count() == 1


def relative(world, **overrides):
    data = {
        "given_name": "Rhian",
        "family_name": "Prydderch",
        "kind": "MOTHER",
        "has_parental_responsibility": "on",
        "lives_with": "on",
        "reason": "Met at the home visit",
    }
    data.update(overrides)
    return data


def test_adding_a_relative_searches_first_and_finds_the_known_person(world, clock):
    Relationship.objects.filter(relative=world.mother).delete()
    client = world.client_for(world.social_worker)
    url = reverse("add_relative", args=[world.child.pk])
    found = client.post(url, relative(world))
    assert found.status_code == 200
    assert world.mother.la_reference in found.content.decode()
    assert Relationship.objects.filter(relative=world.mother).count() == 0
    before = Person.objects.count()
    done = client.post(url, relative(world, person=str(world.mother.pk)))
    assert done.status_code == 302
    assert Person.objects.count() == before
    rel = Relationship.objects.get(person=world.child, relative=world.mother)
    assert rel.kind == "MOTHER" and rel.has_parental_responsibility
    # Shown both ways.
    family = client.get(reverse("person_family", args=[world.mother.pk])).content.decode()
    assert "Siân" in family and "Child" in family


def test_a_new_partner_is_created_only_after_the_search(world, clock):
    client = world.client_for(world.social_worker)
    url = reverse("add_relative", args=[world.child.pk])
    data = relative(
        world,
        given_name="Gareth",
        family_name="Morgan",
        kind="PARENTS_PARTNER",
        has_parental_responsibility="",
    )
    assert client.post(url, data).status_code == 200
    assert not Person.objects.filter(family_name="Morgan").exists()
    assert client.post(url, {**data, "person": "new"}).status_code == 302
    gareth = Person.objects.get(family_name="Morgan")
    assert gareth.authority == world.authority
    assert Relationship.objects.get(relative=gareth).kind == "PARENTS_PARTNER"


def test_a_person_cannot_be_their_own_relative(world, clock):
    response = world.client_for(world.social_worker).post(
        reverse("add_relative", args=[world.child.pk]),
        relative(world, person=str(world.child.pk), kind="SIBLING"),
    )
    assert response.status_code == 400
    assert "A person cannot be related to themselves" in response.content.decode()
    assert not Relationship.objects.filter(person=world.child, relative=world.child).exists()


def test_ending_a_relationship_before_it_started_is_refused(world, clock):
    rel = Relationship.objects.get(person=world.child, relative=world.mother)
    rel.started_on = datetime.date(2020, 1, 1)
    rel.save()
    client = world.client_for(world.social_worker)
    url = reverse("end_relationship", args=[world.child.pk])
    bad = client.post(
        url,
        {
            "relationship": rel.pk,
            "ended_on_0": "1",
            "ended_on_1": "1",
            "ended_on_2": "2019",
            "reason": "Moved away",
        },
    )
    assert bad.status_code == 400
    rel.refresh_from_db()
    assert rel.ended_on is None
    good = client.post(
        url,
        {
            "relationship": rel.pk,
            "ended_on_0": "1",
            "ended_on_1": "2",
            "ended_on_2": "2026",
            "reason": "Moved away",
        },
    )
    assert good.status_code == 302
    rel.refresh_from_db()
    assert rel.ended_on == datetime.date(2026, 2, 1)


def test_ending_another_persons_relationship_is_404(world, clock):
    other = f.person(world.authority, family_name="Arall")
    rel = f.relate(other, world.sibling)
    response = world.client_for(world.social_worker).get(
        reverse("end_relationship", args=[world.child.pk]) + f"?r={rel.pk}"
    )
    assert response.status_code == 404


def note(**overrides):
    data = {
        "kind": "VISIT",
        "contact_on_0": "1",
        "contact_on_1": "3",
        "contact_on_2": "2026",
        "contact_time": "10:30",
        "what_happened": "Home visit; Siân was at home.",
        "child_seen": "on",
        "childs_words": "I like my new school.",
        "audience": "ALL_INVOLVED",
    }
    data.update(overrides)
    return data


def test_case_note_lands_in_the_chronology_and_corrections_keep_the_old_version(world, clock):
    client = world.client_for(world.social_worker)
    assert client.post(reverse("write_case_note", args=[world.child.pk]), note()).status_code == 302
    first = CaseNote.objects.get()
    assert first.event.kind == EventKind.NOTE and "I like my new school." in first.event.detail
    url = reverse("write_case_note", args=[world.child.pk]) + f"?note={first.pk}"
    no_reason = client.post(url, note(what_happened="Home visit; Siân and her brother at home."))
    assert no_reason.status_code == 400
    ok = client.post(
        url,
        note(
            what_happened="Home visit; Siân and her brother at home.",
            reason="Her brother was there too",
        ),
    )
    assert ok.status_code == 302
    assert CaseNote.objects.count() == 2
    assert (
        ChronologyEvent.objects.filter(kind=EventKind.NOTE, person=world.child, notes__isnull=False)
        .distinct()
        .count()
        == 1
    )
    page = client.get(reverse("case_notes", args=[world.child.pk])).content.decode()
    assert "Earlier versions" in page and "Her brother was there too" in page
    assert "Home visit; Siân was at home." in page
    # The school (another agency) cannot correct it.
    school = world.client_for(world.school_lead).get(url)
    assert school.status_code == 404


def test_local_authority_only_notes_are_hidden_from_partners(world, clock):
    client = world.client_for(world.social_worker)
    client.post(
        reverse("write_case_note", args=[world.child.pk]),
        note(audience="LOCAL_AUTHORITY", what_happened="Manager's view"),
    )
    police = world.client_for(world.police_officer).get(
        reverse("case_notes", args=[world.child.pk])
    )
    assert "Manager&#39;s view" not in police.content.decode()
    assert "Manager's view" not in police.content.decode()
    # A partner cannot choose "local authority only".
    bad = world.client_for(world.police_officer).post(
        reverse("write_case_note", args=[world.child.pk]), note(audience="LOCAL_AUTHORITY")
    )
    assert bad.status_code == 400


def test_manager_marks_a_significant_event(world, clock):
    world.client_for(world.social_worker).post(
        reverse("write_case_note", args=[world.child.pk]), note()
    )
    n = CaseNote.objects.get()
    url = reverse("mark_significant", args=[world.child.pk])
    assert world.client_for(world.social_worker).post(url, {"note": n.pk}).status_code == 404
    assert world.client_for(world.manager).post(url, {"note": n.pk}).status_code == 302
    n.event.refresh_from_db()
    assert n.event.is_significant


def episode(**overrides):
    data = {
        "kind": "MISSING",
        "started_on_0": "27",
        "started_on_1": "2",
        "started_on_2": "2026",
        "started_time": "21:00",
        "reported_to_police": "on",
        "police_reference": "DP-1234",
    }
    data.update(overrides)
    return data


def test_missing_episode_with_its_return_interview(world, clock):
    client = world.client_for(world.police_officer)
    url = reverse("record_missing", args=[world.child.pk])
    assert client.post(url, episode()).status_code == 302
    e = MissingEpisode.objects.get()
    assert e.event.kind == EventKind.MISSING
    back = episode(
        ended_on_0="28",
        ended_on_1="2",
        ended_on_2="2026",
        ended_time="07:15",
        where_found="A friend's flat in Aberdewi",
        debrief_offered_on_0="28",
        debrief_offered_on_1="2",
        debrief_offered_on_2="2026",
        debrief_accepted="yes",
        debrief_held_on_0="1",
        debrief_held_on_1="3",
        debrief_held_on_2="2026",
        debrief_by="Independent return interviewer",
        childs_account="I was scared",
        version=e.version,
    )
    early = {**back, "ended_on_0": "26"}
    bad = client.post(url + f"?episode={e.pk}", early)
    assert bad.status_code == 400
    assert "The time they returned must be after the time they went missing" in bad.content.decode()
    assert client.post(url + f"?episode={e.pk}", back).status_code == 302
    e.refresh_from_db()
    assert e.debrief_by == "Independent return interviewer" and e.ended_at is not None
    stale = client.post(url + f"?episode={e.pk}", back)
    assert stale.status_code == 409
    summary = world.client_for(world.social_worker).get(
        reverse("show_person", args=[world.child.pk])
    )
    assert "1 missing or absent episode recorded" in summary.content.decode()


def test_episodes_visible_to_and_counted_in_a_period(world, clock):
    from diogelu.people.missing import episodes_in_period

    client = world.client_for(world.social_worker)
    url = reverse("record_missing", args=[world.child.pk])
    client.post(url, episode())
    client.post(url, episode(started_on_0="1", started_on_1="1"))
    start = datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)
    end = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    assert episodes_in_period(world.social_worker, world.child, start, end) == 1
    assert MissingEpisode.objects.visible_to(world.police_officer).count() == 2
    assert MissingEpisode.objects.visible_to(world.health_practitioner).count() == 0
    assert MissingEpisode.objects.visible_to(world.other_la_worker).count() == 0


def test_correcting_a_relationship_keeps_history_shown_only_with_the_family(world, clock):
    rel = Relationship.objects.get(person=world.child, relative=world.sibling)
    client = world.client_for(world.social_worker)
    url = reverse("correct_relationship", args=[world.child.pk]) + f"?r={rel.pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"relationship": rel.pk, "kind": "HALF_SIBLING", "reason": "Different fathers"}
    )
    assert response.status_code == 302
    rel.refresh_from_db()
    assert rel.kind == "HALF_SIBLING"
    change = PersonChange.objects.get(field="relationship")
    assert (change.before, change.after) == ("Sibling", "Half-sibling")
    # The police see the family part; the school does not, so it does not see the change.
    summary = reverse("show_person", args=[world.child.pk])
    assert (
        "Different fathers" in world.client_for(world.police_officer).get(summary).content.decode()
    )
    assert (
        "Different fathers" not in world.client_for(world.school_lead).get(summary).content.decode()
    )
    assert world.client_for(world.police_officer).get(url).status_code == 404


def test_a_note_or_episode_of_another_child_is_404_under_this_child(world, clock):
    """Ids in query parameters are resolved within the child the user opened."""
    client = world.client_for(world.social_worker)
    client.post(reverse("write_case_note", args=[world.sibling.pk]), note())
    client.post(reverse("record_missing", args=[world.sibling.pk]), episode())
    other_note, other_episode = CaseNote.objects.get(), MissingEpisode.objects.get()
    correct = reverse("write_case_note", args=[world.child.pk]) + f"?note={other_note.pk}"
    assert client.get(correct).status_code == 404
    edit = reverse("record_missing", args=[world.child.pk]) + f"?episode={other_episode.pk}"
    assert client.get(edit).status_code == 404
    assert client.post(edit, episode(version=other_episode.version)).status_code == 404
    mark = world.client_for(world.manager).post(
        reverse("mark_significant", args=[world.child.pk]), {"note": other_note.pk}
    )
    assert mark.status_code == 404
    other_note.event.refresh_from_db()
    assert not other_note.event.is_significant
    # The police (involved with the child, not the sibling) cannot reach the sibling's episode.
    police = world.client_for(world.police_officer)
    assert police.get(edit).status_code == 404
