"""The diary: cramp episodes, routine sessions and reminder outcomes in SQLite.

Health notes are kept for months and read back to a doctor, so the store errs
on the side of never losing a row:

* one ``BEGIN IMMEDIATE`` transaction per change, WAL journal and
  ``synchronous=FULL``, so a change that returned has reached the disk and a
  crash (or ``kill -9``) mid-write leaves the previous state intact;
* the schema moves forward through a frozen list of migrations, each applied
  in its own transaction together with ``PRAGMA user_version``, so a database
  written by any earlier release can be brought up to date, and one written by
  a newer release is refused instead of being downgraded or overwritten;
* a damaged file is moved aside (never deleted) and a fresh diary started, with
  a message the UI can show saying where the old file went;
* a SQLite database that another program wrote is refused and left exactly as
  it was (no WAL switch, no migration, no version written): ours carry
  :data:`APPLICATION_ID`, or, from releases before it, only our own schema;
* every SQLite failure reaches the caller as a :class:`DiaryError` whose text
  can be shown to the user as is.

Times are stored as fixed-width ISO-8601 UTC text, so text order is time order
and the ``started`` indexes serve both range filters and newest-first lists.
"""

from __future__ import annotations

import math
import os
import reprlib
import sqlite3
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timezone
from functools import cache, lru_cache
from pathlib import Path
from types import TracebackType
from typing import Final, NamedTuple

from coach.core.atomic import move_aside
from coach.core.clock import Clock, SystemClock
from coach.core.i18n import _
from coach.core.notices import WordedError
from coach.core.safe_io import file_kind, kind_text

PLACES: Final = ("calf", "foot", "thigh-front", "thigh-back", "other")
SIDES: Final = ("left", "right", "both", "unknown")
TRIGGERS: Final = ("hard_day", "heat", "little_water", "new_shoes", "cold")
MEDICINES: Final = ("diuretic", "statin", "other")
SYMPTOMS: Final = ("swelling", "numbness", "weakness")
REMINDER_KINDS: Final = ("fired", "snoozed", "skipped", "done", "missed", "paused",
                          "resumed")
SEVERITY_MAX: Final = 10

# One entry per schema version, oldest first: MIGRATIONS[k - 1] takes a
# database from version k - 1 to k. Released entries are frozen: never edit
# one, append a new version instead (tests build every old version from this
# list and migrate it forward). Enumerations (place, side, trigger ids...) are
# checked in Python, not in CHECK constraints, so adding a value later does not
# need a table rebuild; AUTOINCREMENT keeps deleted ids from being reused, so
# undoing a delete can always put a row back under its old id.
MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
    # v1: routine sessions.
    (
        """CREATE TABLE routine_sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started TEXT NOT NULL,
            routine_id TEXT NOT NULL,
            routine_title TEXT NOT NULL,
            completed INTEGER NOT NULL CHECK (completed IN (0, 1)),
            duration_s REAL NOT NULL CHECK (duration_s >= 0)
        )""",
        "CREATE INDEX routine_sessions_started ON routine_sessions (started)",
    ),
    # v2: cramp episodes. The ordered steps and the three sets are stored in
    # the row as space-separated ids (ids never contain spaces): the history
    # list is then one indexed scan, where child tables cost a query each.
    (
        """CREATE TABLE episodes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started TEXT NOT NULL,
            duration_s REAL NOT NULL CHECK (duration_s >= 0),
            place TEXT NOT NULL,
            side TEXT NOT NULL,
            severity INTEGER CHECK (severity BETWEEN 0 AND 10),
            steps_used TEXT NOT NULL DEFAULT '',
            helped TEXT,
            triggers TEXT NOT NULL DEFAULT '',
            medicines TEXT NOT NULL DEFAULT '',
            medicine_note TEXT NOT NULL DEFAULT '',
            symptoms TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX episodes_started ON episodes (started)",
    ),
    # v3: reminder outcomes.
    (
        """CREATE TABLE reminder_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            night TEXT NOT NULL,
            kind TEXT NOT NULL,
            at TEXT NOT NULL
        )""",
        "CREATE INDEX reminder_events_night ON reminder_events (night)",
    ),
    # v4: which of an episode's steps were shown in their seated or lying
    # version, space-separated like steps_used; '' for every earlier entry.
    (
        "ALTER TABLE episodes ADD COLUMN steps_other_way TEXT NOT NULL DEFAULT ''",
    ),
)
LATEST_VERSION: Final = len(MIGRATIONS)
APPLICATION_ID: Final = 0x43524D50
"""``PRAGMA application_id`` of every diary: "CRMP" in ASCII (1129467216).
Set on every diary this version creates or opens, it tells our diary apart
from another program's SQLite file at the same path, which is refused rather
than given our tables. Diaries from releases before it have 0 there and are
recognised by their schema instead."""

_EPISODE_COLUMNS: Final = ("started, duration_s, place, side, severity, steps_used, "
                           "steps_other_way, helped, triggers, medicines, medicine_note, "
                           "symptoms, notes, id")
_PLACEHOLDERS: Final = ", ".join("?" * len(_EPISODE_COLUMNS.split(",")))
_SESSION_COLUMNS: Final = "started, routine_id, routine_title, completed, duration_s, id"

# SQLite primary result codes that decide what the user is told.
_PERM, _BUSY, _LOCKED, _READONLY, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 3, 5, 6, 8, 11, 13, 14, 26
# Python 3.10 exceptions carry only the message, whose wording SQLite keeps stable.
_MESSAGE_CODES: Final = (("database is locked", _BUSY), ("table is locked", _LOCKED),
                         ("readonly", _READONLY), ("malformed", _CORRUPT),
                         ("disk is full", _FULL), ("unable to open", _CANTOPEN),
                         ("not a database", _NOTADB))


class DiaryError(WordedError):
    """A storage problem, worded to be shown to the user as is."""


class _Damaged(DiaryError):
    """The file is not a usable SQLite database: it gets moved aside, not fixed."""


class Episode(NamedTuple):
    """One night cramp. ``steps_used`` keeps the order the steps were done in;
    ``steps_other_way`` are those shown in their seated or lying version, and
    ``helped`` is one of them. ``medicine_note`` names an "other" medicine.

    The records are NamedTuples rather than frozen dataclasses because the
    history list builds 10,000 of them at once, and a frozen dataclass's
    ``__init__`` is about ten times slower. Build them with keywords.
    """

    started: datetime
    duration_s: float
    place: str
    side: str
    severity: int | None = None
    steps_used: tuple[str, ...] = ()
    steps_other_way: frozenset[str] = frozenset()
    helped: str | None = None
    triggers: frozenset[str] = frozenset()
    medicines: frozenset[str] = frozenset()
    medicine_note: str = ""
    symptoms: frozenset[str] = frozenset()
    notes: str = ""
    id: int | None = None


class RoutineSession(NamedTuple):
    """One run of a routine; ``completed`` is False when it was stopped early."""

    started: datetime
    routine_id: str
    routine_title: str
    completed: bool
    duration_s: float
    id: int | None = None


class ReminderEvent(NamedTuple):
    """What happened to the bedtime reminder on one night (a local date)."""

    night: date
    kind: str
    at: datetime
    id: int | None = None


def damaged_notice(kept: Path) -> str:
    """What the person is told when :meth:`Diary.open` found the diary damaged
    and moved it to ``kept``."""
    return _("Your diary could not be read because the file is damaged. It was kept "
             "as {path} and a new, empty diary was started.").format(path=kept)


class Diary:
    """An open diary. Make one with :meth:`open`; use it from one thread."""

    def __init__(self, conn: sqlite3.Connection, path: Path, kept: Path | None) -> None:
        self._conn = conn
        self.path = path
        self.kept = kept
        """Where :meth:`open` moved a damaged diary before starting a new one."""

    @property
    def notice(self) -> str | None:
        """What the person is told about :attr:`kept`, in the current language."""
        return None if self.kept is None else damaged_notice(self.kept)

    @classmethod
    def open(cls, path: Path, *, clock: Clock | None = None,
             busy_timeout_s: float = 5.0) -> Diary:
        """Open or create the diary at ``path`` and bring its schema up to date.

        ``clock`` only names a damaged file moved aside; ``busy_timeout_s`` is
        how long to wait for another program's write before giving up.
        Raises :class:`DiaryError` if the diary is locked, read-only, from a
        newer version, or cannot be opened at all.
        """
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            reason = exc.strerror
            # Translators: {reason} is the system's reason, e.g. "Permission denied".
            raise DiaryError(lambda: _("Cramp Coach can't create the folder for your diary "
                                       "({folder}): {reason}.").format(
                folder=path.parent, reason=reason)) from exc
        _refuse_what_is_not_a_file(path)
        try:
            return cls(_connect(path, busy_timeout_s), path, None)
        except _Damaged:
            kept = _move_aside(path, (clock or SystemClock()).wall())
        return cls(_connect(path, busy_timeout_s), path, kept)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Diary:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    # -- episodes -----------------------------------------------------------

    def add_episode(self, episode: Episode) -> Episode:
        """Store a new episode (its ``id`` is ignored); returns it with its id."""
        with self._write():
            cursor = self._conn.execute(
                f"INSERT INTO episodes ({_EPISODE_COLUMNS}) VALUES ({_PLACEHOLDERS})",
                _episode_values(episode._replace(id=None)))
        return episode._replace(id=cursor.lastrowid)

    def update_episode(self, episode: Episode) -> Episode:
        """Replace the stored episode with the same id. Raises KeyError if gone."""
        values = _episode_values(episode)
        with self._write():
            cursor = self._conn.execute(
                f"UPDATE episodes SET ({_EPISODE_COLUMNS}) = ({_PLACEHOLDERS}) WHERE id = ?",
                (*values, episode.id))
            if cursor.rowcount == 0:
                raise KeyError(f"no episode with id {episode.id}")
        return episode

    def delete_episode(self, episode_id: int) -> Episode:
        """Delete an episode and return it, so :meth:`restore_episode` can undo."""
        with self._write():
            deleted = self._episode(episode_id)
            self._conn.execute("DELETE FROM episodes WHERE id = ?", (episode_id,))
        return deleted

    def restore_episode(self, episode: Episode) -> Episode:
        """Put a deleted episode back under its old id (ids are never reused)."""
        values = _episode_values(episode)
        with self._write():
            if self._exists("episodes", episode.id):
                raise ValueError(f"episode {episode.id} is not deleted, so it can't be restored")
            self._conn.execute(
                f"INSERT INTO episodes ({_EPISODE_COLUMNS}) VALUES ({_PLACEHOLDERS})", values)
        return episode

    def episode(self, episode_id: int) -> Episode:
        """The episode with this id. Raises KeyError if there is none."""
        with self._errors():
            return self._episode(episode_id)

    def episodes(self, since: datetime | None = None,
                 until: datetime | None = None) -> list[Episode]:
        """Episodes started at or after ``since`` and before ``until``, newest first."""
        where, params = _time_range("started", since, until)
        with self._errors():
            return self._load_episodes(where, params)

    # -- routine sessions ---------------------------------------------------

    def add_routine_session(self, session: RoutineSession) -> RoutineSession:
        """Store a new routine session (its ``id`` is ignored); returns it with its id."""
        with self._write():
            cursor = self._conn.execute(
                f"INSERT INTO routine_sessions ({_SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                _session_values(session._replace(id=None)))
        return session._replace(id=cursor.lastrowid)

    def routine_sessions(self, since: datetime | None = None,
                         until: datetime | None = None) -> list[RoutineSession]:
        """Sessions started at or after ``since`` and before ``until``, newest first."""
        where, params = _time_range("started", since, until)
        with self._errors():
            return self._load_sessions(where, params)

    # -- reminder events ----------------------------------------------------

    def add_reminder_event(self, event: ReminderEvent) -> ReminderEvent:
        """Record a reminder outcome (its ``id`` is ignored); returns it with its id."""
        _check_choice("kind", event.kind, REMINDER_KINDS)
        if not isinstance(event.night, date) or isinstance(event.night, datetime):
            raise ValueError(f"night must be a date, got {event.night!r}")
        at = _utc_text(event.at, "at")
        with self._write():
            cursor = self._conn.execute(
                "INSERT INTO reminder_events (night, kind, at) VALUES (?, ?, ?)",
                (event.night.isoformat(), event.kind, at))
        return event._replace(id=cursor.lastrowid)

    def reminder_events(self, since: date | None = None) -> list[ReminderEvent]:
        """Reminder outcomes for nights on or after ``since``, newest first."""
        where, params = ("", ()) if since is None else (" WHERE night >= ?", (since.isoformat(),))
        with self._errors():
            rows = self._conn.execute(
                f"SELECT night, kind, at, id FROM reminder_events{where} "
                "ORDER BY night DESC, at DESC, id DESC", params).fetchall()
        return [ReminderEvent(self._stored_night(night, row_id), kind,
                              self._stored_time(at, row_id), row_id)
                for night, kind, at, row_id in rows]

    # -- internals ----------------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn SQLite failures into messages a user can act on."""
        try:
            yield
        except sqlite3.Error as exc:
            raise diary_error(exc, self.path) from exc

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One change, one transaction: all of it is saved or none of it."""
        with self._errors(), _transaction(self._conn):
            yield

    def _exists(self, table: str, row_id: int | None) -> bool:
        if row_id is None:
            raise ValueError("only an entry that was stored (it has an id) can be restored")
        found = self._conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone()
        return found is not None

    def _episode(self, episode_id: int) -> Episode:
        found = self._load_episodes(" WHERE id = ?", (episode_id,))
        if not found:
            raise KeyError(f"no episode with id {episode_id}")
        return found[0]

    def _load_episodes(self, where: str, params: Sequence[object]) -> list[Episode]:
        rows = self._conn.execute(
            f"SELECT {_EPISODE_COLUMNS} FROM episodes{where} ORDER BY started DESC, id DESC",
            params)
        moment = self._stored_time
        return [Episode(moment(started, row_id), duration, place, side, severity,
                        _id_tuple(steps), _id_set(other_way), helped, _id_set(triggers),
                        _id_set(medicines), medicine_note, _id_set(symptoms), notes, row_id)
                for (started, duration, place, side, severity, steps, other_way, helped,
                     triggers, medicines, medicine_note, symptoms, notes, row_id) in rows]

    def _load_sessions(self, where: str, params: Sequence[object]) -> list[RoutineSession]:
        rows = self._conn.execute(
            f"SELECT {_SESSION_COLUMNS} FROM routine_sessions{where} "
            "ORDER BY started DESC, id DESC", params).fetchall()
        return [RoutineSession(self._stored_time(started, row_id), routine_id, title,
                               bool(completed), duration, row_id)
                for started, routine_id, title, completed, duration, row_id in rows]

    def _stored_time(self, text: object, row_id: int) -> datetime:
        """A time as this diary writes it: ISO 8601 with its offset. Anything
        else was written by another program (a hand edit in an SQLite tool),
        and comparing it with the diary's own times would fail further on."""
        try:
            moment = datetime.fromisoformat(text) if isinstance(text, str) else None
        except ValueError:
            moment = None
        if moment is None or moment.utcoffset() is None:
            raise self._unreadable(text, row_id)
        return moment

    def _stored_night(self, text: object, row_id: int) -> date:
        try:
            if isinstance(text, str):
                return date.fromisoformat(text)
        except ValueError:
            pass
        raise self._unreadable(text, row_id)

    def _unreadable(self, value: object, row_id: int) -> DiaryError:
        path, shown = self.path, reprlib.repr(value)
        # Translators: {entry} is a number; {value} the date as found in the file.
        return DiaryError(lambda: _(
            "Entry {entry} in your diary was changed outside Cramp Coach, and its date "
            "({value}) cannot be read. Correct or delete it with the program that changed it. "
            "({path})").format(entry=row_id, value=shown, path=path))


def migrate(conn: sqlite3.Connection, target: int = LATEST_VERSION) -> None:
    """Apply the migrations after the database's version, up to ``target``.

    Each version is its own transaction that re-reads the version first, so a
    crash leaves a whole earlier version and a second process migrating at the
    same moment does not apply a step twice.
    """
    while True:
        with _transaction(conn):
            version = _user_version(conn)
            if version >= target:
                return
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """IMMEDIATE takes the write lock up front, so a busy database fails at the
    start of a change rather than halfway through it."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _user_version(conn: sqlite3.Connection) -> int:
    return _pragma_int(conn, "user_version")


def _connect(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)
    except sqlite3.Error as exc:
        raise diary_error(exc, path) from exc
    try:
        _prepare(conn, path)
    except BaseException as exc:
        conn.close()
        if isinstance(exc, sqlite3.Error):
            raise diary_error(exc, path) from exc
        raise
    return conn


def _prepare(conn: sqlite3.Connection, path: Path) -> None:
    """Check, configure and migrate a fresh connection, changing nothing in a
    file that turns out to be someone else's, damaged or from a newer version:
    everything up to the version check only reads."""
    application_id = _pragma_int(conn, "application_id")
    version = _user_version(conn)
    if application_id != APPLICATION_ID and not (
            application_id == 0 and version <= LATEST_VERSION
            and _schema_names(conn) == _our_schema_names(version)):
        raise DiaryError(lambda: _(
            "The file where your diary belongs ({path}) is a database that another "
            "program wrote, not a Cramp Coach diary, so Cramp Coach left it as it is. "
            "Move it somewhere else, and Cramp Coach will start a new diary there.").format(
            path=path))
    if conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
        raise _Damaged(lambda: _("The diary file is damaged: {path}").format(path=path))
    if version > LATEST_VERSION:
        # Translators: {version} and {latest} are numbers of the diary's file format.
        raise DiaryError(lambda: _(
            "Your diary ({path}) was saved by a newer version of Cramp Coach (diary format "
            "{version}; this version understands up to {latest}). Please update "
            "Cramp Coach to use it. The diary has not been changed.").format(
            path=path, version=version, latest=LATEST_VERSION))
    # Off by default in SQLite; on from the start, so a later table that
    # references another is enforced from its first row.
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    # Find out now, not at the first save in the middle of the night, whether
    # we may write: rewrite the version inside a transaction and roll it back.
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f"PRAGMA user_version = {version}")
    finally:
        conn.execute("ROLLBACK")
    if application_id != APPLICATION_ID:  # new, or from a release before the id
        with _transaction(conn):
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrate(conn)


def _pragma_int(conn: sqlite3.Connection, name: str) -> int:
    value: int = conn.execute(f"PRAGMA {name}").fetchone()[0]
    return value


def _schema_names(conn: sqlite3.Connection) -> frozenset[str]:
    """Tables, indexes, views and triggers, leaving out SQLite's own
    (``sqlite_sequence`` and the like)."""
    rows = conn.execute("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' "
                        "ESCAPE '\\'").fetchall()
    return frozenset(name for (name,) in rows)


@cache
def _our_schema_names(version: int) -> frozenset[str]:
    """What a diary of ``version`` holds, built from the migrations themselves
    in memory, so it can never disagree with them."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn, version)
        return _schema_names(conn)
    finally:
        conn.close()


def _refuse_what_is_not_a_file(path: Path) -> None:
    """A pipe, a device or a folder where the diary belongs (perhaps through
    a link): SQLite would answer "disk I/O error" and, beside a link to a
    device, make its journal in /dev. Left as it is, and said plainly."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # none yet (a new diary), or SQLite says why it cannot open it
    if not stat.S_ISREG(mode):
        kind = file_kind(mode)
        # Translators: {kind} is what stands there instead, e.g. "a pipe" or "a folder".
        raise DiaryError(lambda: _("Your diary {path} is {kind}, not a regular file, so Cramp "
                                   "Coach left it as it is. Move it away, and a new diary will "
                                   "start there.").format(path=path, kind=kind_text(kind)))


def _move_aside(path: Path, now: datetime) -> Path:
    """Keep a damaged diary for recovery (:func:`~coach.core.atomic.move_aside`).
    Its WAL needs no moving: closing the connection already checkpointed or
    removed it, and SQLite deletes a WAL it finds beside a new, empty
    database rather than replaying it."""
    try:
        return move_aside(path, now)
    except OSError as exc:
        reason = exc.strerror
        # Translators: {reason} is the system's reason, e.g. "Permission denied".
        raise DiaryError(lambda: _("Your diary file is damaged and could not be moved aside "
                                   "to start a new one ({path}): {reason}.").format(
            path=path, reason=reason)) from exc


def _error_code(exc: sqlite3.Error) -> int:
    """The primary SQLite result code (from the message on Python 3.10)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(exc)
    return next((number for needle, number in _MESSAGE_CODES if needle in text), 0)


def diary_error(exc: sqlite3.Error, path: Path) -> DiaryError:
    """SQLite's failure worded for the person: by its error code, or where
    Python gives none (3.10), by its message."""
    code = _error_code(exc)
    if code in (_CORRUPT, _NOTADB):
        return _Damaged(lambda: _("Your diary file seems to be damaged ({path}). Restart Cramp "
                                  "Coach: it will keep the damaged file aside and start a new "
                                  "diary.").format(path=path))
    if code in (_BUSY, _LOCKED):
        return DiaryError(lambda: _("Your diary is in use by another program, perhaps another "
                                    "Cramp Coach window. Close it and try again. ({path})").format(
            path=path))
    if code in (_READONLY, _PERM, _CANTOPEN):
        return DiaryError(lambda: _("Cramp Coach can't save your diary because the file or its "
                                    "folder is read-only or not accessible: {path}. Check its "
                                    "permissions, or that the drive is connected and "
                                    "writable.").format(path=path))
    if code == _FULL:
        return DiaryError(lambda: _("The disk is full, so your diary can't be saved ({path}). "
                                    "Free some space and try again.").format(path=path))
    # Translators: {error} is SQLite's own message, in English.
    return DiaryError(lambda: _("Cramp Coach couldn't use your diary ({path}): {error}").format(
        path=path, error=exc))


def _utc_text(moment: datetime, name: str) -> str:
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {moment!r}")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _time_range(column: str, since: datetime | None,
                until: datetime | None) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if since is not None:
        clauses.append(f"{column} >= ?")
        params.append(_utc_text(since, "since"))
    if until is not None:
        clauses.append(f"{column} < ?")
        params.append(_utc_text(until, "until"))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _check_choice(name: str, value: object, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")


def _check_subset(name: str, values: Iterable[object], allowed: Sequence[str]) -> None:
    unknown = sorted(repr(value) for value in values if value not in allowed)
    if unknown:
        raise ValueError(f"{name} must be chosen from {', '.join(allowed)}; "
                         f"unknown: {', '.join(unknown)}")


def _check_duration(value: object) -> None:
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not math.isfinite(value) or value < 0):
        raise ValueError(f"duration_s must be a number of seconds, 0 or more; got {value!r}")


def _check_text(name: str, value: object) -> None:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, got {value!r}")


def _check_episode(episode: Episode) -> None:
    """Validate on the way in, so what the diary hands back is always usable."""
    _utc_text(episode.started, "started")
    _check_duration(episode.duration_s)
    _check_choice("place", episode.place, PLACES)
    _check_choice("side", episode.side, SIDES)
    severity = episode.severity
    if severity is not None and (isinstance(severity, bool) or not isinstance(severity, int)
                                 or not 0 <= severity <= SEVERITY_MAX):
        raise ValueError(f"severity must be a whole number from 0 to {SEVERITY_MAX} "
                         f"or left out; got {severity!r}")
    if not isinstance(episode.steps_used, tuple) or not all(
            isinstance(step, str) and step.split() == [step] for step in episode.steps_used):
        raise ValueError("steps_used must be a tuple of step ids (no spaces); "
                         f"got {episode.steps_used!r}")
    if episode.helped is not None and episode.helped not in episode.steps_used:
        raise ValueError(f"helped must be one of the steps used; got {episode.helped!r}")
    if not isinstance(episode.steps_other_way, frozenset) or not set(
            episode.steps_other_way) <= set(episode.steps_used):
        raise ValueError("steps_other_way must be a set of the steps used; "
                         f"got {episode.steps_other_way!r}")
    _check_subset("triggers", episode.triggers, TRIGGERS)
    _check_subset("medicines", episode.medicines, MEDICINES)
    _check_subset("symptoms", episode.symptoms, SYMPTOMS)
    _check_text("medicine_note", episode.medicine_note)
    _check_text("notes", episode.notes)


def _episode_values(episode: Episode) -> tuple[object, ...]:
    """The row for ``_EPISODE_COLUMNS``, validated on the way in."""
    _check_episode(episode)
    return (_utc_text(episode.started, "started"), float(episode.duration_s), episode.place,
            episode.side, episode.severity, " ".join(episode.steps_used),
            _ids_text(episode.steps_other_way), episode.helped, _ids_text(episode.triggers),
            _ids_text(episode.medicines), episode.medicine_note, _ids_text(episode.symptoms),
            episode.notes, episode.id)


def _ids_text(ids: frozenset[str]) -> str:
    return " ".join(sorted(ids))


# Stored id lists repeat a lot (a few steps, a handful of triggers), so each
# distinct text is parsed once: it takes a quarter off listing 10,000 episodes.
@lru_cache(maxsize=1024)
def _id_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


@lru_cache(maxsize=1024)
def _id_tuple(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _session_values(session: RoutineSession) -> tuple[object, ...]:
    """The row for ``_SESSION_COLUMNS``, validated on the way in."""
    started = _utc_text(session.started, "started")
    _check_duration(session.duration_s)
    if not isinstance(session.routine_id, str) or not session.routine_id:
        raise ValueError(f"routine_id must be a routine's id; got {session.routine_id!r}")
    _check_text("routine_title", session.routine_title)
    if not isinstance(session.completed, bool):
        raise ValueError(f"completed must be True or False; got {session.completed!r}")
    return (started, session.routine_id, session.routine_title, int(session.completed),
            float(session.duration_s), session.id)
