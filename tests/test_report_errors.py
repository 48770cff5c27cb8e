"""A report with several bad answers names every one (issue 11, "The API contract"), in the
services that pages and the API share."""

from __future__ import annotations

import datetime

import pytest

from diogelu.core.exceptions import InvalidAnswersError
from diogelu.referrals import services as referrals


def test_a_child_with_several_bad_answers_names_each(db):
    with pytest.raises(InvalidAnswersError) as refused:
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
    with pytest.raises(InvalidAnswersError) as refused:
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


def test_the_api_names_every_bad_detail_of_every_child(world):
    from django.test import Client

    from tests import factories as f

    client = Client(HTTP_AUTHORIZATION=f"Bearer {f.token(world.school_lead)}")
    body = {
        "children": [
            {"given_name": "Siân", "postcode": "ZZZZ", "nhs_number": "1234567890"},
            {"given_name": "Dafydd", "date_of_birth": "2999-01-01", "upn": "X"},
        ],
        "what_happened": "Bruises.",
        "categories": ["PHYSICAL"],
        "immediate_danger": "NO",
        "family_aware": "NO",
        "lawful_basis": "SAFEGUARDING",
    }
    response = client.post("/api/v1/reports/", body, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"]["children"]
    assert set(errors["0"]) == {"postcode", "nhs_number"}
    assert set(errors["1"]) == {"date_of_birth", "upn"}
