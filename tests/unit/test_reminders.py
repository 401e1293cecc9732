"""The reminder's record on disk and the order of operations around it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coach.core.notices import Notices
from coach.core.reminders import (
    KEEP_NIGHTS,
    Reminders,
    ReminderStateStore,
    prune,
    state_from_dict,
    state_to_dict,
)
from coach.core.schedule import NightState, ReminderConfig, Snooze
from tests.fakes.clock import FakeClock

BERLIN = ZoneInfo("Europe/Berlin")
CONFIG = ReminderConfig(enabled=True, times=(time(22, 0),) * 7)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=BERLIN).astimezone(timezone.utc)


def test_state_round_trips_through_json() -> None:
    state = NightState(fired=frozenset({date(2026, 3, 1)}), done=frozenset({date(2026, 3, 2)}),
                       skipped=frozenset({date(2026, 3, 3)}), missed=frozenset({date(2026, 3, 4)}),
                       snooze=Snooze(date(2026, 3, 1), 2, at(1, 22, 10)),
                       paused_until=at(5, 6), settled_until=at(4, 23))
    assert state_from_dict(json.loads(json.dumps(state_to_dict(state)))) == state


def test_old_nights_are_pruned() -> None:
    today = date(2026, 6, 1)
    old = today - timedelta(days=KEEP_NIGHTS + 1)
    state = prune(NightState(fired=frozenset({old, today})), today)
    assert state.fired == {today}


def test_store_sets_a_corrupt_file_aside(tmp_path: Path) -> None:
    path = tmp_path / "reminders.json"
    path.write_text("{not json")
    notices = Notices()
    state = ReminderStateStore(path, notices, FakeClock()).load()
    assert state == NightState()
    assert not path.exists()
    assert len(list(tmp_path.glob("reminders.json.corrupt-*"))) == 1
    assert "not readable" in notices.pending()[0].text


@pytest.mark.parametrize("count", ["1e999", "Infinity", "NaN", "2.5", '"2"', "true"])
def test_a_snooze_count_that_is_not_a_whole_number_sets_the_file_aside(
        tmp_path: Path, count: str) -> None:
    """1e999 had stopped the app from starting (an OverflowError in int())."""
    path = tmp_path / "reminders.json"
    path.write_text('{"version": 1, "snooze": {"night": "2026-11-30", "count": '
                    + count + ', "until": null}}')
    notices = Notices()
    assert ReminderStateStore(path, notices, FakeClock()).load() == NightState()
    assert len(list(tmp_path.glob("reminders.json.corrupt-*"))) == 1
    assert "not readable" in notices.pending()[0].text


def test_store_saves_atomically_and_reports_failure(tmp_path: Path) -> None:
    store = ReminderStateStore(tmp_path / "state" / "reminders.json", Notices(), FakeClock())
    assert store.save(NightState(fired=frozenset({date(2026, 1, 5)})))
    assert store.load().fired == {date(2026, 1, 5)}
    blocked = tmp_path / "file"
    blocked.write_text("x")
    notices = Notices()
    assert not ReminderStateStore(blocked / "r.json", notices, FakeClock()).save(NightState())
    assert notices.pending()[0].level == "error"


def test_fire_snooze_limit_and_done() -> None:
    reminders = Reminders(CONFIG, NightState(settled_until=at(2, 12)), BERLIN)
    fire = reminders.next_fire(at(2, 12))
    assert fire is not None and fire.at == at(2, 22)
    reminders.fired(fire)
    for _ in range(3):
        assert reminders.snooze(10, at(2, 22, 1)).kind == "snoozed"
    assert not reminders.can_snooze(at(2, 22, 40))
    reminders.routine_done(at(2, 22, 45))
    follow = reminders.next_fire(at(2, 22, 46))
    assert follow is not None and follow.night == date(2026, 3, 3)


def test_a_routine_done_before_bedtime_cancels_that_night() -> None:
    reminders = Reminders(CONFIG, NightState(settled_until=at(2, 12)), BERLIN)
    reminders.sync_done([at(2, 21)])
    fire = reminders.next_fire(at(2, 21, 5))
    assert fire is not None and fire.night == date(2026, 3, 3)


DAY_SLEEPER = ReminderConfig(enabled=True, times=(time(7, 0),) * 7, lead_minutes=90)
"""Bed at 07:00 after a night shift, reminded at 05:30: before 06:00, the day
break, of the bedtime's own date."""


@pytest.mark.parametrize("answer", ["skip", "done"])
def test_a_day_sleepers_skip_or_routine_before_the_reminder_cancels_it(answer: str) -> None:
    """A time audit's case: at 05:00 these marked the night before, already
    over, and the 05:30 reminder came all the same."""
    reminders = Reminders(DAY_SLEEPER, NightState(settled_until=at(2, 12)), BERLIN)
    if answer == "skip":
        reminders.skip_tonight(at(3, 5))
    else:
        reminders.routine_done(at(3, 5))
    fire = reminders.next_fire(at(3, 5, 1))
    assert fire is not None and fire.at == at(4, 5, 30)


def test_a_day_sleepers_reminder_can_be_snoozed() -> None:
    """Snooze at 05:31 was refused: "no reminder to snooze for that night"."""
    reminders = Reminders(DAY_SLEEPER, NightState(settled_until=at(2, 12)), BERLIN)
    fire = reminders.next_fire(at(3, 5))
    assert fire is not None and fire.at == at(3, 5, 30) and fire.night == date(2026, 3, 3)
    reminders.fired(fire)
    assert reminders.can_snooze(at(3, 5, 31))
    assert reminders.snooze(10, at(3, 5, 31)).night == date(2026, 3, 3)
    follow = reminders.next_fire(at(3, 5, 32))
    assert follow is not None and follow.kind == "snooze" and follow.at == at(3, 5, 41)


def test_sleeping_through_bedtime_gives_one_late_reminder_then_none() -> None:
    reminders = Reminders(CONFIG, NightState(settled_until=at(2, 21)), BERLIN)
    late, outcomes = reminders.catch_up(at(2, 23))
    assert late is not None and late.kind == "late"
    assert [o.kind for o in outcomes] == ["fired"]
    again, _ = reminders.catch_up(at(2, 23, 30))
    assert again is None


def test_sleeping_past_the_grace_window_records_a_missed_night() -> None:
    reminders = Reminders(CONFIG, NightState(settled_until=at(2, 21)), BERLIN)
    late, outcomes = reminders.catch_up(at(3, 7))
    assert late is None
    assert [(o.kind, o.night) for o in outcomes] == [("missed", date(2026, 3, 2))]


def test_a_record_from_a_newer_version_is_left_untouched_and_never_overwritten(
        tmp_path: Path) -> None:
    folder = tmp_path / "state"
    folder.mkdir()
    path = folder / "reminders.json"
    original = json.dumps({"version": 2, "fired": ["2026-03-01"], "hologram": True},
                          indent=4).encode()
    path.write_bytes(original)
    mtime = path.stat().st_mtime_ns
    notices = Notices()
    store = ReminderStateStore(path, notices, FakeClock())

    assert store.load() == NightState()
    assert store.read_only
    assert store.save(NightState(fired=frozenset({date(2026, 1, 5)}))) is False
    assert store.save(NightState()) is False

    assert path.read_bytes() == original and path.stat().st_mtime_ns == mtime
    assert [p.name for p in folder.iterdir()] == ["reminders.json"]
    shown = notices.pending()
    assert len(shown) == 1
    assert "newer" in shown[0].text and "left untouched" in shown[0].text
    assert str(path) in shown[0].text


def test_an_oversized_record_is_set_aside_unread(tmp_path: Path) -> None:
    path = tmp_path / "reminders.json"
    path.write_bytes(b'{"version": 1, "fired": [' + b'"2026-01-01", ' * 100_000 + b"]}")
    notices = Notices()
    store = ReminderStateStore(path, notices, FakeClock())
    assert store.load() == NightState()
    assert not path.exists() and len(list(tmp_path.glob("reminders.json.corrupt-*"))) == 1
    assert "too large" in notices.pending()[0].text
    assert store.save(NightState()) and not store.read_only


def test_an_update_starts_from_the_record_on_disk_now(tmp_path: Path) -> None:
    """A change from another process (``cramp-coach reminder`` with the app
    closed) keeps what was saved since this store last read the file."""
    path = tmp_path / "reminders.json"
    clock = FakeClock()
    command = ReminderStateStore(path, Notices(), clock)
    command.load()
    app = ReminderStateStore(path, Notices(), clock)
    skipped = frozenset({date(2026, 3, 10)})
    assert app.save(NightState(skipped=skipped))
    assert command.update_with(lambda state: replace(state, settled_until=clock.wall()))
    assert ReminderStateStore(path, Notices(), clock).load() == NightState(
        skipped=skipped, settled_until=clock.wall())


def test_an_update_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "state"
    blocker.write_text("a file where the state folder belongs")
    notices = Notices()
    store = ReminderStateStore(blocker / "reminders.json", notices, FakeClock())
    assert not store.update_with(lambda state: state)
    assert "could not be saved" in notices.pending()[0].text
