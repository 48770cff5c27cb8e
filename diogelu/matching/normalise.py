"""Normalisation of names and identifiers for search and matching.

Every function here is pure, total (it never raises on odd input: it returns ``None`` or ``""``
instead) and idempotent where that makes sense, so the same code serves people search, the online
index and bulk imports of messy legacy data.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
import unicodedata
from collections.abc import Iterable

_APOSTROPHES = "'’‘`´ʼ"
_SPACE_RE = re.compile(r"\s+")
_NON_NAME_RE = re.compile(r"[^a-z ]+")
# An ordinal ("3rd Earl", "the 22nd"): removed whole, before digits go, so that it does not leave
# "rd" or "nd" behind as a name.
_ORDINAL_RE = re.compile(r"\b\d+(?:st|nd|rd|th)\b")
# Apostrophes go; hyphens and full stops become spaces.
_FOLD_TABLE = str.maketrans({**dict.fromkeys(_APOSTROPHES), "-": " ", ".": " "})
# Longest field we look at. Anything longer is cut: a name or postcode is never this long, and
# a million-character cell must not cost a million-character comparison.
MAX_FIELD_CHARS = 200


def fold(text: str) -> str:
    """Fold a name for comparison: casefold, strip accents and apostrophes, hyphens to spaces.

    ``fold("Siân O'Neill-Jones") == "sian oneill jones"``. Idempotent.
    """
    if not text.isascii():  # plain ASCII has no accents to strip
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE_RE.sub(" ", text.translate(_FOLD_TABLE).casefold()).strip()


# Title words that are also names (surnames King, Lord, Earl, Duke, Prince, Baron; first names
# Earl, Duke, Queen; the initials I and V): dropped before a name like the rest of NAME_NOISE,
# but a name field that holds nothing else keeps them, for there they are the name, not a title
# before it. A first name field keeps only these.
GIVEN_NOISE_ALSO_NAMES: frozenset[str] = frozenset(
    [
        "lady",
        "lord",
        "baron",
        "count",
        "earl",
        "duke",
        "king",
        "queen",
        "prince",
        "princess",
        "saint",
        "i",
        "v",
    ]
)
# A surname field keeps the surname particles too: "Le" alone is the Vietnamese surname, but as a
# first name it is a cut-off Leo or Lewis.
NAME_NOISE_ALSO_NAMES: frozenset[str] = GIVEN_NOISE_ALSO_NAMES | frozenset(
    ["de", "la", "le", "von", "van", "der", "den"]
)
# Words that are not part of anyone's name: titles, honorifics, ordinals and joining words that
# legacy systems and free-text full names carry ("Mr", "Baron ... of ...", "II").
NAME_NOISE: frozenset[str] = NAME_NOISE_ALSO_NAMES | frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "master",
        "dr",
        "prof",
        "rev",
        "revd",
        "sir",
        "dame",
        "baroness",
        "countess",
        "duchess",
        "viscount",
        "marquess",
        "st",
        "of",
        "the",
        "and",
        "jr",
        "jnr",
        "junior",
        "sr",
        "snr",
        "senior",
        "ii",
        "iii",
        "iv",
        "vi",
        "1st",
        "2nd",
        "3rd",
        "4th",
        "5th",
        "6th",
        "7th",
        "8th",
        "9th",
        "10th",
    ]
)

# Given names that mean "not yet named": a baby or unborn child recorded before registration.
PLACEHOLDER_GIVEN: frozenset[str] = frozenset(
    [
        "baby",
        "unborn",
        "infant",
        "newborn",
        "bb",
        "babi",
        "unknown",
        "unnamed",
        "male",
        "female",
        "boy",
        "girl",
        "twin",
        "child",
        "nk",
        "notknown",
        "tbc",
    ]
)


# Words that a form-filler or a clerk writes where a first name should be: a relationship or a
# role ("Mother", "Son", "Husband", "Resident", "Lady of the house"). The list is the English part
# of the placeholder first names found in returned census forms (a NORC report on the US Census
# Bureau's Person Identification Validation System, as shipped by the pseudopeople package's
# ``fake_names``), less initials, titles (``NAME_NOISE``) and those in ``PLACEHOLDER_GIVEN``.
# Such a record's first name is not recorded (ADR 0838). No child's name in the name table is
# among them. ADR 0840 adds the rest of that list that is no given name: its Spanish roles and
# titles (Hija, Hijo, Señor, Señora), its three-letter forms such as DOH and SOH, short forms of
# gentleman ("Gent", "Gentle"), and "One" and "House" alone. Not "Nino": a given name too.
ROLE_GIVEN: frozenset[str] = frozenset(
    [
        "adult",
        "brother",
        "dad",
        "dau",
        "daughter",
        "father",
        "friend",
        "gentleman",
        "gentelman",
        "gentlemen",
        "grandchild",
        "granddaughter",
        "grandson",
        "husband",
        "inmate",
        "kid",
        "lady",
        "man",
        "minor",
        "mom",
        "mother",
        "nephew",
        "niece",
        "oldest",
        "person",
        "resident",
        "respondent",
        "occupant",
        "householder",
        "sister",
        "son",
        "wife",
        "woman",
        "youngest",
        # ADR 0840
        "hija",
        "hijo",
        "senor",
        "senora",
        "coh",
        "doh",
        "goh",
        "loh",
        "moh",
        "soh",
        "gent",
        "gentle",
        "one",
        "house",
    ]
)


_ROLE_WORDS = ROLE_GIVEN | NAME_NOISE | PLACEHOLDER_GIVEN | {"house", "household", "in"}


def name_tokens(
    text: str | None, also_names: frozenset[str] = NAME_NOISE_ALSO_NAMES
) -> tuple[str, ...]:
    """Folded name words with punctuation, digits and noise words (titles, "of") removed.

    ``name_tokens("Dr. Siân O'Neill-Jones") == ("sian", "oneill", "jones")``. A field of noise
    words alone keeps those that are also names (``also_names``: by default
    ``NAME_NOISE_ALSO_NAMES``, for a surname; ``GIVEN_NOISE_ALSO_NAMES`` for a first name): the
    surname "King", the first name "Earl", "Mr Le" (``("le",)``).
    """
    if not text:
        return ()
    cleaned = _NON_NAME_RE.sub(" ", _ORDINAL_RE.sub(" ", fold(text[:MAX_FIELD_CHARS])))
    words = cleaned.split()
    kept = tuple(t for t in words if t not in NAME_NOISE)
    if kept or not words:
        return kept
    return tuple(t for t in words if t in also_names)


# Surnames that say the surname is not known: what UK systems write for an unnamed or
# unregistered person ("Unknown", "N/K", "TBC", "ZZZ", "Baby"), and the census form's
# placeholders for a last name that pseudopeople ships from the NORC report ("Refuse",
# "Apellido", "Of The House", "Doh" for "daughter of householder"), less those that are
# surnames too (House, Child, Son, Parent, Person, Younger, Doe, Friend, Husband, Male,
# Lady, Man, Owner, Home, Casa). Matched on the whole field, folded, punctuation as spaces.
PLACEHOLDER_FAMILY: frozenset[str] = frozenset(
    [
        "unknown",
        "not known",
        "notknown",
        "nk",
        "n k",
        "unk",
        "unkn",
        "tbc",
        "tba",
        "to be confirmed",
        "x",
        "xx",
        "xxx",
        "zz",
        "zzz",
        "anon",
        "anonymous",
        "no name",
        "noname",
        "no surname",
        "no last name",
        "last name",
        "surname",
        "none",
        "n a",
        "na",
        "nil",
        "refuse",
        "refused",
        "declined",
        "dont know",
        "don t know",
        "do not know",
        "not given",
        "not stated",
        "not recorded",
        "withheld",
        "baby",
        "unborn",
        "newborn",
        "apellido",
        "respondent",
        "respondant",
        "resp",
        "occupant",
        "householder",
        "household",
        "hh",
        "hhm",
        "female",
        "of the house",
        "of house",
        "of the home",
        "the house",
        "lady of the house",
        "lady of house",
        "man of the house",
        "de casa",
        "de la casa",
        "doh",
        "goh",
        "coh",
        "soh",
        "moh",
        "loh",
        "one",
        "two",
        "three",
        "four",
    ]
)


def is_placeholder_family_name(text: str | None) -> bool:
    """True for a surname that says it is not known: "Unknown", "N/K", "ZZZ", "Baby",
    "Refuse" (``PLACEHOLDER_FAMILY``). Such a surname is not recorded: two records of "Unknown"
    do not share a surname."""
    if not text:
        return False
    words = _NON_NAME_RE.sub(" ", fold(text[:MAX_FIELD_CHARS])).split()
    return " ".join(words) in PLACEHOLDER_FAMILY


def is_placeholder_given_name(text: str | None) -> bool:
    """True for "Baby", "Unborn", "Baby of Jones", "Twin 1": a record of a child not yet named."""
    tokens = fold(text[:MAX_FIELD_CHARS]).split() if text else []
    return bool(tokens) and tokens[0] in PLACEHOLDER_GIVEN


def is_role_given_name(text: str | None) -> bool:
    """True for "Mother", "Son", "Lady of the house": a relationship or role written where a
    first name should be, every word of it a role word (``ROLE_GIVEN``), a placeholder or a
    title. "Lady Jane" and "Father Brown" keep their names."""
    tokens = _NON_NAME_RE.sub(" ", fold(text[:MAX_FIELD_CHARS])).split() if text else []
    return any(t in ROLE_GIVEN for t in tokens) and all(t in _ROLE_WORDS for t in tokens)


# --- postcodes -----------------------------------------------------------------------------

_POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_OUTWARD_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_NOT_ALNUM_RE = re.compile(r"[^A-Za-z0-9]")


def normalise_postcode(text: str | None) -> str | None:
    """A UK postcode in its canonical form ``"CF10 1AA"``, or ``None`` if it is not one.

    Case and spacing are ignored; a letter O typed for a zero in the inward part is corrected.
    An outward code alone (``"CF10"``) is kept, since legacy systems often hold only that.
    """
    if not text:
        return None
    compact = _NOT_ALNUM_RE.sub("", text[:MAX_FIELD_CHARS]).upper()
    if len(compact) >= 5:
        inward = compact[-3:]
        if inward[0] == "O":
            inward = "0" + inward[1:]
        compact = compact[:-3] + inward
    match = _POSTCODE_RE.match(compact)
    if match:
        return f"{match.group(1)} {match.group(2)}"
    if _OUTWARD_RE.match(compact):
        return compact
    return None


def postcode_parts(postcode: str) -> tuple[str, str, str]:
    """``(area, district, sector)`` of a canonical postcode: ``("CF", "CF10", "CF10 1")``."""
    outward, _, inward = postcode.partition(" ")
    area = outward[:2] if outward[1:2].isalpha() else outward[:1]
    sector = f"{outward} {inward[:1]}" if inward else outward
    return area, outward, sector


# --- identifiers ---------------------------------------------------------------------------


_NHS_WEIGHTS = tuple(range(10, 1, -1))
_NHS_SEPARATORS_RE = re.compile(r"[\s-]")


def nhs_number_is_valid(digits: str) -> bool:
    """Modulus 11 check of a 10-digit NHS number (the check digit is the tenth)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(map(operator.mul, map(int, digits[:9]), _NHS_WEIGHTS))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9]) and len(set(digits)) > 1


def normalise_nhs_number(text: str | None) -> str | None:
    """The 10 digits of a valid NHS number (spaces and dashes ignored), or ``None``."""
    if not text:
        return None
    digits = _NHS_SEPARATORS_RE.sub("", text[:MAX_FIELD_CHARS])
    return digits if nhs_number_is_valid(digits) else None


_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(body: str) -> str:
    """The DfE check letter for the 12 characters after it (weights 2..13, modulus 23)."""
    total = 0
    for weight, char in enumerate(body, start=2):
        value = (
            int(char) if char.isdigit() else _UPN_LETTERS.index(char) if char in _UPN_LETTERS else 0
        )
        total += value * weight
    return _UPN_LETTERS[total % 23]


def normalise_upn(text: str | None) -> str | None:
    """A 13-character unique pupil number with the right check letter, upper-cased; else None."""
    if not text:
        return None
    upn = _SPACE_RE.sub("", text[:MAX_FIELD_CHARS]).upper()
    if len(upn) != 13 or not upn[1:12].isdigit() or not (upn[12].isdigit() or upn[12].isalpha()):
        return None
    return upn if upn[0] == upn_check_letter(upn[1:]) else None


def normalise_identifier(text: str | None) -> str | None:
    """Another identifier, compared as written but for case, spaces and punctuation ("AB 12 34
    56 C" and "ab123456c"); None when nothing is left."""
    if not text:
        return None
    kept = "".join(c for c in text[:MAX_FIELD_CHARS].casefold() if c.isalnum() or c == "@")
    return kept or None


# --- sex -----------------------------------------------------------------------------------

_SEX = {
    # The NHS Data Dictionary's codes (Person Stated Gender Code: 1 male, 2 female; 9 and X not
    # known, read as not known), as health and social care extracts write them.
    "1": "m",
    "2": "f",
    "gwrywaidd": "m",
    "benywaidd": "f",
    "m": "m",
    "male": "m",
    "boy": "m",
    "man": "m",
    "gwryw": "m",
    "f": "f",
    "female": "f",
    "girl": "f",
    "woman": "f",
    "benyw": "f",
}


def normalise_sex(text: str | None) -> str | None:
    """``"m"``, ``"f"`` or ``None`` (unknown, not stated, or anything else)."""
    if not text:
        return None
    return _SEX.get(fold(text[:MAX_FIELD_CHARS]))


# --- dates of birth ------------------------------------------------------------------------

# Dates with the month in words, as databases and spreadsheets export them: "01-FEB-2010"
# (Oracle's TO_CHAR(d, 'DD-MON-YYYY')), "1 Feb 2010", "February 1, 2010"; and ISO with slashes
# or dots. A two-digit year ("01-FEB-10", Oracle's default DD-MON-RR) is read apart
# (``two_digit_year_date``), where its century is chosen.
_WORDED_FORMATS = (
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%d %b %Y",
    "%d %B %Y",
    "%d-%b-%Y",
    "%d-%B-%Y",
    "%d/%b/%Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%B %d %Y",
)
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y%m%d", *_WORDED_FORMATS)
# A file written month first (an American system's MM/DD/YYYY; ``date_order``).
_DATE_FORMATS_MONTH_FIRST = (
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%m-%d-%Y",
    "%m.%d.%Y",
    "%Y%m%d",
    *_WORDED_FORMATS,
)
# A time after the date ("9/29/1994 12:00:00 AM", as American exports write it), or ISO's
# ("1994-09-29T00:00:00"; a "T" after a digit, never the one in "OCT" or "AUGUST").
_TIME_RE = re.compile(r"\s+\d{1,2}:\d{2}.*$")
_ISO_TIME_RE = re.compile(r"(?<=\d)T\d.*$")
# "Sept" as UK exports abbreviate September ("29 Sept 1994"), which strptime does not know.
_SEPT_RE = re.compile(r"(?i)\bsept\b")


def _date_part(text: str) -> str:
    """A date cell without the time that may follow it."""
    value = _ISO_TIME_RE.sub("", text[:40].strip())
    return _SEPT_RE.sub("Sep", _TIME_RE.sub("", value).strip())


_NUMERIC_DATE_RE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](?:\d{4}|\d{2})\b")
# Eight digits with the year last, as some systems write a date without separators: DDMMYYYY
# ("04071985"), or MMDDYYYY in an American one ("07041985"; ADR 0839). Never taken for YYYYMMDD:
# the fifth and sixth digits of such a date are its century ("19", "20"), never a month, and an
# eight-digit date whose fifth and sixth digits are a month is read year first. Eight digits are
# many things besides a date: only a year from 1800 to 2100 is taken for one.
_COMPACT_YEAR_LAST_RE = re.compile(r"^(\d{2})(\d{2})(\d{4})$")


def _compact_year_last(value: str) -> tuple[int, int] | None:
    """The first and second parts of an eight-digit date written with its year last, or
    ``None`` (another form, one that reads year first, YYYYMMDD, or a year out of range)."""
    found = _COMPACT_YEAR_LAST_RE.match(value.strip())
    if found is None or 1 <= int(found.group(3)[:2]) <= 12:
        return None
    if not 1800 <= int(found.group(3)) <= 2100:
        return None
    return int(found.group(1)), int(found.group(2))


def date_order(values: Iterable[str | None]) -> tuple[bool, int, int]:
    """Is a column of dates written month first? And the evidence: how many of its dates
    written with the year last have a first part over 12 (so day first: 29/09/1994), and how
    many a second part over 12 (so month first: 09/29/1994). Eight digits with the year last
    (29091994, 09291994) count too.

    A file is read month first only when the second kind is clear and the first nearly absent
    (a typing error can make either): more than 2 such dates, and more than ten times as many as
    the first kind. Otherwise day first, the UK order.
    """
    day_first = month_first = 0
    for value in values:
        if not value:
            continue
        found = _NUMERIC_DATE_RE.match(value)
        if found is not None:
            first, second = int(found.group(1)), int(found.group(2))
        elif (parts := _compact_year_last(value)) is not None:
            first, second = parts
        else:
            continue
        if first > 12 >= second:
            day_first += 1
        elif second > 12 >= first:
            month_first += 1
    return reads_month_first(day_first, month_first), day_first, month_first


def reads_month_first(day_first: int, month_first: int) -> bool:
    """``date_order``'s rule on its two counts (also for two files read as one, in a link)."""
    return month_first > max(2, 10 * day_first)


def parse_date(text: str | None, month_first: bool = False) -> dt.date | None:
    """A date from the forms legacy systems use (ISO, UK day-first, compact); else ``None``.

    Times after the date (``"2019-03-04 00:00:00"``, ``"9/29/1994 12:00:00 AM"``) are ignored.
    Two-digit years are left to :func:`two_digit_year_date`. A year alone (``"1985"``) becomes
    1 January of that year, which the comparison already treats as a likely placeholder ("same
    year, and one date is 1 January").
    ``month_first``: numeric dates with the year last are month first (``date_order``).
    Eight digits are read year first (``"20150304"``) when they can be, else with the year last
    (``"04032015"``: DDMMYYYY, or MMDDYYYY when ``month_first``; ADR 0839).
    """
    if not text:
        return None
    value = _date_part(text)
    if len(value) == 4 and value.isdigit() and 1800 <= int(value) <= 2100:
        return dt.date(int(value), 1, 1)
    for fmt in _DATE_FORMATS_MONTH_FIRST if month_first else _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a date, no zone
        except ValueError:
            continue
    if _compact_year_last(value) is not None:
        try:
            return dt.datetime.strptime(value, "%m%d%Y" if month_first else "%d%m%Y").date()  # noqa: DTZ007
        except ValueError:
            return None
    return None


# A date whose year is plain but whose day or month cannot be ("1856-86-18", "00/00/1985").
_YEAR_FIRST_RE = re.compile(r"^(\d{4})[/.-]\d{1,2}[/.-]\d{1,2}$")
_YEAR_LAST_RE = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-](\d{4})$")
_EARLIEST_YEAR = 1000


class YearOnly(dt.date):
    """1 January of a year, standing for a date of which only the year could be read
    (:func:`year_of_unreadable_date`). Compared, it agrees with a date of its year (as a
    placeholder 1 January does) and is no evidence at all against a date of another year: the
    date was mistyped, so its year may be too."""

    __slots__ = ()


def year_of_unreadable_date(text: str | None) -> dt.date | None:
    """For a date that :func:`parse_date` refused but whose form is plain, with its year written
    whole (``"1856-86-18"``: a mistyped month; ``"00/00/1985"``: day and month unknown, as
    legacy systems write it), 1 January of that year, as for a year written alone: the
    comparison treats it as a likely placeholder, so the year still counts. ``None`` when even
    the form is not a date's."""
    if not text:
        return None
    value = _date_part(text)
    found = _YEAR_FIRST_RE.match(value) or _YEAR_LAST_RE.match(value)
    if found is None:
        return None
    year = int(found.group(1))
    if not _EARLIEST_YEAR <= year <= 2100:
        return None
    return YearOnly(year, 1, 1)


# A day, a month and a two-digit year, as older systems and spreadsheets write them: "03/07/85",
# "3.7.85", "01-FEB-10" (Oracle's default DD-MON-RR), "1 Feb 10".
_TWO_DIGIT_YEAR_RE = re.compile(r"^\d{1,2}[/.\- ](?:\d{1,2}|[A-Za-z]{3,9})[/.\- ]\d{2}$")
_TWO_DIGIT_WORDED = ("%d-%b-%y", "%d-%B-%y", "%d %b %y", "%d %B %y", "%d/%b/%y", "%d/%B/%y")
_TWO_DIGIT_FORMATS = ("%d/%m/%y", "%d-%m-%y", "%d.%m.%y", *_TWO_DIGIT_WORDED)
_TWO_DIGIT_FORMATS_MONTH_FIRST = ("%m/%d/%y", "%m-%d-%y", "%m.%d.%y", *_TWO_DIGIT_WORDED)


def two_digit_year_date(
    text: str | None, month_first: bool = False, today: dt.date | None = None
) -> dt.date | None:
    """A date of birth written with a two-digit year ("03/07/85", "01-FEB-10"), in the latest
    century that does not put it after ``today``: a date of birth is never in the future, and
    the people a children's service records were born within the last hundred years. So, in
    2026, "03/07/85" is 3 July 1985 and "03/07/19" is 3 July 2019. ``None`` for anything else.

    One rule for every record keeps the comparison fair within a file: two records of one person
    written alike get one date, whatever the century. (A 29 February that the century moves to a
    year without one keeps only its year, :class:`YearOnly`.)
    """
    if not text:
        return None
    value = _date_part(text)
    if _TWO_DIGIT_YEAR_RE.match(value) is None:
        return None
    for fmt in _TWO_DIGIT_FORMATS_MONTH_FIRST if month_first else _TWO_DIGIT_FORMATS:
        try:
            read = dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a date, no zone
        except ValueError:
            continue
        now = today or dt.datetime.now(dt.UTC).date()
        year = now.year // 100 * 100 + read.year % 100
        if (year, read.month, read.day) > (now.year, now.month, now.day):
            year -= 100
        try:
            return read.replace(year=year)
        except ValueError:
            return YearOnly(year, 1, 1)
    return None


# A spreadsheet's day number (Excel's serial date: days since 30 December 1899), as a date
# column exported without its format writes it: "31232" is 4 July 1985. Only five digits are
# read so: four are a year ("1985") and eight a compact date ("19850704"); 10,000 is in 1927.
_SERIAL_RE = re.compile(r"^\d{5}$")
_SERIAL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_LAST = 73_050  # 31 December 2099


def spreadsheet_serial_date(text: str | None) -> dt.date | None:
    """A date written as a spreadsheet's day number (``"31232"`` is 1985-07-04), else ``None``.
    A five-digit number in a date-of-birth column means nothing else."""
    if not text:
        return None
    value = text.strip()
    if _SERIAL_RE.match(value) is None or int(value) > _SERIAL_LAST:
        return None
    return _SERIAL_EPOCH + dt.timedelta(days=int(value))


def read_date(text: str | None, month_first: bool = False) -> dt.date | None:
    """A date of birth as a file gives it (:func:`read_date_as`)."""
    return read_date_as(text, month_first)[0]


def read_date_as(text: str | None, month_first: bool = False) -> tuple[dt.date | None, str]:
    """A date of birth as a file gives it, and how it was read: :func:`parse_date` (``""``),
    else one written with a two-digit year (:func:`two_digit_year_date`: ``"century"``) or as a
    spreadsheet's day number (:func:`spreadsheet_serial_date`: ``"serial"``), else the year of a
    plainly written date whose day or month cannot be (:func:`year_of_unreadable_date`:
    ``"year"``); ``(None, "bad")`` when given but not understood, ``(None, "")`` when empty.
    A 29 February that the century moves to a year without one is ``"year"`` too."""
    if not text:
        return None, ""
    date = parse_date(text, month_first)
    if date is not None:
        return date, ""
    date = two_digit_year_date(text, month_first)
    if date is not None:
        return date, "year" if type(date) is YearOnly else "century"
    date = spreadsheet_serial_date(text)
    if date is not None:
        return date, "serial"
    date = year_of_unreadable_date(text)
    return date, "bad" if date is None else "year"


def is_placeholder_date(date: dt.date) -> bool:
    """1 January (including defaults like 1900-01-01): often typed when the real date is unknown."""
    return date.month == 1 and date.day == 1


def swapped_day_month(date: dt.date) -> dt.date | None:
    """The date with day and month exchanged, if that is a different valid date."""
    if date.day == date.month or date.day > 12:
        return None
    return dt.date(date.year, date.day, date.month)


def dob_key(date: dt.date) -> str:
    """``"YYYYMMDD"``: the form blocking keys and digit-level comparisons use."""
    return f"{date.year:04d}{date.month:02d}{date.day:02d}"
