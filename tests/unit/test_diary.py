"""The diary store: round trips, validation, undo, ordering and filters."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from coach.core import diary as diary_module
from coach.core.diary import (
    LATEST_VERSION,
    Diary,
    DiaryError,
    Episode,
    ReminderEvent,
    RoutineSession,
)
from tests.fakes.clock import FakeClock

T0 = datetime(2026, 1, 5, 2, 30, tzinfo=timezone.utc)


def episode(minutes: int = 0, **changes: Any) -> Episode:
    base = Episode(started=T0 + timedelta(minutes=minutes), duration_s=95.5, place="calf",
                   side="left", severity=6, steps_used=("flex-foot", "stand-lean"),
                   helped="stand-lean", triggers=frozenset({"heat", "hard_day"}),
                   medicines=frozenset({"statin", "other"}), medicine_note="quinine",
                   symptoms=frozenset({"numbness"}), notes="woke at 3")
    return base._replace(**changes)


def session(minutes: int = 0, **changes: Any) -> RoutineSession:
    base = RoutineSession(started=T0 + timedelta(minutes=minutes), routine_id="bedtime",
                          routine_title="Bedtime stretch", completed=True, duration_s=312.25)
    return base._replace(**changes)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "cramp-coach" / "diary.sqlite3"


@pytest.fixture
def diary(path: Path) -> Iterator[Diary]:
    with Diary.open(path, clock=FakeClock()) as opened:
        yield opened


# -- opening ----------------------------------------------------------------


def test_open_creates_the_folder_and_a_wal_database_at_the_latest_version(path: Path) -> None:
    with Diary.open(path) as opened:
        assert opened.notice is None
        assert opened.path == path
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_entries_survive_closing_and_reopening(path: Path) -> None:
    with Diary.open(path) as first:
        stored = first.add_episode(episode())
    with Diary.open(path) as second:
        assert second.episodes() == [stored]


def test_a_folder_that_cannot_be_created_gives_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("x")
    with pytest.raises(DiaryError, match="can't create the folder"):
        Diary.open(tmp_path / "not-a-folder" / "diary.sqlite3")


# -- episodes ---------------------------------------------------------------


def test_add_returns_the_episode_with_its_id_and_it_round_trips(diary: Diary) -> None:
    stored = diary.add_episode(episode())
    assert stored.id is not None
    assert stored == episode()._replace(id=stored.id)
    assert diary.episode(stored.id) == stored


def test_an_id_passed_to_add_is_ignored(diary: Diary) -> None:
    first = diary.add_episode(episode(id=500))
    assert first.id != 500
    assert diary.episode(first.id or 0) == first


def test_times_come_back_as_aware_utc_for_the_same_instant(diary: Diary) -> None:
    local = datetime(2026, 7, 1, 4, 15, 30, 123456, tzinfo=timezone(timedelta(hours=2)))
    stored = diary.add_episode(episode(started=local))
    loaded = diary.episode(stored.id or 0).started
    assert loaded == local
    assert loaded.utcoffset() == timedelta(0)
    assert loaded.microsecond == 123456


def test_minimal_episode_round_trips_with_empty_optionals(diary: Diary) -> None:
    bare = Episode(started=T0, duration_s=0, place="other", side="unknown")
    stored = diary.add_episode(bare)
    loaded = diary.episode(stored.id or 0)
    assert loaded == bare._replace(id=stored.id)
    assert loaded.severity is None and loaded.helped is None
    assert loaded.steps_used == () and loaded.triggers == frozenset()


def test_the_steps_done_the_other_way_round_trip(diary: Diary) -> None:
    stored = diary.add_episode(episode(steps_other_way=frozenset({"stand-lean"})))
    assert diary.episode(stored.id or 0).steps_other_way == {"stand-lean"}


def test_steps_keep_their_order_and_repeats(diary: Diary) -> None:
    steps = ("stand-lean", "flex-foot", "walk", "flex-foot")
    stored = diary.add_episode(episode(steps_used=steps, helped="walk"))
    assert diary.episode(stored.id or 0).steps_used == steps


def test_unicode_notes_round_trip(diary: Diary) -> None:
    notes = "Судорога ночью 😖 — «икра», שלום\nsecond line\ttab \"quoted\", comma; 0\x00end"
    stored = diary.add_episode(episode(notes=notes, medicine_note="Хинин ✓"))
    loaded = diary.episode(stored.id or 0)
    assert loaded.notes == notes
    assert loaded.medicine_note == "Хинин ✓"


def test_episodes_are_newest_first_with_ties_broken_by_newest_id(diary: Diary) -> None:
    middle = diary.add_episode(episode(10))
    old = diary.add_episode(episode(0))
    new = diary.add_episode(episode(20))
    tie = diary.add_episode(episode(10))
    assert [e.id for e in diary.episodes()] == [new.id, tie.id, middle.id, old.id]


def test_date_filters_include_since_and_exclude_until(diary: Diary) -> None:
    stored = [diary.add_episode(episode(minutes)) for minutes in (0, 10, 20, 30)]
    since, until = T0 + timedelta(minutes=10), T0 + timedelta(minutes=30)
    assert diary.episodes(since=since, until=until) == [stored[2], stored[1]]
    assert diary.episodes(since=since) == [stored[3], stored[2], stored[1]]
    assert diary.episodes(until=until) == [stored[2], stored[1], stored[0]]
    # The filter compares instants, whatever zone the bounds are given in.
    plus_five = timezone(timedelta(hours=5))
    assert diary.episodes(since=since.astimezone(plus_five)) == diary.episodes(since=since)


def test_naive_filter_bounds_are_refused(diary: Diary) -> None:
    with pytest.raises(ValueError, match="since must be a timezone-aware datetime"):
        diary.episodes(since=datetime(2026, 1, 1))


@pytest.mark.parametrize("table, column, value", [
    ("episodes", "started", "2026-11-29 23:10"),  # no offset: naive
    ("episodes", "started", "yesterday night"),
    ("episodes", "started", 20261129),
    ("routine_sessions", "started", "2026-13-45T22:00:00+00:00"),
    ("reminder_events", "night", "Monday"),
    ("reminder_events", "at", 12),
])
def test_an_entry_edited_by_another_program_is_named_not_a_crash(
        diary: Diary, path: Path, table: str, column: str, value: object) -> None:
    """An audit's case: one hand-edited row broke the history screen and the
    report with a traceback. Reading the diary now says which entry it is."""
    diary.add_episode(episode())
    diary.add_routine_session(session())
    diary.add_reminder_event(ReminderEvent(date(2026, 1, 4), "done", T0))
    with closing(sqlite3.connect(path)) as other, other:
        other.execute(f"UPDATE {table} SET {column} = ? WHERE id = 1", (value,))
    reads: dict[str, Callable[[], object]] = {
        "episodes": diary.episodes, "routine_sessions": diary.routine_sessions,
        "reminder_events": diary.reminder_events}
    with pytest.raises(DiaryError) as refused:
        reads[table]()
    assert str(refused.value).startswith("Entry 1 in your diary was changed outside")
    assert str(path) in str(refused.value)


def test_update_replaces_every_field(diary: Diary) -> None:
    stored = diary.add_episode(episode())
    changed = stored._replace(started=T0 + timedelta(hours=1), duration_s=30, place="foot",
                              side="both", severity=None, steps_used=("walk",), helped=None,
                              triggers=frozenset({"cold"}), medicines=frozenset(),
                              medicine_note="", symptoms=frozenset(), notes="edited ✎")
    assert diary.update_episode(changed) == changed
    assert diary.episodes() == [changed]


def test_update_of_a_missing_episode_raises_key_error(diary: Diary) -> None:
    with pytest.raises(KeyError, match="no episode with id 42"):
        diary.update_episode(episode(id=42))
    with pytest.raises(KeyError):
        diary.update_episode(episode())


def test_delete_returns_what_was_deleted_and_restore_puts_it_back_with_the_same_id(
        diary: Diary) -> None:
    keep = diary.add_episode(episode(0))
    gone = diary.add_episode(episode(10, notes="to undo"))
    deleted = diary.delete_episode(gone.id or 0)
    assert deleted == gone
    assert diary.episodes() == [keep]
    with pytest.raises(KeyError):
        diary.episode(gone.id or 0)
    assert diary.restore_episode(deleted) == gone
    assert diary.episodes() == [gone, keep]


def test_ids_of_deleted_episodes_are_never_reused_so_undo_still_works(diary: Diary) -> None:
    newest = diary.add_episode(episode())
    deleted = diary.delete_episode(newest.id or 0)
    later = diary.add_episode(episode(5))
    assert (later.id or 0) > (newest.id or 0)
    diary.restore_episode(deleted)
    assert {e.id for e in diary.episodes()} == {newest.id, later.id}


def test_restore_refuses_an_episode_that_is_still_there_or_was_never_stored(
        diary: Diary) -> None:
    stored = diary.add_episode(episode())
    with pytest.raises(ValueError, match="is not deleted"):
        diary.restore_episode(stored)
    with pytest.raises(ValueError, match="only an entry that was stored"):
        diary.restore_episode(episode())
    assert diary.episodes() == [stored]


def test_delete_of_a_missing_episode_raises_key_error_and_changes_nothing(
        diary: Diary) -> None:
    stored = diary.add_episode(episode())
    with pytest.raises(KeyError, match="no episode with id 999"):
        diary.delete_episode(999)
    assert diary.episodes() == [stored]


@pytest.mark.parametrize(("changes", "message"), [
    ({"place": "knee"}, "place must be one of calf, foot, thigh-front, thigh-back, other"),
    ({"side": "middle"}, "side must be one of left, right, both, unknown"),
    ({"severity": 11}, "severity must be a whole number from 0 to 10"),
    ({"severity": -1}, "severity must be a whole number from 0 to 10"),
    ({"severity": 5.5}, "severity must be a whole number"),
    ({"severity": True}, "severity must be a whole number"),
    ({"duration_s": -1}, "duration_s must be a number of seconds, 0 or more"),
    ({"duration_s": math.nan}, "duration_s must be a number"),
    ({"duration_s": math.inf}, "duration_s must be a number"),
    ({"started": datetime(2026, 1, 5, 3)}, "started must be a timezone-aware datetime"),
    ({"triggers": frozenset({"stress"})}, "triggers must be chosen from hard_day, heat, "
                                          "little_water, new_shoes, cold; unknown: 'stress'"),
    ({"medicines": frozenset({"aspirin"})}, "medicines must be chosen from diuretic, statin"),
    ({"symptoms": frozenset({"pain"})}, "symptoms must be chosen from swelling, numbness"),
    ({"helped": "massage"}, "helped must be one of the steps used"),
    ({"steps_other_way": frozenset({"walk"})}, "steps_other_way must be a set of the steps "
                                               "used"),
    ({"steps_other_way": ("stand-lean",)}, "steps_other_way must be a set of the steps used"),
    ({"steps_used": ("stand lean",), "helped": None}, "steps_used must be a tuple of step ids"),
    ({"steps_used": ["walk"], "helped": None}, "steps_used must be a tuple of step ids"),
    ({"notes": None}, "notes must be text"),
    ({"medicine_note": 3}, "medicine_note must be text"),
])
def test_invalid_episodes_are_refused_with_a_clear_message(
        diary: Diary, changes: dict[str, Any], message: str) -> None:
    stored = diary.add_episode(episode())
    bad = episode(**changes)
    with pytest.raises(ValueError) as caught:
        diary.add_episode(bad)
    assert message in str(caught.value)
    with pytest.raises(ValueError):
        diary.update_episode(bad._replace(id=stored.id))
    assert diary.episodes() == [stored]


# -- routine sessions -------------------------------------------------------


def test_routine_sessions_round_trip_newest_first_and_filter(diary: Diary) -> None:
    done = diary.add_routine_session(session(0))
    stopped = diary.add_routine_session(session(60, completed=False, duration_s=40.0,
                                                routine_title="Étirements du soir"))
    assert diary.routine_sessions() == [stopped, done]
    assert diary.routine_sessions(since=T0 + timedelta(minutes=1)) == [stopped]
    assert diary.routine_sessions(until=T0 + timedelta(minutes=60)) == [done]


@pytest.mark.parametrize(("changes", "message"), [
    ({"routine_id": ""}, "routine_id must be a routine's id"),
    ({"completed": 1}, "completed must be True or False"),
    ({"duration_s": -5.0}, "duration_s must be a number of seconds"),
    ({"started": datetime(2026, 1, 1)}, "started must be a timezone-aware datetime"),
    ({"routine_title": None}, "routine_title must be text"),
])
def test_invalid_routine_sessions_are_refused(diary: Diary, changes: dict[str, Any],
                                              message: str) -> None:
    with pytest.raises(ValueError, match=message):
        diary.add_routine_session(session(**changes))
    assert diary.routine_sessions() == []


# -- reminder events --------------------------------------------------------


def test_reminder_events_round_trip_newest_night_first(diary: Diary) -> None:
    first = diary.add_reminder_event(ReminderEvent(night=date(2026, 1, 4), kind="fired",
                                                   at=T0 - timedelta(hours=5)))
    snooze = diary.add_reminder_event(ReminderEvent(night=date(2026, 1, 4), kind="snoozed",
                                                    at=T0 - timedelta(hours=4)))
    missed = diary.add_reminder_event(ReminderEvent(night=date(2026, 1, 5), kind="missed",
                                                    at=T0 + timedelta(hours=20)))
    assert first.id is not None
    assert diary.reminder_events() == [missed, snooze, first]
    assert diary.reminder_events(since=date(2026, 1, 5)) == [missed]


@pytest.mark.parametrize(("event", "message"), [
    (ReminderEvent(night=date(2026, 1, 4), kind="exploded", at=T0), "kind must be one of"),
    (ReminderEvent(night=date(2026, 1, 4), kind="done", at=datetime(2026, 1, 4, 22)),
     "at must be a timezone-aware datetime"),
    (ReminderEvent(night=T0, kind="done", at=T0), "night must be a date"),
])
def test_invalid_reminder_events_are_refused(diary: Diary, event: ReminderEvent,
                                             message: str) -> None:
    with pytest.raises(ValueError, match=message):
        diary.add_reminder_event(event)
    assert diary.reminder_events() == []


# -- error wording ----------------------------------------------------------


@pytest.mark.parametrize(("text", "wording"), [
    ("database is locked", "in use by another program"),
    ("attempt to write a readonly database", "read-only"),
    ("database or disk is full", "The disk is full"),
    ("file is not a database", "damaged"),
    ("something else entirely", "couldn't use your diary"),
])
def test_errors_without_a_code_are_worded_from_the_sqlite_message(
        text: str, wording: str) -> None:
    # Python 3.10's sqlite3 exceptions carry only the message; these are built
    # by hand, so they have no error code either.
    error = diary_module.diary_error(sqlite3.OperationalError(text), Path("d.sqlite3"))
    assert wording in str(error)
