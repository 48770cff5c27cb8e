"""People search page: tolerant matching, scoping, GOV.UK errors, nothing in the URL."""

from __future__ import annotations

import pytest
from django.urls import reverse

from diogelu.access.models import AccessLog, Channel
from tests import factories as f


def search(client, **data):
    form = {
        "name": "",
        "date_of_birth_0": "",
        "date_of_birth_1": "",
        "date_of_birth_2": "",
        "nhs_number": "",
        "upn": "",
        "postcode": "",
    }
    form.update(data)
    return client.post(reverse("search_people"), form)


@pytest.mark.parametrize("name", ["Sian Prydderch", "SIÂN", "sian prydderch", "Prydd"])
def test_name_search_is_tolerant(world, name):
    body = search(world.client_for(world.social_worker), name=name).content.decode()
    assert f'href="/people/{world.child.pk}/"' in body


def test_welsh_and_english_forms_find_each_other(world):
    body = search(world.client_for(world.social_worker), name="David Prydderch").content.decode()
    assert f'href="/people/{world.sibling.pk}/"' in body


def test_identifier_searches(world):
    client = world.client_for(world.social_worker)
    assert (
        f"/people/{world.child.pk}/" in search(client, nhs_number="999 000 0018").content.decode()
    )
    assert f"/people/{world.child.pk}/" in search(client, postcode="cf314ab").content.decode()
    by_dob = search(client, date_of_birth_0="27", date_of_birth_1="3", date_of_birth_2="2015")
    assert f"/people/{world.child.pk}/" in by_dob.content.decode()


def test_results_are_scoped_and_logged(world):
    police = world.client_for(world.police_officer)
    body = search(police, name="Prydderch").content.decode()
    assert f"/people/{world.child.pk}/" in body
    assert f"/people/{world.sibling.pk}/" not in body
    assert AccessLog.objects.filter(user=world.police_officer, channel=Channel.SEARCH).count() == 1
    nobody = search(world.client_for(world.health_practitioner), name="Prydderch").content.decode()
    assert "No people found" in nobody
    other = search(world.client_for(world.other_la_worker), name="Prydderch").content.decode()
    assert "No people found" in other


def test_restricted_records_never_appear_in_search(world):
    world.child.is_restricted = True
    world.child.save()
    body = search(world.client_for(world.social_worker), name="Prydderch").content.decode()
    assert f"/people/{world.child.pk}/" not in body
    assert f"/people/{world.sibling.pk}/" in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter a name, date of birth, NHS number, UPN or postcode"),
        ({"nhs_number": "9990000019"}, "Enter a real NHS number"),
        ({"nhs_number": "12"}, "Enter an NHS number with 10 digits"),
        ({"upn": "A123"}, "Enter a Unique Pupil Number of 13 characters"),
        ({"postcode": "XX"}, "Enter a real postcode"),
        (
            {"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "2015"},
            "must be a real date",
        ),
        (
            {"date_of_birth_0": "3", "date_of_birth_1": "", "date_of_birth_2": "2015"},
            "must include a day, month and year",
        ),
        ({"name": "x" * 500}, "100 characters or fewer"),
        ({"name": "<script>alert(1)</script>\x07"}, "Name must only include"),
        ({"name": "Sian\x00"}, "Null characters are not allowed"),
    ],
)
def test_bad_input_gets_an_error_summary_and_logs_nothing(world, data, message):
    response = search(world.client_for(world.social_worker), **data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in body
    assert message in body
    assert "<script>alert(1)</script>" not in body
    assert AccessLog.objects.count() == 0


def test_search_terms_never_go_in_the_url(world):
    response = world.client_for(world.social_worker).get(
        reverse("search_people") + "?name=Prydderch"
    )
    assert "Prydderch" not in response.content.decode()


def test_hostile_name_is_escaped_in_results(world):
    f.person(world.authority, given_name="<b>Bold</b>", family_name="Prydderch")
    body = search(world.client_for(world.social_worker), name="Prydderch").content.decode()
    assert "<b>Bold</b>" not in body
    assert "&lt;b&gt;Bold&lt;/b&gt;" in body


def test_the_matching_engine_finds_a_date_of_birth_with_day_and_month_swapped(world):
    import datetime

    from diogelu.people.search import SearchCriteria, search_people

    osian = f.person(
        world.authority,
        given_name="Osian",
        family_name="Beynon",
        date_of_birth=datetime.date(2016, 5, 4),
    )
    swapped = SearchCriteria(name="Osian Beynon", date_of_birth=datetime.date(2016, 4, 5))
    # The plain filters need the exact date …
    assert not world.authority.people.filter(
        pk=osian.pk, date_of_birth=swapped.date_of_birth
    ).exists()
    # … the engine sees the same child with day and month swapped.
    assert osian in search_people(world.social_worker, swapped)
    body = search(
        world.client_for(world.social_worker),
        name="Osian Beynon",
        date_of_birth_0="5",
        date_of_birth_1="4",
        date_of_birth_2="2016",
    ).content.decode()
    assert f"/people/{osian.pk}/" in body
    # Partners search without the engine, and only among people they may see.
    assert osian not in search_people(world.police_officer, swapped)


def test_the_search_service_refuses_an_invalid_identifier_rather_than_finding_nobody(world):
    """Every caller of ``search_people`` (page, API, intake) gets an error for a typo, never an
    empty result that reads as "not known to us"."""
    from diogelu.core.exceptions import DomainError
    from diogelu.people.search import SearchCriteria, search_people

    with pytest.raises(DomainError, match="not a valid NHS number"):
        search_people(world.social_worker, SearchCriteria(nhs_number="9990000017"))
    with pytest.raises(DomainError, match="not a valid Unique Pupil Number"):
        search_people(world.social_worker, SearchCriteria(upn="A801200301002"))
    found = search_people(world.social_worker, SearchCriteria(nhs_number="9990000018"))
    assert found == [world.child]
