"""Reading person records from CSV files, with errors a person can act on.

Every problem names the file, the row (as a spreadsheet shows it: the header is row 1) and the
column. Nothing is written until everything has been read and checked: output goes to a temporary
file that is renamed into place only when complete.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from diogelu.matching.normalise import date_order, read_date_as
from diogelu.matching.record import Record

FIELDS = (
    "record_id",
    "given_name",
    "family_name",
    "full_name",
    "other_names",
    "date_of_birth",
    "sex",
    "postcode",
    "address",
    "nhs_number",
    "upn",
    "identifier",
)
# Column names tried, in order, for each field when no --map is given (compared folded: case,
# spaces, dashes and underscores ignored).
ALIASES: dict[str, tuple[str, ...]] = {
    "record_id": (
        "record_id",
        "unique_id",
        "id",
        "rec_id",
        "person_id",
        "client_id",
        "client_ref",
        "client_reference",
        "client_number",
        "person_ref",
        "person_reference",
        "person_number",
        "child_id",
        "patient_id",
        "pupil_id",
        "pupil_ref",
        "student_id",
        "hospital_number",
        "mrn",
        "subject_id",
        "individual_id",
        "uid",
        "reference",
        "ref",
        "ref_no",
        "reference_number",
        "record_number",
        "row_id",
    ),
    "given_name": (
        "given_name",
        "given_names",
        "first_name",
        "first_names",
        "forename",
        "forenames",
        "firstname",
        "fname",
        "christian_name",
        "given",
        "first",
        "forename_1",
        "first_forename",
        "given_name_1",
    ),
    "family_name": (
        "family_name",
        "surname",
        "last_name",
        "lastname",
        "lname",
        "family",
        "last",
        "surnames",
        "family_names",
    ),
    "full_name": (
        "full_name",
        "name",
        "fullname",
        "names",
        "client_name",
        "person_name",
        "child_name",
        "patient_name",
        "pupil_name",
        "display_name",
    ),
    "other_names": (
        "other_names",
        "alias",
        "aliases",
        "previous_names",
        "middle_name",
        "middle_names",
        "middle_initial",
        "second_name",
        "maiden_name",
        "previous_surname",
        "birth_surname",
        "known_as",
        "nickname",
    ),
    "date_of_birth": (
        "date_of_birth",
        "dob",
        "birth_date",
        "birthdate",
        "date_born",
        "born",
        "year_of_birth",
        "birth_year",
        "yob",
    ),
    "sex": ("sex", "gender", "sex_code", "gender_code", "sex_at_birth"),
    "postcode": ("postcode", "post_code", "postal_code", "zip"),
    "address": (
        "address",
        "address_1",
        "address1",
        "address_line_1",
        "address_line",
        "first_line_of_address",
        "addr",
        "addr_1",
        "home_address",
        "full_address",
        "current_address",
        "postal_address",
        "residential_address",
        "street_address",
        "street",
        "city",
        "town",
    ),
    "nhs_number": ("nhs_number", "nhs_no", "nhs"),
    "upn": ("upn", "unique_pupil_number"),
    "identifier": (
        "identifier",
        "other_identifier",
        "ni_number",
        "national_insurance_number",
        "soc_sec_id",
        "social_security_number",
        "ssn",
        "email",
        "e_mail",
        "email_address",
    ),
}
# Without --map, the parts of an address in separate columns are read together, in the file's
# order, as one address ("street_number", "address_1", "address_2", "suburb": the house number
# is what makes an address a home; ADR 0829). The first of ALIASES["address"] found is read when
# none of these is in the file.
ADDRESS_PARTS = (
    "address",
    "address_1",
    "address_2",
    "address_3",
    "address_4",
    "address_line_1",
    "address_line_2",
    "address_line_3",
    "address_line_4",
    "house_number",
    "house_name",
    "house",
    "flat",
    "flat_number",
    "unit_number",
    "building",
    "street_number",
    "street",
    "street_name",
    "street_address",
    "locality",
    "suburb",
    "town",
    "city",
)
# Fields recognised by a column name's first words too ("postcode_fake", "dob_iso"): names that
# mean one thing whatever follows them. Not the names, which a relative's column shares
# ("first_name_of_mother"), nor an "id".
PREFIXES: dict[str, tuple[tuple[str, ...], ...]] = {
    "postcode": (("postcode",), ("post", "code"), ("postal", "code"), ("zip",), ("zipcode",)),
    "date_of_birth": (("dob",), ("date", "of", "birth"), ("birth", "date"), ("birthdate",)),
    "nhs_number": (("nhs", "number"), ("nhs", "no"), ("nhsnumber",)),
}
MAX_CELL_CHARS = 10_000
MAX_ERRORS_SHOWN = 10


class InputError(Exception):
    """A problem with the input that the person running the command must fix."""


def _fold_column(name: str) -> str:
    return "".join(c for c in name.casefold() if c.isalnum())


def _column_words(name: str) -> tuple[str, ...]:
    """A column name's words, folded: "PostCode_Fake" -> ("postcode", "fake")."""
    words = "".join(c if c.isalnum() else " " for c in name.casefold()).split()
    return tuple(words)


def describe_columns(header: Sequence[str], columns: dict[str, list[int]]) -> str:
    """What each field was read from, and the columns left unread, for the log: a column that
    the names did not recognise is said, so that it can be mapped (``--map``)."""
    used = ", ".join(
        f"{field}={'+'.join(header[i] for i in columns[field])}"
        for field in FIELDS
        if columns.get(field)
    )
    read = {i for found in columns.values() for i in found}
    unread = [h for i, h in enumerate(header) if i not in read]
    text = f"columns read: {used}"
    if unread:
        text += f"; not read: {', '.join(unread)} (--map FIELD=COLUMN to use one)"
    return text


def parse_mapping(text: str | None) -> dict[str, list[str]]:
    """``"given_name=first,address=addr1+addr2"`` -> field to columns."""
    mapping: dict[str, list[str]] = {}
    if not text:
        return mapping
    for part in text.split(","):
        if not part.strip():
            continue
        field, sep, columns = part.partition("=")
        field = field.strip()
        if not sep or not columns.strip():
            raise InputError(f"--map: {part!r} is not field=column")
        if field not in FIELDS:
            raise InputError(f"--map: unknown field {field!r}; fields are: {', '.join(FIELDS)}")
        mapping[field] = [c.strip() for c in columns.split("+") if c.strip()]
    return mapping


def resolve_columns(
    header: Sequence[str], mapping: dict[str, list[str]], path: Path
) -> dict[str, list[int]]:
    """Field to column positions, from ``--map`` or by recognising common column names."""
    positions: dict[str, list[int]] = {}
    folded = [_fold_column(h) for h in header]
    for field, columns in mapping.items():
        found = []
        for column in columns:
            if column in header:
                found.append(header.index(column))
            elif _fold_column(column) in folded:
                found.append(folded.index(_fold_column(column)))
            else:
                raise InputError(
                    f"{path}: --map {field}={column}: there is no column {column!r}; "
                    f"the columns are: {', '.join(header)}"
                )
        positions[field] = found
    parts = {_fold_column(a) for a in ADDRESS_PARTS}
    joined = [i for i, name in enumerate(folded) if name in parts]
    if "address" not in mapping and len(joined) > 1:
        positions["address"] = joined
    for field in FIELDS:
        if field in positions or field in mapping:
            continue
        for alias in ALIASES[field]:
            if _fold_column(alias) in folded:
                positions[field] = [folded.index(_fold_column(alias))]
                break
    # Then a column whose name begins with one of a few unmistakable names ("postcode_fake",
    # "dob_iso", "nhs_number_2"), if no other column is that field and no field has it.
    taken = {i for found in positions.values() for i in found}
    for field, prefixes in PREFIXES.items():
        if field in positions or field in mapping:
            continue
        for i, name in enumerate(header):
            first = _column_words(name)
            if i not in taken and any(first[: len(p)] == p for p in prefixes):
                positions[field] = [i]
                taken.add(i)
                break
    if "record_id" not in positions:
        raise InputError(
            f"{path}: no record_id column: name one with --map record_id=COLUMN "
            f"(the columns are: {', '.join(header)})"
        )
    if not {"given_name", "family_name", "full_name"} & positions.keys():
        raise InputError(
            f"{path}: no name columns found: map at least one of given_name, family_name or "
            f"full_name with --map (the columns are: {', '.join(header)})"
        )
    return positions


# How a spreadsheet saved as a workbook begins: .xlsx and .ods are zip archives, .xls an OLE2
# compound file. Read as text, either is "not valid utf-8" with a hint about Excel's encoding
# that cannot help.
WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _decode(path: Path, encoding: str) -> str:
    data = path.read_bytes()
    if data.startswith(WORKBOOK_MAGIC):
        raise InputError(
            f"{path} is a spreadsheet workbook (such as .xlsx, .xls or .ods), not a CSV file: "
            "open it and save the sheet as CSV (in Excel: File, Save As, 'CSV UTF-8'), then "
            "give that file."
        )
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}, row {row}: the file is not valid {encoding} (byte {data[exc.start]:#04x} at "
            f"offset {exc.start}). If it was saved by Excel on Windows, try --encoding cp1252."
        ) from None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None


#: The characters that may separate a file's columns, and how the log names them: Excel writes
#: semicolons where the comma is the decimal mark, and many systems export tabs or bars.
DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def _counts(line: str) -> dict[str, int]:
    """How often each of ``DELIMITERS`` stands in a line outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    return counts


def _lines(text: str, limit: int) -> list[str]:
    """The first ``limit`` lines of a CSV text, a newline inside quotes kept in its line."""
    lines: list[str] = []
    start = 0
    quoted = False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == "\n" and not quoted:
            lines.append(text[start:i])
            start = i + 1
            if len(lines) == limit:
                return lines
    if start < len(text):
        lines.append(text[start:])
    return lines


def delimiter_of(text: str) -> str:
    """The character that separates the columns: of those in ``DELIMITERS``, the one the header
    line holds most often outside quotes. On a tie, the one that the next few lines hold as
    often as the header does (``id;Name, full`` over ``1;Hughes Siân``, ``2;Lloyd, Iolo``); a
    comma when that does not decide, or when the header holds none."""
    lines = _lines(text, 6)
    if not lines:
        return ","
    header = _counts(lines[0])
    most = max(header.values())
    if not most:
        return ","
    tied = [d for d in DELIMITERS if header[d] == most]
    if len(tied) > 1:
        rows = [_counts(line) for line in lines[1:] if line.strip()]
        steady = [d for d in tied if rows and all(r[d] == most for r in rows)]
        return steady[0] if len(steady) == 1 else ","
    return tied[0]


def _reader(text: str, delimiter: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def read_records(
    path: Path,
    mapping: dict[str, list[str]],
    encoding: str = "utf-8-sig",
    warn: Callable[[str], None] | None = None,
    dates: str = "auto",
) -> list[Record]:
    """All records in a CSV file, or an ``InputError`` listing the rows that are wrong.

    ``dates``: how numeric dates of birth with the year last are read: ``"dmy"`` (day first,
    the UK order), ``"mdy"`` (month first), or ``"auto"``: month first only where the file shows
    it (``normalise.date_order``), and said in the log."""
    say = warn or (lambda _m: None)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    text = _decode(path, encoding)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(f"{path}, row {line}: the file contains NUL bytes; is it really a CSV?")
    csv.field_size_limit(max(len(text), 1024) + 1)
    delimiter = delimiter_of(text)
    reader = _reader(text, delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{path}: the file is empty") from None
    except csv.Error as exc:
        raise InputError(f"{path}, row 1: cannot read the header: {exc}") from None
    header = [h.strip() for h in header]
    columns = resolve_columns(header, mapping, path)
    say(f"{path}: {describe_columns(header, columns)}")
    if delimiter != ",":
        say(f"{path}: columns separated by {DELIMITERS[delimiter]}")
    month_first = _month_first(text, columns, dates, path, say, delimiter)
    surname_first = _surname_first(text, columns, path, say, delimiter)
    errors: list[str] = []
    blank_rows: list[int] = []
    bad_dates: list[int] = []
    year_dates: list[int] = []
    century_dates: list[int] = []
    serial_dates: list[int] = []
    records: list[Record] = []
    seen: dict[str, int] = {}
    rows = _rows(reader, path)
    for row_number, row in rows:
        if not any(cell.strip() for cell in row):
            blank_rows.append(row_number)
            continue
        problem = _check_row(row, header, row_number)
        if problem:
            errors.append(f"{path}, {problem}")
            if len(errors) > MAX_ERRORS_SHOWN:
                break
            continue
        record, date_problem = _to_record(row, columns, month_first, surname_first)
        if not record.record_id:
            errors.append(f"{path}, row {row_number}: the record_id is empty")
            continue
        if record.record_id in seen:
            errors.append(
                f"{path}, row {row_number}: record_id {record.record_id!r} is also on row "
                f"{seen[record.record_id]}"
            )
            continue
        seen[record.record_id] = row_number
        if date_problem == "bad":
            bad_dates.append(row_number)
        elif date_problem == "year":
            year_dates.append(row_number)
        elif date_problem == "century":
            century_dates.append(row_number)
        elif date_problem == "serial":
            serial_dates.append(row_number)
        records.append(record)
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = "" if len(errors) <= MAX_ERRORS_SHOWN else "\n(and more; fix these first)"
        if "record_id" not in mapping and any(" is also on row " in e for e in shown):
            # Taken by its name: a shared reference (a family's, a school's) is not a record's id.
            column = header[columns["record_id"][0]]
            more += (
                f"\nEach record needs an id of its own; the column {column!r} was taken by its "
                "name: name the right one with --map record_id=COLUMN"
            )
        raise InputError("\n".join(shown) + more)
    if blank_rows:
        say(f"{path}: skipped {len(blank_rows)} empty row(s): {_rows_text(blank_rows)}")
    if century_dates:
        say(
            f"{path}: {len(century_dates)} date(s) of birth written with a two-digit year "
            "(03/07/85): each read in the latest century that does not put it in the future "
            f"(a date of birth never is): {_rows_text(century_dates)}"
        )
    if serial_dates:
        say(
            f"{path}: {len(serial_dates)} date(s) of birth written as a spreadsheet's day number "
            f"(31232 is 1985-07-04, as Excel counts days): {_rows_text(serial_dates)}"
        )
    if year_dates:
        say(
            f"{path}: {len(year_dates)} date(s) of birth with a day or month that cannot be "
            f"(1856-86-18, 00/00/1985): only the year is used, as for a year alone: "
            f"{_rows_text(year_dates)}"
        )
    if bad_dates:
        say(
            f"{path}: {len(bad_dates)} date(s) of birth not understood, treated as not recorded: "
            f"{_rows_text(bad_dates)}"
        )
    if not records:
        raise InputError(f"{path}: there are no records after the header")
    return records


DATE_ORDERS = ("auto", "dmy", "mdy")


def _cells(
    text: str, columns: dict[str, list[int]], delimiter: str, field: str = "date_of_birth"
) -> Iterator[str]:
    """A field's cells (the date of birth's unless told) of a CSV text, row by row."""
    positions = columns.get(field, [])
    if not positions:
        return
    reader = _reader(text, delimiter)
    next(reader, None)
    try:
        for row in reader:
            yield " ".join(row[i].strip() for i in positions if i < len(row))
    except csv.Error:
        return  # the main reading reports it, with its row


def date_counts(path: Path, mapping: dict[str, list[str]], encoding: str) -> tuple[int, int]:
    """How many of a file's dates of birth show day first, and how many month first
    (``normalise.date_order``): for a link, whose two files are judged together."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    text = _decode(path, encoding)
    delimiter = delimiter_of(text)
    reader = _reader(text, delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error):
        return 0, 0  # the main reading reports it
    columns = resolve_columns(header, mapping, path)
    _, day_first, month_first = date_order(_cells(text, columns, delimiter))
    return day_first, month_first


def _month_first(
    text: str,
    columns: dict[str, list[int]],
    dates: str,
    path: Path,
    say: Callable[[str], None],
    delimiter: str,
) -> bool:
    """Whether this file's dates of birth are read month first (``read_records``' ``dates``)."""
    if dates not in DATE_ORDERS:
        raise InputError(f"--date-order: {dates!r}; one of {', '.join(DATE_ORDERS)}")
    if dates != "auto" or not columns.get("date_of_birth"):
        return dates == "mdy"
    month_first, day_first_count, month_first_count = date_order(_cells(text, columns, delimiter))
    if month_first:
        say(
            f"{path}: dates of birth read month first (MM/DD/YYYY): {month_first_count:,} have a "
            f"second part over 12 and {day_first_count:,} a first part over 12 "
            "(--date-order dmy to read them day first)"
        )
    elif month_first_count > 2:
        say(
            f"{path}: dates of birth read day first (DD/MM/YYYY), but {month_first_count:,} have "
            f"a second part over 12 against {day_first_count:,} with a first part over 12; "
            "those keep only their year (--date-order mdy to read them month first)"
        )
    return month_first


def _rows(reader: Iterator[list[str]], path: Path) -> Iterator[tuple[int, list[str]]]:
    row_number = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"{path}, row {row_number + 1}: {exc}") from None
        row_number += 1
        yield row_number, row


def _check_row(row: list[str], header: list[str], row_number: int) -> str | None:
    if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
        return f"row {row_number}: {len(row)} values but the header has {len(header)} columns"
    for position, cell in enumerate(row):
        if len(cell) > MAX_CELL_CHARS:
            column = header[position] if position < len(header) else f"#{position + 1}"
            return (
                f"row {row_number}, column {column!r}: the value is {len(cell):,} characters "
                f"long (the limit is {MAX_CELL_CHARS:,}); is a quote missing?"
            )
    return None


def _rows_text(rows: list[int]) -> str:
    text = ", ".join(str(r) for r in rows[:MAX_ERRORS_SHOWN])
    return text + (f" and {len(rows) - MAX_ERRORS_SHOWN} more" if len(rows) > 10 else "")


# Titles before a full name ("Mr Rhys Jones", "MISS SIAN EVANS"), which are not a first name.
_TITLES = frozenset(
    {"mr", "mrs", "miss", "ms", "mx", "master", "dr", "rev", "revd", "sir", "dame", "lady", "prof"}
)


def _untitled(words: list[str]) -> list[str]:
    """A full name's words without the titles before it (not the last word: "Mr Master")."""
    start = 0
    while start < len(words) - 1 and words[start].casefold().rstrip(".") in _TITLES:
        start += 1
    return words[start:]


def _surname_upper_first(words: list[str]) -> bool:
    """Is a full name's first word alone in capitals ("JONES Rhys"; of "AP GWYN Dafydd" only
    the first word would be taken)?"""
    return (
        len(words) > 1
        and len(words[0]) > 1
        and words[0].isupper()
        and not any(w.isupper() for w in words[1:])
    )


def _surname_first(
    text: str,
    columns: dict[str, list[int]],
    path: Path,
    say: Callable[[str], None],
    delimiter: str,
) -> bool:
    """Are this file's full names written surname first, the surname in capitals ("JONES
    Rhys"), as registers write them? Only when the file shows it: most full names of two words
    or more have their first word alone in capitals, over three times as many as have their last
    word alone so. (A source that writes the first name in capitals, "RHYS Jones", now and then
    is no such file.)"""
    if not columns.get("full_name") or "given_name" in columns or "family_name" in columns:
        return False
    first = last = names = 0
    for cell in _cells(text, columns, delimiter, "full_name"):
        if "," in cell:
            continue  # "Jones, Rhys" says its own order
        words = _untitled(cell.split())
        if len(words) < 2:
            continue
        names += 1
        if _surname_upper_first(words):
            first += 1
        elif _surname_upper_first(words[::-1]):
            last += 1
    found = names > 0 and first > max(2, 3 * last) and first >= names / 2
    if found:
        say(
            f"{path}: full names read surname first, as written in capitals (JONES Rhys): "
            f"{first:,} of {names:,}"
        )
    return found


def _to_record(
    row: list[str],
    columns: dict[str, list[int]],
    month_first: bool = False,
    surname_first: bool = False,
) -> tuple[Record, str]:
    """The record, and what became of its date of birth: "" read (or none given), "century"
    read with a two-digit year (its century chosen), "serial" read as a spreadsheet's day
    number, "year" only its year could be read, "bad" not understood."""

    def value(field: str) -> str | None:
        parts = [row[i].strip() for i in columns.get(field, ()) if i < len(row)]
        joined = " ".join(p for p in parts if p)
        return joined or None

    given, family = value("given_name"), value("family_name")
    other: list[str] = []
    full = value("full_name")
    if full:
        words = _untitled(full.replace(",", " ").split())
        comma = full.split(",", 1)
        if given is None and family is None and len(comma) == 2 and comma[1].split():
            # "Jones, Rhys": the registers' surname-first form.
            family = " ".join(_untitled(comma[0].split())) or None
            rest = _untitled(comma[1].split())
            given = rest[0] if rest else None
        elif given is None and family is None and surname_first and len(words) > 1:
            # "JONES Rhys": a file that writes the surname first, in capitals (``_surname_first``);
            # its names all in capitals ("JONES RHYS") are surname first too.
            family, given = words[0], words[1]
        elif given is None and family is None and len(words) > 1:
            given, family = words[0], words[-1]
        elif given is None and family is None:
            given = words[0] if words else None
        other.append(full)
    others = value("other_names")
    if others:
        other.extend(o.strip() for o in others.replace(";", ",").split(",") if o.strip())
    dob_text = value("date_of_birth")
    dob, status = read_date_as(dob_text, month_first)
    return (
        Record(
            record_id=value("record_id") or "",
            given_name=given,
            family_name=family,
            other_names=tuple(other),
            date_of_birth=dob,
            sex=value("sex"),
            postcode=value("postcode"),
            address=value("address"),
            nhs_number=value("nhs_number"),
            upn=value("upn"),
            identifier=value("identifier"),
        ),
        status,
    )
