"""Reusable filters for people. Case data is only ever read through ``visible_to``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from diogelu.accounts.models import User
    from diogelu.people.models import Person  # noqa: F401 - used in the string annotation below


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: User) -> PersonQuerySet:
        """Only the people ``user`` may see (see :mod:`diogelu.access.visibility`)."""
        from diogelu.access.visibility import visible_people_q

        return self.filter(visible_people_q(user), merged_into__isnull=True)

    def children(self) -> PersonQuerySet:
        return self.filter(models.Q(is_unborn=True) | models.Q(date_of_birth__isnull=False))
