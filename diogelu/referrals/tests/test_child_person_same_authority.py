"""A report's child is linked only to a person of the report's authority, and the database holds
to it (migration referrals 0006, ADR 0816): the reports list's visibility check relies on it."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from diogelu.people.models import Person
from diogelu.referrals.access import visible_reports
from diogelu.referrals.models import Report, ReportChild, ReportStatus

pytestmark = pytest.mark.django_db


def _report(world, authority=None):
    return Report.objects.create(
        authority=authority or world.authority,
        status=ReportStatus.SUBMITTED,
        created_by=world.mash,
    )


def _refused(action):
    with pytest.raises(DatabaseError, match="authority"), transaction.atomic():
        action()


def test_a_child_is_not_linked_to_a_person_of_another_authority(world):
    report = _report(world)
    _refused(lambda: ReportChild.objects.create(report=report, person=world.other_child))
    child = ReportChild.objects.create(report=report, given_name="A", person=world.child)
    child.person = world.other_child
    _refused(lambda: child.save(update_fields=["person"]))
    # Moved to a report of the other authority while linked to one of ours: refused too.
    elsewhere = _report(world, world.other_authority)
    child.refresh_from_db()
    child.report = elsewhere
    _refused(lambda: child.save(update_fields=["report"]))
    # Through a bulk update, which no model method sees.
    _refused(lambda: ReportChild.objects.filter(pk=child.pk).update(person=world.other_child))
    # Unlinked, and linked within the authority: allowed.
    ReportChild.objects.filter(pk=child.pk).update(person=None)
    ReportChild.objects.filter(pk=child.pk).update(person=world.sibling)
    assert ReportChild.objects.get(pk=child.pk).person_id == world.sibling.pk


def test_a_linked_person_and_report_keep_their_authority(world):
    report = _report(world)
    ReportChild.objects.create(report=report, given_name="A", person=world.child)
    _refused(
        lambda: Person.objects.filter(pk=world.child.pk).update(authority=world.other_authority)
    )
    _refused(lambda: Report.objects.filter(pk=report.pk).update(authority=world.other_authority))
    # A person or report with no linked children may (nothing in the services does).
    unlinked = _report(world)
    Report.objects.filter(pk=unlinked.pk).update(authority=world.other_authority)
    Person.objects.filter(pk=world.mother.pk).update(authority=world.other_authority)


def test_a_report_naming_a_hidden_child_stays_hidden(world):
    """The list's check, now read through the hidden records only, still hides a report about a
    restricted child from staff not named on the record, and shows it to the rest."""
    report = _report(world)
    ReportChild.objects.create(report=report, given_name="A", person=world.child)
    assert report in visible_reports(world.social_worker)
    Person.objects.filter(pk=world.child.pk).update(is_restricted=True)
    assert report not in visible_reports(world.social_worker)
    assert report not in visible_reports(world.other_la_worker)
    assert report in visible_reports(world.mash)  # its maker sees their own report
