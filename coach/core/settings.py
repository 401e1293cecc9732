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
import reprlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, cast

from coach.core.atomic import aside_path, atomic_write_text, remove_leftovers
from coach.core.clock import Clock
from coach.core.notices import Level, Notices

SETTINGS_VERSION = 1
THEMES = ("auto", "day", "night")
GET_READY_CHOICES = (3, 5, 10)
STALE_TEMP_AGE = timedelta(hours=1)
"""Temporary files older than this are leftovers of a killed write, not a
write still in progress in another process."""


class _Unusable(ValueError):
    """The whole value is unusable, so the field falls back to its default."""


# A parser turns a raw value into the field's normalised (immutable) form plus
# notes about entries it had to drop, or raises _Unusable.
_Parser = Callable[[object], tuple[object, list[str]]]


def _one_of(choices: tuple[object, ...]) -> _Parser:
    def parse(value: object) -> tuple[object, list[str]]:
        # type() rather than ==, because True == 1 and 5.0 == 5.
        if not any(type(value) is type(c) and value == c for c in choices):
            raise _Unusable("expected one of " + ", ".join(map(str, choices)))
        return value, []

    return parse


def _flag(value: object) -> tuple[object, list[str]]:
    if type(value) is not bool:
        raise _Unusable("expected true or false")
    return value, []


def _strings(value: object) -> tuple[object, list[str]]:
    if not isinstance(value, (list, tuple, set, frozenset)):
        raise _Unusable("expected a list of names")
    notes = [f"dropped {_show(item)} (not a name)" for item in value if not isinstance(item, str)]
    return frozenset(item for item in value if isinstance(item, str)), notes


def _text_map(check: Callable[[str], str | None]) -> _Parser:
    """``check`` says what is wrong with a value, or None when it is fine."""

    def parse(value: object) -> tuple[object, list[str]]:
        if not isinstance(value, Mapping):
            raise _Unusable("expected an object")
        kept: dict[str, str] = {}
        notes: list[str] = []
        for key, item in value.items():
            problem = "not text" if not isinstance(key, str) or not isinstance(item, str) \
                else check(item)
            if problem is None:
                kept[key] = item
            else:
                notes.append(f"dropped {_show(key)}: {_show(item)} ({problem})")
        return MappingProxyType(kept), notes

    return parse


def _iso_date(text: str) -> str | None:
    try:
        date.fromisoformat(text)
    except ValueError:
        return "not a date like 2026-10-01"
    return None


def _json_object(value: object) -> tuple[object, list[str]]:
    """Opaque data owned by someone else (the reminder schedule validates its
    own); it only has to survive a JSON round trip, which also deep-copies it."""
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise _Unusable("expected an object")
    try:
        copied = json.loads(json.dumps(dict(value)))
    except (TypeError, ValueError) as error:
        raise _Unusable(f"not storable as JSON: {error}") from error
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
    "profile": _strings,
    "medicines_started": _text_map(_iso_date),
    "reminder": _json_object,
    "windows": _text_map(lambda _text: None),
    "seen_flags": _strings,
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
                warnings.append(f"unknown setting {_show(key)} was dropped")
                continue
            try:
                values[key], notes = parse(raw)
            except _Unusable as error:
                warnings.append(f"'{key}' was reset to its default because {_show(raw)} "
                                f"is not usable ({error})")
                continue
            warnings.extend(f"'{key}': {note}" for note in notes)
        return cls(**cast(dict[str, Any], values)), warnings


class SettingsStore:
    """Loads and saves :class:`Settings`, and never raises for a file problem:
    every problem becomes one clear notice, and the app carries on with
    defaults, because settings are never worth failing to start over.

    Not thread-safe: it belongs to the thread that runs the UI (or the CLI).
    """

    def __init__(self, path: Path, notices: Notices, clock: Clock) -> None:
        self._path = path
        self._notices = notices
        self._clock = clock
        self._current = Settings()
        self._refusal: tuple[Level, str, str] | None = None

    @property
    def read_only(self) -> bool:
        """True when saving would overwrite something we must not touch."""
        return self._refusal is not None

    def load(self) -> Settings:
        self._refusal = None
        self._current = self._read()
        return self._current

    def save(self, settings: Settings) -> bool:
        """True when the settings are safely on disk. On False the app keeps
        using ``settings`` in memory; the user has already been told why."""
        self._current = settings
        if self._refusal is not None:
            self._notices.post(*self._refusal)
            return False
        text = json.dumps(settings.to_json(), sort_keys=True, indent=2) + "\n"
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self._path, text)
        except OSError as error:
            self._notices.post(
                "error",
                f"Settings could not be saved to {self._path}: {_describe(error)}. "
                "Changes made now will last only until Cramp Coach closes.",
                key=f"settings-save:{type(error).__name__}:{error.errno}")
            return False
        remove_leftovers(self._path, self._clock.wall() - STALE_TEMP_AGE)
        return True

    def update(self, **changes: object) -> Settings:
        """Apply ``changes`` to the current settings and save. The new settings
        are returned even when saving fails, so the change still holds for
        this run. A misspelt or ill-typed change raises, as a programming error."""
        settings = dataclasses.replace(self._current, **cast(dict[str, Any], changes))
        self.save(settings)
        return settings

    def _read(self) -> Settings:
        try:
            raw = self._path.read_bytes()
        except FileNotFoundError:
            return Settings()
        except OSError as error:
            if os.path.lexists(self._path):
                return self._set_aside(f"it could not be read: {_describe(error)}")
            # Nothing to move aside (say, the folder is blocked by a file);
            # saving will report its own problem if it hits the same one.
            self._notices.post("warning", f"Settings could not be read from {self._path} "
                                          f"({_describe(error)}); default settings are used.")
            return Settings()
        try:
            document = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            return self._set_aside("it is not text")
        except (ValueError, RecursionError) as error:
            return self._set_aside(f"it is not valid JSON: {error}")
        if not isinstance(document, dict):
            return self._set_aside("it does not hold a JSON object")
        version = document.get("version")
        if type(version) is not int or version < 1:
            return self._set_aside("its format version is missing or invalid")
        if version > SETTINGS_VERSION:
            self._refuse(
                "warning",
                f"Settings were written by a newer Cramp Coach (settings format {version}; "
                f"this version understands up to {SETTINGS_VERSION}); they were left "
                f"untouched in {self._path}. Default settings are used for now, and "
                "changes will not be saved.",
                key="settings-newer")
            return Settings()
        settings, warnings = Settings.from_json(document)
        if warnings:
            self._notices.post(
                "warning",
                f"Some settings in {self._path} were not usable and were reset to their "
                "defaults; the rest were kept. " + "; ".join(warnings) + ".")
        return settings

    def _set_aside(self, reason: str) -> Settings:
        """Keep the unusable file for the user (or a bug report) rather than
        overwriting it at the next save."""
        target = aside_path(self._path, self._clock.wall())
        try:
            os.rename(self._path, target)
        except OSError as error:
            self._refuse(
                "error",
                f"The settings file {self._path} is not usable ({reason}) and could not "
                f"be moved out of the way ({_describe(error)}). Default settings are used "
                "for now, and changes will not be saved, so that file stays as it is.",
                key="settings-stuck")
            return Settings()
        self._notices.post(
            "warning",
            f"The settings file was not usable ({reason}), so Cramp Coach started with "
            f"default settings. The old file was kept as {target}.")
        return Settings()

    def _refuse(self, level: Level, text: str, key: str) -> None:
        # Remembered so each later save can repost it: the shared key makes
        # the user see it once, however many saves are attempted.
        self._refusal = (level, text, key)
        self._notices.post(level, text, key=key)


def _describe(error: OSError) -> str:
    """Plain words; the messages already name the settings file, so the
    temporary file's name would only confuse. A file standing where a folder
    belongs is the one case where the culprit is elsewhere, so it is named."""
    if isinstance(error, (FileExistsError, NotADirectoryError)) and error.filename:
        path = Path(os.fsdecode(error.filename))
        blocker = next((p for p in (path, *path.parents) if p.exists() and not p.is_dir()),
                       path)
        return f"a file is in the way where a folder is needed: {blocker}"
    return error.strerror or str(error)
