import datetime as dt
import json

from diogelu.matching import Record, explain, match_probability
from diogelu.matching.compare import ADDRESS_LEVELS, FIELDS
from diogelu.matching.model import Model

D = dt.date


def _texts(a, b):
    return [c.text for c in explain(a, b)]


def test_explanation_names_day_month_swap_in_plain_english():
    a = Record("a", "Dafydd", "Jones", date_of_birth=D(2015, 3, 4))
    b = Record("b", "Dai", "Jones", date_of_birth=D(2015, 4, 3))
    texts = _texts(a, b)
    assert "Date of birth: day and month swapped" in texts
    assert "First name: a known variant (a nickname, or the Welsh and English forms)" in texts
    assert "Surname: the same" in texts


def test_explanation_has_a_line_per_field_with_weights():
    a = Record("a", "Elin", "Evans", date_of_birth=D(2016, 5, 6), postcode="CF10 1AA")
    b = Record("b", "Ellen", "Evans", date_of_birth=D(2016, 5, 6), postcode="CF10 1AB")
    lines = explain(a, b)
    assert [c.field for c in lines] == [f.name for f in FIELDS]
    by_field = {c.field: c for c in lines}
    assert by_field["date_of_birth"].weight > 5
    assert by_field["nhs_number"].weight == 0  # not recorded: no evidence either way
    assert by_field["address"].level.startswith("same postcode sector")
    assert all(isinstance(c.as_dict()["weight"], float) for c in lines)


def test_twins_are_flagged_and_kept_apart():
    a = Record("a", "Megan", "Price", date_of_birth=D(2019, 7, 1), postcode="SA1 8PP")
    b = Record("b", "Ffion", "Price", date_of_birth=D(2019, 7, 1), postcode="SA1 8PP")
    lines = explain(a, b)
    assert lines[-1].field == "household"
    assert "twins" in lines[-1].level
    assert match_probability(a, b) < 0.01


def test_parent_and_child_of_the_same_name_are_kept_apart():
    father = Record("f", "Rhys", "Morgan", date_of_birth=D(1985, 2, 2), postcode="LL57 2DG")
    son = Record("s", "Rhys", "Morgan", date_of_birth=D(2012, 9, 9), postcode="LL57 2DG")
    assert match_probability(father, son) < 0.01
    assert "Parent and child" in [c.title for c in explain(father, son)]


def test_same_nhs_number_outweighs_a_misspelt_name():
    a = Record("a", "Siân", "Hughes", date_of_birth=D(2014, 1, 20), nhs_number="9434765919")
    b = Record("b", "Sian", "Hughs", date_of_birth=D(2014, 2, 20), nhs_number="943 476 5919")
    assert match_probability(a, b) > 0.99


def test_different_valid_nhs_numbers_count_against():
    a = Record("a", "Siân", "Hughes", date_of_birth=D(2014, 1, 20), nhs_number="9434765919")
    b = Record("b", "Siân", "Hughes", date_of_birth=D(2014, 1, 20), nhs_number="4010232137")
    nhs = next(c for c in explain(a, b) if c.field == "nhs_number")
    assert nhs.level == "different"
    assert nhs.weight < -5


def test_model_json_round_trip(tmp_path):
    model = Model.load_default()
    path = tmp_path / "m.json"
    model.save(path)
    again = Model.load(path)
    assert again.to_dict() == model.to_dict()
    data = json.loads(path.read_text())
    assert data["format"] == "diogelu.matching.model/1"
    assert data["version"]
    assert [f["name"] for f in data["fields"]] == [f.name for f in FIELDS]


def test_default_model_is_sensible():
    model = Model.load_default()
    # Agreement counts for, disagreement against, for every field.
    for i, spec in enumerate(FIELDS):
        assert model.weights[i][1] > 0, spec.name
        assert model.weights[i][-1] < 0 or spec.name == "address", spec.name
    assert len(model.weights[4]) == len(ADDRESS_LEVELS)


def test_prior_rescales_with_population():
    model = Model.load_default()
    small, large = model.for_population(1_000), model.for_population(1_000_000)
    assert small.prior > model.prior > large.prior
