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
