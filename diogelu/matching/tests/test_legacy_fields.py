"""Fields a legacy extract has: no address, a full name only, names swapped round, dates with day
and month swapped or only the year, and a register with many people of one name."""

import datetime as dt
from pathlib import Path

from diogelu.matching import Record, explain, match_probability
from diogelu.matching.batch import dedupe_candidates
from diogelu.matching.cli import main
from diogelu.matching.cluster import cluster
from diogelu.matching.compare import DOB, comparison_vector
from diogelu.matching.csvio import parse_mapping, read_records
from diogelu.matching.model import Model, TermFrequencies, household_pattern
from diogelu.matching.normalise import (
    YearOnly,
    date_order,
    parse_date,
    read_date,
    spreadsheet_serial_date,
    two_digit_year_date,
    year_of_unreadable_date,
)
from diogelu.matching.record import prepare

D = dt.date


def _levels(a: Record, b: Record) -> dict[str, str]:
    return {c.field: c.level for c in explain(a, b)}


def test_administrative_record_without_address_or_postcode_still_matches():
    register = Record("r", "Cerys", "Bowen", date_of_birth=D(2013, 6, 2), nhs_number="4010232137")
    social_care = Record(
        "s",
        "Cerys",
        "Bowen",
        date_of_birth=D(2013, 6, 2),
        postcode="SA1 8PP",
        address="4 Heol y Nant",
        nhs_number="4010232137",
    )
    assert _levels(register, social_care)["address"] == "not recorded on one or both"
    assert match_probability(register, social_care) > 0.99
    no_identifier = Record("n", "Cerys", "Bowen", date_of_birth=D(2013, 6, 2))
    assert match_probability(no_identifier, social_care) > 0.5


def test_full_name_only_in_either_order(tmp_path: Path):
    path = tmp_path / "register.csv"
    path.write_text(
        'id,name,dob\n1,Rhys Morgan,2012-09-09\n2,"Morgan, Rhys",2012-09-09\n', encoding="utf-8"
    )
    records = read_records(path, parse_mapping("record_id=id,full_name=name,date_of_birth=dob"))
    assert [(r.given_name, r.family_name) for r in records] == [
        ("Rhys", "Morgan"),
        ("Rhys", "Morgan"),
    ]
    assert match_probability(records[0], records[1]) > 0.9


def test_given_and_family_names_swapped_round():
    a = Record("a", "Rhys", "Morgan", date_of_birth=D(2012, 9, 9), postcode="LL57 2DG")
    b = Record("b", "Morgan", "Rhys", date_of_birth=D(2012, 9, 9), postcode="LL57 2DG")
    levels = _levels(a, b)
    assert levels["given_name"] == "first name and surname swapped round"
    assert levels["family_name"] == "first name and surname swapped round"
    assert match_probability(a, b) > 0.5
    stranger = Record("c", "Iolo", "Bowen", date_of_birth=D(2012, 9, 9), postcode="LL57 2DG")
    assert match_probability(a, b) > 100 * match_probability(a, stranger)


def test_one_name_swapped_round_is_counted_once():
    """A record with its names swapped round ("Pritchard Nia") and one with a single name
    ("Nia", no surname) agree on one name. It counts once, as the first name swapped round; the
    surname is not recorded on one. Counted in both fields, one shared name outweighed a first
    name and surname agreeing in place, and strangers of one first name merged (FEBRL2, issue
    16)."""
    swapped = Record("a", "Pritchard", "Nia", date_of_birth=D(1958, 8, 30), address="7 Stryd Fawr")
    first_only = Record("b", "Nia", None, date_of_birth=D(1961, 3, 2), address="12 Heol y Bryn")
    levels = _levels(swapped, first_only)
    assert levels["given_name"] == "first name and surname swapped round"
    assert levels["family_name"] == "not recorded on one or both"
    assert _levels(first_only, swapped) == levels
    # The other way round: the single name is a surname, the swapped record's first name.
    surname_only = Record("c", None, "Pritchard", date_of_birth=D(1961, 3, 2))
    levels = _levels(swapped, surname_only)
    assert levels["given_name"].startswith("not recorded on one or both")
    assert levels["family_name"] == "first name and surname swapped round"
    # Each record a single name, in different fields: still one name, counted once.
    levels = _levels(first_only, Record("d", None, "Nia"))
    assert levels["given_name"] == "first name and surname swapped round"
    assert levels["family_name"] == "not recorded on one or both"


def test_a_record_with_its_names_swapped_round_is_compared():
    """The comparison has a level for names swapped round, so the blocking brings such a record
    to the one with its names in place, even with nothing else to block on: no postcode, and
    a mistyped date of birth (FEBRL2, issue 16)."""
    in_place = prepare(Record("a", "Rhys", "Morgan", date_of_birth=D(2012, 9, 9)))
    swapped = prepare(Record("b", "Morgan", "Rhys", date_of_birth=D(2012, 9, 19)))
    assert dedupe_candidates([in_place, swapped]) == {1}


def test_day_and_month_swapped():
    a = Record("a", "Elin", "Evans", date_of_birth=D(2016, 5, 6), postcode="CF10 1AA")
    b = Record("b", "Elin", "Evans", date_of_birth=D(2016, 6, 5), postcode="CF10 1AA")
    assert _levels(a, b)["date_of_birth"] == "day and month swapped"
    assert match_probability(a, b) > 0.9


def test_year_only_date_is_read_as_a_placeholder_1_january():
    assert parse_date("1985") == D(1985, 1, 1)
    assert parse_date("85") is None  # a two-digit number alone is no date
    a = Record("a", "Gareth", "Pugh", date_of_birth=parse_date("1985"), postcode="LL57 2DG")
    b = Record("b", "Gareth", "Pugh", date_of_birth=D(1985, 6, 11), postcode="LL57 2DG")
    level = _levels(a, b)["date_of_birth"]
    assert level == "same year, and one date is 1 January (a likely placeholder)"
    assert match_probability(a, b) > 0.5
    c = Record("c", "Gareth", "Pugh", date_of_birth=D(1990, 6, 11), postcode="LL57 2DG")
    assert match_probability(a, c) < match_probability(a, b)


def test_year_only_dates_through_the_cli(tmp_path: Path, capsys):
    path = tmp_path / "old.csv"
    path.write_text("id,first,last,born\n1,Gareth,Pugh,1985\n2,Gareth,Pugh,11/06/1985\n")
    out = tmp_path / "pairs.csv"
    mapping = "record_id=id,given_name=first,family_name=last,date_of_birth=born"
    assert main(["dedupe", str(path), "--out", str(out), "--map", mapping]) == 0
    assert "could not be read" not in capsys.readouterr().err.lower()
    assert out.read_text().count("\n") == 2  # header and the one pair


def test_a_mistyped_date_keeps_its_year():
    """A plainly written date whose day or month cannot be (a typing error, or a legacy
    system's "00/00/1985" for a year alone) keeps its year; nothing else is guessed."""
    assert read_date("1856-86-18") == D(1856, 1, 1)
    assert type(read_date("1856-86-18")) is YearOnly
    assert read_date("00/00/1985") == YearOnly(1985, 1, 1)
    assert read_date("30/02/2016") == YearOnly(2016, 1, 1)  # no 30 February
    assert read_date("1638-22-02") == YearOnly(1638, 1, 1)  # historical data too
    assert type(read_date("1856-06-18")) is D  # a readable date is the date itself
    assert type(read_date("1985")) is D  # a year alone stays an ordinary 1 January
    for not_a_date in ("yesterday", "12-1985", "85-13-01", "0999-13-01", "1985-1-1-1", "", None):
        assert year_of_unreadable_date(not_a_date) is None, not_a_date
    # parse_date itself (the forms, for intake and the API) still refuses it.
    assert parse_date("1856-86-18") is None


def test_a_year_kept_from_a_mistyped_date_agrees_with_its_year_and_says_nothing_against_another():
    kept = Record("k", "Francis", "Brightman", date_of_birth=read_date("1856-86-18"))
    right = Record("r", "Francis", "Brightman", date_of_birth=D(1856, 6, 18))
    assert _levels(kept, right)["date_of_birth"] == (
        "same year, and one date is 1 January (a likely placeholder)"
    )
    assert match_probability(kept, right) > 0.5
    # Against another year it is no evidence either way, like a missing date: the date was
    # mistyped, so its year may be too. An ordinary 1 January of that year still counts against.
    other_year = Record("o", "Francis", "Brightman", date_of_birth=D(1857, 6, 18))
    missing = Record("m", "Francis", "Brightman")
    assert comparison_vector(prepare(kept), prepare(other_year)) == comparison_vector(
        prepare(missing), prepare(other_year)
    )
    placeholder = Record("p", "Francis", "Brightman", date_of_birth=D(1856, 1, 1))
    assert match_probability(placeholder, other_year) < match_probability(kept, other_year)
    # Nor is it a family pattern: a brother at one home born years from a kept year is no
    # sibling pattern on dates, as with a missing date.
    home = "CF31 1AB"
    brother = Record("b", "Edwin", "Brightman", date_of_birth=D(1851, 3, 2), postcode=home)
    on_dates = Record("d", "Francis", "Brightman", date_of_birth=D(1856, 1, 1), postcode=home)
    on_kept = Record(
        "y", "Francis", "Brightman", date_of_birth=read_date("1856-86-18"), postcode=home
    )
    undated = Record("u", "Francis", "Brightman", postcode=home)

    def kind(a: Record, b: Record) -> tuple[str | None, int]:
        vector = comparison_vector(prepare(a), prepare(b))
        return household_pattern(vector), vector[DOB]

    assert kind(on_dates, brother)[0] == "siblings"
    assert kind(on_kept, brother) == kind(undated, brother)


def _dedupe(tmp_path: Path, name: str, text: str, *options: str) -> list[str]:
    """The CLI's dedupe of a CSV file of ``text`` (it must succeed): the pairs file's lines."""
    path = tmp_path / f"{name}.csv"
    path.write_text(text)
    out = tmp_path / f"{name}.pairs.csv"
    assert main(["dedupe", str(path), "--out", str(out), *options]) == 0
    return out.read_text().splitlines()


def test_mistyped_dates_through_the_cli(tmp_path: Path, capsys):
    lines = _dedupe(
        tmp_path,
        "old",
        "id,first,last,born\n1,Francis,Brightman,1856-86-18\n2,Francis,Brightman,1856-06-18\n"
        "3,Alys,Brightman,yesterday\n",
        "--map",
        "record_id=id,given_name=first,family_name=last,date_of_birth=born",
    )
    err = capsys.readouterr().err
    assert "1 date(s) of birth with a day or month that cannot be" in err
    assert "only the year is used" in err
    assert "1 date(s) of birth not understood, treated as not recorded: 4" in err
    pairs = [row.split(",")[:2] for row in lines[1:]]
    assert sorted(pairs[0]) == ["1", "2"] and len(pairs) == 1


def test_a_column_of_dates_written_month_first_is_read_month_first():
    """An American system's MM/DD/YYYY: the file shows it (second parts over 12, hardly any
    first parts over 12), and only then is it read month first."""
    us = ["09/29/1994", "05/06/1994", "12/31/2001", "01/13/1980", "02/14/1975", "1994-09-29"]
    month_first, day_first_count, month_first_count = date_order(us)
    assert month_first and (day_first_count, month_first_count) == (0, 4)
    assert parse_date("05/06/1994", month_first=True) == D(1994, 5, 6)
    assert parse_date("1994-09-29", month_first=True) == D(1994, 9, 29)
    uk = ["29/09/1994", "05/06/1994", "31/12/2001", "13/01/1980"]
    assert date_order(uk) == (False, 3, 0)
    assert parse_date("05/06/1994") == D(1994, 6, 5)
    # A typing error or two does not turn a UK file round; nor does an even mix.
    assert date_order([*uk, "01/13/1980", "02/14/1975"])[0] is False
    assert date_order(["01/13/1980", "02/14/1975"])[0] is False  # too few to tell
    mixed = ["13/01/1980", "14/02/1975", "15/03/1990"] + [f"0{k}/2{k}/1990" for k in range(1, 6)]
    assert date_order(mixed) == (False, 3, 5)  # five against three is no clear order
    assert parse_date("9/29/1994 12:00:00 AM", month_first=True) == D(1994, 9, 29)


def test_month_first_dates_through_the_cli(tmp_path: Path, capsys):
    path = tmp_path / "us.csv"
    lines = ["id,first,last,born"]
    people = [
        ("Diana", "Kofron", "05/06/1994", "1994-05-06"),
        ("Anna", "Kofron", "09/29/1994", "1994-09-29"),
        ("Gerald", "Butler", "11/03/1943", "1943-11-03"),
        ("Evelyn", "Sorrell", "12/04/1919", "1919-12-04"),
        ("George", "Kelly", "06/16/1921", "1921-06-16"),
        ("Jennie", "Livingston", "01/13/1922", "1922-01-13"),
    ]
    for k, (first, last, us, iso) in enumerate(people):
        lines += [f"a{k},{first},{last},{us}", f"b{k},{first},{last},{iso}"]
    path.write_text("\n".join(lines) + "\n")
    out = tmp_path / "pairs.csv"
    mapping = "record_id=id,given_name=first,family_name=last,date_of_birth=born"
    assert main(["dedupe", str(path), "--out", str(out), "--map", mapping]) == 0
    err = capsys.readouterr().err
    assert "dates of birth read month first (MM/DD/YYYY): 3 have a second part over 12" in err
    assert "not understood" not in err
    pairs = {tuple(sorted(row.split(",")[:2])) for row in out.read_text().splitlines()[1:]}
    assert pairs == {(f"a{k}", f"b{k}") for k in range(len(people))}
    # Told to read them day first, the month-first dates over the 12th have a month that
    # cannot be: only their year is kept.
    assert (
        main(["dedupe", str(path), "--out", str(out), "--map", mapping, "--date-order", "dmy"]) == 0
    )
    assert "3 date(s) of birth with a day or month that cannot be" in capsys.readouterr().err


def test_a_link_reads_both_files_in_one_date_order(tmp_path: Path, capsys):
    """A small file whose dates happen not to show their order (05/06/1994) is read in the
    order the other file shows, not day first on its own."""
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    left.write_text(
        "id,first,last,born\n"
        "l1,Diana,Kofron,05/06/1994\nl2,Anna,Kofron,09/29/1994\n"
        "l3,Gerald,Butler,11/23/1943\nl4,George,Kelly,06/16/1921\n"
    )
    right.write_text("id,first,last,born\nr1,Diana,Kofron,05/06/1994\n")
    out = tmp_path / "pairs.csv"
    mapping = "record_id=id,given_name=first,family_name=last,date_of_birth=born"
    assert main(["link", str(left), str(right), "--out", str(out), "--map", mapping]) == 0
    assert "in both files read month first" in capsys.readouterr().err
    assert "l1,r1" in out.read_text()
    records = read_records(right, parse_mapping(mapping), dates="mdy")
    assert records[0].date_of_birth == D(1994, 5, 6)


def test_a_middle_initial_beside_the_middle_name_is_no_evidence_either_way():
    """Regression: one register keeps middle initials, another whole middle names; "J" and
    "Jacqueline" counted as different middle names, against the match."""
    from diogelu.matching.compare import compare_other

    def other(x: str, y: str) -> int:
        a = prepare(Record("a", "Lisa", "Foster", other_names=(x,)))
        b = prepare(Record("b", "Lisa", "Foster", other_names=(y,)))
        return compare_other(a, b)

    assert other("J", "Jacqueline") == 0
    assert other("Jacqueline", "J") == 0
    assert other("J", "Maria") == 2
    assert other("Jacqueline", "Jacqueline") == 1
    assert other("Jacqueline", "Maria") == 2


def test_register_with_many_people_of_one_name():
    """Two hundred John Joneses: the name says little, the date of birth decides, and the
    clusters do not chain different John Joneses together."""
    records = [
        Record(f"j{k}", "John", "Jones", date_of_birth=D(1950, 1, 3) + dt.timedelta(days=97 * k))
        for k in range(200)
    ]
    records += [Record("x", "John", "Jones", date_of_birth=D(1950, 1, 1) + dt.timedelta(days=1))]
    records += [
        Record(f"o{k}", f"Name{k}", f"Surname{k}", date_of_birth=D(1980, 1, 1)) for k in range(1200)
    ]
    prepared = [prepare(r) for r in records]
    tf = TermFrequencies()
    for p in prepared:
        tf.add(p)
    model = Model.load_default().for_population(len(prepared))
    born = records[13].date_of_birth
    twin_date = prepare(Record("s", "John", "Jones", date_of_birth=born))
    common = model.score(twin_date, prepared[13], tf)
    rare = model.score(
        prepare(Record("r", "Iolo", "Prydderch", date_of_birth=born)),
        prepare(Record("r2", "Iolo", "Prydderch", date_of_birth=born)),
        tf,
    )
    assert common < rare  # a common name counts for less
    other_date = prepared[14]  # another John Jones, another date
    assert Model.probability(model.score(twin_date, other_date, tf)) < 0.5
    pairs = [
        (i, j, model.score(prepared[i], prepared[j], tf))
        for i in range(201)
        for j in range(i + 1, 201)
        if comparison_vector(prepared[i], prepared[j])[2] in (1, 3, 4, 6)
    ]
    labels = cluster(prepared[:201], pairs, model, tf)
    sizes = sorted((labels.count(x) for x in set(labels)), reverse=True)
    assert sizes[0] <= 2  # no chains of John Joneses
    assert len(set(labels)) >= 195  # only the odd pair of dates one typing error apart joins


def test_another_identifier_is_compared_as_written_but_for_case_and_spacing():
    from diogelu.matching.normalise import normalise_identifier

    assert normalise_identifier(" AB 12 34 56 C ") == normalise_identifier("ab-123456c")
    assert normalise_identifier("Cerys.Bowen@Example.org") == "cerysbowen@exampleorg"
    assert normalise_identifier(" - ") is None
    a = Record("a", "Cerys", "Bowen", date_of_birth=D(2013, 6, 2), identifier="AB 12 34 56 C")
    b = Record("b", "Ceri", "Bowen", date_of_birth=D(2013, 2, 6), identifier="ab123456c")
    c = Record("c", "Ceri", "Bowen", date_of_birth=D(2013, 2, 6), identifier="ZX987654A")
    n = Record("n", "Ceri", "Bowen", date_of_birth=D(2013, 2, 6))
    assert _levels(a, b)["identifier"] == "the same"
    assert _levels(a, c)["identifier"] == "different"
    assert _levels(a, n)["identifier"] == "not recorded on one or both"
    assert match_probability(a, b) > match_probability(a, n) > match_probability(a, c)


def test_an_identifier_column_is_recognised_and_links_what_the_names_do_not(tmp_path: Path):
    """A legacy register with a national insurance number: the same person recorded with a
    mistyped surname and no date of birth is found through it."""
    path = tmp_path / "register.csv"
    firsts = ["Aled", "Bethan", "Carys", "Dewi", "Eirlys", "Ffion", "Gareth", "Heledd"]
    lasts = ["Prydderch", "Llewellyn", "Gwynfor", "Tudur", "Maddocks"]
    rows = ["id,first_name,surname,dob,ni_number"]
    for k in range(40):
        first, last = firsts[k % 8], lasts[k // 8]
        rows.append(f"p{k},{first},{last},19{60 + k}-0{k % 9 + 1}-1{k % 10},AA{100000 + k}B")
    rows.append("q,Aled,Prydderh,,AA100000B")  # p0, surname mistyped, no date of birth
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    records = read_records(path, parse_mapping(""))
    assert records[-1].identifier == "AA100000B"
    out = tmp_path / "pairs.csv"
    assert main(["dedupe", str(path), "--out", str(out), "--quiet"]) == 0
    pairs = out.read_text(encoding="utf-8").splitlines()[1:]
    assert {tuple(line.split(",")[:2]) for line in pairs} == {("p0", "q")}


def test_a_model_saved_before_the_identifier_existed_still_loads_with_it_neutral():
    data = Model.load_default().to_dict()
    data["fields"] = [f for f in data["fields"] if f["name"] != "identifier"]
    old = Model.from_dict(data)
    a = prepare(Record("a", "Cerys", "Bowen", identifier="X1"))
    b = prepare(Record("b", "Cerys", "Bowen", identifier="X1"))
    c = prepare(Record("c", "Cerys", "Bowen", identifier="Y2"))
    assert old.vector_weight(comparison_vector(a, b), a) == old.vector_weight(
        comparison_vector(a, c), a
    )
    shipped = Model.load_default()
    assert shipped.vector_weight(comparison_vector(a, b), a) > shipped.vector_weight(
        comparison_vector(a, c), a
    )


def test_columns_recognised_by_their_first_words_and_the_log_names_what_was_not_read(
    tmp_path: Path, capsys
):
    """historical_50k calls its postcode "postcode_fake": read with no --map, the postcode went
    unread and nothing said so. Now a column beginning with an unmistakable name is read as it,
    a relative's column is not taken for the person's, and the log says what was read."""
    path = tmp_path / "extract.csv"
    path.write_text(
        "unique_id,first_name_of_mother,first_name,surname,dob_iso,postcode_fake,occupation\n"
        "1,Ann,Francis,Brightman,1856-06-18,CF31 1AB,clerk\n"
        "2,Ann,Frank,Brightman,1856-06-18,CF31 1AB,clerk\n"
    )
    records = read_records(path, {}, warn=print)
    assert records[0].given_name == "Francis"
    assert records[0].postcode == "CF31 1AB"
    assert records[0].date_of_birth == D(1856, 6, 18)
    err = capsys.readouterr().out
    assert (
        "columns read: record_id=unique_id, given_name=first_name, family_name=surname, "
        "date_of_birth=dob_iso, postcode=postcode_fake; not read: first_name_of_mother, "
        "occupation (--map FIELD=COLUMN to use one)"
    ) in err
    # An exact name wins over a first word; a mapped column is not taken twice.
    both = tmp_path / "both.csv"
    both.write_text("id,name,postcode_old,postcode\n1,Alys Brightman,CF31 1AB,CF32 9XY\n")
    assert read_records(both, {})[0].postcode == "CF32 9XY"
    mapped = read_records(both, parse_mapping("address=postcode_old"))
    assert (mapped[0].postcode, mapped[0].address) == ("CF32 9XY", "CF31 1AB")


def test_a_two_digit_year_is_read_in_the_latest_century_that_is_not_in_the_future():
    """Older systems and spreadsheets write "03/07/85" or Oracle's "01-FEB-10": refused, every
    date of such a file was lost and a whole extract matched nothing. A date of birth is never
    in the future, so the century is the latest that leaves the date in the past."""
    today = D(2026, 12, 4)
    assert two_digit_year_date("03/07/85", today=today) == D(1985, 7, 3)
    assert two_digit_year_date("03/07/19", today=today) == D(2019, 7, 3)
    assert two_digit_year_date("3.7.19", today=today) == D(2019, 7, 3)
    assert two_digit_year_date("01-FEB-10", today=today) == D(2010, 2, 1)
    assert two_digit_year_date("1 Feb 10", today=today) == D(2010, 2, 1)
    assert two_digit_year_date("04/12/26", today=today) == D(2026, 12, 4)  # today itself
    assert two_digit_year_date("05/12/26", today=today) == D(1926, 12, 5)  # tomorrow: 1926
    assert two_digit_year_date("07/03/19", month_first=True, today=today) == D(2019, 7, 3)
    # 29 February of 2000, moved by the rule to 1900 (no 29 February): only the year is kept.
    leap = two_digit_year_date("29/02/00", today=D(1999, 6, 1))
    assert type(leap) is YearOnly and leap.year == 1900
    for text in ("85", "1985", "2019-07-03", "32/01/85", "85-07-03", "03/07/1985", "", None):
        assert two_digit_year_date(text, today=today) is None
    # Through read_date, as the CSV reader reads a cell: four-digit years first.
    assert read_date("03/07/1985") == D(1985, 7, 3)
    read = read_date("03/07/85")
    assert read is not None and read.year % 100 == 85 and (read.month, read.day) == (7, 3)
    # Month first is seen in two-digit years too.
    assert date_order(["07/29/19", "12/31/85", "01/13/90", "02/14/01"])[0] is True


def test_a_file_of_two_digit_years_and_a_birth_year_column_through_the_cli(tmp_path: Path, capsys):
    lines = _dedupe(
        tmp_path,
        "old",
        "id,first_name,last_name,dob\n"
        "1,Gareth,Pugh,11/06/85\n2,Gareth,Pugh,11/06/85\n3,Gareth,Pugh,12/09/91\n",
    )
    err = capsys.readouterr().err
    assert "3 date(s) of birth written with a two-digit year" in err
    assert "not understood" not in err
    assert len(lines) == 2 and lines[1].startswith("1,2,")  # the two of one birthday only

    lines = _dedupe(
        tmp_path,
        "years",
        "rec_id,given,family,birth_year\n1,Gareth,Pugh,1985\n2,Gareth,Pugh,1985\n",
    )
    assert "date_of_birth=birth_year" in capsys.readouterr().err
    assert len(lines) == 2


def test_a_spreadsheet_day_number_is_read_as_the_date_it_counts():
    """A date column exported without its format holds Excel's day numbers: every date of such
    a file was "not understood" and the whole extract matched nothing."""
    assert spreadsheet_serial_date("31232") == D(1985, 7, 4)
    assert spreadsheet_serial_date(" 45000 ") == D(2023, 3, 15)
    for text in ("1985", "19850704", "9999", "99999", "3123", "31232.5", "", None):
        assert spreadsheet_serial_date(text) is None
    assert read_date("31232") == D(1985, 7, 4)
    assert read_date("1985") == D(1985, 1, 1)  # four digits stay a year


def _read(tmp_path: Path, text: str, say: list[str] | None = None):
    path = tmp_path / "in.csv"
    path.write_text(text)
    return read_records(path, {}, warn=(say.append if say is not None else None))


def test_legacy_column_names_titles_and_day_numbers_through_the_reader(tmp_path: Path):
    said: list[str] = []
    records = _read(
        tmp_path,
        "id,first,last,birthdate\n1,Rhys,Morgan,31232\n2,Cerys,Bowen,1990-01-02\n",
        said,
    )
    assert [(r.given_name, r.family_name, r.date_of_birth) for r in records] == [
        ("Rhys", "Morgan", D(1985, 7, 4)),
        ("Cerys", "Bowen", D(1990, 1, 2)),
    ]
    assert any("1 date(s) of birth written as a spreadsheet's day number" in m for m in said)
    records = _read(tmp_path, "PupilID,Forename,Surname\nP7,Rhys,Morgan\n")
    assert [(r.record_id, r.given_name, r.family_name) for r in records] == [
        ("P7", "Rhys", "Morgan")
    ]
    records = _read(tmp_path, "client_ref,client_name\n1,MR RHYS MORGAN\n2,Mrs. Cerys Bowen\n")
    assert [(r.given_name, r.family_name) for r in records] == [
        ("RHYS", "MORGAN"),
        ("Cerys", "Bowen"),
    ]


def test_full_names_written_surname_first_in_capitals_are_read_so_when_the_file_shows_it(
    tmp_path: Path,
):
    said: list[str] = []
    rows = ["JONES Rhys", "EVANS Cerys Ann", "MORGAN Gethin", "PUGH GARETH", '"Bowen, Iolo"']
    text = "id,name\n" + "".join(f"{i},{n}\n" for i, n in enumerate(rows))
    records = _read(tmp_path, text, said)
    assert [(r.given_name, r.family_name) for r in records] == [
        ("Rhys", "JONES"),
        ("Cerys", "EVANS"),
        ("Gethin", "MORGAN"),
        ("GARETH", "PUGH"),  # all in capitals: surname first too, in such a file
        ("Iolo", "Bowen"),
    ]
    assert any("full names read surname first" in m for m in said)
    # A source that now and then writes the first name in capitals is not such a file: names
    # stay first name first (before the file-wide test, 9% of a synthetic extract were swapped).
    rows = ["RHYS Jones", "Cerys Evans", "Gethin Morgan", "Iolo Bowen", "Sian Pugh", "ELIN Hughes"]
    text = "id,name\n" + "".join(f"{i},{n}\n" for i, n in enumerate(rows))
    records = _read(tmp_path, text)
    assert [r.given_name for r in records] == ["RHYS", "Cerys", "Gethin", "Iolo", "Sian", "ELIN"]


def test_sex_written_as_the_nhs_codes_or_in_welsh():
    from diogelu.matching.normalise import normalise_sex

    assert [normalise_sex(v) for v in ("1", "2", "9", "X", "0", "Benywaidd", "gwrywaidd")] == [
        "m",
        "f",
        None,
        None,
        None,
        "f",
        "m",
    ]


def test_eight_digits_with_the_year_last_are_a_date():
    """A system that writes dates without separators, year last (DDMMYYYY; an American one
    MMDDYYYY, as pseudopeople's WIC file): every date of such a file was "not understood" and
    the whole extract was matched without dates of birth (ADR 0839)."""
    assert read_date("04032015") == D(2015, 3, 4)
    assert read_date("03042015", month_first=True) == D(2015, 3, 4)
    # Eight digits that read year first still do, in either order.
    assert read_date("20150304") == read_date("20150304", month_first=True) == D(2015, 3, 4)
    # Never a month of 19 or 20, a year out of range or a day that cannot be.
    for text in ("19851304", "10121304", "31022015"):
        assert read_date(text) is None, text
    assert date_order(["10221985", "12042018", "07301990", "09291994", "20120512"]) == (True, 0, 3)
    assert date_order(["22101985", "04122018", "30071990"]) == (False, 2, 0)


def test_a_file_of_month_first_eight_digit_dates_is_read_month_first(tmp_path: Path):
    """Read through the CLI's reader with its defaults, as a new user's file is."""
    records = _read(
        tmp_path,
        "id,first_name,last_name,date_of_birth\n"
        "1,Julie,Yeager,10221985\n2,Theodore,Yeager,12042018\n3,Mona,Yeager,07301990\n"
        "4,Iris,Yeager,05061994\n5,Ada,Yeager,09291994\n",
    )
    assert [r.date_of_birth for r in records] == [
        D(1985, 10, 22),
        D(2018, 12, 4),
        D(1990, 7, 30),
        D(1994, 5, 6),
        D(1994, 9, 29),
    ]
