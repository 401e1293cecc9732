"""Where Cramp Coach keeps its files.

``platformdirs`` is used because it is well kept and gets each platform's
conventions right (XDG variables on Linux, ``Application Support`` on macOS,
``AppData`` on Windows), which a hand-written version would slowly get wrong.
These are functions rather than constants so that a changed environment (a
test, or a user setting ``XDG_CONFIG_HOME``) is honoured at the time of use.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_DIR_NAME = "cramp-coach"


def config_dir() -> Path:
    # appauthor=False: otherwise Windows nests the name twice (cramp-coach\cramp-coach).
    return platformdirs.user_config_path(APP_DIR_NAME, appauthor=False)


def data_dir() -> Path:
    return platformdirs.user_data_path(APP_DIR_NAME, appauthor=False)


def state_dir() -> Path:
    return platformdirs.user_state_path(APP_DIR_NAME, appauthor=False)


def settings_file() -> Path:
    return config_dir() / "settings.json"


def diary_file() -> Path:
    return data_dir() / "diary.sqlite3"


def user_content_dir() -> Path:
    """The folder where people drop their own routine YAML files."""
    return data_dir() / "routines"


def reminder_state_file() -> Path:
    """What happened to recent bedtime reminders (state, not a setting)."""
    return state_dir() / "reminders.json"


def log_file() -> Path:
    """Warnings and the details of unexpected errors, for a bug report. In the
    state folder: it is neither a setting nor data the user made."""
    return state_dir() / "cramp-coach.log"


def cache_dir() -> Path:
    return platformdirs.user_cache_path(APP_DIR_NAME, appauthor=False)


def first_screen_file() -> Path:
    """The place buttons the last start showed (:mod:`coach.core.first_screen`)."""
    return cache_dir() / "first-screen.json"


def content_cache_file() -> Path:
    """Validated content, rebuilt whenever a source file changes."""
    return cache_dir() / "content.pickle"
