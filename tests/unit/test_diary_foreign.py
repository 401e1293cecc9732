"""Another program's SQLite file where the diary belongs is refused and left
exactly as it was; our own diaries, even from before the application id, open."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

import pytest

from coach.core.diary import (
    APPLICATION_ID,
    LATEST_VERSION,
    Diary,
    DiaryError,
    Episode,
    migrate,
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file in the folder: its content's digest and its mtime."""
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in folder.iterdir()}


def notes_app(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('not a diary')")
    conn.execute("PRAGMA user_version = 2")


def notes_app_with_wal(conn: sqlite3.Connection) -> None:
    notes_app(conn)
    conn.execute("PRAGMA journal_mode = WAL")


def stamped_by_another_app(conn: sqlite3.Connection) -> None:
    # Even our own table names do not make it ours when the id says otherwise.
    migrate(conn)
    conn.execute("PRAGMA application_id = 1234")


def our_tables_and_one_more(conn: sqlite3.Connection) -> None:
    migrate(conn)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")


def empty_tables_but_a_version(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA user_version = 2")


FOREIGN = {
    "another app": notes_app,
    "another app, WAL": notes_app_with_wal,
    "another application id": stamped_by_another_app,
    "an extra table": our_tables_and_one_more,
    "a version but no tables": empty_tables_but_a_version,
}


@pytest.mark.parametrize("build", FOREIGN.values(), ids=FOREIGN.keys())
def test_a_foreign_database_is_refused_and_left_byte_for_byte(
        folder: Path, build: Callable[[sqlite3.Connection], None]) -> None:
    path = folder / "diary.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    build(conn)
    conn.close()
    before = snapshot(folder)
    assert list(before) == ["diary.sqlite3"]  # no -wal or -shm to begin with

    with pytest.raises(DiaryError) as caught:
        Diary.open(path)

    message = str(caught.value)
    assert "another program" in message and str(path) in message
    assert "left it as it is" in message and "Move it" in message
    assert snapshot(folder) == before  # same bytes, same mtime, no -wal/-shm left
    with closing(sqlite3.connect(path)) as check:
        assert check.execute("PRAGMA application_id").fetchone()[0] in (0, 1234)


def test_a_new_diary_carries_the_application_id(folder: Path) -> None:
    path = folder / "diary.sqlite3"
    Diary.open(path).close()
    with closing(sqlite3.connect(path)) as check:
        assert check.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert int.from_bytes(b"CRMP", "big") == APPLICATION_ID


@pytest.mark.parametrize("version", range(LATEST_VERSION + 1))
def test_a_diary_from_before_the_application_id_opens_migrates_and_gets_it(
        folder: Path, version: int) -> None:
    path = folder / "diary.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, version)  # as that release left it: application_id 0
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0
    conn.close()

    episode = Episode(started=datetime(2026, 1, 5, 3, tzinfo=timezone.utc), duration_s=60,
                      place="calf", side="left")
    with Diary.open(path) as opened:
        assert opened.notice is None
        stored = opened.add_episode(episode)
    with Diary.open(path) as reopened:
        assert reopened.episodes() == [stored]
    with closing(sqlite3.connect(path)) as check:
        assert check.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert check.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION


def test_an_empty_file_is_a_new_diary(folder: Path) -> None:
    path = folder / "diary.sqlite3"
    path.touch()
    with Diary.open(path) as opened:
        assert opened.notice is None and opened.episodes() == []
