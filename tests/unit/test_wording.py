"""Dates and numbers come from CLDR in the app's language, with the person's
territory for the formats, and British English when there is none."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timezone

import pytest

from coach.core import i18n, wording

DAY = date(2026, 1, 5)
MOMENT = datetime(2026, 3, 3, 2, 14, tzinfo=timezone.utc)


@pytest.fixture()
def language() -> Iterator[None]:
    yield
    i18n.set_current(i18n.DEFAULT)


def test_english_without_a_territory_is_british() -> None:
    assert wording.long_date(DAY) == "5 January 2026"
    assert wording.weekday_date(DAY) == "Monday 5 January"
    assert wording.when(MOMENT, timezone.utc) == "Tue, 3 Mar 2026, 02:14"
    assert wording.either(["a", "b", "c"]) == "a, b or c"


def test_the_territory_shapes_the_formats(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert wording.long_date(DAY) == "January 5, 2026"


def test_russian_names_and_numbers(language: None) -> None:
    i18n.set_current("ru")
    assert wording.long_date(DAY) == "5 января 2026\u202fг."  # CLDR: a narrow no-break space
    assert wording.weekday_names()[0] == "понедельник"
    assert wording.decimal(1.5) == "1,5"
    assert wording.either(["a", "b"]) == "a или b"


def test_the_clock_is_24_hours_and_durations_are_m_ss() -> None:
    assert wording.clock_time(time(22, 5)) == "22:05"
    assert wording.minutes_seconds(65) == "1:05" and wording.minutes_seconds(600) == "10:00"


def test_subscribers_hear_a_change_of_language(language: None) -> None:
    heard: list[str] = []
    stop = i18n.subscribe(heard.append)
    i18n.set_current("ru")
    i18n.set_current("ru")  # no change, nothing said
    stop()
    i18n.set_current("en")
    assert heard == ["ru"]


@pytest.mark.parametrize(("language", "territory", "evening", "said"), [
    ("en", "GB", date(2026, 11, 26), "26 to 27 November"),
    ("en", "GB", date(2026, 11, 30), "30 November to 1 December"),
    ("en", "US", date(2026, 11, 26), "November 26 to November 27"),
    ("ru", "RU", date(2026, 11, 26), "с 26 на 27 ноября"),
    ("ru", "RU", date(2026, 12, 31), "с 31 декабря на 1 января"),
])
def test_a_night_is_named_by_both_its_dates(
        language: str, territory: str, evening: date, said: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A Russian audit's case: «ночью 26 ноября» reads as the small hours of
    the 26th, a day before the night the diary meant."""
    monkeypatch.setattr("coach.core.countries.system_territory", lambda: territory)
    i18n.set_current(language)
    try:
        assert wording.night(evening) == said
    finally:
        i18n.set_current(i18n.DEFAULT)
