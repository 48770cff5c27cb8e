"""The Welsh working-day calendar: bank holidays, substitutes, moved holidays, arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from diogelu.procedures import WorkingCalendar, add_months


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- Christmas, Boxing Day, New Year (including weekend substitutes) ---------------------


@pytest.mark.parametrize(
    ("day", "name_part"),
    [
        # 2020: Boxing Day on Saturday -> substitute Monday 28th.
        ("2020-12-25", "Christmas"),
        ("2020-12-28", "Boxing Day (observed)"),
        # 2021: Christmas Saturday, Boxing Sunday -> Monday 27th and Tuesday 28th.
        ("2021-12-27", "Christmas Day (observed)"),
        ("2021-12-28", "Boxing Day (observed)"),
        # 2022: Christmas Sunday -> Boxing Day Monday 26th, Christmas substitute Tuesday 27th.
        ("2022-12-26", "Boxing Day"),
        ("2022-12-27", "Christmas Day (observed)"),
        # New Year 2022 on Saturday -> Monday 3rd; 2023 on Sunday -> Monday 2nd.
        ("2022-01-03", "New Year"),
        ("2023-01-02", "New Year"),
        ("1999-12-31", "Millennium"),
    ],
)
def test_christmas_and_new_year_substitutes_are_not_working_days(cal, day, name_part):
    assert not cal.is_working_day(d(day))
    assert name_part in (cal.holiday_name(d(day)) or "")


@pytest.mark.parametrize(
    ("start", "expected", "why"),
    [
        ("2025-12-24", "2025-12-29", "Thu 25, Fri 26 holidays; weekend; Monday 29th"),
        ("2021-12-24", "2021-12-29", "Sat/Sun Christmas; substitutes Mon 27, Tue 28"),
        ("2020-12-24", "2020-12-29", "Fri 25 Christmas; Mon 28 Boxing Day substitute"),
        ("2022-12-23", "2022-12-28", "Mon 26 Boxing Day; Tue 27 Christmas substitute"),
        ("2021-12-31", "2022-01-04", "Sat 1 Jan; Mon 3 Jan substitute"),
        ("2022-12-30", "2023-01-03", "Sun 1 Jan; Mon 2 Jan substitute"),
    ],
)
def test_one_working_day_over_christmas_and_new_year(cal, start, expected, why):
    assert cal.add_working_days(d(start), 1) == d(expected), why


# --- Easter ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("good_friday", "easter_monday"),
    [
        ("2019-04-19", "2019-04-22"),
        ("2020-04-10", "2020-04-13"),
        ("2024-03-29", "2024-04-01"),
        ("2025-04-18", "2025-04-21"),
        ("2026-04-03", "2026-04-06"),
        ("2027-03-26", "2027-03-29"),
    ],
)
def test_good_friday_and_easter_monday(cal, good_friday, easter_monday):
    assert not cal.is_working_day(d(good_friday))
    assert not cal.is_working_day(d(easter_monday))
    # The Thursday before Good Friday + 1 working day = the Tuesday after Easter Monday.
    thursday = date.fromordinal(d(good_friday).toordinal() - 1)
    tuesday = date.fromordinal(d(easter_monday).toordinal() + 1)
    assert cal.add_working_days(thursday, 1) == tuesday


# --- moved and one-off bank holidays ------------------------------------------------------


def test_2020_early_may_bank_holiday_moved_to_ve_day(cal):
    assert not cal.is_working_day(d("2020-05-08"))  # Friday, VE Day 75
    assert cal.is_working_day(d("2020-05-04"))  # the usual first Monday was a working day
    assert cal.add_working_days(d("2020-05-07"), 1) == d("2020-05-11")


def test_2022_platinum_jubilee_and_moved_spring_bank_holiday(cal):
    assert cal.is_working_day(d("2022-05-30"))  # the last Monday in May was a working day
    assert not cal.is_working_day(d("2022-06-02"))  # spring bank holiday, moved to Thursday
    assert not cal.is_working_day(d("2022-06-03"))  # jubilee, Friday
    assert cal.add_working_days(d("2022-06-01"), 1) == d("2022-06-06")


def test_2022_state_funeral(cal):
    assert not cal.is_working_day(d("2022-09-19"))
    assert cal.add_working_days(d("2022-09-16"), 1) == d("2022-09-20")


def test_2023_coronation(cal):
    assert not cal.is_working_day(d("2023-05-08"))
    # Fri 28 Apr -> Mon 1 May is the early May bank holiday -> Tue 2 May.
    assert cal.add_working_days(d("2023-04-28"), 1) == d("2023-05-02")
    # Fri 5 May -> Mon 8 May coronation -> Tue 9 May.
    assert cal.add_working_days(d("2023-05-05"), 1) == d("2023-05-09")


def test_2012_diamond_jubilee_and_2011_royal_wedding(cal):
    assert cal.is_working_day(d("2012-05-28"))
    assert not cal.is_working_day(d("2012-06-04"))
    assert not cal.is_working_day(d("2012-06-05"))
    assert not cal.is_working_day(d("2011-04-29"))


def test_weekends_are_not_working_days_and_ordinary_weekdays_are(cal):
    assert not cal.is_working_day(d("2025-06-07"))  # Saturday
    assert not cal.is_working_day(d("2025-06-08"))  # Sunday
    assert cal.is_working_day(d("2025-06-09"))  # Monday


def test_bank_holidays_of_a_year(cal):
    days = cal.bank_holidays(2025)
    assert list(days) == [
        d("2025-01-01"),
        d("2025-04-18"),
        d("2025-04-21"),
        d("2025-05-05"),
        d("2025-05-26"),
        d("2025-08-25"),
        d("2025-12-25"),
        d("2025-12-26"),
    ]


# --- arithmetic -----------------------------------------------------------------------------


def test_start_day_is_day_zero_even_when_not_a_working_day(cal):
    # Friday, Saturday and Sunday + 1 working day are all Monday 9 June 2025.
    for start in ("2025-06-06", "2025-06-07", "2025-06-08"):
        assert cal.add_working_days(d(start), 1) == d("2025-06-09")
    assert cal.add_working_days(d("2025-06-07"), 0) == d("2025-06-07")


def test_negative_working_days(cal):
    assert cal.add_working_days(d("2025-12-29"), -1) == d("2025-12-24")
    assert cal.previous_working_day(d("2025-04-22")) == d("2025-04-17")


def test_working_days_between(cal):
    # (Wed 24 Dec 2025, Fri 2 Jan 2026]: 29, 30, 31 Dec and 2 Jan = 4.
    assert cal.working_days_between(d("2025-12-24"), d("2026-01-02")) == 4
    assert cal.working_days_between(d("2026-01-02"), d("2025-12-24")) == -4
    assert cal.working_days_between(d("2025-06-06"), d("2025-06-08")) == 0
    assert cal.working_days_between(d("2025-06-06"), d("2025-06-06")) == 0


def test_on_or_before_and_after(cal):
    assert cal.working_day_on_or_before(d("2025-11-30")) == d("2025-11-28")
    assert cal.working_day_on_or_after(d("2025-11-30")) == d("2025-12-01")
    assert cal.working_day_on_or_after(d("2025-12-01")) == d("2025-12-01")


def test_extra_closures_and_extra_working_days():
    cal = WorkingCalendar(
        extra_non_working_days=[d("2030-07-01")], extra_working_days=[d("2025-12-26")]
    )
    assert not cal.is_working_day(d("2030-07-01"))
    assert cal.holiday_name(d("2030-07-01")) == "Local closure"
    assert cal.is_working_day(d("2025-12-26"))
    assert d("2030-07-01") in cal.bank_holidays(2030)
    assert d("2025-12-26") not in cal.bank_holidays(2025)


def test_unknown_subdivision_fails_at_construction():
    with pytest.raises(NotImplementedError):
        WorkingCalendar(subdiv="XX")


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2025-08-31", 6, "2026-02-28"),
        ("2023-08-31", 6, "2024-02-29"),  # leap year
        ("2023-11-30", 3, "2024-02-29"),
        ("2025-01-31", 1, "2025-02-28"),
        ("2025-03-31", 1, "2025-04-30"),
        ("2025-10-15", 3, "2026-01-15"),  # year roll-over
        ("2025-03-31", -1, "2025-02-28"),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(d(start), months) == d(expected)
