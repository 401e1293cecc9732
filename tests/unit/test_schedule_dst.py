"""Two years of reminders across DST changes, checked against an independent
expectation: ``dateutil.rrule`` generates the wall times, ``dateutil.tz``
decides which exist (a gap is resolved by stepping a minute at a time) and
which are repeated (the first occurrence is the one meant), and the lead is
taken off in UTC. ``next_fire`` is then walked night by night, as the app
would after each reminder, and the two sequences must match exactly."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest
from dateutil import rrule, tz

from coach.core.schedule import Fire, NightState, ReminderConfig, next_fire, record_fire

UTC = timezone.utc
FIRST_NIGHT = date(2026, 1, 1)
LAST_NIGHT = date(2027, 12, 31)
THURSDAY_TIME = time(23, 30)
EARLY = time(6, 0)
"""Bedtimes before this are early the next morning (the schedule's DAY_BREAK,
restated here on purpose)."""

# (zone, bedtime, nights whose bedtime falls in a gap, nights in an overlap) over 2026-2027.
CASES = [
    ("Europe/Berlin", time(2, 30), 2, 2),
    ("Europe/Berlin", time(22, 0), 0, 0),
    ("America/New_York", time(2, 30), 2, 0),
    ("America/New_York", time(1, 30), 0, 2),
    ("America/New_York", time(22, 0), 0, 0),
    ("Australia/Lord_Howe", time(2, 15), 2, 0),
    ("Australia/Lord_Howe", time(1, 45), 0, 2),
    ("Australia/Lord_Howe", time(22, 0), 0, 0),
    ("Asia/Kolkata", time(2, 30), 0, 0),
    ("Asia/Kolkata", time(22, 0), 0, 0),
]


def config_for(at: time, lead: int) -> ReminderConfig:
    """``at`` every night but Wednesday (none) and Thursday (23:30), so both
    the weekday table and nights with no bedtime are exercised. Saturday keeps
    ``at``: the DST changes in these zones happen early on Sundays."""
    times: list[time | None] = [at] * 7
    times[2], times[3] = None, THURSDAY_TIME
    return ReminderConfig(enabled=True, times=tuple(times), lead_minutes=lead)


def wall_times(at: time, weekdays: tuple[rrule.weekday, ...]) -> list[datetime]:
    """Calendar wall times for the nights on ``weekdays``; an early bedtime
    falls on the next calendar day, so the rule is moved a day on."""
    shift = 1 if at < EARLY else 0
    days = tuple(rrule.weekdays[(day.weekday + shift) % 7] for day in weekdays)
    start = datetime.combine(FIRST_NIGHT + timedelta(days=shift), at)
    until = datetime.combine(LAST_NIGHT + timedelta(days=shift), at)
    return list(rrule.rrule(rrule.DAILY, byweekday=days, dtstart=start, until=until))


def first_valid(wall: datetime, zone: tzinfo) -> datetime:
    moment = wall
    while not tz.datetime_exists(moment, tz=zone):
        moment += timedelta(minutes=1)
    return moment.replace(tzinfo=zone)


def expected_fires(name: str, at: time, lead: int) -> tuple[list[Fire], int, int]:
    zone = tz.gettz(name)
    assert zone is not None
    walls = (wall_times(at, (rrule.MO, rrule.TU, rrule.FR, rrule.SA, rrule.SU))
             + wall_times(THURSDAY_TIME, (rrule.TH,)))
    fires: list[Fire] = []
    gaps = overlaps = 0
    for wall in walls:
        night = wall.date() - timedelta(days=1) if wall.time() < EARLY else wall.date()
        resolved = first_valid(wall, zone)
        gaps += resolved.replace(tzinfo=None) != wall
        if tz.datetime_ambiguous(resolved):
            overlaps += 1
            later = tz.enfold(resolved, fold=1).astimezone(UTC)
            assert resolved.astimezone(UTC) < later, "fold=0 is the first occurrence"
        fires.append(Fire(resolved.astimezone(UTC) - timedelta(minutes=lead), night, "reminder"))
    return sorted(fires, key=lambda fire: fire.at), gaps, overlaps


def walk(config: ReminderConfig, zone: tzinfo, start: datetime, end: datetime) -> list[Fire]:
    state = NightState()
    now = start
    fires: list[Fire] = []
    while True:
        fire = next_fire(config, state, now, zone)
        assert fire is not None
        if fire.at >= end:
            return fires
        fires.append(fire)
        state = record_fire(state, fire)
        now = fire.at + timedelta(seconds=1)


@pytest.mark.parametrize("lead", [0, 45])
@pytest.mark.parametrize(("name", "at", "gaps", "overlaps"), CASES)
def test_two_years_of_nights_match_rrule(name: str, at: time, gaps: int, overlaps: int,
                                         lead: int) -> None:
    expected, found_gaps, found_overlaps = expected_fires(name, at, lead)
    assert (found_gaps, found_overlaps) == (gaps, overlaps), "the cases cover what they claim"
    zone = ZoneInfo(name)
    start = datetime.combine(FIRST_NIGHT, time(12), tzinfo=zone)
    end = datetime.combine(LAST_NIGHT, time(12), tzinfo=zone) + timedelta(days=1)
    in_range = [fire for fire in expected if start < fire.at < end]
    fires = walk(config_for(at, lead), zone, start, end)
    assert fires == in_range
    assert len(fires) > 2 * 365 * 5 / 7
    assert len({fire.night for fire in fires}) == len(fires), "one fire per night"
    assert all(fire.at.tzinfo is UTC for fire in fires)


@pytest.mark.parametrize(("name", "at", "gaps", "overlaps"), CASES)
def test_fires_at_the_set_time_unless_it_does_not_exist(name: str, at: time, gaps: int,
                                                         overlaps: int) -> None:
    zone = ZoneInfo(name)
    config = config_for(at, 0)
    start = datetime.combine(FIRST_NIGHT, time(12), tzinfo=zone)
    end = datetime.combine(LAST_NIGHT, time(12), tzinfo=zone) + timedelta(days=1)
    moved = 0
    for fire in walk(config, zone, start, end):
        wall = fire.at.astimezone(zone)
        configured = config.times[fire.night.weekday()]
        assert configured is not None
        if wall.time() != configured:
            moved += 1
            intended = datetime.combine(wall.date(), configured)
            assert not tz.datetime_exists(intended, tz=tz.gettz(name))
            assert intended < wall.replace(tzinfo=None) <= intended + timedelta(hours=1)
        elif tz.datetime_ambiguous(wall.replace(tzinfo=None), tz=tz.gettz(name)):
            assert wall.fold == 0
    assert moved == gaps


def test_the_documented_examples() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    lord_howe = ZoneInfo("Australia/Lord_Howe")
    cases = [
        (berlin, time(2, 30), date(2026, 3, 28), datetime(2026, 3, 29, 3, 0)),
        (lord_howe, time(2, 15), date(2026, 10, 3), datetime(2026, 10, 4, 2, 30)),
    ]
    for zone, at, night, wall in cases:
        config = ReminderConfig(enabled=True, times=(at,) * 7)
        before = datetime.combine(night, time(12), tzinfo=zone)
        fire = next_fire(config, NightState(), before, zone)
        assert fire is not None and fire.night == night
        assert fire.at.astimezone(zone).replace(tzinfo=None) == wall
