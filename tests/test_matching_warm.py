"""The matching index can be built before gunicorn forks (gunicorn.conf.py): every local
authority's people, and a later query reuses it rather than building again."""

from __future__ import annotations

import pytest

from diogelu.accounts.models import AgencyKind
from diogelu.people import matching_index
from tests import factories as f


@pytest.fixture(autouse=True)
def _clean():
    matching_index.forget_indexes()
    yield
    matching_index.forget_indexes()


def test_warm_indexes_builds_each_authority_once(db):
    first, second = f.agency(), f.agency()
    f.agency(AgencyKind.POLICE)
    for _ in range(3):
        f.address(f.person(first))
    f.address(f.person(second))
    assert matching_index.warm_indexes() == 4
    assert set(matching_index._indexes) == {first.pk, second.pk}
    built = matching_index._indexes[first.pk].index
    # A query afterwards only syncs what changed (one query for changes, no rebuild).
    assert matching_index.index_for(first.pk) is built
    assert len(built) == 3


def test_a_built_index_takes_in_every_change_since_it_was_synced(db):
    """Each sync reads only what changed since the last one (people updated, names and
    addresses added: three reads through their time indexes, not every person of the
    authority, issue 17), and nothing that changed is missed."""
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from diogelu.people.models import Person, PersonName

    la = f.agency()
    kept = f.person(la, given_name="Aled", family_name="Rees")
    renamed = f.person(la, given_name="Beca", family_name="Morgan")
    merged = f.person(la, given_name="Cai", family_name="Owen")
    moving = f.person(la, given_name="Dyfan", family_name="Price")
    index = matching_index.index_for(la.pk)
    assert len(index) == 4
    # Move the last sync back so the changes below fall after it (the sync overlaps by 5 s).
    matching_index._indexes[la.pk].synced_at = timezone.now() - datetime.timedelta(seconds=1)
    added = f.person(la, given_name="Elin", family_name="Jenkins")
    Person.objects.filter(pk=renamed.pk).update(family_name="Bowen", updated_at=timezone.now())
    Person.objects.filter(pk=merged.pk).update(merged_into=kept, updated_at=timezone.now())
    PersonName.objects.create(person=kept, kind="PREVIOUS", given_name="Aled", family_name="Hughes")
    f.address(moving, postcode="SA1 1AA")
    with CaptureQueriesContext(connection) as ctx:
        index = matching_index.index_for(la.pk)
    assert str(added.pk) in index and str(merged.pk) not in index and len(index) == 4
    renamed_record = index.get(str(renamed.pk))
    kept_record = index.get(str(kept.pk))
    moving_record = index.get(str(moving.pk))
    assert renamed_record is not None and renamed_record.family_name == "Bowen"
    assert kept_record is not None and "Aled Hughes" in kept_record.other_names
    assert moving_record is not None and moving_record.postcode is not None
    assert moving_record.postcode.replace(" ", "").upper() == "SA11AA"
    assert not any(" OR " in q["sql"] for q in ctx.captured_queries)


def test_a_person_committed_after_a_sync_with_an_earlier_stamp_is_taken_in(db):
    """A person is stamped when written but seen only when their transaction commits: one
    stamped 30 s before a sync and committed after it (a slow request, an import) was missed for
    good with a 5 s read-back. Now each sync reads back a minute (as people search's names do)."""
    import datetime

    import time_machine

    authority = f.agency()
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        f.person(authority)
        index = matching_index.index_for(authority.pk)  # synced at 9:00:00
        clock.move_to(start - datetime.timedelta(seconds=30))
        late = f.person(authority)  # stamped 8:59:30, "committed" after the sync
        clock.move_to(start + datetime.timedelta(seconds=10))
        assert str(late.pk) in matching_index.index_for(authority.pk)
        assert matching_index.index_for(authority.pk) is index
