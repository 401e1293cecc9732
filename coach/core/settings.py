"""The user's settings: a small, versioned JSON file.

Repair policy. The file is normally written by us, so when one value in it is
wrong (hand-edited, or from a buggy build) that value alone falls back to its
default and the rest are kept: throwing away a whole safety profile because
the theme is misspelt would be worse than the misspelling. Inside a list or a
mapping only the bad entries are dropped, for the same reason. Unknown keys
are dropped too. Each repair produces a warning naming the setting, and the
store shows them together in one notice.

Only a file that cannot be settings at all (not UTF-8 JSON, not an object, no
valid version) is moved aside, so that nothing the user had is destroyed, and
a file from a newer version is left strictly alone.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import reprlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, cast

from coach.core.atomic import (
    STALE_TEMP_AGE,
    ReadOnlyFile,
    atomic_write_text,
    locked,
    move_aside,
    plain_reason,
    remove_leftovers,
)
from coach.core.clock import Clock
from coach.core.countries import COUNTRIES, OTHER, Contacts, contacts, default_country
from coach.core.early_settings import LANGUAGE_CODE, SETTINGS_VERSION, SIZE_LIMIT, THEMES
from coach.core.i18n import N_, _, ngettext
from coach.core.notices import Level, Notices, Wording, worded
from coach.core.safe_io import FileTooLarge, NotARegularFile, kind_text, read_regular, size_text

GET_READY_CHOICES = (3, 5, 10)


class _Unusable(ValueError):
    """The whole value is unusable, so the field falls back to its default."""


# A parser turns a raw value into the field's normalised (immutable) form plus
# notes about entries it had to drop, or raises _Unusable.
_Parser = Callable[[object], tuple[object, list[str]]]


def _one_of(choices: tuple[object, ...]) -> _Parser:
    def parse(value: object) -> tuple[object, list[str]]:
        # type() rather than ==, because True == 1 and 5.0 == 5.
        if not any(type(value) is type(c) and value == c for c in choices):
            # Translators: {choices} are the values allowed, as stored ("auto, day, night").
            raise _Unusable(_("expected one of {choices}").format(
                choices=", ".join(map(str, choices))))
        return value, []

    return parse


def _flag(value: object) -> tuple[object, list[str]]:
    if type(value) is not bool:
        raise _Unusable(_("expected true or false"))
    return value, []


def _strings(value: object) -> tuple[object, list[str]]:
    if not isinstance(value, (list, tuple, set, frozenset)):
        raise _Unusable(_("expected a list of names"))
    # Translators: {value} is a value found in the settings file and left out.
    notes = [_("dropped {value} (not a name)").format(value=_show(item))
             for item in value if not isinstance(item, str)]
    return frozenset(item for item in value if isinstance(item, str)), notes


def _text_map(check: Callable[[str], str | None]) -> _Parser:
    """``check`` says what is wrong with a value, or None when it is fine."""

    def parse(value: object) -> tuple[object, list[str]]:
        if not isinstance(value, Mapping):
            raise _Unusable(_("expected an object"))
        kept: dict[str, str] = {}
        notes: list[str] = []
        for key, item in value.items():
            problem = _("not text") if not isinstance(key, str) or not isinstance(item, str) \
                else check(item)
            if problem is None:
                kept[key] = item
            else:
                # Translators: {key} and {value} are an entry found in the settings file
                # and left out; {problem} says why, e.g. "not a date like 2026-10-01".
                notes.append(_("dropped {key}: {value} ({problem})").format(
                    key=_show(key), value=_show(item), problem=problem))
        return MappingProxyType(kept), notes

    return parse


def _short_text(limit: int, allowed: re.Pattern[str] | None = None,
                expected: str = "") -> _Parser:
    """One line of text typed by the person, at most ``limit`` characters;
    ``allowed`` (with ``expected``, the English sentence that says so, marked
    for the catalogue) narrows what it may hold."""

    def parse(value: object) -> tuple[object, list[str]]:
        if not isinstance(value, str) or "\n" in value or len(value) > limit:
            raise _Unusable(ngettext("expected one line of at most {n} character",
                                     "expected one line of at most {n} characters",
                                     limit).format(n=limit))
        if allowed is not None and not allowed.fullmatch(value):
            raise _Unusable(_(expected))
        return value.strip(), []

    return parse


def _iso_date(text: str) -> str | None:
    try:
        date.fromisoformat(text)
    except ValueError:
        return _("not a date like 2026-10-01")
    return None


def _json_object(value: object) -> tuple[object, list[str]]:
    """Opaque data owned by someone else (the reminder schedule validates its
    own); it only has to survive a JSON round trip, which also deep-copies it."""
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise _Unusable(_("expected an object"))
    try:
        copied = json.loads(json.dumps(dict(value)))
    except (TypeError, ValueError, RecursionError) as error:  # nested past Python's stack
        # Translators: {error} is Python's own message, in English.
        raise _Unusable(_("not storable as JSON: {error}").format(error=error)) from error
    return MappingProxyType(copied), []


def _show(value: object) -> str:
    return reprlib.repr(value)


_PARSERS: dict[str, _Parser] = {
    "theme": _one_of(THEMES),
    "auto_advance": _flag,
    "sound": _flag,
    "voice": _flag,
    "get_ready_seconds": _one_of(GET_READY_CHOICES),
    "disclaimer_accepted": _flag,
    "tray_notice_shown": _flag,
    "autostart": _flag,
    "autostart_offered": _flag,
    "desktop_offered": _flag,
    "profile": _strings,
    "medicines_started": _text_map(_iso_date),
    "reminder": _json_object,
    "windows": _text_map(lambda _text: None),
    "seen_flags": _strings,
    "country": _one_of(("", *COUNTRIES, OTHER)),
    "emergency_numbers": _short_text(40, re.compile(r"[0-9+ ,]*"),
                                     N_("expected phone numbers: digits, spaces, '+' and "
                                        "commas")),
    "same_day_help": _short_text(120),
    "language": _short_text(3, LANGUAGE_CODE, N_("expected a language code such as ru")),
}


@dataclass(frozen=True)
class Settings:
    """Immutable, so a screen holding one can never see it change underneath
    it: changes go through :meth:`SettingsStore.update`, which makes a new one.
    Constructing one with a bad value raises, since that is a programming
    error; only :meth:`from_json` is forgiving, because files get hand-edited.
    """

    theme: Literal["auto", "day", "night"] = "auto"
    """With "auto", night runs from 20:00 to 08:00."""
    auto_advance: bool = True
    """Emergency steps advance by themselves when a hold ends."""
    sound: bool = True
    voice: bool = False
    get_ready_seconds: int = 5
    """3, 5 or 10."""
    disclaimer_accepted: bool = False
    """The one-time "not medical advice" notice has been acknowledged."""
    tray_notice_shown: bool = False
    autostart: bool = False
    autostart_offered: bool = False
    desktop_offered: bool = False
    """Adding Cramp Coach to the applications menu has been offered (once,
    on Linux, when pip or pipx installed it without a menu entry)."""
    profile: frozenset[str] = frozenset()
    """Safety-profile condition ids. Unknown ids are kept, not dropped: they
    may come from a newer version, and profile.parse_conditions ignores them."""
    medicines_started: Mapping[str, str] = field(default_factory=dict)
    """Medicine kind to the ISO date it was started, e.g. {"diuretic": "2026-10-01"}."""
    reminder: Mapping[str, object] = field(default_factory=dict)
    """Owned by the reminder schedule, stored as given. Only the top level is
    read-only; nested values are plain JSON data, copied on the way in."""
    windows: Mapping[str, str] = field(default_factory=dict)
    """Window-geometry blobs (base64 text) by window name."""
    seen_flags: frozenset[str] = frozenset()
    """Red flags that have already been shown once."""
    country: str = ""
    """Whose emergency numbers to show (a :data:`coach.core.countries.COUNTRIES`
    code, or "other"); "" follows the system locale's territory."""
    emergency_numbers: str = ""
    """With country "other": the numbers the person typed, e.g. "000"."""
    same_day_help: str = ""
    """With country "other": where to get help today, in the person's words."""
    language: str = ""
    """The app's language ("en", "ru"); "" follows the desktop's. A code
    without a catalogue here (set by a newer version) also follows it."""

    def contacts(self) -> Contacts:
        """The numbers every card shows: one place decides them."""
        return contacts(self.country or default_country(), self.emergency_numbers,
                        self.same_day_help)

    def __post_init__(self) -> None:
        for name, parse in _PARSERS.items():
            try:
                value, notes = parse(getattr(self, name))
            except _Unusable as error:
                raise ValueError(f"{name}: {error}") from None
            if notes:
                raise ValueError(f"{name}: " + "; ".join(notes))
            object.__setattr__(self, name, value)

    def to_json(self) -> dict[str, object]:
        """The whole document as written to disk, version included."""
        document: dict[str, object] = {"version": SETTINGS_VERSION}
        for name in _PARSERS:
            value = getattr(self, name)
            if isinstance(value, frozenset):
                value = sorted(value)
            elif isinstance(value, Mapping):
                value = dict(value)
            document[name] = value
        return document

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> tuple[Settings, list[str]]:
        """Repair rather than reject (see the module docstring). ``version`` is
        skipped: deciding what to do about it is the store's job."""
        values: dict[str, object] = {}
        warnings: list[str] = []
        for key, raw in data.items():
            if key == "version":
                continue
            parse = _PARSERS.get(key)
            if parse is None:
                # Translators: {name} is a setting's name as stored in the file.
                warnings.append(_("unknown setting {name} was dropped").format(
                    name=_show(key)))
                continue
            try:
                values[key], notes = parse(raw)
            except _Unusable as error:
                # Translators: {name} is a setting's name as stored in the file, {value}
                # the value found there, {problem} what was expected instead.
                warnings.append(_("'{name}' was reset to its default because {value} "
                                  "is not usable ({problem})").format(
                    name=key, value=_show(raw), problem=error))
                continue
            warnings.extend(f"'{key}': {note}" for note in notes)
        return cls(**cast(dict[str, Any], values)), warnings


class SettingsStore:
    """Loads and saves :class:`Settings`, and never raises for a file problem:
    every problem becomes one clear notice, and the app carries on with
    defaults, because settings are never worth failing to start over.

    Several processes share the file (the app saving its window placement,
    ``cramp-coach reminder set`` from a terminal), so every write holds the
    file's lock (:func:`coach.core.atomic.locked`), and :meth:`update_with`
    re-reads the file under that lock and changes only what it was asked to:
    a change another process made in the meantime is never undone by a copy
    this one read earlier.

    Files this store did not write are read through
    :func:`coach.core.safe_io.read_regular`: a pipe or a device (a symlink to
    ``/dev/zero``) would otherwise hang or fill memory. Such a file is left
    alone and never replaced; one over :data:`SIZE_LIMIT` is moved aside like
    any other unusable file. A read-only file is kept as the user made it:
    saving then fails with a notice (see :mod:`coach.core.atomic`).

    One store per thread: it is used by the thread that runs the UI (or the CLI).

    ``resident`` says what a change that could not be saved becomes: in the
    app it holds until the app closes; a command ends at once, so there it
    is simply not made, and the notice says so.
    """

    def __init__(self, path: Path, notices: Notices, clock: Clock, *,
                 resident: bool = True) -> None:
        self._path = path
        self._resident = resident
        self._notices = notices
        self._clock = clock
        self._current = Settings()
        self._refusal: tuple[Level, Wording, str] | None = None

    @property
    def read_only(self) -> bool:
        """True when saving would overwrite something we must not touch."""
        return self._refusal is not None

    @property
    def current(self) -> Settings:
        """The settings in effect: the last loaded, saved or updated ones."""
        return self._current

    def load(self) -> Settings:
        self._refusal = None
        remove_leftovers(self._path, self._clock.wall() - STALE_TEMP_AGE)
        loaded = self._read()
        self._current = Settings() if loaded is None else loaded
        return self._current

    def save(self, settings: Settings) -> bool:
        """Write ``settings`` as a whole. True when they are safely on disk. On
        False the app keeps using ``settings`` in memory; the user has already
        been told why. To change some fields, use :meth:`update` instead, which
        keeps what other processes wrote."""
        self._current = settings
        if self._refusal is not None:
            self._notices.post(*self._refusal)
            return False
        try:
            with self._locked():
                return self._write(settings)
        except OSError as error:
            self._report_save_failure(error)
            return False

    def update(self, **changes: object) -> Settings:
        """Apply ``changes`` to the settings on disk now and save. The new
        settings are returned even when saving fails, so the change still holds
        for this run. A misspelt or ill-typed change raises, as a programming
        error, and nothing is saved."""
        self.update_with(lambda settings: dataclasses.replace(
            settings, **cast(dict[str, Any], changes)))
        return self._current

    def update_with(self, change: Callable[[Settings], Settings]) -> bool:
        """Read-modify-write under the lock: ``change`` gets the settings as
        they are on disk now (or those in memory, when the file is missing or
        unusable) and returns the new ones, which are saved and become
        :attr:`current`. True when they reached the disk. An exception from
        ``change`` propagates and nothing is saved."""
        if self._refusal is not None:
            self._current = change(self._current)
            self._notices.post(*self._refusal)
            return False
        try:
            with self._locked():
                fresh = self._read()
                self._current = change(self._current if fresh is None else fresh)
                return self._write(self._current)
        except OSError as error:  # the folder or the lock file could not be made
            self._current = change(self._current)
            self._report_save_failure(error)
            return False

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with locked(self._path):
            yield

    def _write(self, settings: Settings) -> bool:
        """Only with the lock held."""
        if self._refusal is not None:  # the re-read found a file we must not replace
            self._notices.post(*self._refusal)
            return False
        text = json.dumps(settings.to_json(), sort_keys=True, indent=2) + "\n"
        try:
            atomic_write_text(self._path, text)
        except OSError as error:
            self._report_save_failure(error)
            return False
        return True

    def _report_save_failure(self, error: OSError) -> None:
        path, reason = self._path, plain_reason(error)
        read_only = isinstance(error, ReadOnlyFile)

        def text() -> str:
            if read_only:
                # Translators: the first sentence of a notice; what follows says what
                # became of the change.
                said = [_("Settings were not saved because {path} is read-only; Cramp Coach "
                          "left it as it is.").format(path=path)]
            else:
                # Translators: the first sentence of a notice; {reason} is the system's
                # reason, e.g. "Permission denied".
                said = [_("Settings could not be saved to {path}: {reason}.").format(
                    path=path, reason=reason)]
            if self._resident:
                said.append(_("Changes made now will last only until Cramp Coach closes."))
                if read_only:
                    said.append(_("To keep them, make the file writable."))
            else:
                said.append(_("Nothing was changed."))
                if read_only:
                    said.append(_("Make the file writable, then run the command again."))
            return " ".join(said)

        self._notices.post("error", text, key=f"settings-save:{type(error).__name__}:{error.errno}")

    def _read(self) -> Settings | None:
        """The settings in the file, or None when there are none to use (no
        file, or one that was set aside or refused, with a notice)."""
        try:
            raw = read_regular(self._path, SIZE_LIMIT)
        except FileNotFoundError:
            return None
        except NotARegularFile as error:
            if error.kind == "a folder":  # surely misplaced: keep it, out of the way
                self._set_aside(lambda: _("it is a folder"))
                return None
            kind = error.kind
            self._refuse(
                "warning",
                # Translators: {kind} is what stands there instead, e.g. "a pipe".
                lambda: _("The settings file {path} is {kind}, not a regular file, so "
                          "Cramp Coach did not read it and left it as it is. Default settings "
                          "are used for now, and changes will not be saved. Remove it, or put "
                          "a regular file there, to keep your settings.").format(
                    path=self._path, kind=kind_text(kind)),
                key="settings-special")
            return None
        except FileTooLarge as error:
            limit = error.limit
            # Translators: {size} is a file size, e.g. "1 MB".
            self._set_aside(lambda: _("it is too large (over {size})").format(
                size=size_text(limit)))
            return None
        except OSError as error:
            reason = plain_reason(error)
            if os.path.lexists(self._path):
                # Translators: {reason} is the system's reason, e.g. "Permission denied".
                self._set_aside(lambda: _("it could not be read: {reason}").format(
                    reason=reason))
                return None
            # Nothing to move aside (say, the folder is blocked by a file);
            # saving will report its own problem if it hits the same one.
            self._notices.post("warning", lambda: _(
                "Settings could not be read from {path} ({reason}); default settings are "
                "used.").format(path=self._path, reason=reason))
            return None
        try:
            document = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            self._set_aside(lambda: _("it is not text"))
            return None
        except (ValueError, RecursionError) as error:
            parser_said = str(error)
            # Translators: {error} is the JSON parser's own message, in English.
            self._set_aside(lambda: _("it is not valid JSON: {error}").format(
                error=parser_said))
            return None
        if not isinstance(document, dict):
            self._set_aside(lambda: _("it does not hold a JSON object"))
            return None
        version = document.get("version")
        if type(version) is not int or version < 1:
            self._set_aside(lambda: _("its format version is missing or invalid"))
            return None
        if version > SETTINGS_VERSION:
            self._refuse(
                "warning",
                # Translators: {version} and {latest} are numbers of the settings' file format.
                lambda: _("Settings were written by a newer Cramp Coach (settings format "
                          "{version}; this version understands up to {latest}); they were "
                          "left untouched in {path}. Default settings are used for now, and "
                          "changes will not be saved.").format(
                    version=version, latest=SETTINGS_VERSION, path=self._path),
                key="settings-newer")
            return None
        settings, warnings = Settings.from_json(document)
        if warnings:
            # Keyed by the problems, so re-reading the same file (every update
            # re-reads it) repeats nothing, while a new problem is still said.
            problems = "; ".join(warnings)
            self._notices.post(
                "warning",
                # Translators: {problems} lists what was repaired, separated by semicolons.
                lambda: _("Some settings in {path} were not usable and were reset to their "
                          "defaults; the rest were kept. {problems}.").format(
                    path=self._path, problems=problems), key=f"settings-repaired:{problems}")
        return settings

    def _set_aside(self, reason: Wording) -> None:
        """Keep the unusable file for the user (or a bug report) rather than
        overwriting it at the next save."""
        try:
            target = move_aside(self._path, self._clock.wall())
        except OSError as error:
            unmoved = plain_reason(error)
            self._refuse(
                "error",
                # Translators: {problem} says why the file is not usable, e.g. "it is
                # not text"; {reason} why it could not be moved.
                lambda: _("The settings file {path} is not usable ({problem}) and could not "
                          "be moved out of the way ({reason}). Default settings are used "
                          "for now, and changes will not be saved, so that file stays as it "
                          "is.").format(path=self._path, problem=worded(reason),
                                        reason=unmoved),
                key="settings-stuck")
            return
        # Not "Cramp Coach started with default settings": a command such as
        # "reminder set" meets the same file and starts nothing.
        self._notices.post(
            "warning",
            # Translators: {reason} says why the file is not usable, e.g. "it is not text".
            lambda: _("The settings file was not usable ({reason}), so default settings are "
                      "used. The old file was kept as {path}.").format(
                reason=worded(reason), path=target))

    def _refuse(self, level: Level, text: Wording, key: str) -> None:
        # Remembered so each later save can repost it: the shared key makes
        # the user see it once, however many saves are attempted.
        self._refusal = (level, text, key)
        self._notices.post(level, text, key=key)
