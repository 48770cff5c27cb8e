"""Merging duplicate records, reversibly."""

from __future__ import annotations

import pytest
from django.urls import reverse

from diogelu.access.models import Involvement
from diogelu.chronology.models import ChronologyEvent
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.people.merging import merge_people, unmerge
from diogelu.people.models import Address, Person, PersonName, Relationship, RelationshipKind
from tests import factories as f


@pytest.fixture
def duplicate(world):
    dup = f.person(world.authority, given_name="Sian", family_name="Prydderch-Jones", nhs_number="")
    f.address(dup, "CF31 9ZZ")
    f.relate(dup, world.mother, RelationshipKind.MOTHER)  # clashes with the survivor's: stays
    aunt = f.person(world.authority, given_name="Eira", family_name="Prydderch", date_of_birth=None)
    f.relate(dup, aunt, RelationshipKind.AUNT_UNCLE)
    f.involve(dup, world.health)
    f.event(dup, world.school, title="Duplicate's school event")
    return dup


def snapshot(*people):
    ids = [p.pk for p in people]
    return {
        "names": sorted(
            PersonName.objects.filter(person_id__in=ids).values_list("pk", "person_id")
        ),
        "addresses": sorted(
            Address.objects.filter(person_id__in=ids).values_list("pk", "person_id")
        ),
        "rels": sorted(
            Relationship.objects.filter(person_id__in=ids).values_list(
                "pk", "person_id", "relative_id"
            )
        ),
        "back": sorted(
            Relationship.objects.filter(relative_id__in=ids).values_list(
                "pk", "person_id", "relative_id"
            )
        ),
        "involvements": sorted(
            Involvement.objects.filter(person_id__in=ids).values_list("pk", "person_id")
        ),
        "events": sorted(
            ChronologyEvent.objects.filter(person_id__in=ids)
            .exclude(kind="RECORD")
            .values_list("pk", "person_id")
        ),
        "restricted": sorted(
            Person.objects.filter(pk__in=ids).values_list("pk", "is_restricted", "merged_into_id")
        ),
    }


def test_merge_moves_everything_and_unmerge_restores_it(world, duplicate):
    before = snapshot(world.child, duplicate)
    merge = merge_people(
        actor=world.manager,
        survivor=world.child,
        duplicate=duplicate,
        reason="Same child: school typed a new surname",
    )
    client = world.client_for(world.manager)
    assert client.get(reverse("show_person", args=[duplicate.pk])).status_code == 404
    assert Address.objects.filter(person=world.child).count() == 2
    assert Involvement.objects.filter(person=world.child, agency=world.health).exists()
    assert PersonName.objects.filter(person=world.child, family_name="Prydderch-Jones").exists()
    assert ChronologyEvent.objects.filter(
        person=world.child, title__contains="merged into this record"
    ).exists()
    family = client.get(reverse("person_family", args=[world.child.pk])).content.decode()
    assert "Eira Prydderch" in family
    unmerge(actor=world.manager, merge=merge)
    assert snapshot(world.child, duplicate) == before
    assert client.get(reverse("show_person", args=[duplicate.pk])).status_code == 200
    with pytest.raises(DomainError):
        unmerge(actor=world.manager, merge=merge)


def test_only_managers_merge(world, duplicate):
    with pytest.raises(NotPermittedError):
        merge_people(
            actor=world.social_worker,
            survivor=world.child,
            duplicate=duplicate,
            reason="Same child, honestly",
        )
    with pytest.raises(NotPermittedError):
        merge_people(
            actor=world.other_la_worker,
            survivor=world.other_child,
            duplicate=duplicate,
            reason="Same child, honestly",
        )
    with pytest.raises(DomainError):
        merge_people(
            actor=world.manager,
            survivor=world.child,
            duplicate=world.child,
            reason="Same child, honestly",
        )
    with pytest.raises(DomainError):
        merge_people(actor=world.manager, survivor=world.child, duplicate=duplicate, reason="short")


def test_restricted_duplicate_makes_the_merged_record_restricted_until_unmerged(world, duplicate):
    from diogelu.access.services import grant_restricted_access

    Person.objects.filter(pk=duplicate.pk).update(is_restricted=True)
    duplicate.refresh_from_db()
    grant_restricted_access(
        actor=world.manager, person=duplicate, user=world.manager, reason="Named"
    )
    merge = merge_people(
        actor=world.manager,
        survivor=world.child,
        duplicate=duplicate,
        reason="Same child, restricted file",
    )
    world.child.refresh_from_db()
    assert world.child.is_restricted
    assert (
        world.client_for(world.social_worker)
        .get(reverse("show_person", args=[world.child.pk]))
        .status_code
        == 404
    )
    unmerge(actor=world.manager, merge=merge)
    world.child.refresh_from_db()
    assert not world.child.is_restricted


def test_merge_pages(world, duplicate):
    client = world.client_for(world.manager)
    url = reverse("merge_person", args=[world.child.pk])
    assert world.client_for(world.social_worker).get(url).status_code == 404
    assert world.client_for(world.police_officer).get(url).status_code == 404
    compare = client.post(
        url, {"la_reference": duplicate.la_reference, "reason": "Same child, new surname"}
    )
    assert compare.status_code == 200
    assert "Prydderch-Jones" in compare.content.decode()
    assert Person.objects.get(pk=duplicate.pk).merged_into_id is None
    bad = client.post(
        url, {"la_reference": world.other_child.la_reference, "reason": "Same child, new surname"}
    )
    assert bad.status_code == 400
    done = client.post(
        url,
        {
            "la_reference": duplicate.la_reference,
            "reason": "Same child, new surname",
            "confirm": "yes",
        },
    )
    assert done.status_code == 302
    assert Person.objects.get(pk=duplicate.pk).merged_into_id == world.child.pk
    page = client.get(reverse("show_person", args=[world.child.pk])).content.decode()
    assert "Undo this merge" in page
    from diogelu.people.models import PersonMerge

    merge = PersonMerge.objects.get()
    assert client.get(reverse("unmerge", args=[merge.pk])).status_code == 404
    assert client.post(reverse("unmerge", args=[merge.pk])).status_code == 302
    assert Person.objects.get(pk=duplicate.pk).merged_into_id is None
