"""core.texts: text stored as message keys renders in the reader's language (ADR 0017)."""

from __future__ import annotations

import datetime

from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop

from diogelu.core.texts import at_time, choice, lines, msg, on_date, render, written


def test_a_message_renders_in_each_language_with_its_parameters():
    stored = msg(gettext_noop("Report %(ref)s received"), ref="MASH-2026-0001")
    assert render(stored, "en") == "Report MASH-2026-0001 received"
    assert render(stored, "cy") == "Adroddiad MASH-2026-0001 wedi dod i law"
    assert written(stored) == "Report MASH-2026-0001 received"


def test_labels_and_dates_follow_the_reader_not_the_writer():
    with translation.override("cy"):  # written by a Welsh speaker...
        stored = msg(
            gettext_noop("Report %(ref)s: %(outcome)s"),
            ref="R1",
            outcome=choice(gettext_lazy("No further action")),
        )
        due = msg(gettext_noop("Due by %(due)s"), due=on_date(datetime.date(2026, 1, 5)))
    # ...the English msgid is what is stored, never the writer's Welsh
    assert stored["p"]["outcome"] == {"t": "No further action"}
    assert render(stored, "en") == "Report R1: No further action"
    assert render(due, "en") == "Due by 5 January 2026"
    assert "Ionawr" in render(due, "cy") and "2026-01-05" not in render(due, "cy")


def test_dates_and_times_are_never_iso():
    when = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC)  # 00:30 BST next day
    assert render(at_time(when), "en") == "1 April 2026 at 00:30"
    assert render(on_date(when), "en") == "1 April 2026"


def test_lines_join_parts_of_every_kind():
    stored = lines(
        msg(gettext_noop("Actions:")), "- Visit (Police, ", on_date(datetime.date(2026, 2, 1)), ")"
    )
    assert render(stored, "en") == "Actions:\n- Visit (Police, \n1 February 2026\n)"
    assert render(lines("a", "b", sep=", "), "en") == "a, b"


def test_typed_text_is_shown_as_typed_and_a_broken_message_does_not_fail():
    assert render("What the practitioner wrote, 100%", "cy") == "What the practitioner wrote, 100%"
    assert render(msg("Needs %(x)s and %(y)s", x="one"), "en") == "Needs %(x)s and %(y)s"
    assert render(None) == "" and render({}, "en") == ""
