"""Schema history: a diary written by any earlier version opens without losing
a row, a failed migration leaves the previous version whole, and a diary from
a newer version is refused untouched."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from coach.core import diary as diary_module
from coach.core.diary import (
    APPLICATION_ID,
    LATEST_VERSION,
    MIGRATIONS,
    Diary,
    DiaryError,
    Episode,
    ReminderEvent,
    RoutineSession,
    migrate,
)

UTC = timezone.utc

# Rows as each version's own schema stores them, written with plain SQL so they
# stay valid for that version whatever later versions change. Every version
# must add rows here: the test below fails until it does.
ROWS: dict[int, tuple[str, ...]] = {
    1: (
        "INSERT INTO routine_sessions (started, routine_id, routine_title, completed, "
        "duration_s) VALUES ('2026-01-04T21:30:00.000000+00:00', 'bedtime', "
        "'Bedtime stretch', 1, 312.5)",
        "INSERT INTO routine_sessions (started, routine_id, routine_title, completed, "
        "duration_s) VALUES ('2026-01-05T21:45:10.250000+00:00', 'bedtime', "
        "'Étirements', 0, 40.0)",
    ),
    2: (
        "INSERT INTO episodes (started, duration_s, place, side, severity, steps_used, helped, "
        "triggers, medicines, medicine_note, symptoms, notes) VALUES "
        "('2026-01-05T03:10:00.000000+00:00', 95.5, 'calf', 'left', 7, 'flex-foot stand-lean', "
        "'stand-lean', 'hard_day heat', 'other statin', 'quinine', 'numbness', "
        "'Судорога 😖')",
        "INSERT INTO episodes (started, duration_s, place, side) VALUES "
        "('2026-01-06T04:00:00.000000+00:00', 20.0, 'foot', 'unknown')",
    ),
    3: (
        "INSERT INTO reminder_events (night, kind, at) VALUES "
        "('2026-01-05', 'fired', '2026-01-05T21:00:00.000000+00:00')",
        "INSERT INTO reminder_events (night, kind, at) VALUES "
        "('2026-01-05', 'done', '2026-01-05T21:50:00.000000+00:00')",
    ),
    4: (
        "UPDATE episodes SET steps_other_way = 'stand-lean' WHERE id = 1",
    ),
}

SESSIONS = [
    RoutineSession(started=datetime(2026, 1, 5, 21, 45, 10, 250000, tzinfo=UTC),
                   routine_id="bedtime", routine_title="Étirements", completed=False,
                   duration_s=40.0, id=2),
    RoutineSession(started=datetime(2026, 1, 4, 21, 30, tzinfo=UTC), routine_id="bedtime",
                   routine_title="Bedtime stretch", completed=True, duration_s=312.5, id=1),
]
EPISODES = [
    Episode(started=datetime(2026, 1, 6, 4, 0, tzinfo=UTC), duration_s=20.0, place="foot",
            side="unknown", id=2),
    Episode(started=datetime(2026, 1, 5, 3, 10, tzinfo=UTC), duration_s=95.5, place="calf",
            side="left", severity=7, steps_used=("flex-foot", "stand-lean"),
            helped="stand-lean", triggers=frozenset({"hard_day", "heat"}),
            medicines=frozenset({"statin", "other"}), medicine_note="quinine",
            symptoms=frozenset({"numbness"}), notes="Судорога 😖", id=1),
]


def episodes(version: int) -> list[Episode]:
    """:data:`EPISODES` as a diary of ``version`` holds them."""
    if version < 2:
        return []
    if version < 4:
        return EPISODES
    return [EPISODES[0], EPISODES[1]._replace(steps_other_way=frozenset({"stand-lean"}))]


EVENTS = [
    ReminderEvent(night=date(2026, 1, 5), kind="done",
                  at=datetime(2026, 1, 5, 21, 50, tzinfo=UTC), id=2),
    ReminderEvent(night=date(2026, 1, 5), kind="fired",
                  at=datetime(2026, 1, 5, 21, 0, tzinfo=UTC), id=1),
]


def build(path: Path, version: int) -> None:
    """A diary as version ``version`` of the app left it, with its rows."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, version)
    for number in range(1, version + 1):
        for statement in ROWS[number]:
            conn.execute(statement)
    conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_version_has_sample_rows() -> None:
    assert len(MIGRATIONS) == LATEST_VERSION
    assert set(ROWS) == set(range(1, LATEST_VERSION + 1))


@pytest.mark.parametrize("version", range(1, LATEST_VERSION))
def test_a_diary_from_every_earlier_version_migrates_without_losing_a_row(
        tmp_path: Path, version: int) -> None:
    path = tmp_path / "diary.sqlite3"
    build(path, version)

    with Diary.open(path) as opened:
        assert opened.notice is None
        assert opened.routine_sessions() == SESSIONS
        assert opened.episodes() == episodes(version)
        assert opened.reminder_events() == (EVENTS if version >= 3 else [])
        # Ids carry on after the migrated rows and the new tables work.
        added = opened.add_episode(EPISODES[0]._replace(id=None))
        assert added.id == (3 if version >= 2 else 1)

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_the_latest_version_opens_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "diary.sqlite3"
    build(path, LATEST_VERSION)
    with Diary.open(path) as opened:
        assert opened.episodes() == episodes(LATEST_VERSION)


def test_a_failing_migration_leaves_the_previous_version_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "diary.sqlite3"
    build(path, LATEST_VERSION)
    broken = ("CREATE TABLE half_done (x INTEGER)", "THIS IS NOT SQL")
    monkeypatch.setattr(diary_module, "MIGRATIONS", (*MIGRATIONS, broken))
    conn = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, LATEST_VERSION + 1)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in tables
    assert not conn.in_transaction
    conn.close()


@pytest.mark.parametrize("wal", [False, True], ids=["rollback-journal", "wal"])
def test_a_diary_from_a_newer_version_is_refused_and_left_untouched(
        tmp_path: Path, wal: bool) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "diary.sqlite3"
    build(path, LATEST_VERSION)
    conn = sqlite3.connect(path, isolation_level=None)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    # Every release from the one that introduced the id stamps it.
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    before = digest(path)

    with pytest.raises(DiaryError) as caught:
        Diary.open(path)

    message = str(caught.value)
    assert "newer version of Cramp Coach" in message
    assert f"diary format {LATEST_VERSION + 1}" in message
    assert "has not been changed" in message
    assert digest(path) == before
    assert [p.name for p in folder.iterdir()] == ["diary.sqlite3"]
