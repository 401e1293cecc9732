"""The settings read before the settings load: the language, and for a start
for a cramp the look and the window's place.

The language comes first so that a problem found while loading the settings
is told in the person's language. The look and the place come first so that
the place buttons are painted as the app will show them, before the
settings store and its rules have loaded (:mod:`coach.core.first_screen`).

The file is read as the store reads it, within the same bound, and only a
value the store would keep is taken; anything else reads as the default,
and the store, loading a moment later, finds and reports the trouble. The
file's format, the looks and the form of a language code are defined here,
for both.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import NamedTuple

from coach.core.safe_io import read_regular

SETTINGS_VERSION = 1
SIZE_LIMIT = 1_000_000
"""Real settings are a few kB; anything this big is not settings, and reading
it whole would only cost memory."""
THEMES = ("auto", "day", "night")
LANGUAGE_CODE = re.compile(r"[a-z]{0,3}")
"""A language as stored: "" (the desktop's), "en", "ru"."""


class Early(NamedTuple):
    language: str = ""
    theme: str = "auto"
    placement: str = ""
    """The main window's saved geometry, as stored (base64), or ""."""


def read_early(path: Path) -> Early:
    """Any trouble reading the file means the defaults. The language is
    taken from a file the store will set aside too (no format version): its
    notice then speaks the language the person chose."""
    try:
        data = json.loads(read_regular(path, SIZE_LIMIT))
    except (OSError, ValueError, RecursionError):  # RecursionError: nested past the stack
        return Early()
    if not isinstance(data, dict):
        return Early()
    language = data.get("language", "")
    if not (isinstance(language, str) and LANGUAGE_CODE.fullmatch(language)):
        language = ""
    version = data.get("version")
    if not (type(version) is int and 1 <= version <= SETTINGS_VERSION):
        return Early(language)
    theme = data.get("theme", "auto")
    windows = data.get("windows")
    placement = windows.get("main", "") if isinstance(windows, dict) else ""
    return Early(language, theme if isinstance(theme, str) and theme in THEMES else "auto",
                 placement if isinstance(placement, str) else "")


def saved_language(path: Path) -> str:
    """The language setting alone: "" to follow the desktop."""
    return read_early(path).language
