"""Dates, times, durations and counts as a person reads them, in the app's
language: the one module every screen, the report, the bedside card and the
command line ask, so no month name or plural is typed twice.

Names and formats come from CLDR through Babel (imported on first use: the
first screen shows no date, and so it loads neither Babel nor ``datetime``),
never from tables of our own, so a new language needs no change here.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from coach.core import i18n
from coach.core.i18n import _

if TYPE_CHECKING:
    from datetime import date, datetime, time, tzinfo

    from babel import Locale


FALLBACK_TERRITORY = {"en": "GB"}
"""The app's English is British (NHS advice, "GP"): without a territory of
their own, English dates read the British way."""


@lru_cache(maxsize=16)
def _locale(language: str, territory: str) -> Locale:
    from babel import Locale, UnknownLocaleError

    fallback = FALLBACK_TERRITORY.get(language, "")
    for tag in (f"{language}_{territory}" if territory else "",
                f"{language}_{fallback}" if fallback else "", language):
        if not tag:
            continue
        try:
            return Locale.parse(tag)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en_GB")


def locale_name() -> str:
    """The same choice as :func:`locale`, as a name ("en_GB", "ru_RU"), without
    loading Babel's data: for Qt's formats at start-up, before the first paint."""
    from coach.core.countries import system_territory

    language = i18n.current()
    territory = system_territory() or FALLBACK_TERRITORY.get(language, "")
    return f"{language}_{territory}" if territory else language


def locale() -> Locale:
    """The app's language with the person's territory for the formats: Russian
    read in Kazakhstan, or English in the US, dates as they are used to."""
    from coach.core.countries import system_territory

    return _locale(i18n.current(), system_territory())


def long_date(day: date) -> str:
    """"5 January 2026" / "5 января 2026 г."."""
    from babel.dates import format_date

    return format_date(day, "long", locale=locale())


def short_date(day: date) -> str:
    """"5 Jan 2026"."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMd", day, locale=locale())


def day_month(day: date) -> str:
    """"3 Mar": a chart's axis."""
    from babel.dates import format_skeleton

    return format_skeleton("MMMd", day, locale=locale())


def weekday_date(day: date) -> str:
    """"Monday 5 January"."""
    from babel.dates import format_skeleton

    return format_skeleton("MMMMEEEEd", day, locale=locale())


def night(evening: date) -> str:
    """A night by both its dates, "26 to 27 November": the diary files a night
    under its evening, and "the night of 26 November" is read by English as
    the evening but by Russian («ночью 26 ноября») as the small hours of the
    26th, a day early. A Russian audit found a doctor's report dated that way."""
    from datetime import date, timedelta  # as Babel: not before the first paint

    from babel.dates import format_skeleton

    morning = evening + timedelta(days=1)
    where = locale()
    # The month once, where the language puts the day first and both are in it.
    day_first = format_skeleton("MMMMd", date(2000, 1, 2), locale=where).startswith("2")
    began = format_skeleton("d" if day_first and evening.month == morning.month else "MMMMd",
                            evening, locale=where)
    # Translators: a night named by the day it began and the day it ended, said
    # after "the night of": "26 to 27 November" (Russian: "с 26 на 27 ноября").
    # {evening} has its month only when the two months differ.
    return _("{evening} to {morning}").format(
        evening=began, morning=format_skeleton("MMMMd", morning, locale=where))


def _date_and_time(day_part: str, moment: datetime) -> str:
    """A date and a time joined the way the language joins them."""
    joined: str = locale().datetime_formats["medium"]
    return joined.replace("{1}", day_part).replace("{0}", clock_time(moment))


def when(moment: datetime, zone: tzinfo) -> str:
    """"Tue 3 Mar 2026, 02:14": one entry of the diary, in local time."""
    from babel.dates import format_skeleton

    local = moment.astimezone(zone)
    return _date_and_time(format_skeleton("yMMMEd", local, locale=locale()), local)


def weekday_time(moment: datetime) -> str:
    """"Tue, 22:15": the next reminder, already in local time."""
    from babel.dates import format_skeleton

    return _date_and_time(format_skeleton("E", moment, locale=locale()), moment)


def clock_time(moment: time | datetime) -> str:
    """"22:30", on the 24-hour clock the app uses everywhere."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def weekday_names() -> tuple[str, ...]:
    """Monday first, whatever the locale's first day: the stored schedule
    counts from Monday."""
    from babel.dates import get_day_names

    names = get_day_names("wide", locale=locale())
    return tuple(names[index] for index in range(7))


def weekday_abbreviations() -> tuple[str, ...]:
    """"Mon" ... "Sun", "пн" ... "вс": Monday first, as :func:`weekday_names`."""
    from babel.dates import get_day_names

    names = get_day_names("abbreviated", locale=locale())
    return tuple(names[index] for index in range(7))


def minutes_seconds(whole_seconds: int) -> str:
    """``m:ss``. Callers round as their meaning needs: a countdown shows the
    ceiling (it never reads 0 while time is left), a stopwatch the floor."""
    return f"{whole_seconds // 60}:{whole_seconds % 60:02d}"


def weeks(count: int) -> str:
    """"2 weeks" / "2 недели": a rule's length in weeks, with the number and
    its noun agreeing as the language needs."""
    from babel.units import format_unit

    text: str = format_unit(count, "duration-week", length="long", locale=locale())
    return text


def decimal(value: float, places: int | None = None) -> str:
    """"1.5" / "1,5"; with ``places``, exactly that many after the point."""
    from babel.numbers import format_decimal

    pattern = None if places is None else "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(value, format=pattern, locale=locale())


def list_separator() -> str:
    """What a spreadsheet in this language splits a CSV file's fields on:
    ";" where numbers have a decimal comma, as in Russian (Excel splits on the
    system's list separator, which is ";" there, so a comma-separated file
    opens as one column), else ","."""
    from babel.numbers import get_decimal_symbol

    return ";" if get_decimal_symbol(locale()) == "," else ","


def percent(value: float) -> str:
    from babel.numbers import format_percent

    return format_percent(value, locale=locale())


def either(items: Sequence[str]) -> str:
    """"a, b or c", joined as the language joins alternatives. In English an
    item that has its own "or" gets a comma before the last "or", so "red or
    darker, or a cramp" cannot be misread."""
    if len(items) <= 1:
        return "".join(items)
    from babel.lists import format_list

    joined: str = format_list(list(items), style="or", locale=locale())
    if i18n.current() == "en" and any(" or " in item for item in items):
        head, _sep, last = joined.rpartition(" or ")
        if not head.endswith(","):
            joined = f"{head}, or {last}"
    return joined
