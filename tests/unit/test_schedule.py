"""Reminder settings, the nightly rules (snooze, skip, pause, done, late and
missed) and recomputing after clock jumps and zone changes. Every "now" is
passed in; nothing sleeps."""

from __future__ import annotations

import contextlib
import json
import random
import shutil
import zoneinfo
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coach.core import i18n, timezones
from coach.core.schedule import (
    DAY_NAMES,
    MISSED_LOOKBACK,
    Fire,
    NightState,
    ReminderConfig,
    Snooze,
    SnoozeRefused,
    bedtime,
    coming_night,
    mark_done,
    next_fire,
    overdue,
    parse_days,
    parse_time,
    pause_until_tomorrow,
    record_fire,
    settle,
    skip_night,
    snooze,
    tonight,
    upcoming,
)
from coach.core.timezones import local_zone

UTC = timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")

MONDAY = date(2026, 1, 5)
TUESDAY = MONDAY + timedelta(days=1)
WEDNESDAY = MONDAY + timedelta(days=2)
ON = ReminderConfig(enabled=True)


def local(day: date, hour: int, minute: int = 0, zone: ZoneInfo = BERLIN) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def utc(day: date, hour: int, minute: int = 0, zone: ZoneInfo = BERLIN) -> datetime:
    return local(day, hour, minute, zone).astimezone(UTC)


def settled(now: datetime) -> NightState:
    """A state whose app has been running and up to date at ``now``."""
    return NightState(settled_until=now)


# --- settings -----------------------------------------------------------------------------

def test_defaults_are_off_at_ten_every_night() -> None:
    config = ReminderConfig()
    assert not config.enabled
    assert config.times == (time(22, 0),) * 7
    assert (config.lead_minutes, config.grace_minutes) == (0, 120)


def test_config_round_trips_through_json() -> None:
    config = ReminderConfig(enabled=True, lead_minutes=15, grace_minutes=60,
                            times=(time(22, 30), None, time(0, 15), time(21, 0),
                                   time(23, 59), None, time(7, 5)))
    data = config.to_dict()
    assert data == {
        "enabled": True,
        "times": {"mon": "22:30", "tue": None, "wed": "00:15", "thu": "21:00",
                  "fri": "23:59", "sat": None, "sun": "07:05"},
        "lead_minutes": 15,
        "grace_minutes": 60,
    }
    assert ReminderConfig.from_dict(json.loads(json.dumps(data))) == config


def test_from_dict_fills_in_what_is_left_out() -> None:
    assert ReminderConfig.from_dict({}) == ReminderConfig()
    config = ReminderConfig.from_dict({"enabled": True, "times": {"fri": "23:30", "sat": None}})
    assert config.times == (time(22, 0),) * 4 + (time(23, 30), None, time(22, 0))
    assert config.enabled


@pytest.mark.parametrize(("data", "message"), [
    ([1, 2], "reminder settings must be an object with the fields enabled, times, "
             "lead_minutes, grace_minutes, not [1, 2]"),
    ({"enabeld": True}, "unknown reminder setting 'enabeld'; expected enabled, times, "
                        "lead_minutes, grace_minutes"),
    ({"enabled": "yes"}, "enabled must be true or false, not 'yes'"),
    ({"times": "22:00"}, 'times must map day names (mon ... sun) to "HH:MM" or null, '
                         "not '22:00'"),
    ({"times": {"monday": "22:00"}}, "times: 'monday' is not a day; use mon, tue, wed, thu, "
                                     "fri, sat or sun"),
    ({"times": {"mon": "25:00"}}, "times.mon: '25:00' is not a time of day; use 24-hour "
                                  "HH:MM, e.g. 22:30"),
    ({"times": {"tue": 2200}}, 'times.tue must be "HH:MM" or null, not 2200'),
    ({"lead_minutes": 500}, "lead_minutes must be a whole number of minutes from 0 to 120, "
                            "not 500"),
    ({"lead_minutes": "15"}, "lead_minutes must be a whole number of minutes from 0 to 120, "
                             "not '15'"),
    ({"lead_minutes": -1}, "lead_minutes must be"),
    ({"grace_minutes": True}, "grace_minutes must be a whole number of minutes from 0 to 720, "
                              "not True"),
    ({"grace_minutes": 1.5}, "grace_minutes must be"),
])
def test_from_dict_names_the_bad_field(data: object, message: str) -> None:
    with pytest.raises(ValueError) as error:
        ReminderConfig.from_dict(data)
    assert str(error.value).startswith(message)


@pytest.mark.parametrize(("times", "message"), [
    ((time(22, 0),) * 6, "times needs one entry per day"),
    ((time(22, 0, 30),) * 7, "times.mon must be a local time in whole minutes"),
    ((time(22, 0),) * 6 + (time(22, 0, tzinfo=UTC),), "times.sun must be a local time"),
])
def test_constructor_refuses_times_it_cannot_store(times: tuple[time, ...],
                                                    message: str) -> None:
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        ReminderConfig(times=times)


@pytest.mark.parametrize(("text", "expected"), [
    ("22:30", time(22, 30)), ("7:05", time(7, 5)), (" 00:00 ", time(0, 0)),
    ("23:59", time(23, 59)),
])
def test_parse_time(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "22:60", "2230", "10pm", "22:3", "", "22:30:00",
                                  "-1:30", "２２:３０", "22.30"])
def test_parse_time_refuses_guesses(text: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_time(text)
    assert str(error.value) == f"{text!r} is not a time of day; use 24-hour HH:MM, e.g. 22:30"


@pytest.mark.parametrize(("text", "expected"), [
    ("mon,tue", (0, 1)), ("Weekdays", (0, 1, 2, 3, 4)), ("weekends", (5, 6)),
    ("daily", tuple(range(7))), ("all", tuple(range(7))), ("sun, Monday,mon", (0, 6)),
    ("weekends,fri", (4, 5, 6)),
])
def test_parse_days(text: str, expected: tuple[int, ...]) -> None:
    assert parse_days(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("mon,mnday", "'mnday' is not a day; use mon, tue, wed, thu, fri, sat, sun, weekdays, "
                  "weekends or daily"),
    ("mon,,tue", "a day name is missing in 'mon,,tue'; use mon"),
    ("", "a day name is missing in ''"),
])
def test_parse_days_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_days(text)
    assert str(error.value).startswith(message)


def test_days_are_read_in_the_language_in_use_and_always_in_english() -> None:
    """A Russian reader types "пн" or "выходные", as the help and the error
    now suggest; a script's English words keep working in every language."""
    i18n.set_current("ru")
    try:
        assert parse_days("пн, Вторник,выходные") == (0, 1, 5, 6)
        assert parse_days("будни") == parse_days("weekdays") == (0, 1, 2, 3, 4)
        assert parse_days("ежедневно,mon") == tuple(range(7))
        with pytest.raises(ValueError) as error:
            parse_days("пнд")
    finally:
        i18n.set_current(i18n.DEFAULT)
    assert str(error.value) == ("'пнд' — это не день; используйте пн, вт, ср, чт, пт, сб, вс, "
                                "будни, выходные или ежедневно")
    with pytest.raises(ValueError):
        parse_days("пн")  # in English, only English words


def test_with_time_changes_only_the_chosen_days() -> None:
    config = ReminderConfig().with_time(time(22, 30), days=parse_days("mon,tue"), lead=15)
    assert config.times == (time(22, 30),) * 2 + (time(22, 0),) * 5
    assert config.lead_minutes == 15
    assert not config.enabled, "switching on stays a separate step"
    assert config.with_time(time(21, 0)).times == (time(21, 0),) * 7
    assert config.with_time(None, days=[5, 6]).times[5:] == (None, None)
    assert config.with_time(time(21, 0)).lead_minutes == 15


def test_with_time_validates() -> None:
    with pytest.raises(ValueError, match=r"day 7 is not 0 \(Monday\) to 6 \(Sunday\)"):
        ReminderConfig().with_time(time(22, 0), days=[7])
    with pytest.raises(ValueError, match="lead_minutes must be"):
        ReminderConfig().with_time(time(22, 0), lead=121)


def test_day_names_start_on_monday() -> None:
    assert DAY_NAMES[MONDAY.weekday()] == "mon"


# --- when reminders fire ------------------------------------------------------------------

def test_nothing_fires_while_switched_off() -> None:
    now = utc(MONDAY, 12)
    assert next_fire(ReminderConfig(), NightState(), now, BERLIN) is None
    assert overdue(ReminderConfig(), settled(now), utc(MONDAY, 23), BERLIN).late is None


def test_next_fire_is_tonights_bedtime_in_utc() -> None:
    fire = next_fire(ON, NightState(), utc(MONDAY, 12), BERLIN)
    assert fire == Fire(utc(MONDAY, 22), MONDAY, "reminder")
    assert fire.at.tzinfo is UTC


def test_a_shown_night_is_not_reminded_again() -> None:
    state = record_fire(NightState(), Fire(utc(MONDAY, 22), MONDAY, "reminder"))
    assert next_fire(ON, state, utc(MONDAY, 22), BERLIN) == Fire(utc(TUESDAY, 22), TUESDAY,
                                                                  "reminder")
    assert state.settled_until == utc(MONDAY, 22)


def test_a_night_without_a_bedtime_is_passed_over() -> None:
    config = ON.with_time(None, days=[TUESDAY.weekday()])
    state = record_fire(NightState(), Fire(utc(MONDAY, 22), MONDAY, "reminder"))
    fire = next_fire(config, state, utc(MONDAY, 22, 1), BERLIN)
    assert fire is not None and fire.night == WEDNESDAY
    assert bedtime(config, TUESDAY, BERLIN) is None


def test_no_nights_at_all() -> None:
    config = ON.with_time(None)
    assert next_fire(config, NightState(), utc(MONDAY, 12), BERLIN) is None
    assert upcoming(config, utc(MONDAY, 12), BERLIN) == []


def test_done_before_bedtime_means_no_reminder_that_night() -> None:
    now = utc(MONDAY, 19, 30)
    state = mark_done(NightState(), tonight(now, BERLIN))
    fire = next_fire(ON, state, now, BERLIN)
    assert fire is not None and fire.night == TUESDAY


def test_done_after_midnight_counts_for_the_night_under_way() -> None:
    config = ON.with_time(time(0, 45))
    assert bedtime(config, MONDAY, BERLIN) == local(TUESDAY, 0, 45)
    now = utc(TUESDAY, 0, 20)
    assert tonight(now, BERLIN) == MONDAY
    state = mark_done(NightState(), tonight(now, BERLIN))
    assert next_fire(config, state, now, BERLIN) == Fire(utc(WEDNESDAY, 0, 45), TUESDAY,
                                                         "reminder")


@pytest.mark.parametrize(("hour", "minute", "night"), [
    (5, 59, MONDAY - timedelta(days=1)), (6, 0, MONDAY), (14, 0, MONDAY), (23, 59, MONDAY),
])
def test_tonight_turns_over_at_six(hour: int, minute: int, night: date) -> None:
    assert tonight(utc(MONDAY, hour, minute), BERLIN) == night


def test_skip_tonight() -> None:
    now = utc(MONDAY, 18)
    state = skip_night(settled(now), tonight(now, BERLIN))
    fire = next_fire(ON, state, now, BERLIN)
    assert fire is not None and fire.night == TUESDAY
    result = overdue(ON, state, utc(MONDAY, 23), BERLIN)
    assert (result.late, result.missed) == (None, ())


def test_skip_survives_a_zone_change() -> None:
    state = skip_night(NightState(), MONDAY)
    fire = next_fire(ON, state, utc(MONDAY, 12, zone=NEW_YORK), NEW_YORK)
    assert fire is not None and fire.night == TUESDAY


def test_pause_until_tomorrow_lasts_to_six_after_tonight() -> None:
    config = ON.with_time(time(0, 30))
    state = pause_until_tomorrow(NightState(), utc(MONDAY, 14), BERLIN)
    assert state.paused_until == utc(TUESDAY, 6)
    # Monday's bedtime is 00:30 on Tuesday: a pause to midnight would miss it.
    assert next_fire(config, state, utc(MONDAY, 14), BERLIN) == Fire(
        utc(WEDNESDAY, 0, 30), TUESDAY, "reminder")
    late_night = pause_until_tomorrow(NightState(), utc(TUESDAY, 1), BERLIN)
    assert late_night.paused_until == utc(TUESDAY, 6)


def test_pause_silences_snoozes_and_is_neither_shown_nor_missed() -> None:
    fired = record_fire(settled(utc(MONDAY, 21)), Fire(utc(MONDAY, 22), MONDAY, "reminder"))
    snoozed = snooze(fired, MONDAY, 10, utc(MONDAY, 22))
    paused = pause_until_tomorrow(snoozed, utc(MONDAY, 22, 1), BERLIN)
    assert next_fire(ON, paused, utc(MONDAY, 22, 1), BERLIN) == Fire(
        utc(TUESDAY, 22), TUESDAY, "reminder")
    # Paused on Sunday afternoon, asleep through Sunday's bedtime.
    sunday = MONDAY - timedelta(days=1)
    state = pause_until_tomorrow(settled(utc(sunday, 15)), utc(sunday, 15), BERLIN)
    result = overdue(ON, state, utc(sunday, 23), BERLIN)
    assert (result.late, result.missed) == (None, ())
    assert sunday not in result.state.fired


def test_snooze_brings_the_reminder_back() -> None:
    state = record_fire(NightState(), Fire(utc(MONDAY, 22), MONDAY, "reminder"))
    state = snooze(state, MONDAY, 10, utc(MONDAY, 22, 1))
    assert state.snooze == Snooze(MONDAY, 1, utc(MONDAY, 22, 11))
    fire = next_fire(ON, state, utc(MONDAY, 22, 1), BERLIN)
    assert fire == Fire(utc(MONDAY, 22, 11), MONDAY, "snooze")
    state = record_fire(state, fire)
    assert state.snooze == Snooze(MONDAY, 1, None)
    assert next_fire(ON, state, fire.at, BERLIN) == Fire(utc(TUESDAY, 22), TUESDAY, "reminder")


def test_snooze_at_most_three_times_a_night() -> None:
    state = record_fire(NightState(), Fire(utc(MONDAY, 22), MONDAY, "reminder"))
    now = utc(MONDAY, 22)
    for minutes in (5, 10, 15):
        state = snooze(state, MONDAY, minutes, now)
        fire = next_fire(ON, state, now, BERLIN)
        assert fire is not None and fire.kind == "snooze"
        now = fire.at
        state = record_fire(state, fire)
    with pytest.raises(SnoozeRefused, match="already snoozed 3 times tonight") as refused:
        snooze(state, MONDAY, 5, now)
    # Said in a notice: worded again when the person switches language.
    i18n.set_current("ru")
    try:
        assert str(refused.value) == "Сегодня напоминание уже откладывали 3 раза."
    finally:
        i18n.set_current(i18n.DEFAULT)
    # A new night starts with a fresh allowance.
    state = record_fire(state, Fire(utc(TUESDAY, 22), TUESDAY, "reminder"))
    assert snooze(state, TUESDAY, 5, utc(TUESDAY, 22)).snooze == Snooze(
        TUESDAY, 1, utc(TUESDAY, 22, 5))


@pytest.mark.parametrize("minutes", [0, 1, 7, 20, 30])
def test_snooze_lengths(minutes: int) -> None:
    state = record_fire(NightState(), Fire(utc(MONDAY, 22), MONDAY, "reminder"))
    with pytest.raises(ValueError, match=f"Snooze is 5, 10 or 15 minutes, not {minutes}"):
        snooze(state, MONDAY, minutes, utc(MONDAY, 22))


def test_only_a_shown_open_night_can_be_snoozed() -> None:
    with pytest.raises(ValueError, match="no reminder to snooze"):
        snooze(NightState(), MONDAY, 5, utc(MONDAY, 21))
    fired = record_fire(NightState(), Fire(utc(MONDAY, 22), MONDAY, "reminder"))
    with pytest.raises(ValueError, match="no reminder to snooze"):
        snooze(mark_done(fired, MONDAY), MONDAY, 5, utc(MONDAY, 22))


def test_done_or_skip_cancels_a_pending_snooze() -> None:
    fired = record_fire(NightState(), Fire(utc(MONDAY, 22), MONDAY, "reminder"))
    snoozed = snooze(fired, MONDAY, 15, utc(MONDAY, 22))
    for finished in (mark_done(snoozed, MONDAY), skip_night(snoozed, MONDAY)):
        assert next_fire(ON, finished, utc(MONDAY, 22, 1), BERLIN) == Fire(
            utc(TUESDAY, 22), TUESDAY, "reminder")
        assert overdue(ON, finished, utc(MONDAY, 22, 30), BERLIN).late is None


def test_lead_time_across_midnight() -> None:
    config = ON.with_time(time(0, 10), lead=15)
    assert bedtime(config, MONDAY, BERLIN) == local(MONDAY, 23, 55)
    assert next_fire(config, NightState(), utc(MONDAY, 12), BERLIN) == Fire(
        utc(MONDAY, 23, 55), MONDAY, "reminder")


def test_lead_time_is_real_time_across_a_clock_change() -> None:
    spring = date(2026, 3, 28)  # clocks go forward early on Sunday 29 March
    config = ON.with_time(time(3, 30), lead=60)
    reminder = bedtime(config, spring, BERLIN)
    assert reminder is not None
    assert reminder == datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    assert reminder.replace(tzinfo=None) == datetime(2026, 3, 29, 1, 30)  # 2 h on the clock
    autumn = date(2026, 10, 24)  # clocks go back early on Sunday 25 October
    config = ON.with_time(time(3, 30), lead=120)
    reminder = bedtime(config, autumn, BERLIN)
    assert reminder is not None
    # (compared in UTC: PEP 495 makes a repeated-hour time unequal to any other zone's)
    assert reminder.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert (reminder.replace(tzinfo=None), reminder.fold) == (datetime(2026, 10, 25, 2, 30), 0)


def test_upcoming_lists_the_configured_nights_in_local_time() -> None:
    config = ReminderConfig().with_time(None, days=[TUESDAY.weekday()])
    shown = upcoming(config, utc(MONDAY, 12), BERLIN)
    assert len(shown) == 7
    assert [moment.date() for moment in shown] == [
        MONDAY + timedelta(days=n) for n in (0, 2, 3, 4, 5, 6, 7)]
    assert all(moment.time() == time(22, 0) and moment.tzinfo is BERLIN for moment in shown)
    assert upcoming(config, utc(MONDAY, 12), BERLIN, count=2) == shown[:2]
    assert upcoming(config, utc(MONDAY, 22), BERLIN, count=1) == [local(WEDNESDAY, 22)]


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="now must be a timezone-aware datetime"):
        next_fire(ON, NightState(), datetime(2026, 1, 5, 12), BERLIN)
    with pytest.raises(ValueError, match="paused_until must be a timezone-aware"):
        NightState(paused_until=datetime(2026, 1, 5, 12))


def test_state_keeps_instants_in_utc() -> None:
    state = NightState(paused_until=local(MONDAY, 23), settled_until=local(MONDAY, 20))
    assert state.paused_until == utc(MONDAY, 23) and state.paused_until.tzinfo is UTC
    assert state.settled_until is not None and state.settled_until.tzinfo is UTC


# --- slept through bedtime, clock jumps, zone changes -------------------------------------

def test_late_reminder_on_wake_within_grace() -> None:
    state = settled(utc(MONDAY, 20))  # the machine went to sleep here
    result = overdue(ON, state, utc(MONDAY, 23, 30), BERLIN)
    assert result.late == Fire(utc(MONDAY, 23, 30), MONDAY, "late")
    assert result.missed == ()
    assert MONDAY in result.state.fired
    again = overdue(ON, result.state, utc(MONDAY, 23, 31), BERLIN)
    assert (again.late, again.missed) == (None, ())
    assert next_fire(ON, result.state, utc(MONDAY, 23, 31), BERLIN) == Fire(
        utc(TUESDAY, 22), TUESDAY, "reminder")


def test_past_grace_the_night_is_missed_not_fired() -> None:
    result = overdue(ON, settled(utc(MONDAY, 20)), utc(TUESDAY, 0, 1), BERLIN)
    assert (result.late, result.missed) == (None, (MONDAY,))
    assert MONDAY in result.state.missed and MONDAY not in result.state.fired
    assert result.state.settled_until == utc(TUESDAY, 0, 1)
    assert overdue(ON, result.state, utc(TUESDAY, 0, 2), BERLIN).missed == ()


def test_grace_is_configurable() -> None:
    config = ReminderConfig(enabled=True, grace_minutes=30)
    assert overdue(config, settled(utc(MONDAY, 20)), utc(MONDAY, 22, 30),
                   BERLIN).late is not None
    assert overdue(config, settled(utc(MONDAY, 20)), utc(MONDAY, 22, 31),
                   BERLIN).missed == (MONDAY,)


def test_several_nights_asleep() -> None:
    saturday = MONDAY - timedelta(days=2)
    result = overdue(ON, settled(utc(saturday, 12)), utc(WEDNESDAY, 22, 30), BERLIN)
    assert result.missed == (saturday, saturday + timedelta(days=1), MONDAY, TUESDAY)
    assert result.late == Fire(utc(WEDNESDAY, 22, 30), WEDNESDAY, "late")


def test_missed_nights_only_go_back_a_week() -> None:
    result = overdue(ON, settled(utc(date(2025, 11, 1), 12)), utc(MONDAY, 12), BERLIN)
    assert len(result.missed) == MISSED_LOOKBACK.days
    assert result.missed[-1] == MONDAY - timedelta(days=1)


def test_a_new_state_invents_no_late_or_missed_nights() -> None:
    """Reminders switched on at 22:30 must not nag about 22:00."""
    result = overdue(ON, NightState(), utc(MONDAY, 22, 30), BERLIN)
    assert (result.late, result.missed) == (None, ())
    assert result.state.settled_until == utc(MONDAY, 22, 30)
    assert next_fire(ON, result.state, utc(MONDAY, 22, 30), BERLIN) == Fire(
        utc(TUESDAY, 22), TUESDAY, "reminder")


def test_a_change_settled_when_made_owes_nothing_from_before_it() -> None:
    """Reminders were off until Wednesday 22:30, when they were switched on at
    22:10 with nothing watching (the command line, the app closed): the
    nights before, and 22:10 itself, are neither missed nor late."""
    changed = settle(settled(utc(MONDAY, 12)), utc(WEDNESDAY, 22, 30))
    early = ReminderConfig(enabled=True, times=(time(22, 10),) * 7)
    result = overdue(early, changed, utc(WEDNESDAY, 22, 31), BERLIN)
    assert (result.late, result.missed) == (None, ())
    assert next_fire(early, result.state, utc(WEDNESDAY, 22, 31), BERLIN) == Fire(
        utc(WEDNESDAY + timedelta(days=1), 22, 10), WEDNESDAY + timedelta(days=1), "reminder")


def test_settling_ends_a_snooze_that_ran_out_and_keeps_what_happened() -> None:
    fired = record_fire(settled(utc(MONDAY, 21)), Fire(utc(MONDAY, 22), MONDAY, "reminder"))
    snoozed = skip_night(snooze(fired, MONDAY, 5, utc(MONDAY, 22)), TUESDAY)
    changed = settle(snoozed, utc(MONDAY, 23))
    assert changed == replace(snoozed, snooze=Snooze(MONDAY, 1, None),
                              settled_until=utc(MONDAY, 23))
    assert overdue(ON, changed, utc(MONDAY, 23, 1), BERLIN).late is None
    waiting = settle(snoozed, utc(MONDAY, 22, 1))  # a snooze still to come still comes
    assert next_fire(ON, waiting, utc(MONDAY, 22, 1), BERLIN) == Fire(
        utc(MONDAY, 22, 5), MONDAY, "snooze")


def test_a_snooze_that_ran_out_during_sleep() -> None:
    fired = record_fire(settled(utc(MONDAY, 21)), Fire(utc(MONDAY, 22), MONDAY, "reminder"))
    snoozed = snooze(fired, MONDAY, 5, utc(MONDAY, 22))
    result = overdue(ON, snoozed, utc(MONDAY, 23), BERLIN)
    assert result.late == Fire(utc(MONDAY, 23), MONDAY, "snooze")
    assert result.state.snooze == Snooze(MONDAY, 1, None)
    stale = overdue(ON, snoozed, utc(TUESDAY, 8), BERLIN)
    assert stale.late is None and stale.state.snooze == Snooze(MONDAY, 1, None)
    assert stale.missed == ()


def test_clock_jumps_back_after_the_reminder() -> None:
    state = record_fire(settled(utc(MONDAY, 21)), Fire(utc(MONDAY, 22), MONDAY, "reminder"))
    back = utc(MONDAY, 20)
    result = overdue(ON, state, back, BERLIN)
    assert (result.late, result.missed) == (None, ())
    assert next_fire(ON, result.state, back, BERLIN) == Fire(utc(TUESDAY, 22), TUESDAY,
                                                             "reminder")


def test_clock_jumps_forward_and_back_fire_monday_once() -> None:
    state = settled(utc(MONDAY, 21))
    forward = overdue(ON, state, utc(MONDAY, 23), BERLIN)
    assert forward.late is not None and forward.late.night == MONDAY
    back = overdue(ON, forward.state, utc(MONDAY, 21), BERLIN)
    assert back.late is None
    assert next_fire(ON, back.state, utc(MONDAY, 21), BERLIN) == Fire(
        utc(TUESDAY, 22), TUESDAY, "reminder")
    forward_again = overdue(ON, back.state, utc(MONDAY, 23), BERLIN)
    assert (forward_again.late, forward_again.missed) == (None, ())


def test_random_clock_jumps_never_fire_a_night_twice() -> None:
    """An app that catches up and re-arms its timer after every jump, sleep and
    snooze, driven through most of 2026 (both DST changes included)."""
    rng = random.Random(20260105)
    config = ReminderConfig(enabled=True, lead_minutes=10,
                            times=(time(22, 0), time(23, 30), None, time(0, 30),
                                   time(22, 0), time(1, 0), time(21, 0)))
    state = NightState()
    now = utc(MONDAY, 12)
    shown: list[Fire] = []
    for _ in range(3000):
        result = overdue(config, state, now, BERLIN)
        state = result.state
        shown.extend([result.late] if result.late else [])
        fire = next_fire(config, state, now, BERLIN)
        step = timedelta(minutes=rng.choice([5, 15, 30, 60, 120, 180, 600,
                                             -60, -120, -1440, 2880]))
        asleep = rng.random() < 0.3
        if fire is not None and not asleep and step > timedelta(0) and fire.at <= now + step:
            shown.append(fire)
            state = record_fire(state, fire)
            now = fire.at
        else:
            now += step
        if rng.random() < 0.3 and shown:
            with contextlib.suppress(ValueError):
                state = snooze(state, shown[-1].night, rng.choice([5, 10, 15]), now)
    assert {"reminder", "late", "snooze"} <= {fire.kind for fire in shown}
    assert state.missed, "the walk should also sleep through some nights"
    first_shows = Counter(fire.night for fire in shown if fire.kind != "snooze")
    assert max(first_shows.values()) == 1
    assert max(Counter(fire.night for fire in shown if fire.kind == "snooze").values()) == 3
    assert not state.missed & state.fired


def test_same_config_in_another_zone() -> None:
    state = record_fire(NightState(), Fire(utc(MONDAY, 22), MONDAY, "reminder"))
    # Flew west: it is Monday afternoon again in New York, but Monday is done with.
    in_new_york = utc(MONDAY, 22)
    assert next_fire(ON, state, in_new_york, NEW_YORK) == Fire(
        utc(TUESDAY, 22, zone=NEW_YORK), TUESDAY, "reminder")
    # And in Kolkata bedtime is 22:00 there, on a half-hour offset.
    assert next_fire(ON, NightState(), utc(MONDAY, 12, zone=KOLKATA), KOLKATA) == Fire(
        datetime(2026, 1, 5, 16, 30, tzinfo=UTC), MONDAY, "reminder")


def test_flying_east_after_the_reminder() -> None:
    state = record_fire(NightState(), Fire(utc(MONDAY, 22, zone=NEW_YORK), MONDAY, "reminder"))
    arrived = utc(TUESDAY, 5)  # 05:00 in Berlin: still Monday night there
    assert tonight(arrived, BERLIN) == MONDAY
    assert next_fire(ON, state, arrived, BERLIN) == Fire(utc(TUESDAY, 22), TUESDAY, "reminder")


# --- the machine's zone -------------------------------------------------------------------

@pytest.mark.parametrize(("tz", "key"), [
    ("Europe/Berlin", "Europe/Berlin"),
    (":Asia/Kolkata", "Asia/Kolkata"),
    (":/usr/share/zoneinfo/America/New_York", "America/New_York"),
    ("/usr/lib/zoneinfo/posix/Australia/Lord_Howe", "Australia/Lord_Howe"),
])
def test_local_zone_from_tz(tz: str, key: str, tmp_path: Path) -> None:
    assert local_zone({"TZ": tz}, etc=tmp_path) == ZoneInfo(key)


def test_local_zone_from_the_localtime_link(tmp_path: Path) -> None:
    (tmp_path / "localtime").symlink_to("../usr/share/zoneinfo/posix/Australia/Lord_Howe")
    (tmp_path / "timezone").write_text("Asia/Kolkata\n", encoding="utf-8")
    assert local_zone({}, etc=tmp_path) == ZoneInfo("Australia/Lord_Howe")
    # A TZ that names no zone (a POSIX rule, or a path outside zoneinfo) is passed over.
    assert local_zone({"TZ": "CET-1CEST"}, etc=tmp_path) == ZoneInfo("Australia/Lord_Howe")
    assert local_zone({"TZ": ":/etc/localtime"}, etc=tmp_path) == ZoneInfo("Australia/Lord_Howe")


def test_local_zone_from_etc_timezone(tmp_path: Path) -> None:
    (tmp_path / "localtime").symlink_to("/nowhere/else")
    (tmp_path / "timezone").write_text("Asia/Kolkata\n", encoding="utf-8")
    assert local_zone({}, etc=tmp_path) == ZoneInfo("Asia/Kolkata")


def test_local_zone_from_a_copied_zone_file(tmp_path: Path) -> None:
    source = next((Path(folder) / "Europe" / "Berlin" for folder in zoneinfo.TZPATH
                   if (Path(folder) / "Europe" / "Berlin").is_file()), None)
    if source is None:
        pytest.skip("no system zone files to copy")
    shutil.copyfile(source, tmp_path / "localtime")
    zone = local_zone({}, etc=tmp_path)
    assert datetime(2026, 7, 1, 12, tzinfo=zone).utcoffset() == timedelta(hours=2)
    assert datetime(2026, 1, 1, 12, tzinfo=zone).utcoffset() == timedelta(hours=1)


def test_local_zone_falls_back_to_utc(tmp_path: Path) -> None:
    (tmp_path / "timezone").write_text("Not/AZone\n", encoding="utf-8")
    assert local_zone({"TZ": "Mars/Olympus_Mons"}, etc=tmp_path) == ZoneInfo("UTC")


def test_local_zone_without_any_zone_data(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows without the tzdata package cannot load even "UTC"."""
    def no_data(key: str) -> ZoneInfo:
        raise zoneinfo.ZoneInfoNotFoundError(key)

    monkeypatch.setattr(timezones, "ZoneInfo", no_data)
    assert local_zone({"TZ": "Europe/Berlin"}, etc=tmp_path) is timezone.utc


@pytest.mark.parametrize(("bedtime_at", "lead", "pressed", "night"), [
    (time(22, 0), 0, local(MONDAY, 21), MONDAY),  # before tonight's bedtime
    (time(22, 0), 0, local(MONDAY, 23), MONDAY),  # after it: still tonight, not tomorrow
    (time(22, 0), 0, local(TUESDAY, 5, 59), MONDAY),  # before the day break
    (time(22, 0), 0, local(TUESDAY, 7), TUESDAY),
    (time(0, 30), 0, local(TUESDAY, 1), MONDAY),  # after a bedtime past midnight
    (time(7, 0), 90, local(TUESDAY, 5), TUESDAY),  # a day sleeper's 05:30 reminder
    (time(7, 0), 90, local(TUESDAY, 5, 45), MONDAY),  # once it has come, as tonight says
])
def test_the_coming_night_is_tonight_but_for_a_reminder_before_its_day_break(
        bedtime_at: time, lead: int, pressed: datetime, night: date) -> None:
    config = ReminderConfig(enabled=True, times=(bedtime_at,) * 7, lead_minutes=lead)
    assert coming_night(config, pressed, BERLIN) == night
