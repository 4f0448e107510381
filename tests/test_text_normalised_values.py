"""Values compared as values: numbers, dates, times and device names read the way people write them.

holdthread/text/numbers.py, datetimes.py and product_names.py give each mention every reading it
allows, so that two texts agree on a value whenever some reading is shared: a formatting
difference ("7.500" and "7,500", "Nov 3" and "11/03", "10pm" and "22:00", "iPhone XS" and
"iphone xs") is never a different value, and a real difference (17.1 and 17.2, an iPhone X and an
iPhone XS) always is.
"""

from __future__ import annotations

from datetime import date

import pytest

from holdthread.text import ParsedNote
from holdthread.text.datetimes import find_dates, find_times, find_weekdays, relative_days, weekdays_of
from holdthread.text.numbers import digit_values, find_numbers, prefixes
from holdthread.text.product_names import find_devices, squash


def _values(text: str) -> list[set[str]]:
    return [set(n.values) for n in find_numbers(text)]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("7.500", {"7500", "7.5"}),
        ("7,500", {"7500", "7.5"}),
        ("3,298.00", {"3298"}),
        ("7.500,50", {"7500.5"}),
        ("1,234,567", {"1234567"}),
        ("13.0", {"13"}),
        ("20k", {"20000"}),
        ("11.1.1", {"11.1.1"}),
        ("0198", {"198"}),
    ],
)
def test_digits_are_read_with_every_meaning_of_their_separators(text: str, values: set[str]) -> None:
    assert set(digit_values(text)) == values


def test_thousands_written_with_a_dot_and_with_a_comma_share_a_value() -> None:
    assert digit_values("7.500") & digit_values("7,500")
    assert not digit_values("17.1") & digit_values("17.2")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("thirteen dollars", "13"),
        ("ninety-seven pounds", "97"),
        ("the eighth time", "8"),
        ("twenty-first", "21"),
        ("two hundred and five", "205"),
        ("three thousand two hundred", "3200"),
        ("twice", "2"),
    ],
)
def test_numbers_in_words(text: str, value: str) -> None:
    numbers = find_numbers(text)
    assert len(numbers) == 1 and numbers[0].in_words
    assert set(numbers[0].values) == {value}


def test_numbers_glued_to_letters_are_read() -> None:
    assert _values("Ksh3,298.00 and 210e on my iPhone7, the 8th time") == [{"3298"}, {"210"}, {"7"}, {"8"}]
    assert find_numbers("the 8th time")[0].ordinal


def test_a_less_precise_version_is_a_prefix_of_the_more_precise_one() -> None:
    assert prefixes("11.1.1") == {"11.1", "11"}
    assert "17" in prefixes("17.1")
    assert "17.1" not in prefixes("17")


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("10pm", {22 * 60}),
        ("22:00", {22 * 60}),
        ("6:07PM", {18 * 60 + 7}),
        ("4 p.m.", {16 * 60}),
        ("07:10", {7 * 60 + 10, 19 * 60 + 10}),  # no am or pm: either half of the day
        ("noon", {12 * 60}),
    ],
)
def test_clock_times(text: str, minutes: set[int]) -> None:
    (time,) = find_times(text)
    assert set(time.minutes) == minutes


def test_times_as_customers_type_them_only_when_asked() -> None:
    assert find_times("the 22.12 train", loose=True)[0].minutes == {22 * 60 + 12}
    assert find_times("approx 1130am", loose=True)[0].minutes == {11 * 60 + 30}
    assert find_times("version 2.10 of the app") == []  # in a note, a dotted pair is not a time


@pytest.mark.parametrize("text", ["Nov 3", "Nov. 3rd", "3 November", "3rd of November", "2026-11-03", "11/03"])
def test_one_day_written_many_ways(text: str) -> None:
    (mention,) = find_dates(text)
    assert (11, 3) in mention.days


def test_an_ambiguous_slashed_date_keeps_both_readings_and_an_impossible_one_is_dropped() -> None:
    assert find_dates("11/03")[0].days == {(11, 3), (3, 11)}
    assert find_dates("10/30")[0].days == {(10, 30)}
    assert find_dates("2026-11-03")[0].year == 2026


def test_days_named_relative_to_when_the_message_was_written() -> None:
    written = date(2026, 11, 4)  # a Wednesday
    days = {mention.text: set(mention.days) for mention in relative_days("since yesterday, due tomorrow", written)}
    assert days == {"yesterday": {(11, 3)}, "tomorrow": {(11, 5)}}
    (friday,) = relative_days("pick it up on Friday", written)
    assert friday.days == {(10, 30), (11, 6)}  # the Friday before or the one after


def test_weekdays_and_their_dates() -> None:
    assert [w.weekday for w in find_weekdays("Mon and Friday")] == [0, 4]
    assert find_weekdays("sat down on the sun deck", abbreviations=False) == []
    assert weekdays_of(frozenset({(11, 3)}), 2026) == {1}  # Nov 3, 2026 is a Tuesday


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("my iphone xs", "iphonexs"),
        ("an iPhone XS", "iphonexs"),
        ("iPhone 7+", "iphone7plus"),
        ("iPhone 7 Plus 32GB", "iphone7plus"),
        ("his Xbox One", "xboxone"),
        ("Samsung Galaxy S6", "galaxys6"),
        ("a Pixel 2 XL", "pixel2xl"),
        ("iPhone7", "iphone7"),
    ],
)
def test_devices_keep_their_model(text: str, name: str) -> None:
    (device,) = find_devices(text)
    assert device.name == name


def test_two_models_of_one_line_are_two_devices() -> None:
    (x,) = find_devices("iPhone X")
    (xs,) = find_devices("iPhone XS")
    assert x.line == xs.line == "iphone" and x.name != xs.name
    assert find_devices("older iPhones") == []  # a plural names no device


def test_squash_ignores_case_spacing_and_punctuation() -> None:
    assert squash("iPhone XS") == squash("iphone xs") == squash("iPhone-XS")
    assert squash("TBA 566517950000") == squash("TBA566517950000")


def test_the_parsed_note_reads_each_value_once() -> None:
    note = ParsedNote("Since Nov 3 at 10pm the iPhone XS shows 7,500 errors.")
    assert [d.text for d in note.dates] == ["Nov 3"]
    assert [t.text for t in note.times] == ["10pm"]
    assert [d.name for d in note.devices] == ["iphonexs"]
    assert note.numbers is note.numbers  # computed once, then cached
    assert "iphonexs" in note.name_runs
