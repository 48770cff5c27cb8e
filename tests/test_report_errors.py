"""A report with several bad answers names every one (issue 11, "The API contract"), in the
services that pages and the API share."""

from __future__ import annotations

import datetime

import pytest

from diogelu.core.exceptions import DomainErrors
from diogelu.referrals import services as referrals


def test_a_child_with_several_bad_answers_names_each(db):
    with pytest.raises(DomainErrors) as refused:
        referrals.clean_child(
            {
                "given_name": "Siân",
                "date_of_birth": datetime.date(2999, 1, 1),
                "postcode": "NOT A POSTCODE",
                "nhs_number": "1234567890",
                "upn": "X",
                "sex": "ROBOT",
            }
        )
    assert set(refused.value.errors) == {"date_of_birth", "postcode", "nhs_number", "upn", "sex"}


def test_a_draft_with_several_bad_answers_names_each(world):
    report = referrals.start_report(actor=world.school_lead, authority=world.authority)
    with pytest.raises(DomainErrors) as refused:
        referrals.save_report_answers(
            actor=world.school_lead,
            report=report,
            expected_version=report.version,
            answers={
                "immediate_danger": "MAYBE",
                "lawful_basis": "WHIM",
                "what_happened": "x" * 20_001,
                "categories": ["NOT_A_CATEGORY"],
            },
        )
    assert set(refused.value.errors) == {
        "immediate_danger",
        "lawful_basis",
        "what_happened",
        "categories",
    }
    report.refresh_from_db()
    assert report.immediate_danger == "" and report.what_happened == ""
