import datetime as dt

import pytest

from diogelu.matching import Record
from diogelu.matching.compare import comparison_vector
from diogelu.matching.model import household_pattern
from diogelu.matching.normalise import (
    dob_key,
    fold,
    is_placeholder_date,
    is_placeholder_family_name,
    is_placeholder_given_name,
    is_role_given_name,
    name_tokens,
    nhs_number_is_valid,
    normalise_nhs_number,
    normalise_postcode,
    normalise_sex,
    normalise_upn,
    parse_date,
    postcode_parts,
    swapped_day_month,
    upn_check_letter,
)
from diogelu.matching.record import prepare


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Siân", "sian"),
        ("SIÂN", "sian"),
        ("O'Neill", "oneill"),
        ("O’Neill", "oneill"),
        ("Llŷr", "llyr"),
        ("Siân O'Neill-Jones", "sian oneill jones"),
        ("  Dafydd   ap  Gruffudd ", "dafydd ap gruffudd"),
        ("Zoë", "zoe"),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded
    assert fold(folded) == folded


def test_name_tokens_drop_titles_digits_and_noise():
    assert name_tokens("Dr. Siân O'Neill-Jones") == ("sian", "oneill", "jones")
    assert name_tokens("thomas clifford, 1st baron of chudleigh") == (
        "thomas",
        "clifford",
        "chudleigh",
    )
    assert name_tokens(None) == ()
    assert name_tokens("x" * 1_000_000) == ("x" * 200,)


def test_a_title_that_is_the_whole_name_is_kept():
    """Regression (issue 16, a held-out probe): the surname "King" or "Lord" was dropped as a
    title, so twins Toby and Denis Lord of one birthday had no surname in common and no twins
    pattern, and merged."""
    assert name_tokens("King") == ("king",)
    assert name_tokens("Mr King") == ("king",)
    assert name_tokens("LORD") == ("lord",)
    assert name_tokens("Earl") == ("earl",)
    assert name_tokens("Le") == ("le",)
    assert name_tokens("I") == ("i",)
    assert name_tokens("Lord Tonypandy") == ("tonypandy",)
    assert name_tokens("Mr") == ()
    assert name_tokens("II") == ()
    # A surname particle alone is a surname ("Le"), not a first name (a cut-off "Leo").
    le = prepare(Record("c", "Le", "Le"))
    assert (le.g, le.f) == ("", "le")
    assert prepare(Record("d", "Earl", "Smith")).g == "earl"
    toby = prepare(Record("a", "Toby", "Lord", date_of_birth=dt.date(2012, 10, 18)))
    denis = prepare(Record("b", "Denis", "Lord", date_of_birth=dt.date(2012, 10, 18)))
    assert toby.f == denis.f == "lord"
    assert household_pattern(comparison_vector(toby, denis)) == "twins"


@pytest.mark.parametrize(
    "surname",
    ["Unknown", "NOT KNOWN", "N/K", "TBC", "ZZZ", "Baby", "Refuse", "Apellido", "Of The House"],
)
def test_a_surname_that_says_it_is_not_known_is_not_recorded(surname):
    """Regression (issue 16): "Unknown" and the census form's "Refuse" were surnames, so two
    unnamed records shared one, and "Matthew Refuse" was a different surname from "Matthew
    Burns" of one birthday instead of a missing one."""
    assert is_placeholder_family_name(surname)
    p = prepare(Record("a", "Matthew", surname, date_of_birth=dt.date(1974, 1, 8)))
    assert (p.f, p.f_tokens) == ("", ())
    burns = prepare(Record("b", "Matthew", "Burns", date_of_birth=dt.date(1974, 1, 8)))
    assert comparison_vector(p, burns)[1] == 0  # not recorded on one


@pytest.mark.parametrize("surname", ["House", "Child", "Son", "Doe", "Parent", "Younger", "Unwin"])
def test_surnames_that_look_like_placeholders_are_kept(surname):
    assert not is_placeholder_family_name(surname)
    assert prepare(Record("a", "Matthew", surname)).f == fold(surname)


def test_name_tokens_drop_ordinals_whole():
    """Regression (issue 16): "3rd" lost its digit and left "rd" as a first name, so "the 3rd
    Earl" and "George" of one birthday looked like twins."""
    assert name_tokens("george rous, 3rd earl of stradbroke") == ("george", "rous", "stradbroke")
    assert name_tokens("3rd") == ()
    assert name_tokens("22nd of stradbroke") == ("stradbroke",)
    assert name_tokens("Th. Wright") == ("th", "wright")  # an abbreviation, not an ordinal


@pytest.mark.parametrize("text", ["Baby", "BABY JONES", "Unborn", "baby of Sarah", "Twin 1"])
def test_placeholder_given_names(text):
    assert is_placeholder_given_name(text)


@pytest.mark.parametrize("text", ["Babak", "Sian", None, ""])
def test_real_given_names_are_not_placeholders(text):
    assert not is_placeholder_given_name(text)


@pytest.mark.parametrize(
    "text",
    ["Mother", "SON", "Husband", "Lady of the house", "Man in the", "Adult Male", "Resident"],
)
def test_a_role_written_for_a_first_name_is_no_first_name(text):
    """A census form's "Son" or "Lady of the house" names nobody (ADR 0838): the record's first
    name is not recorded, so it is no evidence of a brother or a twin."""
    assert is_role_given_name(text)
    assert prepare(Record("r", text, "Price")).g == ""


@pytest.mark.parametrize(
    "text", ["Hija", "SENORA", "Señor", "Doh", "SOH", "Gent", "Gentle", "One", "House"]
)
def test_the_rest_of_the_census_placeholders_are_no_first_name(text):
    """The census list's Spanish roles, its three-letter codes, "Gent" and "One" (ADR 0840)."""
    assert is_role_given_name(text)
    assert prepare(Record("r", text, "Price")).g == ""


@pytest.mark.parametrize(
    "text", ["Lady Jane", "Father Brown", "Sonia", "Dan", "Mr", "Baby", None, "Nino", "Señor Pablo"]
)
def test_names_beside_a_role_word_are_names(text):
    assert not is_role_given_name(text)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("cf10 1aa", "CF10 1AA"),
        ("CF101AA", "CF10 1AA"),
        (" sa1  8pp ", "SA1 8PP"),
        ("LL57 2DG", "LL57 2DG"),
        ("cf10 oaa", "CF10 0AA"),
        ("CF10", "CF10"),
        ("not a postcode", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_postcode(raw, canonical):
    assert normalise_postcode(raw) == canonical


def test_postcode_parts():
    assert postcode_parts("CF10 1AA") == ("CF", "CF10", "CF10 1")
    assert postcode_parts("B1 1AA") == ("B", "B1", "B1 1")


def test_nhs_number_check_digit():
    assert nhs_number_is_valid("9434765919")
    assert not nhs_number_is_valid("9434765918")  # wrong check digit
    assert not nhs_number_is_valid("943476591")  # too short
    assert not nhs_number_is_valid("0000000000")  # all one digit
    assert normalise_nhs_number("943 476 5919") == "9434765919"
    assert normalise_nhs_number("943-476-5919") == "9434765919"
    assert normalise_nhs_number("9434765918") is None


def test_nhs_number_catches_every_single_digit_error():
    good = "9434765919"
    for position in range(10):
        for digit in "0123456789":
            if digit != good[position]:
                typo = good[:position] + digit + good[position + 1 :]
                assert not nhs_number_is_valid(typo), typo


def test_upn_check_letter_round_trip():
    body = "660123412001"
    upn = upn_check_letter(body) + body
    assert normalise_upn(upn.lower()) == upn
    wrong = ("A" if upn[0] != "A" else "B") + body
    assert normalise_upn(wrong) is None
    assert normalise_upn("short") is None


@pytest.mark.parametrize(
    ("raw", "sex"),
    [("M", "m"), ("male", "m"), ("Boy", "m"), ("F", "f"), ("Female", "f"), ("U", None), ("", None)],
)
def test_normalise_sex(raw, sex):
    assert normalise_sex(raw) == sex


@pytest.mark.parametrize(
    "text",
    ["2015-03-04", "04/03/2015", "04-03-2015", "04.03.2015", "20150304", "2015-03-04 00:00:00"],
)
def test_parse_date_forms(text):
    assert parse_date(text) == dt.date(2015, 3, 4)


@pytest.mark.parametrize(
    "text",
    [
        "04-Mar-2015",  # as Oracle's TO_CHAR(d, 'DD-MON-YYYY') writes it
        "04-MAR-2015",
        "4 Mar 2015",
        "04/Mar/2015",
        "4 March 2015",
        "March 4, 2015",
        "Mar 4 2015",
        "2015/03/04",
        "2015.03.04",
    ],
)
@pytest.mark.parametrize("month_first", [False, True])
def test_parse_date_with_the_month_in_words(text, month_first):
    """Legacy exports write the month in words or ISO with slashes: "04-MAR-2015" was "not
    understood" and the record lost its date of birth."""
    assert parse_date(text, month_first) == dt.date(2015, 3, 4)


MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
WHOLE_MONTHS = [
    "JANUARY",
    "FEBRUARY",
    "MARCH",
    "APRIL",
    "MAY",
    "JUNE",
    "JULY",
    "AUGUST",
    "SEPTEMBER",
    "OCTOBER",
    "NOVEMBER",
    "DECEMBER",
]


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_in_capitals(month):
    """Review of the month-in-words forms: a "T" in a capital month ("OCT", "AUGUST") was taken
    for ISO's time separator, and the date was cut there."""
    short, whole = MONTHS[month - 1], WHOLE_MONTHS[month - 1]
    expected = dt.date(2015, month, 4)
    for text in (
        f"04-{short}-2015",
        f"04-{short}-2015 10:11:12",
        f"4 {whole} 2015",
        f"{whole} 4, 2015",
    ):
        assert parse_date(text) == expected, text
        assert parse_date(text, month_first=True) == expected, text


def test_iso_time_and_sept():
    assert parse_date("2015-10-04T10:00:00") == dt.date(2015, 10, 4)
    assert parse_date("29 Sept 1994") == dt.date(1994, 9, 29)
    assert parse_date("SEPT 29, 1994") == dt.date(1994, 9, 29)


@pytest.mark.parametrize(
    "text", ["", None, "31/02/2015", "next tuesday", "04/03/15", "31-Feb-2015"]
)
def test_parse_date_refuses_nonsense(text):
    assert parse_date(text) is None


def test_placeholder_dates_and_swaps():
    assert is_placeholder_date(dt.date(2015, 1, 1))
    assert is_placeholder_date(dt.date(1900, 1, 1))
    assert not is_placeholder_date(dt.date(2015, 1, 2))
    assert swapped_day_month(dt.date(2015, 3, 4)) == dt.date(2015, 4, 3)
    assert swapped_day_month(dt.date(2015, 3, 14)) is None
    assert swapped_day_month(dt.date(2015, 3, 3)) is None
    assert dob_key(dt.date(2015, 3, 4)) == "20150304"
