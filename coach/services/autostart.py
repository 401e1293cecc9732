"""Start Cramp Coach at login, in the background (tray icon and reminders only).

Each platform has its own native mechanism, so the user can also see and undo
it with the system's tools: an XDG autostart entry on Linux and other Unix
desktops, a value under the per-user Run key on Windows, a LaunchAgent on
macOS. The content of each is built by a pure function, so all three are
tested on any OS; the classes only put that content in place.

``enable`` and ``disable`` raise :class:`OSError` when the location cannot be
written; callers show that to the user. No Qt here: ``cramp-coach autostart
on|off`` runs without a display.
"""

from __future__ import annotations

import os
import plistlib
import re
import site
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import coach
from coach import APP_NAME
from coach.core import i18n, paths
from coach.core.atomic import atomic_write_bytes
from coach.core.i18n import N_, _

APP_ID = "cramp-coach"
LAUNCH_AGENT_LABEL = "io.github.cramp-coach.autostart"
# Translators: the description of the app in the desktop's list of programs
# started at login.
COMMENT = N_("Stretch reminders and first aid for night leg cramps")
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE_NAME = APP_NAME

# Characters that force an Exec argument into double quotes, and the ones that
# must then be backslash-escaped inside them (Desktop Entry spec, "The Exec key").
_EXEC_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")
_EXEC_ESCAPE_IN_QUOTES = re.compile(r'(["`$\\])')


class Autostart(Protocol):
    @property
    def path(self) -> Path | str:
        """Where starting at login is recorded: a file, or a registry value."""
        ...

    def is_enabled(self) -> bool:
        """Whether Cramp Coach will start at the next login."""
        ...

    def enable(self) -> Path | str:
        """Start at login from now on; returns where that was recorded."""
        ...

    def disable(self) -> bool:
        """Stop starting at login; False if it was not enabled (not an error)."""
        ...


def installed_command() -> list[str]:
    """How the menu and the login session should start this installation.

    The ``cramp-coach`` script of the install scheme this package was
    installed by (a venv's or pipx's ``bin``, or ``~/.local/bin`` for
    ``pip install --user``), by absolute path: a menu's or a login's PATH is
    not a terminal's, and another Cramp Coach on PATH is not this one.
    Without a script, this interpreter runs the package: installed, as
    ``-m coach``; from a source checkout, its ``main.py`` by absolute path
    (``-m coach`` would work only from inside the checkout's folder).
    """
    package = Path(coach.__file__).resolve().parent
    user_site = Path(site.getusersitepackages()).resolve()
    scheme = (sysconfig.get_preferred_scheme("user") if package.is_relative_to(user_site)
              else sysconfig.get_default_scheme())
    script = Path(sysconfig.get_path("scripts", scheme)) / APP_ID
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    checkout = package.parent / "main.py"
    if checkout.is_file():
        return [sys.executable, str(checkout)]
    return [sys.executable, "-m", "coach"]


def launch_command() -> list[str]:
    """How the login session should start the app: in the background."""
    return [*installed_command(), "--background"]


def _exec_argument(arg: str) -> str:
    arg = arg.replace("%", "%%")  # a lone % would start a field code
    if arg and _EXEC_RESERVED.isdisjoint(arg):
        return arg
    return '"' + _EXEC_ESCAPE_IN_QUOTES.sub(r"\\\1", arg) + '"'


def exec_value(command: Sequence[str]) -> str:
    """The command as the value of an ``Exec=`` key.

    Two layers, as the spec requires: arguments are quoted first, then the
    whole value gets the escapes of every string value (so a backslash inside
    a quoted argument ends up written as four). A program whose path holds a
    ``%`` is started through ``env``: the spec writes it ``%%``, and GLib
    (GNOME, Xfce, systemd's autostart generator) looks for the program under
    that name and hides the entry, where it reads an argument's ``%%`` right.
    """
    if command and "%" in command[0]:
        command = ["/usr/bin/env", *command]
    quoted = " ".join(_exec_argument(arg) for arg in command)
    return (quoted.replace("\\", "\\\\").replace("\n", "\\n")
            .replace("\t", "\\t").replace("\r", "\\r"))


def _escaped(text: str) -> str:
    """A Desktop Entry string value (its escapes)."""
    return (text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
            .replace("\r", "\\r"))


def desktop_entry(command: Sequence[str]) -> str:
    """An XDG autostart entry. Hidden is left out (true would mean "deleted")
    and X-GNOME-Autostart-enabled is written so GNOME's startup list shows
    the entry as switched on. The comment is in English, and also in the
    app's language when it has its own words for it (``Comment[ru]=``)."""
    comment = _(COMMENT)
    localized = (f"Comment[{i18n.current()}]={_escaped(comment)}\n" if comment != COMMENT
                 else "")
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        f"Name={APP_NAME}\n"
        f"Comment={COMMENT}\n"
        f"{localized}"
        f"Exec={exec_value(command)}\n"
        # Once this installation is gone (pipx uninstall), the session skips
        # the entry instead of failing to start it at every login.
        f"TryExec={_escaped(command[0])}\n"
        f"Icon={APP_ID}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def launch_agent_plist(command: Sequence[str]) -> bytes:
    """A per-user LaunchAgent that runs once at login (no KeepAlive: quitting
    from the tray must stick), only in a graphical session."""
    return plistlib.dumps({
        "Label": LAUNCH_AGENT_LABEL,
        "ProgramArguments": list(command),
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    })


def windows_run_value(command: Sequence[str]) -> str:
    """The command line stored in the Run key, quoted by the rules the Windows
    C runtime uses to split it again (spaces in paths, embedded quotes)."""
    return subprocess.list2cmdline(list(command))


def _write_atomically(path: Path, data: bytes) -> None:
    """A session reading the folder at login sees the old file or the new one,
    never half of one, even after a crash mid-write. The folder may not exist
    yet on a fresh account."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, data)


def _remove(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def _desktop_entry_keys(text: str) -> dict[str, str]:
    keys: dict[str, str] = {}
    in_main_group = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            in_main_group = line == "[Desktop Entry]"
        elif in_main_group and "=" in line:
            key, _sep, value = line.partition("=")
            keys[key.strip()] = value.strip()
    return keys


class XdgAutostart:
    """``$XDG_CONFIG_HOME/autostart/cramp-coach.desktop``, read by GNOME, KDE,
    Xfce, Cinnamon, MATE, LXQt and systemd's xdg-autostart generator."""

    def __init__(self, command: Sequence[str] | None = None) -> None:
        self._command = command

    @property
    def path(self) -> Path:
        # Looked up on each use, so a changed environment is honoured.
        return paths.xdg_home("XDG_CONFIG_HOME", ".config") / "autostart" / f"{APP_ID}.desktop"

    def is_enabled(self) -> bool:
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return False
        keys = _desktop_entry_keys(text)
        # The user may have switched it off in the desktop's startup settings,
        # which edit these keys rather than delete the file.
        return (keys.get("Hidden", "false") != "true"
                and keys.get("X-GNOME-Autostart-enabled", "true") != "false")

    def enable(self) -> Path:
        path = self.path
        _write_atomically(path, desktop_entry(self._command or launch_command()).encode("utf-8"))
        return path

    def disable(self) -> bool:
        return _remove(self.path)


class MacLaunchAgent:
    """``~/Library/LaunchAgents/<label>.plist``. launchd reads it at the next
    login; nothing is loaded now, since the app is already running."""

    def __init__(self, command: Sequence[str] | None = None) -> None:
        self._command = command

    @property
    def path(self) -> Path:
        return Path.home() / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"

    def is_enabled(self) -> bool:
        try:
            agent = plistlib.loads(self.path.read_bytes())
        except (OSError, plistlib.InvalidFileException, ValueError):
            return False
        return isinstance(agent, dict) and not agent.get("Disabled", False)

    def enable(self) -> Path:
        path = self.path
        _write_atomically(path, launch_agent_plist(self._command or launch_command()))
        return path

    def disable(self) -> bool:
        return _remove(self.path)


class RunRegistry(Protocol):
    """The values of the per-user Run key, as far as autostart needs them."""

    def read(self, name: str) -> str | None: ...

    def write(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> bool: ...


if sys.platform == "win32":
    # Defined only where winreg exists, so type checkers on other systems skip it.
    class WinregRunKey:
        """``HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``."""

        def read(self, name: str) -> str | None:
            import winreg

            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                    value, _kind = winreg.QueryValueEx(key, name)
            except FileNotFoundError:
                return None
            return str(value)

        def write(self, name: str, value: str) -> None:
            import winreg

            with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, RUN_KEY, 0,
                                    winreg.KEY_SET_VALUE) as key:
                winreg.SetValueEx(key, name, 0, winreg.REG_SZ, value)

        def delete(self, name: str) -> bool:
            import winreg

            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0,
                                    winreg.KEY_SET_VALUE) as key:
                    winreg.DeleteValue(key, name)
            except FileNotFoundError:
                return False
            return True


class WindowsRunKey:
    """A "Cramp Coach" value under the per-user Run key: no admin rights, and
    it appears in Task Manager's Startup tab where the user can switch it off.
    The registry is opened on first use, so this can be built on any OS."""

    def __init__(self, command: Sequence[str] | None = None,
                 registry: RunRegistry | None = None) -> None:
        self._command = command
        self._registry = registry

    @property
    def path(self) -> str:
        return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{RUN_VALUE_NAME}"

    def is_enabled(self) -> bool:
        return self._run_key().read(RUN_VALUE_NAME) is not None

    def enable(self) -> str:
        command = self._command or launch_command()
        self._run_key().write(RUN_VALUE_NAME, windows_run_value(command))
        return self.path

    def disable(self) -> bool:
        return self._run_key().delete(RUN_VALUE_NAME)

    def _run_key(self) -> RunRegistry:
        if self._registry is None:
            if sys.platform == "win32":
                self._registry = WinregRunKey()
            else:
                raise OSError("the Run key exists only on Windows")
        return self._registry


def autostart_for_platform(platform: str = sys.platform) -> Autostart:
    """Windows and macOS have their own mechanisms; every other desktop
    (Linux, the BSDs) follows the XDG autostart spec."""
    if platform == "win32":
        return WindowsRunKey()
    if platform == "darwin":
        return MacLaunchAgent()
    return XdgAutostart()
