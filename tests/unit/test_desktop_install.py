"""``cramp-coach install-desktop``: the launcher, icon and metainfo in a
temporary data home, checked by the desktop's own validators, by GLib
launching the entry and by Qt resolving the icon; the whole route a person
takes (wheel, pipx, install-desktop, --remove) once; and the GNOME shortcut
through the real gsettings, with a copy of GNOME's schema and a keyfile
backend in the test's own config folder."""

from __future__ import annotations

import ast
import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach import __version__, cli, resources
from coach.core.settings import Settings
from coach.services import desktop
from coach.services.autostart import installed_command
from tests.unit.test_autostart import parse_exec, read_desktop

pytestmark = pytest.mark.usefixtures("cli_logging")  # cli.main sets up logging

ROOT = Path(__file__).resolve().parents[2]
HAS_DESKTOP_FILE_VALIDATE = shutil.which("desktop-file-validate") is not None
HAS_APPSTREAMCLI = shutil.which("appstreamcli") is not None


def data_home() -> Path:
    return Path(os.environ["XDG_DATA_HOME"])


def launcher(home: Path | None = None) -> Path:
    return (home or data_home()) / "applications" / "cramp-coach.desktop"


def icon(home: Path | None = None) -> Path:
    return (home or data_home()) / "icons" / "hicolor" / "scalable" / "apps" / "cramp-coach.svg"


def metainfo(home: Path | None = None) -> Path:
    return (home or data_home()) / "metainfo" / "io.github.cramp_coach.metainfo.xml"


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(["install-desktop", *args])
    out, err = capsys.readouterr()
    return status, out, err


def check_desktop_file(path: Path) -> None:
    """desktop-file-validate exits 0 with hints; errors and warnings fail."""
    result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True,
                            text=True, timeout=60, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert " error: " not in output and " warning: " not in output, output


def check_metainfo(path: Path) -> str:
    result = subprocess.run(["appstreamcli", "validate", "--no-net", "--pedantic", str(path)],
                            capture_output=True, text=True, timeout=60, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert not [line for line in output.splitlines() if line[:2] in ("E:", "W:")], output
    return output


# -- what goes where ------------------------------------------------------------


def test_install_puts_the_three_files_in_the_data_home_and_says_where(
        capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_cli(capsys)

    assert (status, err) == (0, "")
    for path in (launcher(), icon(), metainfo()):
        assert str(path) in out
    assert icon().read_bytes() == resources.icon_path().read_bytes()
    assert metainfo().read_bytes() == (
        resources.packaging_dir() / "io.github.cramp_coach.metainfo.xml").read_bytes()
    assert sorted(files_under(data_home())) == [
        "applications/cramp-coach.desktop", "icons/hicolor/scalable/apps/cramp-coach.svg",
        "metainfo/io.github.cramp_coach.metainfo.xml"]
    assert oct(launcher().stat().st_mode & 0o777) == oct(0o644)


def test_the_launcher_starts_this_installation_and_keeps_cramp_now(
        capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(capsys)
    text = launcher().read_text(encoding="utf-8")
    entry = read_desktop(text)
    command = installed_command()
    assert parse_exec(entry["Exec"]) == command
    assert entry["TryExec"] == command[0] and os.path.isabs(command[0])
    assert entry["Icon"] == "cramp-coach"
    assert entry["Name"] == "Cramp Coach"
    assert entry["Actions"] == "emergency;"
    action = read_desktop(text, "Desktop Action emergency")
    assert action["Name"] == "Cramp now!"
    assert parse_exec(action["Exec"]) == [*command, "--emergency"]


def test_installed_command_is_the_script_of_this_installation(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scripts = tmp_path / "my venv" / "bin"
    scripts.mkdir(parents=True)
    monkeypatch.setattr(sysconfig, "get_path", lambda name, scheme: str(scripts))
    # No script: run from this source checkout, its main.py by absolute path
    # ("-m coach" works only from inside the checkout's folder).
    checkout = [sys.executable, str(ROOT / "main.py")]
    assert installed_command() == checkout
    script = scripts / "cramp-coach"
    script.write_text("#!/bin/sh\n")
    assert installed_command() == checkout  # not runnable
    script.chmod(0o755)
    assert installed_command() == [str(script)]


@pytest.mark.parametrize("command", [
    ["/home/ann/My Apps/bin/cramp-coach"],
    ["/opt/it's $HOME/100%/cramp-coach"],
    ["/usr/bin/python3", "-m", "coach"],
])
def test_exec_lines_survive_the_launchers_unquoting(command: list[str]) -> None:
    template = (resources.packaging_dir() / "cramp-coach.desktop").read_text(encoding="utf-8")
    text = desktop.launcher_text(template, command)
    # A program under a "%" starts through env (autostart.exec_value says why).
    started = ["/usr/bin/env", *command] if "%" in command[0] else command
    assert parse_exec(read_desktop(text)["Exec"]) == started
    action = read_desktop(text, "Desktop Action emergency")
    assert parse_exec(action["Exec"]) == [*started, "--emergency"]


@pytest.mark.skipif(shutil.which("gio") is None, reason="GLib's gio tool is not installed")
@pytest.mark.parametrize("folder", ["a folder with spaces", "100%"])
def test_glib_launches_the_installed_entry_with_the_right_arguments(
        tmp_path: Path, folder: str) -> None:
    """GLib is what GNOME, Cinnamon, Budgie and Xfce's menus launch with.
    Under a "%" it had found no program (an install audit)."""
    record = tmp_path / "argv"
    script = tmp_path / folder / "cramp-coach"
    script.parent.mkdir()
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$0" "$@" > {shlex.quote(str(record))}\n')
    script.chmod(0o755)
    desktop.install([str(script)])
    subprocess.run(["gio", "launch", str(launcher())], check=True, timeout=30)
    deadline = time.monotonic() + 10
    while not record.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert record.read_text().splitlines() == [str(script)]


def test_the_icon_name_resolves_in_the_hicolor_theme(qapp: object) -> None:
    """Icon=cramp-coach, looked up by Qt by the Icon Theme spec: the theme's
    index.theme from the system, its folders searched in the data home too."""
    from PySide6.QtGui import QIcon

    system_hicolor = [Path(p) / "icons" for p in ("/usr/share", "/usr/local/share")
                      if (Path(p) / "icons" / "hicolor" / "index.theme").is_file()]
    if not system_hicolor:
        pytest.skip("no hicolor index.theme on this machine (hicolor-icon-theme)")
    saved = (QIcon.themeSearchPaths(), QIcon.themeName(), QIcon.fallbackThemeName())
    try:
        QIcon.setThemeName("hicolor")
        QIcon.setFallbackThemeName("hicolor")
        QIcon.setThemeSearchPaths([str(data_home() / "icons"), *map(str, system_hicolor)])
        assert QIcon.fromTheme("cramp-coach").isNull()
        desktop.install(["/usr/bin/cramp-coach"])
        QIcon.setThemeSearchPaths([str(data_home() / "icons"), *map(str, system_hicolor)])
        found = QIcon.fromTheme("cramp-coach")
        assert not found.isNull()
        assert not found.pixmap(64, 64).isNull()
    finally:
        QIcon.setThemeSearchPaths(saved[0])
        QIcon.setThemeName(saved[1])
        QIcon.setFallbackThemeName(saved[2])


@pytest.mark.skipif(not HAS_DESKTOP_FILE_VALIDATE or not HAS_APPSTREAMCLI,
                    reason="desktop-file-utils or appstream not installed (.ci/system-packages)")
def test_the_validators_accept_the_installed_files(capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(capsys)
    check_desktop_file(launcher())
    check_metainfo(metainfo())


def test_the_metainfo_says_what_the_brief_asks() -> None:
    import xml.etree.ElementTree as ET

    component = ET.parse(resources.packaging_dir() / desktop.METAINFO_NAME).getroot()
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == desktop.COMPONENT_ID
    assert component.findtext("metadata_license") == "CC0-1.0"
    assert component.findtext("project_license") == "MIT"
    assert component.findtext("launchable") == "cramp-coach.desktop"
    assert component.find("content_rating") is not None
    keywords = {k.text for k in component.iter("keyword")}
    assert {"emergency", "first aid", "cramp"} <= keywords
    assert {c.text for c in component.iter("category")} == {"Utility", "MedicalSoftware"}
    # A software centre shows this version: it must be the one installed.
    release = component.find("releases/release")
    assert release is not None and release.get("version") == __version__


def test_license_file_is_mit() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "Copyright (c) 2026 The Cramp Coach authors" in text


# -- twice, and back out --------------------------------------------------------


def test_installing_twice_is_harmless(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys)[0] == 0
    first = files_under(data_home())
    assert run_cli(capsys)[0] == 0
    assert files_under(data_home()) == first  # same files, no temporary leftovers


def test_a_failed_install_leaves_no_icon_without_a_launcher(
        capsys: pytest.CaptureFixture[str]) -> None:
    """The launcher is written last; when it cannot be (here its folder is a
    file, which stops root too), the icon, the metainfo and the folders
    this run added go."""
    (data_home() / "applications").write_bytes(b"not a folder")
    status, _out, err = run_cli(capsys)
    assert status != 0 and "could not write the launcher" in err
    assert sorted(p.name for p in data_home().iterdir()) == ["applications"]


def test_a_failed_reinstall_keeps_the_earlier_install(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys)[0] == 0
    before = files_under(data_home())
    launcher().unlink()
    launcher().parent.rmdir()
    launcher().parent.write_bytes(b"not a folder")
    assert run_cli(capsys)[0] != 0
    assert icon().read_bytes() == before["icons/hicolor/scalable/apps/cramp-coach.svg"]
    assert metainfo().is_file()


def test_remove_takes_away_exactly_what_install_put_there(
        capsys: pytest.CaptureFixture[str]) -> None:
    others = {"applications/other.desktop": b"[Desktop Entry]\n",
              "icons/hicolor/scalable/apps/other.svg": b"<svg/>",
              "metainfo/org.example.other.metainfo.xml": b"<component/>"}
    for name, content in others.items():
        (data_home() / name).parent.mkdir(parents=True, exist_ok=True)
        (data_home() / name).write_bytes(content)
    run_cli(capsys)

    status, out, err = run_cli(capsys, "--remove")

    assert (status, err) == (0, "")
    assert files_under(data_home()) == others
    for path in (launcher(), icon(), metainfo()):
        assert f": {path}" in out
    status, out, err = run_cli(capsys, "--remove")
    assert (status, err) == (0, "")
    assert "nothing was removed" in out


def test_unset_or_relative_xdg_data_home_means_dot_local_share(
        isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for value in ("", "relative/share"):
        monkeypatch.setenv("XDG_DATA_HOME", value)
        assert desktop.installed_files()[desktop.LAUNCHER] == launcher(
            isolated_home / ".local" / "share")


# -- caches ---------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("gtk-update-icon-cache") is None
                    or shutil.which("update-desktop-database") is None,
                    reason="gtk-update-icon-cache or update-desktop-database not installed")
def test_existing_caches_are_refreshed_and_none_are_made(
        capsys: pytest.CaptureFixture[str]) -> None:
    hicolor = data_home() / "icons" / "hicolor"
    run_cli(capsys)
    assert not (hicolor / "icon-theme.cache").exists()
    assert not (data_home() / "applications" / "mimeinfo.cache").exists()
    run_cli(capsys, "--remove")

    (hicolor / "scalable" / "apps" / "other.svg").write_bytes(resources.icon_path().read_bytes())
    subprocess.run(["gtk-update-icon-cache", "-q", "-t", str(hicolor)], check=True)
    subprocess.run(["update-desktop-database", str(data_home() / "applications")], check=True)
    assert b"cramp-coach" not in (hicolor / "icon-theme.cache").read_bytes()

    status, out, _ = run_cli(capsys)
    assert status == 0
    assert b"cramp-coach" in (hicolor / "icon-theme.cache").read_bytes()
    assert f"Refreshed {hicolor / 'icon-theme.cache'}" in out
    assert f"Refreshed {data_home() / 'applications' / 'mimeinfo.cache'}" in out

    run_cli(capsys, "--remove")
    assert b"cramp-coach" not in (hicolor / "icon-theme.cache").read_bytes()


def test_a_cache_tool_that_fails_does_not_fail_the_command(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    tools = tmp_path / "tools"
    tools.mkdir()
    broken = tools / "gtk-update-icon-cache"
    broken.write_text("#!/bin/sh\necho 'gtk-update-icon-cache: disk on fire' >&2\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    cache = data_home() / "icons" / "hicolor" / "icon-theme.cache"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"old")

    status, _, err = run_cli(capsys)

    assert status == 0 and launcher().is_file()
    assert err.strip().splitlines() == [
        f"Note: gtk-update-icon-cache could not refresh {cache}: "
        "gtk-update-icon-cache: disk on fire"]


# -- failures: one line, non-zero -----------------------------------------------


def test_a_folder_in_the_way_is_one_line_and_a_failure(
        capsys: pytest.CaptureFixture[str]) -> None:
    blocker = data_home() / "icons"
    blocker.write_text("not a folder")
    status, out, err = run_cli(capsys)
    assert status == 1 and out == ""
    assert err.splitlines() == [
        f"cramp-coach install-desktop: could not write the icon to {icon()}: "
        f"a file is in the way where a folder is needed: {blocker}"]
    assert not launcher().exists()  # the launcher comes last, never pointing at nothing


def test_a_read_only_launcher_is_left_alone_with_one_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    launcher().parent.mkdir(parents=True)
    launcher().write_text("[Desktop Entry]\nName=Mine\n")
    launcher().chmod(0o444)
    status, _, err = run_cli(capsys)
    assert status == 1
    assert err.splitlines() == [f"cramp-coach install-desktop: could not write the launcher "
                                f"to {launcher()}: the file is read-only"]
    assert launcher().read_text() == "[Desktop Entry]\nName=Mine\n"


def test_a_remove_that_fails_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(capsys)
    launcher().unlink()
    launcher().mkdir()  # unlink() cannot take a folder
    status, _, err = run_cli(capsys, "--remove")
    assert status == 1
    assert err.splitlines()[0].startswith(
        f"cramp-coach install-desktop: could not remove the launcher {launcher()}: ")
    assert len(err.splitlines()) == 1


def test_a_broken_installation_says_what_is_missing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(resources, "packaging_dir", lambda: tmp_path / "gone")
    status, _, err = run_cli(capsys)
    assert status == 1
    assert err.splitlines() == [
        f"cramp-coach install-desktop: this installation of Cramp Coach is missing "
        f"{tmp_path / 'gone' / 'cramp-coach.desktop'} (No such file or directory); reinstall it"]
    assert not data_home().joinpath("icons").exists()


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_elsewhere_it_says_it_is_for_linux(platform: str, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    status, _, err = run_cli(capsys)
    assert status == 1 and len(err.splitlines()) == 1 and "Linux" in err
    assert not launcher().exists()


# -- offered once ---------------------------------------------------------------


def test_offered_on_linux_once_and_only_when_not_in_the_menu(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    system = tmp_path / "usr-share"
    monkeypatch.setenv("XDG_DATA_DIRS", str(system))
    assert desktop.should_offer(False, "linux")
    assert not desktop.should_offer(True, "linux")
    assert not desktop.should_offer(False, "win32")
    assert not desktop.should_offer(False, "darwin")
    assert desktop.should_offer(False, "freebsd14")
    (system / "applications").mkdir(parents=True)
    (system / "applications" / "cramp-coach.desktop").write_text("[Desktop Entry]\n")
    assert not desktop.should_offer(False, "linux")  # a distribution's package has one
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "elsewhere"))
    desktop.install(["/usr/bin/cramp-coach"])
    assert not desktop.should_offer(False, "linux")


def test_the_offered_flag_is_a_setting_repaired_like_the_others() -> None:
    assert Settings().desktop_offered is False
    assert Settings.from_json(Settings(desktop_offered=True).to_json()) == (
        Settings(desktop_offered=True), [])
    repaired, warnings = Settings.from_json({"desktop_offered": "yes"})
    assert repaired.desktop_offered is False
    assert len(warnings) == 1 and "'desktop_offered' was reset" in warnings[0]


# -- the real route: wheel, pipx, install-desktop, --remove -----------------------


@pytest.fixture(scope="module")
def pipx() -> list[str]:
    if importlib.util.find_spec("pipx") is not None:
        return [sys.executable, "-m", "pipx"]
    found = shutil.which("pipx")
    if found is None:
        pytest.skip("pipx is not installed (the [test] extra brings it)")
    return [found]


@pytest.mark.skipif(not HAS_DESKTOP_FILE_VALIDATE or not HAS_APPSTREAMCLI,
                    reason="desktop-file-utils or appstream not installed (.ci/system-packages)")
def test_wheel_then_pipx_then_install_desktop_then_remove(pipx: list[str],
                                                          tmp_path: Path) -> None:
    """Once, end to end, as the README tells a person to do it."""
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                            str(tmp_path / "dist"), str(ROOT)], capture_output=True, text=True,
                           timeout=600, check=False)
    assert build.returncode == 0, build.stderr
    [wheel] = (tmp_path / "dist").glob("cramp_coach-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {"coach/_data/packaging/cramp-coach.desktop",
            "coach/_data/packaging/io.github.cramp_coach.metainfo.xml",
            "coach/_data/assets/icons/cramp-coach.svg"} <= names

    env = dict(os.environ, PIPX_HOME=str(tmp_path / "pipx"),
               PIPX_BIN_DIR=str(tmp_path / "bin"), PIPX_MAN_DIR=str(tmp_path / "man"),
               XDG_DATA_HOME=str(tmp_path / "share"))
    env.pop("PYTHONPATH", None)
    installed = subprocess.run([*pipx, "install", str(wheel)], capture_output=True, text=True,
                               env=env, timeout=900, check=False)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    script = tmp_path / "bin" / "cramp-coach"

    def cramp_coach(*args: str) -> subprocess.CompletedProcess[str]:
        # From another folder, so nothing can come from this checkout.
        return subprocess.run([str(script), *args], capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=120, check=False)

    home = tmp_path / "share"
    for _ in range(2):  # twice is harmless
        result = cramp_coach("install-desktop")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
    for path in (launcher(home), icon(home), metainfo(home)):
        assert str(path) in result.stdout
    check_desktop_file(launcher(home))
    print(check_metainfo(metainfo(home)))

    entry = read_desktop(launcher(home).read_text(encoding="utf-8"))
    command = parse_exec(entry["Exec"])
    assert command[0].startswith(str(tmp_path / "pipx")), command  # this installation
    started = subprocess.run([*command, "--version"], capture_output=True, text=True,
                             env=env, cwd=tmp_path, timeout=120, check=False)
    assert started.stdout.strip() == f"cramp-coach {__version__}", started.stderr

    result = cramp_coach("install-desktop", "--remove")
    assert result.returncode == 0, result.stderr
    assert not [p for p in home.rglob("*") if p.is_file()]


# -- the GNOME shortcut -----------------------------------------------------------

# The parts of gnome-settings-daemon's org.gnome.settings-daemon.plugins.media-keys
# schema (GNOME 43) that the shortcut touches, with the "help" key's default
# that takes Super+F1.
MEDIA_KEYS_SCHEMA = """<?xml version="1.0" encoding="UTF-8"?>
<schemalist>
  <schema id="org.gnome.settings-daemon.plugins.media-keys"
          path="/org/gnome/settings-daemon/plugins/media-keys/">
    <key name="custom-keybindings" type="as"><default>[]</default></key>
    <key name="help" type="as"><default>['', '&lt;Super&gt;F1']</default></key>
    <key name="screensaver" type="as"><default>['&lt;Super&gt;l']</default></key>
  </schema>
  <schema id="org.gnome.settings-daemon.plugins.media-keys.custom-keybinding">
    <key name="name" type="s"><default>''</default></key>
    <key name="binding" type="s"><default>''</default></key>
    <key name="command" type="s"><default>''</default></key>
  </schema>
</schemalist>
"""
CUSTOM0 = "/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/custom0/"
COMMAND = ["/home/ann/My Apps/bin/cramp-coach"]


@pytest.fixture
def gnome(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if shutil.which("gsettings") is None or shutil.which("glib-compile-schemas") is None:
        pytest.skip("gsettings and glib-compile-schemas (GLib) are not installed")
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "org.gnome.settings-daemon.plugins.media-keys.gschema.xml").write_text(
        MEDIA_KEYS_SCHEMA)
    subprocess.run(["glib-compile-schemas", str(schemas)], check=True, timeout=60)
    monkeypatch.setenv("GSETTINGS_SCHEMA_DIR", str(schemas))
    monkeypatch.setenv("GSETTINGS_BACKEND", "keyfile")  # under the test's XDG_CONFIG_HOME
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "ubuntu:GNOME")
    yield


def gsettings(*args: str) -> str:
    return subprocess.run(["gsettings", *args], capture_output=True, text=True, check=True,
                          timeout=30).stdout.strip()


def ours(key: str) -> str:
    return gsettings("get", f"{desktop.CUSTOM_KEYBINDING}:{desktop.SHORTCUT_PATH}", key)


def add_custom0(binding: str) -> None:
    gsettings("set", f"{desktop.CUSTOM_KEYBINDING}:{CUSTOM0}", "binding", f"'{binding}'")
    gsettings("set", f"{desktop.CUSTOM_KEYBINDING}:{CUSTOM0}", "command", "'gnome-calculator'")
    gsettings("set", desktop.MEDIA_KEYS, "custom-keybindings", f"['{CUSTOM0}']")


def test_shortcut_is_available_only_on_gnome_with_the_schema(
        gnome: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert desktop.shortcut_available()
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "KDE")
    assert not desktop.shortcut_available()
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "GNOME")
    monkeypatch.setenv("GSETTINGS_SCHEMA_DIR", str(tmp_path / "none"))
    assert not desktop.shortcut_available()
    monkeypatch.setenv("PATH", str(tmp_path / "none"))
    assert not desktop.shortcut_available()


def test_add_shortcut_binds_ctrl_alt_c_to_cramp_now(gnome: None) -> None:
    assert desktop.current_shortcut() is None

    binding = desktop.add_shortcut(COMMAND)

    assert binding == "<Control><Alt>c"
    assert desktop.shortcut_label(binding) == "Ctrl+Alt+C"
    assert gsettings("get", desktop.MEDIA_KEYS, "custom-keybindings") == (
        f"['{desktop.SHORTCUT_PATH}']")
    assert ours("binding") == "'<Control><Alt>c'"
    assert ours("name") == "'Cramp Coach: Cramp now!'"
    # GNOME splits the command by shell rules (g_shell_parse_argv).
    command = gsettings("get", f"{desktop.CUSTOM_KEYBINDING}:{desktop.SHORTCUT_PATH}",
                        "command")
    assert shlex.split(ast.literal_eval(command)) == [*COMMAND, "--emergency"]
    assert desktop.current_shortcut() == "<Control><Alt>c"


def test_super_f1_is_gnomes_help_key_so_it_is_not_taken(gnome: None) -> None:
    assert desktop.add_shortcut(COMMAND, ("<Super>F1", "<Control><Alt>c")) == "<Control><Alt>c"


def test_a_key_another_custom_shortcut_uses_is_skipped_and_that_one_kept(gnome: None) -> None:
    add_custom0("<Primary><Alt>C")  # the same keys as Ctrl+Alt+C, spelt as GTK does
    assert desktop.add_shortcut(COMMAND) == "<Super>c"
    assert gsettings("get", desktop.MEDIA_KEYS, "custom-keybindings") == (
        f"['{CUSTOM0}', '{desktop.SHORTCUT_PATH}']")


def test_when_every_choice_is_taken_nothing_is_written(gnome: None) -> None:
    add_custom0("<Ctrl><Alt>c")
    with pytest.raises(desktop.DesktopError, match=r"Ctrl\+Alt\+C and Super\+L are already"):
        desktop.add_shortcut(COMMAND, ("<Control><Alt>c", "<Super>l"))
    assert gsettings("get", desktop.MEDIA_KEYS, "custom-keybindings") == f"['{CUSTOM0}']"
    assert ours("command") == "''"


def test_adding_twice_keeps_the_key_and_updates_the_command(gnome: None) -> None:
    desktop.add_shortcut(["/old/cramp-coach"], ("<Super>c",))  # say, Ctrl+Alt+C was taken
    add_custom0("<Super>x")
    gsettings("set", desktop.MEDIA_KEYS, "custom-keybindings",
              f"['{desktop.SHORTCUT_PATH}', '{CUSTOM0}']")
    assert desktop.add_shortcut(COMMAND) == "<Super>c"
    assert gsettings("get", desktop.MEDIA_KEYS, "custom-keybindings") == (
        f"['{desktop.SHORTCUT_PATH}', '{CUSTOM0}']")
    assert "/old/" not in ours("command")


def test_remove_shortcut_takes_only_ours_away(gnome: None) -> None:
    add_custom0("<Super>x")
    desktop.add_shortcut(COMMAND)
    assert desktop.remove_shortcut() is True
    assert gsettings("get", desktop.MEDIA_KEYS, "custom-keybindings") == f"['{CUSTOM0}']"
    assert ours("binding") == "''" and ours("command") == "''"
    assert desktop.current_shortcut() is None
    assert desktop.remove_shortcut() is False


def test_a_gsettings_failure_is_one_line(gnome: None, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GSETTINGS_SCHEMA_DIR", str(tmp_path / "none"))
    with pytest.raises(desktop.DesktopError) as caught:
        desktop.add_shortcut(COMMAND)
    assert str(caught.value).startswith("gsettings get failed: ")
    assert "\n" not in str(caught.value)

