"""Shared fixtures: every test runs with its own config, data and state folders,
so no test can read or write the real home directory."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    for name, sub in (("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"),
                      ("XDG_STATE_HOME", ".local/state"), ("XDG_CACHE_HOME", ".cache"),
                      ("XDG_RUNTIME_DIR", "run")):
        path = home / sub
        path.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(name, str(path))
    (home / "run").chmod(0o700)
    monkeypatch.setenv("HOME", str(home))
    # One locale for every test, whatever the machine's: C.UTF-8 exists
    # everywhere, and without a territory the app words English the British
    # way. A test about another language or territory sets its own.
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    # Nor may a test reach the desktop's own session bus (it would pop real
    # notifications); the tests that need a bus start a private one.
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    # Nor change the desktop's own keyboard shortcuts (GNOME's, through gsettings).
    monkeypatch.delenv("XDG_CURRENT_DESKTOP", raising=False)
    return home


@pytest.fixture
def cli_logging() -> Iterator[None]:
    """cli.main configures the root logger; put it back for the next test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/gui drives real widgets: marked so, to select or
    skip them (``-m gui`` / ``-m "not gui"``)."""
    gui = Path(__file__).parent / "gui"
    for item in items:
        if gui in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def english_after() -> Iterator[None]:
    """cli.main sets the language of the command line; put English back."""
    from coach.core import i18n

    yield
    i18n.set_current(i18n.DEFAULT)


def russian(message: str) -> str:
    """``message`` as the Russian catalogue has it."""
    from coach.core import i18n

    i18n.set_current("ru")
    try:
        return i18n._(message)
    finally:
        i18n.set_current(i18n.DEFAULT)
