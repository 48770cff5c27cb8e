from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from diogelu.people.validators import (
    nhs_number_is_valid,
    normalise_postcode,
    upn_check_letter,
    upn_is_valid,
    validate_nhs_number,
    validate_postcode,
    validate_upn,
)


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "943-476-5919", "9990000018"])
def test_valid_nhs_numbers(number):
    assert nhs_number_is_valid(number)
    validate_nhs_number(number)


@pytest.mark.parametrize(
    "number",
    ["9434765918", "123", "94347659190", "abcdefghij", "", "0000000000 1", "9434765910"],
)
def test_invalid_nhs_numbers(number):
    assert not nhs_number_is_valid(number)
    with pytest.raises(ValidationError):
        validate_nhs_number(number)


def test_nhs_check_digit_of_ten_is_never_valid():
    # 000000006x: 6 x 2 = 12, remainder 1, check digit 11 - 1 = 10, which no NHS number can have.
    assert not any(nhs_number_is_valid("000000006" + last) for last in "0123456789")


def test_upn_check_letter_round_trip():
    body = "999123456789"
    upn = upn_check_letter(body) + body
    assert upn_is_valid(upn)
    validate_upn(upn.lower())
    wrong = ("B" if upn[0] != "B" else "C") + body
    assert not upn_is_valid(wrong)
    with pytest.raises(ValidationError):
        validate_upn(wrong)


@pytest.mark.parametrize("value", ["A12", "A1234567890123", "I99912345678", "!!!!!!!!!!!!!"])
def test_malformed_upns(value):
    assert not upn_is_valid(value)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("cf311aa", "CF31 1AA"),
        ("CF31  1AA", "CF31 1AA"),
        ("sa1 1aa", "SA1 1AA"),
        ("LL57 2DG", "LL57 2DG"),
    ],
)
def test_postcodes_normalise(raw, clean):
    assert normalise_postcode(raw) == clean
    validate_postcode(raw)


@pytest.mark.parametrize("value", ["NOTAPOSTCODE", "CF31", "12345", "QQ1 1AA", "CF31 1AAA"])
def test_bad_postcodes(value):
    with pytest.raises(ValidationError):
        validate_postcode(value)
