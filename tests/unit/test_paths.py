"""Paths follow the XDG variables at call time, so tests and users can move them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from coach.core import paths

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="XDG variables are a Linux convention")


def test_paths_live_under_the_xdg_folders(isolated_home: Path) -> None:
    config = isolated_home / ".config" / "cramp-coach"
    data = isolated_home / ".local" / "share" / "cramp-coach"
    assert paths.config_dir() == config
    assert paths.data_dir() == data
    assert paths.state_dir() == isolated_home / ".local" / "state" / "cramp-coach"
    assert paths.settings_file() == config / "settings.json"
    assert paths.diary_file() == data / "diary.sqlite3"
    assert paths.user_content_dir() == data / "routines"


def test_a_changed_variable_is_honoured_without_reimporting(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert paths.settings_file() == tmp_path / "elsewhere" / "cramp-coach" / "settings.json"
    assert paths.user_content_dir() == tmp_path / "data" / "cramp-coach" / "routines"
    assert paths.state_dir() == tmp_path / "state" / "cramp-coach"


def test_nothing_is_created_just_by_asking(isolated_home: Path) -> None:
    paths.settings_file()
    paths.diary_file()
    assert not paths.config_dir().exists() and not paths.data_dir().exists()


def test_the_log_lives_in_the_state_folder(isolated_home: Path) -> None:
    state = isolated_home / ".local" / "state" / "cramp-coach"
    assert paths.log_file() == state / "cramp-coach.log"


@pytest.mark.parametrize("value", ["", "relative/folder", "/absolute/folder"])
@pytest.mark.parametrize("home", ["/home/someone", "relative-home", ""])
def test_the_xdg_rule_answers_as_platformdirs_does(
        value: str, home: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The folders are worked out by hand on Linux (the first paint cannot
    afford platformdirs' import); platformdirs, which answers on the other
    platforms, is the reference for what the XDG rule gives."""
    import platformdirs

    monkeypatch.setenv("HOME", home)
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, value)
    unix = platformdirs.PlatformDirs(paths.APP_DIR_NAME, appauthor=False)
    assert paths.config_dir() == unix.user_config_path
    assert paths.data_dir() == unix.user_data_path
    assert paths.state_dir() == unix.user_state_path
    assert paths.cache_dir() == unix.user_cache_path



def test_off_the_xdg_desktops_platformdirs_answers_each_kind(
        isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows and macOS are not run here; what can be checked is that each
    folder asks platformdirs for its own kind, without an author folder."""
    import platformdirs

    monkeypatch.setattr(sys, "platform", "win32")
    asked: list[tuple[str, str, object]] = []
    for kind in ("config", "data", "state", "cache"):
        def answer(name: str, appauthor: object, kind: str = kind) -> Path:
            asked.append((kind, name, appauthor))
            return Path("/elsewhere") / kind / name
        monkeypatch.setattr(platformdirs, f"user_{kind}_path", answer)
    assert paths.settings_file() == Path("/elsewhere/config/cramp-coach/settings.json")
    assert paths.diary_file() == Path("/elsewhere/data/cramp-coach/diary.sqlite3")
    assert paths.log_file() == Path("/elsewhere/state/cramp-coach/cramp-coach.log")
    assert paths.first_screen_file() == Path("/elsewhere/cache/cramp-coach/first-screen.json")
    assert [(kind, appauthor) for kind, _name, appauthor in asked] == [
        ("config", False), ("data", False), ("state", False), ("cache", False)]


@pytest.mark.parametrize("argv", [["paths"], ["validate"], ["reminder", "show"]])
def test_with_no_home_folder_anywhere_a_command_says_what_to_set(
        argv: list[str], isolated_home: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """An account with no home (made in a container, say), HOME unset and
    no XDG variables: one line on stderr naming what to set, no traceback,
    and no log file, which would be in the home folder too."""
    import pwd

    from coach import cli

    def no_account(uid: int) -> pwd.struct_passwd:
        raise KeyError(uid)

    monkeypatch.setattr(pwd, "getpwuid", no_account)
    monkeypatch.delenv("HOME")
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(variable)
    with pytest.raises(paths.NoHome):
        paths.settings_file()
    assert cli.main(argv) == 1
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert "Traceback" not in err and "HOME" in lines[-1] and "XDG_CONFIG_HOME" in lines[-1]
    assert out == ""
