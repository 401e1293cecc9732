"""Where Cramp Coach keeps its files.

On Linux and the other XDG desktops the folders follow the XDG Base
Directory rule, written out here (:func:`xdg_home`): four variables and
their defaults, the one rule the app's own folders, its launcher and its
autostart entry all follow. Elsewhere ``platformdirs`` answers, because it
gets each other platform's conventions right (``Application Support`` on
macOS, ``AppData`` on Windows), which a hand-written version would slowly
get wrong. It is imported only there: on Linux its import cost a start for
a cramp about 9 M instructions before the place buttons were painted, 1.5%
of a bare PySide6 window's whole start (``benchmarks/startup.py``). A test
holds the two to the same answers on Linux.

These are functions rather than constants so that a changed environment (a
test, or a user setting ``XDG_CONFIG_HOME``) is honoured at the time of use.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

APP_DIR_NAME = "cramp-coach"


def is_xdg(platform: str | None = None) -> bool:
    """Whether ``platform`` is one of the desktops that follow the
    freedesktop.org (XDG) rules: Linux and the BSDs, where platformdirs
    follows them too (its ``Unix`` class). Their folders, menu, autostart
    and notifications are the XDG ones. ``sys.platform`` is read at the
    call, so a test can stand in for another platform."""
    return (platform or sys.platform) not in ("win32", "darwin", "ios", "android")


class NoHome(OSError):
    """Neither ``HOME`` nor the system's account database gives a home
    folder (an account made in a container, say), and an XDG variable that
    would make one unnecessary is unset: there is nowhere to keep files.
    The command line words it for a person (:data:`coach.cli.NO_HOME`)."""

    def __init__(self) -> None:
        super().__init__("no home folder: HOME is not an absolute path, the account has "
                         "none, and the XDG variables are unset")


def home(environ: Mapping[str, str] = os.environ) -> Path:
    """``$HOME`` when it is an absolute path, else the account's home folder;
    a relative ``HOME`` would put the files wherever the app was started."""
    configured = environ.get("HOME", "")
    if os.path.isabs(configured):
        return Path(configured)
    import pwd  # POSIX only, and needed only when HOME is missing or odd

    try:
        account = pwd.getpwuid(os.getuid()).pw_dir
    except KeyError:
        raise NoHome from None
    if not os.path.isabs(account):
        raise NoHome
    return Path(account)


def xdg_home(variable: str, default: str, environ: Mapping[str, str] = os.environ) -> Path:
    """The XDG rule: ``$variable`` when it is an absolute path (the spec says
    to ignore a relative one), else ``default`` under the home folder."""
    configured = environ.get(variable, "")
    return Path(configured) if os.path.isabs(configured) else home(environ) / default


Kind = Literal["config", "data", "state", "cache"]

XDG_FOLDERS: dict[Kind, tuple[str, str]] = {
    "config": ("XDG_CONFIG_HOME", ".config"),
    "data": ("XDG_DATA_HOME", ".local/share"),
    "state": ("XDG_STATE_HOME", ".local/state"),
    "cache": ("XDG_CACHE_HOME", ".cache"),
}
"""Each kind of folder's variable, and its default under the home folder."""


def user_dir(kind: Kind) -> Path:
    """The app's own folder of this kind."""
    if is_xdg():
        return xdg_home(*XDG_FOLDERS[kind]) / APP_DIR_NAME
    import platformdirs

    # appauthor=False: otherwise Windows nests the name twice (cramp-coach\cramp-coach).
    path: Path = getattr(platformdirs, f"user_{kind}_path")(APP_DIR_NAME, appauthor=False)
    return path


def config_dir() -> Path:
    return user_dir("config")


def data_dir() -> Path:
    return user_dir("data")


def state_dir() -> Path:
    return user_dir("state")


def cache_dir() -> Path:
    return user_dir("cache")


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


def first_screen_file() -> Path:
    """The place buttons the last start showed (:mod:`coach.core.first_screen`)."""
    return cache_dir() / "first-screen.json"


def content_cache_file() -> Path:
    """Validated content, rebuilt whenever a source file changes."""
    return cache_dir() / "content.pickle"
