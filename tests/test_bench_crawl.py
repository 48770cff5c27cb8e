"""``python -m bench.web.crawl`` walks the pages a persona reaches and the API lists, and
reports each address's statements (issue 17: it is how the lists that grew with the data were
found at a county)."""

from __future__ import annotations

import pytest

from bench.web import crawl

pytestmark = pytest.mark.django_db


def test_the_crawl_reaches_my_work_and_the_lists_and_counts_their_statements(world, capsys):
    assert crawl.main(["--users", f"{world.social_worker.username},nobody", "--pages", "12"]) == 0
    out = capsys.readouterr().out
    assert "nobody: no such user in this database" in out
    head = next(line for line in out.splitlines() if line.startswith(world.social_worker.username))
    assert "0 errors" in head
    rows = [line for line in out.splitlines() if f" {world.social_worker.username} " in line]
    assert any(line.rstrip().endswith(" my_work /") for line in rows), out
    assert any("/api/v1/people/" in line for line in rows), out
    # each row's statements are counted (a page of the workflow issues several)
    assert all(int(line.split()[1]) > 0 for line in rows if "/api/v1/" not in line)
