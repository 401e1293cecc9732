"""coach.ui.errors with a real QApplication: an exception in a slot is logged
with its traceback, said once, and the app (emergency mode above all) goes on."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer, qInstallMessageHandler, qWarning
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from coach import cli
from coach.core import paths
from coach.core.emergency import PREP_S, Phase, Screen
from coach.core.notices import Notice, Notices
from coach.ui import errors
from tests.fakes.timers import FakeTimers
from tests.gui.conftest import MakeApp
from tests.unit.test_emergency import LIBRARY

pytestmark = pytest.mark.qt_no_exception_capture


@pytest.fixture
def hooks(qapp: QApplication) -> Iterator[Path]:
    """Logging set up as ``cli.main`` sets it up for the app; every hook that
    :func:`errors.install` replaces is put back afterwards. Yields the log."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    excepthook, thread_hook = sys.excepthook, threading.excepthook
    qt_handler = qInstallMessageHandler(None)
    qInstallMessageHandler(qt_handler)
    cli.configure_logging()
    yield paths.log_file()
    sys.excepthook, threading.excepthook = excepthook, thread_hook
    qInstallMessageHandler(qt_handler)
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def watch(notices: Notices) -> list[Notice]:
    shown: list[Notice] = []
    notices.subscribe(shown.append)
    return shown


def failing(message: str, calls: list[str]) -> Callable[[], None]:
    def slot() -> None:
        calls.append(message)
        raise RuntimeError(message)

    return slot


def flushed_log(log: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return log.read_text(encoding="utf-8")


def test_an_error_in_a_slot_is_logged_and_said_once(qtbot: QtBot, hooks: Path) -> None:
    notices = Notices()
    shown = watch(notices)
    errors.install(notices, hooks)
    calls: list[str] = []
    chart = failing("the chart broke", calls)
    for _ in range(3):  # the same fault, again and again (a timer, say)
        QTimer.singleShot(0, chart)
    qtbot.waitUntil(lambda: len(calls) == 3, timeout=5000)

    assert [(n.level, n.text) for n in shown] == [
        ("error", f"Something went wrong; the details are in {hooks}.")]
    logged = flushed_log(hooks)
    assert logged.count("RuntimeError: the chart broke") == 3
    assert "Traceback (most recent call last)" in logged and "in slot" in logged

    # A different fault is a different error: it is said too.
    QTimer.singleShot(0, lambda: [][1])
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=5000)
    assert "IndexError" in flushed_log(hooks)


def test_an_error_in_a_background_thread_takes_the_same_path(qtbot: QtBot,
                                                             hooks: Path) -> None:
    notices = Notices()
    shown = watch(notices)
    errors.install(notices, hooks)
    worker = threading.Thread(target=failing("no sound device", []))
    worker.start()
    worker.join(timeout=10)
    assert [n.text for n in shown] == [f"Something went wrong; the details are in {hooks}."]
    assert "RuntimeError: no sound device" in flushed_log(hooks)


def test_keyboard_interrupt_still_reaches_the_previous_hook(hooks: Path) -> None:
    seen: list[type[BaseException]] = []
    sys.excepthook = lambda kind, value, trace: seen.append(kind)
    notices = Notices()
    errors.install(notices, hooks)
    sys.excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert seen == [KeyboardInterrupt] and notices.pending() == ()


def test_qt_warnings_go_to_the_log(hooks: Path, caplog: pytest.LogCaptureFixture) -> None:
    errors.install(Notices(), hooks)
    with caplog.at_level(logging.DEBUG, logger="qt"):
        qWarning("a test warning from Qt")
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("qt", logging.WARNING, "a test warning from Qt")]
    assert "WARNING qt" in flushed_log(hooks) and "a test warning from Qt" in flushed_log(hooks)


def test_emergency_mode_carries_on_after_an_error_elsewhere(
        make_app: MakeApp, qtbot: QtBot, timers: FakeTimers, hooks: Path) -> None:
    app = make_app(LIBRARY)
    errors.install(app.notices, hooks)
    app.open_emergency()
    screen = app.emergency
    assert screen is not None
    app.window.show()
    qtbot.waitExposed(app.window)
    QTest.keyClick(screen, Qt.Key.Key_1)
    assert screen.view().screen is Screen.CLOT_CHECK

    calls: list[str] = []
    QTimer.singleShot(0, failing("the tray broke", calls))
    qtbot.waitUntil(lambda: calls == ["the tray broke"], timeout=5000)

    assert app.window.isVisible() and screen.isVisible()
    QTest.keyClick(screen, Qt.Key.Key_N)
    assert screen.view().screen is Screen.STEP
    timers.advance(PREP_S + 0.2)
    assert screen.view().phase is Phase.HOLD
    assert "RuntimeError: the tray broke" in flushed_log(hooks)
