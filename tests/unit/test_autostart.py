"""Start at login: the XDG entry for real under a temporary config folder, the
macOS agent for real under a temporary home, the Windows Run value through an
in-memory registry, and the exact content of all three on any OS."""

from __future__ import annotations

import configparser
import os
import plistlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coach.services.autostart import (
    LAUNCH_AGENT_LABEL,
    RUN_KEY,
    RUN_VALUE_NAME,
    MacLaunchAgent,
    WindowsRunKey,
    XdgAutostart,
    autostart_for_platform,
    desktop_entry,
    exec_value,
    installed_command,
    launch_agent_plist,
    launch_command,
    windows_run_value,
)
from tests.fakes.autostart import FakeAutostart

COMMAND = ["/opt/cramp coach/bin/cramp-coach", "--background"]
PACKAGED_DESKTOP_FILE = Path(__file__).resolve().parents[2] / "packaging" / "cramp-coach.desktop"


class _DesktopEntry(configparser.ConfigParser):
    """A desktop entry's keys are case-sensitive (``Name`` and ``name`` differ)."""

    def __init__(self) -> None:
        super().__init__(interpolation=None, delimiters=("=",))

    def optionxform(self, optionstr: str) -> str:
        return optionstr


def read_desktop(text: str, group: str = "Desktop Entry") -> configparser.SectionProxy:
    parser = _DesktopEntry()
    parser.read_string(text)
    return parser[group]


def parse_exec(value: str) -> list[str]:
    """Undo ``exec_value`` the way the Desktop Entry spec says a launcher
    must: string escapes first, then the double-quoting rules, then ``%%``.
    (shlex is no stand-in: it does not unescape ``\\$`` or a backtick.)"""
    escapes = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    text = re.sub(r"\\(.)", lambda m: escapes.get(m[1], m[0]), value, flags=re.DOTALL)
    args: list[str] = []
    current: str | None = None
    i = 0
    while i < len(text):
        char = text[i]
        if char == " ":
            if current is not None:
                args.append(current)
            current = None
        elif char == '"':
            current = current or ""
            i += 1
            while text[i] != '"':
                if text[i] == "\\" and text[i + 1] in '"`$\\':
                    i += 1
                current += text[i]
                i += 1
        else:
            assert char not in '"\'\\><~|&;$*?#()`\t\n', f"unquoted reserved {char!r}"
            current = (current or "") + char
        i += 1
    if current is not None:
        args.append(current)
    return [arg.replace("%%", "%") for arg in args]


# -- Linux: XDG autostart -------------------------------------------------------


def autostart_file(config_home: Path) -> Path:
    return config_home / "autostart" / "cramp-coach.desktop"


def test_enable_writes_a_background_autostart_entry(isolated_home: Path) -> None:
    config_home = Path(os.environ["XDG_CONFIG_HOME"])
    entry = XdgAutostart(COMMAND)
    assert not entry.is_enabled()

    written = entry.enable()

    assert written == autostart_file(config_home)
    keys = read_desktop(written.read_text(encoding="utf-8"))
    assert keys["Type"] == "Application"
    assert keys["Name"] == "Cramp Coach"
    assert "--background" in keys["Exec"]
    assert parse_exec(keys["Exec"]) == COMMAND
    assert keys["X-GNOME-Autostart-enabled"] == "true"
    assert keys.get("Hidden", "false") != "true"
    assert entry.is_enabled()


def test_disable_removes_the_entry_and_is_safe_to_repeat() -> None:
    entry = XdgAutostart(COMMAND)
    written = entry.enable()
    assert entry.disable() is True
    assert not written.exists()
    assert not entry.is_enabled()
    assert entry.disable() is False


def test_enable_twice_replaces_the_file_and_leaves_no_temporary_files() -> None:
    first = XdgAutostart(["/old/cramp-coach", "--background"]).enable()
    second = XdgAutostart(COMMAND).enable()
    assert first == second
    assert parse_exec(read_desktop(second.read_text(encoding="utf-8"))["Exec"]) == COMMAND
    assert sorted(p.name for p in second.parent.iterdir()) == ["cramp-coach.desktop"]


def test_honours_xdg_config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(elsewhere))
    assert XdgAutostart(COMMAND).enable() == autostart_file(elsewhere)


@pytest.mark.parametrize("value", ["", "relative/config"])
def test_unset_or_relative_xdg_config_home_means_dot_config(
        value: str, isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", value)
    assert XdgAutostart(COMMAND).enable() == autostart_file(isolated_home / ".config")


@pytest.mark.parametrize("switched_off", ["Hidden=true", "X-GNOME-Autostart-enabled=false"])
def test_entry_switched_off_by_the_desktop_counts_as_disabled(switched_off: str) -> None:
    entry = XdgAutostart(COMMAND)
    path = entry.enable()
    path.write_text(path.read_text(encoding="utf-8").replace(
        "X-GNOME-Autostart-enabled=true", switched_off), encoding="utf-8")
    assert not entry.is_enabled()
    entry.enable()
    assert entry.is_enabled()


def test_an_unwritable_location_raises_oserror_and_leaves_nothing_behind() -> None:
    autostart_dir = Path(os.environ["XDG_CONFIG_HOME"]) / "autostart"
    autostart_dir.mkdir()
    (autostart_dir / "cramp-coach.desktop").mkdir()  # a folder where the file should go
    with pytest.raises(OSError):
        XdgAutostart(COMMAND).enable()
    assert sorted(p.name for p in autostart_dir.iterdir()) == ["cramp-coach.desktop"]


# -- the Exec line --------------------------------------------------------------


@pytest.mark.parametrize("command", [
    ["/usr/bin/cramp-coach", "--background"],
    ["/home/ann/My Apps/venv/bin/python", "-m", "coach", "--background"],
    ["/opt/it's/cramp-coach", "--background"],
    ["/opt/$HOME `x`/\"q\"/back\\slash/cramp-coach", "--background"],
    ["/opt/100%/cramp-coach", "--background"],
    ["/opt/tab\there;&|<>~*?#()/cramp-coach", ""],
])
def test_exec_value_survives_the_launchers_unquoting(command: list[str]) -> None:
    started = ["/usr/bin/env", *command] if "%" in command[0] else command  # see below
    assert parse_exec(exec_value(command)) == started


def test_exec_value_leaves_plain_arguments_alone_and_quotes_spaces() -> None:
    assert exec_value(["/usr/bin/cramp-coach", "--background"]) == (
        "/usr/bin/cramp-coach --background")
    assert exec_value(COMMAND) == '"/opt/cramp coach/bin/cramp-coach" --background'
    # A backslash in a quoted argument is written as four, as the spec demands.
    assert exec_value(["/a b\\c"]) == '"/a b\\\\\\\\c"'


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-utils not installed")
def test_generated_entry_passes_desktop_file_validate(tmp_path: Path) -> None:
    path = tmp_path / "cramp-coach.desktop"
    path.write_text(desktop_entry(["/opt/my $apps/cramp-coach", "--background"]),
                    encoding="utf-8")
    result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# -- the command itself ---------------------------------------------------------


def test_launch_command_is_this_installation_not_the_first_on_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An install audit's case: the login started whichever cramp-coach came
    first on PATH (an older copy, or a relative .venv/bin one that the
    session could not find); the menu entry already used this installation's."""
    elsewhere = tmp_path / "old" / "cramp-coach"
    elsewhere.parent.mkdir()
    elsewhere.write_text("#!/bin/sh\n")
    elsewhere.chmod(0o755)
    monkeypatch.setenv("PATH", f"{elsewhere.parent}{os.pathsep}{os.environ['PATH']}")
    assert launch_command() == [*installed_command(), "--background"]
    assert str(elsewhere) not in launch_command()


def test_the_entry_is_skipped_once_this_installation_is_gone() -> None:
    """After pipx uninstall the login tried a program that was no more."""
    entry = read_desktop(desktop_entry(["/home/ann/.local/bin/cramp-coach", "--background"]))
    assert entry["TryExec"] == "/home/ann/.local/bin/cramp-coach"


def test_enable_without_a_command_uses_the_launch_command() -> None:
    path = XdgAutostart().enable()
    exec_line = read_desktop(path.read_text(encoding="utf-8"))["Exec"]
    assert parse_exec(exec_line) == launch_command()


# -- macOS: LaunchAgent ---------------------------------------------------------


def test_launch_agent_plist_runs_the_command_once_at_login() -> None:
    agent = plistlib.loads(launch_agent_plist(COMMAND))
    assert agent["Label"] == LAUNCH_AGENT_LABEL
    assert agent["ProgramArguments"] == COMMAND
    assert agent["RunAtLoad"] is True
    assert "KeepAlive" not in agent  # quitting from the tray must stick


def test_mac_agent_is_written_to_launch_agents(isolated_home: Path) -> None:
    agent = MacLaunchAgent(COMMAND)
    path = agent.enable()
    assert path == isolated_home / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"
    assert plistlib.loads(path.read_bytes())["ProgramArguments"] == COMMAND
    assert agent.is_enabled()
    assert agent.disable() is True
    assert not agent.is_enabled()
    assert agent.disable() is False


def test_mac_agent_disabled_or_corrupt_counts_as_off() -> None:
    agent = MacLaunchAgent(COMMAND)
    path = agent.enable()
    path.write_bytes(plistlib.dumps({"Label": LAUNCH_AGENT_LABEL, "Disabled": True}))
    assert not agent.is_enabled()
    path.write_bytes(b"not a plist")
    assert not agent.is_enabled()


# -- Windows: Run key -----------------------------------------------------------


class DictRegistry:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def read(self, name: str) -> str | None:
        return self.values.get(name)

    def write(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete(self, name: str) -> bool:
        return self.values.pop(name, None) is not None


def test_windows_run_value_quotes_paths_with_spaces() -> None:
    exe = r"C:\Users\Ann Lee\AppData\Local\Programs\Python\Python311\python.exe"
    assert windows_run_value([exe, "-m", "coach", "--background"]) == (
        f'"{exe}" -m coach --background')
    assert windows_run_value([r"C:\Tools\cramp-coach.exe", "--background"]) == (
        r"C:\Tools\cramp-coach.exe --background")
    assert windows_run_value([r"C:\a b\x.exe", 'say "hi"']) == (
        r'"C:\a b\x.exe" "say \"hi\""')


def test_windows_run_key_enable_disable() -> None:
    registry = DictRegistry()
    run_key = WindowsRunKey([r"C:\Program Files\Cramp Coach\cramp-coach.exe", "--background"],
                            registry)
    assert not run_key.is_enabled()
    where = run_key.enable()
    assert where == f"HKEY_CURRENT_USER\\{RUN_KEY}\\{RUN_VALUE_NAME}"
    assert registry.values == {
        RUN_VALUE_NAME: r'"C:\Program Files\Cramp Coach\cramp-coach.exe" --background'}
    assert run_key.is_enabled()
    assert run_key.disable() is True
    assert run_key.disable() is False
    assert not run_key.is_enabled()


@pytest.mark.skipif(sys.platform == "win32", reason="the real registry exists here")
def test_windows_run_key_elsewhere_fails_as_an_oserror_on_use() -> None:
    run_key = WindowsRunKey(COMMAND)  # building it is fine on any OS
    with pytest.raises(OSError, match="only on Windows"):
        run_key.enable()


# -- choosing, and the fake -----------------------------------------------------


@pytest.mark.parametrize(("platform", "kind"), [
    ("linux", XdgAutostart), ("freebsd14", XdgAutostart),
    ("win32", WindowsRunKey), ("darwin", MacLaunchAgent),
])
def test_autostart_for_platform(platform: str, kind: type) -> None:
    assert isinstance(autostart_for_platform(platform), kind)


def test_fake_autostart() -> None:
    fake = FakeAutostart()
    assert not fake.is_enabled()
    assert fake.enable()
    assert fake.is_enabled()
    assert fake.disable() is True
    assert fake.disable() is False
    broken = FakeAutostart(error=PermissionError("read-only home"))
    with pytest.raises(OSError, match="read-only"):
        broken.enable()


# -- the application-menu launcher ----------------------------------------------


def test_packaged_launcher_has_the_emergency_action() -> None:
    text = PACKAGED_DESKTOP_FILE.read_text(encoding="utf-8")
    entry = read_desktop(text)
    assert entry["Name"] == "Cramp Coach"
    assert entry["Exec"] == "cramp-coach"
    assert entry["Icon"] == "cramp-coach"
    assert entry["Categories"] == "Utility;MedicalSoftware;"
    assert entry["Keywords"] == "cramp;leg;stretch;emergency;first aid;"
    assert "судорога" in entry["Keywords[ru]"]
    assert entry["Actions"] == "emergency;"
    action = read_desktop(text, "Desktop Action emergency")
    assert action["Name"] == "Cramp now!"
    assert action["Exec"] == "cramp-coach --emergency"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-utils not installed")
def test_packaged_launcher_passes_desktop_file_validate() -> None:
    result = subprocess.run(["desktop-file-validate", str(PACKAGED_DESKTOP_FILE)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_program_under_a_percent_sign_is_started_through_env() -> None:
    """An install audit's case: installed under ".../100%/bin", the entry
    read Exec=.../100%%/cramp-coach, and GLib looked for a program of that
    name: no menu entry, and no start at login."""
    program = "/opt/100%/bin/cramp-coach"
    entry = read_desktop(desktop_entry([program, "--background"]))
    assert parse_exec(entry["Exec"]) == ["/usr/bin/env", program, "--background"]
    assert entry["TryExec"] == program  # a plain string there: no field codes
