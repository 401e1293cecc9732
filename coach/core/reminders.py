"""The bedtime reminder as the app runs it: what has happened is kept on disk,
and every event goes through :class:`Reminders` in the order
:mod:`coach.core.schedule` requires (catch up first, record every fire).

The tray only arms one timer for :meth:`Reminders.next_fire` and shows what it
is told to; it never decides whether a night counts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from coach.core.atomic import (
    STALE_TEMP_AGE,
    atomic_write_text,
    locked,
    move_aside,
    remove_leftovers,
)
from coach.core.clock import Clock
from coach.core.i18n import _
from coach.core.notices import Notices, Wording, worded
from coach.core.safe_io import NotARegularFile, kind_text, read_regular
from coach.core.schedule import (
    Fire,
    NightState,
    ReminderConfig,
    Snooze,
    coming_night,
    mark_done,
    next_fire,
    overdue,
    pause_until_tomorrow,
    paused,
    record_fire,
    resume,
    skip_night,
    snooze,
    tonight,
)

BEDTIME_ROUTINE = "bedtime"
"""The routine whose completion means no reminder is needed that night."""

STATE_VERSION = 1
SIZE_LIMIT = 1_000_000
"""A real record is well under 10 kB (it keeps 60 nights)."""
KEEP_NIGHTS = 60
"""Nights older than this no longer matter to any rule; keeping them would only
grow the file by a date a night."""


def state_to_dict(state: NightState) -> dict[str, object]:
    def days(values: frozenset[date]) -> list[str]:
        return sorted(d.isoformat() for d in values)

    def moment(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    snoozed = state.snooze
    return {
        "version": STATE_VERSION,
        "fired": days(state.fired), "done": days(state.done),
        "skipped": days(state.skipped), "missed": days(state.missed),
        "snooze": None if snoozed is None else {
            "night": snoozed.night.isoformat(), "count": snoozed.count,
            "until": moment(snoozed.until)},
        "paused_until": moment(state.paused_until),
        "settled_until": moment(state.settled_until),
    }


def state_from_dict(data: object) -> NightState:
    """Raises ValueError (or TypeError/KeyError) for anything malformed; the
    store treats every such file the same way."""
    if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
        raise ValueError("not a reminder state file of a version this app reads")

    def days(key: str) -> frozenset[date]:
        return frozenset(date.fromisoformat(v) for v in data.get(key, []))

    def moment(value: object) -> datetime | None:
        return None if value is None else datetime.fromisoformat(str(value))

    def count(value: object) -> int:
        # Only a whole number: int() would take "3", 2.7, and 1e999 (which it
        # cannot convert, with an OverflowError that no caller expects).
        if type(value) is not int:
            raise ValueError(f"a snooze count must be a whole number, not {value!r}")
        return value

    raw = data.get("snooze")
    snoozed = None if raw is None else Snooze(date.fromisoformat(raw["night"]),
                                              count(raw["count"]), moment(raw["until"]))
    return NightState(fired=days("fired"), done=days("done"), skipped=days("skipped"),
                      missed=days("missed"), snooze=snoozed,
                      paused_until=moment(data.get("paused_until")),
                      settled_until=moment(data.get("settled_until")))


def prune(state: NightState, today: date) -> NightState:
    cutoff = today - timedelta(days=KEEP_NIGHTS)

    def recent(values: frozenset[date]) -> frozenset[date]:
        return frozenset(d for d in values if d >= cutoff)

    return replace(state, fired=recent(state.fired), done=recent(state.done),
                   skipped=recent(state.skipped), missed=recent(state.missed))


class ReminderStateStore:
    """A small JSON file in the state folder, written atomically. An unusable
    file (damaged, or too large to be ours) is moved aside with a notice; a
    fresh state then simply means no late reminder and no missed night until
    the next bedtime.

    Two kinds of file are left exactly as they are, and never replaced: one
    written by a newer version (it may hold what that version needs; this one
    carries on with a fresh state in memory), and a pipe or a device standing
    where the file should be (reading it could hang or never end). Saving then
    returns False, with one notice.

    The app writes it, and so does ``cramp-coach reminder`` when no app is
    running (:meth:`update_with`), so, as for the settings, every write holds
    the file's lock (:func:`coach.core.atomic.locked`).
    """

    def __init__(self, path: Path, notices: Notices, clock: Clock) -> None:
        self._path = path
        self._notices = notices
        self._clock = clock
        self._refusal: Wording | None = None

    @property
    def read_only(self) -> bool:
        """True when the file on disk must not be replaced."""
        return self._refusal is not None

    def load(self) -> NightState:
        self._refusal = None
        remove_leftovers(self._path, self._clock.wall() - STALE_TEMP_AGE)
        try:
            raw = read_regular(self._path, SIZE_LIMIT)
        except FileNotFoundError:
            return NightState()
        except NotARegularFile as exc:
            if exc.kind == "a folder":
                return self._set_aside(lambda: _("it is a folder"))
            kind = exc.kind
            # Translators: {kind} is what stands there instead, e.g. "a pipe".
            return self._refuse(lambda: _("The reminder's record {path} is {kind}, not a "
                                          "regular file, so it was left as it is and not "
                                          "read. Reminders start afresh, and what happens to "
                                          "them will not be kept after Cramp Coach "
                                          "closes.").format(path=self._path,
                                                            kind=kind_text(kind)))
        except OSError as exc:
            return self._set_aside(exc.strerror or str(exc))
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            return self._set_aside(str(exc))
        version = data.get("version") if isinstance(data, dict) else None
        if type(version) is int and version > STATE_VERSION:
            # Translators: {version} and {latest} are numbers of the record's file format.
            return self._refuse(lambda: _(
                "The reminder's record {path} was written by a newer Cramp Coach (record "
                "format {version}; this version reads up to {latest}), so it was left "
                "untouched. Reminders start afresh, and what happens to them will not be "
                "kept after Cramp Coach closes.").format(
                path=self._path, version=version, latest=STATE_VERSION))
        try:
            return state_from_dict(data)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            return self._set_aside(str(exc))

    def save(self, state: NightState) -> bool:
        if self._refusal is not None:
            self._notices.post("warning", self._refusal, key="reminder-state-kept")
            return False
        try:
            with self._locked():
                self._write(state)
        except OSError as exc:
            self._report_save_failure(exc)
            return False
        return True

    def update_with(self, change: Callable[[NightState], NightState]) -> bool:
        """Read-modify-write under the lock, for a process other than the app:
        ``change`` gets the state on disk now (a fresh one when the file is
        missing or unusable, which :meth:`load` has then reported and, if
        damaged, moved aside). True when the new state reached the disk."""
        try:
            with self._locked():
                state = change(self.load())
                if self.read_only:  # as load() has just said
                    return False
                self._write(state)
        except OSError as exc:
            self._report_save_failure(exc)
            return False
        return True

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with locked(self._path):
            yield

    def _write(self, state: NightState) -> None:
        """Only with the lock held."""
        today = self._clock.wall().date()
        atomic_write_text(self._path, json.dumps(state_to_dict(prune(state, today)), indent=2))

    def _report_save_failure(self, exc: OSError) -> None:
        reason = exc.strerror or str(exc)
        # Translators: {reason} is the system's reason, e.g. "Permission denied".
        self._notices.post("error", lambda: _("The reminder's record could not be saved "
                                              "to {path} ({reason}); a reminder may come "
                                              "again after a restart.").format(
            path=self._path, reason=reason), key=f"reminder-state-{exc.errno}")

    def _refuse(self, text: Wording) -> NightState:
        self._refusal = text
        self._notices.post("warning", text, key="reminder-state-kept")
        return NightState()

    def _set_aside(self, reason: Wording) -> NightState:
        try:
            target = move_aside(self._path, self._clock.wall())
        except OSError:
            def text() -> str:
                # Translators: {reason} says why, e.g. "it is a folder" or the parser's message.
                return _("The reminder's record was not readable ({reason}) and was left in "
                         "place; reminders start afresh.").format(reason=worded(reason))
        else:
            def text() -> str:
                return _("The reminder's record was not readable ({reason}) and was kept as "
                         "{path}; reminders start afresh.").format(reason=worded(reason),
                                                                   path=target)
        self._notices.post("warning", text, key="reminder-state-aside")
        return NightState()


@dataclass(frozen=True)
class Outcome:
    """What a call did, for the diary's reminder history and for the screen."""

    kind: str
    night: date


class Reminders:
    def __init__(self, config: ReminderConfig, state: NightState, zone: tzinfo) -> None:
        self.config = config
        self.state = state
        self.zone = zone

    def catch_up(self, now: datetime) -> tuple[Fire | None, list[Outcome]]:
        """After start, wake, a clock jump or a zone change: the late reminder
        to show now, if any, and the nights newly missed."""
        result = overdue(self.config, self.state, now, self.zone)
        self.state = result.state
        outcomes = [Outcome("missed", night) for night in result.missed]
        if result.late is not None:
            outcomes.append(Outcome("fired", result.late.night))
        return result.late, outcomes

    def next_fire(self, now: datetime) -> Fire | None:
        return next_fire(self.config, self.state, now, self.zone)

    def fired(self, fire: Fire) -> Outcome:
        self.state = record_fire(self.state, fire)
        return Outcome("fired", fire.night)

    def snooze(self, minutes: int, now: datetime) -> Outcome:
        """Raises ValueError with a message for the user (limit reached, ...)."""
        night = self.current_night(now)
        self.state = snooze(self.state, night, minutes, now)
        return Outcome("snoozed", night)

    def skip_tonight(self, now: datetime) -> Outcome:
        night = coming_night(self.config, now, self.zone)
        self.state = skip_night(self.state, night)
        return Outcome("skipped", night)

    def pause_until_tomorrow(self, now: datetime) -> Outcome:
        self.state = pause_until_tomorrow(self.state, now, self.zone)
        return Outcome("paused", tonight(now, self.zone))

    def resume(self, now: datetime) -> Outcome:
        self.state = resume(self.state)
        return Outcome("resumed", tonight(now, self.zone))

    def paused(self, now: datetime) -> bool:
        return paused(self.state, now)

    def routine_done(self, finished: datetime) -> Outcome:
        night = coming_night(self.config, finished, self.zone)
        self.state = mark_done(self.state, night)
        return Outcome("done", night)

    def sync_done(self, finished: Iterable[datetime]) -> None:
        """Mark the nights of completed bedtime routines found in the diary, so
        a routine done before the app started still cancels tonight's reminder."""
        for moment in finished:
            self.state = mark_done(self.state, coming_night(self.config, moment, self.zone))

    def current_night(self, now: datetime) -> date:
        """The night a button press is about: the last shown reminder's, if it is
        tonight's or last night's (or tomorrow's, shown before its own day
        break: see :func:`coming_night`), else the coming night."""
        night = tonight(now, self.zone)
        shown = max((d for d in self.state.fired if d <= night + timedelta(days=1)),
                    default=None)
        if shown is not None and night - shown <= timedelta(days=1):
            return shown
        return coming_night(self.config, now, self.zone)

    def can_snooze(self, now: datetime) -> bool:
        night = self.current_night(now)
        try:
            snooze(self.state, night, 5, now)
        except ValueError:
            return False
        return True
