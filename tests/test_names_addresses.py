"""Every name and address, past and current, seen and corrected with a reason (issue 10: "past
addresses and other names can be added but not edited").

Entitled → 200 and an access-log row; not entitled → 404 with nothing logged or changed; bad input
→ a clear error and nothing changed; each change kept in the record's history."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from diogelu.access.models import AccessLog
from diogelu.people.editing import address_fingerprint
from diogelu.people.models import Address, NameKind, PersonChange, PersonName
from tests import factories as f

NOW = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock(world):
    with time_machine.travel(max(NOW, datetime.datetime.now(datetime.UTC)), tick=False) as c:
        yield c


@pytest.fixture
def past(world):
    """A past address and an alias of the child, beside the current address."""
    old = f.address(
        world.child,
        postcode="CF31 2ZZ",
        line_1="9 Ffordd yr Orsaf",
        moved_in_on=datetime.date(2019, 4, 1),
        moved_out_on=datetime.date(2022, 8, 31),
    )
    alias = PersonName.objects.create(
        person=world.child, kind=NameKind.ALIAS, given_name="Sian", family_name="Pryderch"
    )
    return old, alias


def address_form(address, **overrides):
    data = {
        "address": address.pk,
        "seen": address_fingerprint(address),
        "line_1": address.line_1,
        "line_2": address.line_2,
        "town": address.town,
        "postcode": address.postcode,
        "moved_in_on_0": address.moved_in_on.day if address.moved_in_on else "",
        "moved_in_on_1": address.moved_in_on.month if address.moved_in_on else "",
        "moved_in_on_2": address.moved_in_on.year if address.moved_in_on else "",
        "moved_out_on_0": address.moved_out_on.day if address.moved_out_on else "",
        "moved_out_on_1": address.moved_out_on.month if address.moved_out_on else "",
        "moved_out_on_2": address.moved_out_on.year if address.moved_out_on else "",
        "reason": "Council tax records checked",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("persona", "entitled", "may_change"),
    [
        ("social_worker", True, True),
        ("manager", True, True),
        ("police_officer", True, False),
        ("other_la_worker", False, False),
    ],
)
def test_the_list_for_each_persona(world, clock, past, persona, entitled, may_change):
    user = getattr(world, persona)
    response = world.client_for(user).get(reverse("names_and_addresses", args=[world.child.pk]))
    rows = AccessLog.objects.filter(person=world.child, user=user)
    if not entitled:
        assert response.status_code == 404 and rows.count() == 0
        return
    assert response.status_code == 200 and rows.count() == 1
    page = response.content.decode()
    assert "9 Ffordd yr Orsaf" in page and "1 April 2019" in page and "31 August 2022" in page
    assert "Sian Pryderch" in page and "2019-04-01" not in page
    assert (reverse("correct_address", args=[world.child.pk]) in page) is may_change


def test_correcting_a_past_address_keeps_each_change(world, clock, past):
    old, _alias = past
    client = world.client_for(world.social_worker)
    url = reverse("correct_address", args=[world.child.pk])
    assert client.get(url + f"?address={old.pk}").status_code == 200
    response = client.post(url, address_form(old, postcode="CF31 2YY", moved_out_on_0="30"))
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.postcode == "CF31 2YY" and old.moved_out_on == datetime.date(2022, 8, 30)
    changes = {c.field: c for c in PersonChange.objects.filter(person=world.child)}
    assert (changes["address_postcode"].before, changes["address_postcode"].after) == (
        "CF31 2ZZ",
        "CF31 2YY",
    )
    assert changes["address_moved_out_on"].reason == "Council tax records checked"
    page = client.get(reverse("show_person", args=[world.child.pk])).content.decode()
    assert "31 August 2022" in page and "30 August 2022" in page  # the history, as dates


def test_bad_dates_and_stale_edits_change_nothing(world, clock, past):
    old, _alias = past
    client = world.client_for(world.social_worker)
    url = reverse("correct_address", args=[world.child.pk])
    before = PersonChange.objects.count()
    backwards = client.post(url, address_form(old, moved_out_on_2="2018"))
    assert backwards.status_code == 400
    assert "The end date must be the same as or after the start date" in backwards.content.decode()
    stale = address_form(old, line_1="10 Ffordd yr Orsaf")
    assert client.post(url, address_form(old, town="Pen-y-bont")).status_code == 302
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    old.refresh_from_db()
    assert old.line_1 == "9 Ffordd yr Orsaf" and old.moved_out_on == datetime.date(2022, 8, 31)
    assert PersonChange.objects.count() == before + 1  # only the town


def test_an_address_of_someone_else_is_not_found(world, clock, past):
    theirs = f.address(world.other_child, line_1="3 Lôn Las")
    client = world.client_for(world.social_worker)
    url = reverse("correct_address", args=[world.child.pk])
    assert client.get(url + f"?address={theirs.pk}").status_code == 404
    assert client.post(url, address_form(theirs, line_1="X")).status_code == 404
    assert client.get(url + "?address=nonsense").status_code == 404
    theirs.refresh_from_db()
    assert theirs.line_1 == "3 Lôn Las"


def test_partners_cannot_change_names_or_addresses(world, clock, past):
    old, alias = past
    police = world.client_for(world.police_officer)
    assert (
        police.post(
            reverse("correct_address", args=[world.child.pk]), address_form(old, line_1="X")
        ).status_code
        == 404
    )
    assert (
        police.post(
            reverse("correct_other_name", args=[world.child.pk]),
            {"name": alias.pk, "remove": "on", "reason": "x"},
        ).status_code
        == 404
    )
    assert Address.objects.filter(pk=old.pk, line_1="9 Ffordd yr Orsaf").exists()
    assert PersonName.objects.filter(pk=alias.pk).exists()


def test_an_other_name_is_corrected_then_removed_with_history(world, clock, past):
    _old, alias = past
    client = world.client_for(world.social_worker)
    url = reverse("correct_other_name", args=[world.child.pk])
    assert client.get(url + f"?name={alias.pk}").status_code == 200
    fixed = client.post(
        url,
        {
            "name": alias.pk,
            "kind": NameKind.ALIAS,
            "given_name": "Siân",
            "family_name": "Pryderch",
            "reason": "Spelling",
        },
    )
    assert fixed.status_code == 302
    alias.refresh_from_db()
    assert alias.given_name == "Siân"
    unchanged = client.post(
        url,
        {
            "name": alias.pk,
            "kind": NameKind.ALIAS,
            "given_name": "Siân",
            "family_name": "Pryderch",
            "reason": "Again",
        },
    )
    assert unchanged.status_code == 400
    removed = client.post(url, {"name": alias.pk, "remove": "on", "reason": "Recorded in error"})
    assert removed.status_code == 302
    assert not PersonName.objects.filter(pk=alias.pk).exists()
    fields = list(
        PersonChange.objects.filter(person=world.child)
        .order_by("pk")
        .values_list("field", "reason")
    )
    assert fields == [("other_name", "Spelling"), ("other_name_removed", "Recorded in error")]


def test_the_list_in_welsh(world, clock, past, settings):
    client = world.client_for(world.social_worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    try:
        page = client.get(reverse("names_and_addresses", args=[world.child.pk])).content.decode()
    finally:
        translation.activate(settings.LANGUAGE_CODE)
    assert "Ebrill 2019" in page and "Awst 2022" in page
    assert "Names and addresses" not in page and "Moved out on" not in page
