"""Repeated rows (participants, actions, outcomes): rows in use and one spare shown, the rest
folded behind "Add another" — and nothing typed is ever folded away."""

from __future__ import annotations

from django import forms

from diogelu.core.forms import fold_rows, row_in_use


class Rows(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(5):
            self.fields[f"r{i}_name"] = forms.CharField(required=False)
            self.fields[f"r{i}_ok"] = forms.BooleanField(required=False, initial=True)

    def rows(self):
        return [[self[f"r{i}_name"], self[f"r{i}_ok"]] for i in range(5)]


def test_empty_form_shows_the_minimum():
    shown, folded = fold_rows(Rows().rows(), minimum=2, ignore=("_ok",))
    assert (len(shown), len(folded)) == (2, 3)


def test_a_ticked_by_default_checkbox_does_not_count_unless_ignored_is_missing():
    shown, _ = fold_rows(Rows().rows())
    assert len(shown) == 5  # every row "in use" through its initial True


def test_rows_up_to_the_last_in_use_and_one_spare_are_shown():
    form = Rows(data={"r0_name": "A", "r2_name": "C"})
    shown, folded = fold_rows(form.rows(), ignore=("_ok",))
    assert [row[0].name for row in shown] == ["r0_name", "r1_name", "r2_name", "r3_name"]
    assert [row[0].name for row in folded] == ["r4_name"]
    assert not row_in_use([form["r1_name"]])
    assert row_in_use([form["r2_name"]])


def test_a_row_with_an_error_is_shown():
    form = Rows(data={"r3_name": ""})
    form.is_valid()
    form.add_error("r3_name", "Wrong")
    shown, folded = fold_rows(form.rows(), ignore=("_ok",))
    assert len(shown) == 5 and not folded
