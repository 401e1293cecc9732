"""Put Cramp Coach in the applications menu, and bind a key to "Cramp now!".

``pip install`` and ``pipx install`` put a script on disk and nothing in the
menu, so someone who never opens a terminal has no way in. :func:`install`
copies the three files a desktop looks for into the person's own data folder
(``$XDG_DATA_HOME``, no administrator rights): the launcher, with ``Exec``
pointing at this installation; the icon, in the hicolor theme every icon
theme falls back to, so ``Icon=cramp-coach`` resolves; and the AppStream
metainfo that software centres read. :func:`remove` takes the same files away.

The icon is installed as SVG only, in ``hicolor/scalable``. Every desktop
that has a menu to show it in (GNOME, KDE Plasma, Xfce, Cinnamon, MATE, LXQt,
Budgie) draws its own icon theme from SVG files, so one that could not read
ours could not draw its own either. A PNG would serve no launcher, and
rendering one would bring Qt into a command that runs without a display.

:func:`add_shortcut` binds a key on GNOME, the one desktop whose custom
shortcuts a program can add through a documented interface (gsettings);
elsewhere the README tells the person how, with the same command.

Failures raise :class:`DesktopError`, whose message is one line for a person.
No Qt: ``cramp-coach install-desktop`` runs without a display.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from coach import APP_NAME, resources
from coach.core import paths
from coach.core.atomic import atomic_write_bytes, plain_reason
from coach.core.i18n import N_, _
from coach.services.autostart import APP_ID, exec_value, installed_command

DESKTOP_ID = f"{APP_ID}.desktop"
COMPONENT_ID = "io.github.cramp_coach"
"""The AppStream id; its launchable is :data:`DESKTOP_ID`."""
METAINFO_NAME = f"{COMPONENT_ID}.metainfo.xml"

# The files install writes, by what they are: keys, and (in English, marked for
# the catalogue) what the command line calls them (see :func:`file_label`).
# Translators: the file that puts the app in the applications menu (a .desktop file).
LAUNCHER = N_("launcher")
# Translators: the app's icon file.
ICON = N_("icon")
# Translators: the file software centres read to describe the app.
METAINFO = N_("AppStream metainfo")
_WRITE_FAILED = {
    # Translators: {reason} is the system's reason, e.g. "Permission denied".
    LAUNCHER: N_("could not write the launcher to {path}: {reason}"),
    ICON: N_("could not write the icon to {path}: {reason}"),
    METAINFO: N_("could not write the AppStream metainfo to {path}: {reason}"),
}
_REMOVE_FAILED = {
    # Translators: {reason} is the system's reason, e.g. "Permission denied".
    LAUNCHER: N_("could not remove the launcher {path}: {reason}"),
    ICON: N_("could not remove the icon {path}: {reason}"),
    METAINFO: N_("could not remove the AppStream metainfo {path}: {reason}"),
}

_TOOL_TIMEOUT = 60
_CACHE_TOOLS = (
    # (tool, its arguments, the folder under the data home, the cache it keeps there)
    ("update-desktop-database", ("-q",), Path("applications"), "mimeinfo.cache"),
    # -t: the hicolor folder in a person's home has no index.theme of its own.
    ("gtk-update-icon-cache", ("-q", "-f", "-t"), Path("icons", "hicolor"), "icon-theme.cache"),
)


class DesktopError(Exception):
    """What went wrong, in one line for a person, naming the file or tool."""


@dataclass(frozen=True)
class Outcome:
    """What :func:`install` or :func:`remove` did, for the caller to show."""

    files: tuple[tuple[str, Path], ...] = ()
    """(what, where) for every file written or removed; ``what`` is
    :data:`LAUNCHER`, :data:`ICON` or :data:`METAINFO` (see :func:`file_label`)."""
    refreshed: tuple[Path, ...] = ()
    """Caches brought up to date."""
    notes: tuple[str, ...] = ()
    """Things that did not stop the job but that the person may want to know."""
    command: tuple[str, ...] = ()
    """What the installed launcher starts."""


def file_label(what: str) -> str:
    """What :data:`Outcome.files` calls a file, in the current language."""
    return _(what)


# -- where -----------------------------------------------------------------------


def xdg_data_home(environ: Mapping[str, str] = os.environ) -> Path:
    """Where a menu looks first for launchers and icons."""
    return paths.xdg_home("XDG_DATA_HOME", ".local/share", environ)


def xdg_data_dirs(environ: Mapping[str, str] = os.environ) -> list[Path]:
    """The system data folders a menu also reads (where a distribution's
    package would put its launcher); relative entries are ignored."""
    configured = environ.get("XDG_DATA_DIRS", "") or "/usr/local/share:/usr/share"
    return [Path(entry) for entry in configured.split(":") if os.path.isabs(entry)]


def installed_files(data_home: Path | None = None) -> dict[str, Path]:
    """Every file :func:`install` writes, in the order it writes them: the
    launcher last, so a menu never shows an entry whose icon is still missing."""
    home = data_home or xdg_data_home()
    return {
        ICON: home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        METAINFO: home / "metainfo" / METAINFO_NAME,
        LAUNCHER: home / "applications" / DESKTOP_ID,
    }


def is_installed(environ: Mapping[str, str] = os.environ) -> bool:
    """A launcher is already in the menu: ours, or a distribution's package."""
    return any((folder / "applications" / DESKTOP_ID).is_file()
               for folder in (xdg_data_home(environ), *xdg_data_dirs(environ)))


def should_offer(already_offered: bool, platform: str = sys.platform,
                 environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the app should ask, once, to add itself to the menu: only on
    the XDG desktops (Windows and macOS have their own installers), and not
    when a launcher is there already."""
    return (not already_offered and paths.is_xdg(platform)
            and not is_installed(environ))


# -- what ------------------------------------------------------------------------


def launcher_text(template: str, command: Sequence[str]) -> str:
    """The packaged launcher with each ``Exec`` pointing at ``command``, and a
    ``TryExec`` so that the menu hides the entry once this installation is
    gone (``pipx uninstall``) rather than offering one that does nothing."""
    lines: list[str] = []
    group = ""
    for line in template.splitlines():
        if line.startswith("["):
            group = line.strip()
        key, _sep, value = line.partition("=")
        if key.strip() == "TryExec":
            continue
        if key.strip() == "Exec":
            program, *arguments = value.split()
            if program != APP_ID:
                raise DesktopError(_("the packaged launcher runs {program}, not {expected}").format(
                    program=repr(program), expected=repr(APP_ID)))
            line = f"Exec={exec_value([*command, *arguments])}"
            if group == "[Desktop Entry]":
                lines.append(f"TryExec={_string_value(command[0])}")
        lines.append(line)
    return "\n".join(lines) + "\n"


def _string_value(text: str) -> str:
    """A path as a Desktop Entry string value (its escapes, no Exec quoting)."""
    return (text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
            .replace("\r", "\\r"))


def _shipped(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        # Translators: {reason} is the system's reason, e.g. "No such file or directory".
        raise DesktopError(_("this installation of {app} is missing {path} "
                             "({reason}); reinstall it").format(
            app=APP_NAME, path=path, reason=plain_reason(error))) from error


def _contents(command: Sequence[str]) -> dict[str, bytes]:
    template = _shipped(resources.packaging_dir() / DESKTOP_ID).decode("utf-8")
    return {
        ICON: _shipped(resources.icon_path()),
        METAINFO: _shipped(resources.packaging_dir() / METAINFO_NAME),
        LAUNCHER: launcher_text(template, command).encode("utf-8"),
    }


# -- doing -----------------------------------------------------------------------


def install(command: Sequence[str] | None = None) -> Outcome:
    """Write (or rewrite: running it twice is harmless) the launcher, icon and
    metainfo, then refresh the caches there are. When one cannot be written,
    the files and folders this run added are taken away again, so a failed
    install leaves no icon without a launcher (files it only rewrote stay:
    an earlier install's, each replaced whole)."""
    command = tuple(command or installed_command())
    contents = _contents(command)
    written: list[tuple[str, Path]] = []
    added: list[Path] = []
    for what, path in installed_files().items():
        try:
            added += reversed([folder for folder in path.parents if not folder.exists()])
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                added.append(path)
            atomic_write_bytes(path, contents[what])
            # Nothing private in these; readable like every other file there.
            path.chmod(0o644)
        except OSError as error:
            _take_away(added)
            raise DesktopError(_(_WRITE_FAILED[what]).format(
                path=path, reason=plain_reason(error))) from error
        written.append((what, path))
    refreshed, notes = refresh_caches()
    return Outcome(tuple(written), refreshed, notes, command)


def _take_away(added: Sequence[Path]) -> None:
    """Best effort, newest first: a failed install is reported either way."""
    for path in reversed(added):
        try:
            if path.is_dir():
                path.rmdir()
            else:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def remove() -> Outcome:
    """Remove exactly the files :func:`install` writes (the launcher first),
    and no folder: those may hold other programs' files."""
    removed: list[tuple[str, Path]] = []
    for what, path in reversed(installed_files().items()):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as error:
            raise DesktopError(_(_REMOVE_FAILED[what]).format(
                path=path, reason=plain_reason(error))) from error
        removed.append((what, path))
    if not removed:
        return Outcome()
    refreshed, notes = refresh_caches()
    return Outcome(tuple(removed), refreshed, notes)


def refresh_caches(data_home: Path | None = None) -> tuple[tuple[Path, ...], tuple[str, ...]]:
    """Bring the menu and icon caches in the data home up to date, best effort.

    Only caches that exist are refreshed: desktops read the folders directly
    when there is none (a missing cache cannot be stale), and making one would
    leave behind a file that ``--remove`` did not put there. A stale one is
    what hides a new icon. Returns the caches refreshed and notes on those
    that could not be; never raises.
    """
    home = data_home or xdg_data_home()
    refreshed: list[Path] = []
    notes: list[str] = []
    for tool, arguments, folder, cache in _CACHE_TOOLS:
        cache_file = home / folder / cache
        if not cache_file.exists():
            continue
        program = shutil.which(tool)
        if program is None:
            # Translators: {cache} is a file; {tool} a program's name.
            notes.append(_("{cache} may be out of date until you log in again: "
                           "{tool} is not installed").format(cache=cache_file, tool=tool))
            continue
        try:
            result = subprocess.run([program, *arguments, str(home / folder)],
                                    capture_output=True, text=True, timeout=_TOOL_TIMEOUT,
                                    check=False)
        except (OSError, subprocess.SubprocessError) as error:
            # Translators: {tool} is a program's name; {cache} a file; {error} the
            # program's or the system's own message.
            notes.append(_("{tool} could not refresh {cache}: {error}").format(
                tool=tool, cache=cache_file, error=error))
            continue
        if result.returncode != 0:
            detail = (result.stderr.strip().splitlines()
                      or [_exit_status(result.returncode)])
            notes.append(_("{tool} could not refresh {cache}: {error}").format(
                tool=tool, cache=cache_file, error=detail[-1]))
            continue
        refreshed.append(cache_file)
    return tuple(refreshed), tuple(notes)


def _exit_status(code: int) -> str:
    # Translators: how a program that failed without saying why ended.
    return _("exit status {code}").format(code=code)


# -- the "Cramp now!" shortcut on GNOME --------------------------------------------

MEDIA_KEYS = "org.gnome.settings-daemon.plugins.media-keys"
CUSTOM_KEYBINDING = f"{MEDIA_KEYS}.custom-keybinding"
SHORTCUT_PATH = f"/{MEDIA_KEYS.replace('.', '/')}/custom-keybindings/cramp-coach/"
# Translators: the name of the app's keyboard shortcut in GNOME's settings;
# "Cramp now!" is the home screen's big button.
SHORTCUT_NAME = N_("Cramp Coach: Cramp now!")
SHORTCUT_CHOICES = ("<Control><Alt>c", "<Super>c")
"""Tried in order; the first one nothing else uses is taken. Ctrl and Alt are
the corner keys, found by touch in the dark, and C is for cramp; no default
of GNOME 43 uses either (Super+F1, which would echo the app's F1, opens
GNOME's help).
A global shortcut wins over the same keys inside programs: Ctrl+Alt+C is
LibreOffice's "insert comment", which the fallback Super+C leaves alone."""

_GSETTINGS_TIMEOUT = 15
_MODIFIER_NAMES = {"ctrl": "control", "primary": "control", "ctl": "control",
                   "mod1": "alt", "mod4": "super", "meta": "meta", "hyper": "hyper"}
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")


def shortcut_available(environ: Mapping[str, str] = os.environ) -> bool:
    """GNOME (or a desktop built on it, such as Ubuntu's or Budgie) is
    running, gsettings is installed and knows the custom-shortcut schemas.
    GNOME's schemas are often installed under KDE or Xfce too, where writing
    them would change nothing, hence the check of the running desktop."""
    desktops = environ.get("XDG_CURRENT_DESKTOP", "").upper().split(":")
    if "GNOME" not in desktops or shutil.which("gsettings") is None:
        return False
    try:
        schemas = _gsettings("list-schemas").split()
        relocatable = _gsettings("list-relocatable-schemas").split()
    except DesktopError:
        return False
    return MEDIA_KEYS in schemas and CUSTOM_KEYBINDING in relocatable


def shortcut_command(command: Sequence[str]) -> str:
    """The command line GNOME runs for the shortcut: it splits it by shell
    rules (``g_shell_parse_argv``), not by the Desktop Entry's."""
    return shlex.join([*command, "--emergency"])


def shortcut_label(binding: str) -> str:
    """``<Control><Alt>c`` as a person reads it: ``Ctrl+Alt+C``."""
    modifiers = re.findall(r"<([^>]+)>", binding)
    key = re.sub(r"<[^>]+>", "", binding)
    names = {"control": "Ctrl", "alt": "Alt", "super": "Super", "shift": "Shift"}
    parts = [names.get(_MODIFIER_NAMES.get(m.lower(), m.lower()), m) for m in modifiers]
    return "+".join([*parts, key.upper() if len(key) == 1 else key])


def current_shortcut() -> str | None:
    """Our binding, e.g. ``<Control><Alt>c``, or None when there is none."""
    if SHORTCUT_PATH not in _custom_paths():
        return None
    return _get_string(f"{CUSTOM_KEYBINDING}:{SHORTCUT_PATH}", "binding") or None


def add_shortcut(command: Sequence[str] | None = None,
                 choices: Sequence[str] = SHORTCUT_CHOICES) -> str:
    """Bind the first free key of ``choices`` to ``cramp-coach --emergency``
    and return it. Run again, it keeps the key already chosen and refreshes
    the command (say, after a reinstall moved the script)."""
    paths = _custom_paths()
    relocated = f"{CUSTOM_KEYBINDING}:{SHORTCUT_PATH}"
    binding = _get_string(relocated, "binding") if SHORTCUT_PATH in paths else ""
    if not binding:
        taken = _taken_bindings(paths)
        free = [choice for choice in choices if _normalised(choice) not in taken]
        if not free:
            labels = [shortcut_label(choice) for choice in choices]
            raise DesktopError(_shortcuts_taken(labels, shortcut_command(
                command or installed_command())))
        binding = free[0]
    # The entry first and the list last: GNOME reads the entry as soon as the
    # list names it, and drops one that is still empty.
    _gsettings("set", relocated, "name", _gvariant_string(_(SHORTCUT_NAME)))
    _gsettings("set", relocated, "command",
               _gvariant_string(shortcut_command(command or installed_command())))
    _gsettings("set", relocated, "binding", _gvariant_string(binding))
    if SHORTCUT_PATH not in paths:
        _gsettings("set", MEDIA_KEYS, "custom-keybindings",
                   _gvariant_strings([*paths, SHORTCUT_PATH]))
    return binding


def remove_shortcut() -> bool:
    """Take our shortcut away (others are left as they are); False if there
    was none."""
    paths = _custom_paths()
    if SHORTCUT_PATH not in paths:
        return False
    _gsettings("set", MEDIA_KEYS, "custom-keybindings",
               _gvariant_strings([path for path in paths if path != SHORTCUT_PATH]))
    _gsettings("reset-recursively", f"{CUSTOM_KEYBINDING}:{SHORTCUT_PATH}")
    return True


def _shortcuts_taken(labels: Sequence[str], command: str) -> str:
    """Every key tried is taken: say so, and how to choose one by hand."""
    # Translators: {keys} are key combinations, e.g. "Ctrl+Alt+C and Super+C";
    # "Settings, Keyboard, Custom Shortcuts" is the way there in GNOME's settings.
    message = _("{keys} are already used for something else; choose another key in "
                "Settings, Keyboard, Custom Shortcuts, with the command {command}")
    if len(labels) == 1:
        # Translators: {keys} is one key combination, e.g. "Ctrl+Alt+C".
        message = _("{keys} is already used for something else; choose another key in "
                    "Settings, Keyboard, Custom Shortcuts, with the command {command}")
    # Translators: joins two key combinations, e.g. "Ctrl+Alt+C and Super+C".
    keys = labels[0] if len(labels) == 1 else _("{first} and {last}").format(
        first=", ".join(labels[:-1]), last=labels[-1])
    return message.format(keys=keys, command=command)


def _custom_paths() -> list[str]:
    return _strings_in(_gsettings("get", MEDIA_KEYS, "custom-keybindings"))


def _get_string(schema: str, key: str) -> str:
    values = _strings_in(_gsettings("get", schema, key))
    return values[0] if values else ""


def _taken_bindings(custom_paths: Sequence[str]) -> set[tuple[frozenset[str], str]]:
    """Every key combination some installed schema holds (the window manager's,
    the shell's, the media keys', an extension's), and every other custom
    shortcut's. A string that is no key combination can only ever match
    nothing, so any string value is taken as a candidate."""
    taken: set[tuple[frozenset[str], str]] = set()
    for line in _gsettings("list-recursively").splitlines():
        taken.update(_normalised(text) for text in _strings_in(line.split(" ", 2)[-1]))
    for path in custom_paths:
        if path != SHORTCUT_PATH:
            taken.add(_normalised(_get_string(f"{CUSTOM_KEYBINDING}:{path}", "binding")))
    return taken


def _normalised(binding: str) -> tuple[frozenset[str], str]:
    """One form for the spellings GNOME accepts: ``<Primary><Alt>C`` and
    ``<Alt><Ctrl>c`` are the same keys."""
    modifiers = frozenset(_MODIFIER_NAMES.get(m.lower(), m.lower())
                          for m in re.findall(r"<([^>]+)>", binding))
    return modifiers, re.sub(r"<[^>]+>", "", binding).strip().lower()


def _strings_in(gvariant_text: str) -> list[str]:
    """The string literals in gsettings' GVariant text (``@as []``,
    ``['<Super>F1']``, ``'/path/'``). Our values never hold escapes beyond
    a quote or a backslash."""
    return [re.sub(r"\\(.)", r"\1", single or double)
            for single, double in _QUOTED.findall(gvariant_text)]


def _gvariant_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _gvariant_strings(items: Sequence[str]) -> str:
    return "[" + ", ".join(map(_gvariant_string, items)) + "]" if items else "@as []"


def _gsettings(*arguments: str) -> str:
    program = shutil.which("gsettings")
    if program is None:
        raise DesktopError(_("gsettings is not installed, so the shortcut could not be "
                             "changed"))
    try:
        result = subprocess.run([program, *arguments], capture_output=True, text=True,
                                timeout=_GSETTINGS_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError) as error:
        # Translators: {command} is a gsettings command, e.g. "gsettings set"; {error}
        # the system's own message.
        raise DesktopError(_("{command} did not work: {error}").format(
            command=f"gsettings {arguments[0]}", error=error)) from error
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines() or [_exit_status(result.returncode)]
        # Translators: {command} is a gsettings command, e.g. "gsettings set"; {error}
        # what it said.
        raise DesktopError(_("{command} failed: {error}").format(
            command=f"gsettings {arguments[0]}", error=detail[0]))
    return result.stdout


class Shortcut(Protocol):
    """A desktop-wide "Cramp now!" key, as Settings offers it."""

    def current(self) -> str | None:
        """The key as a person reads it ("Ctrl+Alt+C"), or None."""
        ...

    def add(self) -> str:
        """Bind a free key and return it as a person reads it; raises
        :class:`DesktopError` saying why not."""
        ...

    def remove(self) -> None: ...


class GnomeShortcut:
    """The GNOME custom shortcut above, for Settings."""

    def current(self) -> str | None:
        binding = current_shortcut()
        return shortcut_label(binding) if binding else None

    def add(self) -> str:
        return shortcut_label(add_shortcut())

    def remove(self) -> None:
        remove_shortcut()


def desktop_shortcut() -> Shortcut | None:
    """The shortcut this desktop lets the app add, if any (GNOME's)."""
    return GnomeShortcut() if shortcut_available() else None
