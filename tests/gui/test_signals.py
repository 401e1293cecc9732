"""Ctrl+C in the terminal that started Cramp Coach (SIGINT), or the session
ending it (SIGTERM), ends it as Quit does: in a real process, waiting in
Qt's event loop, where Python's own handler never ran (an install audit)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from coach import instance

ROOT = Path(__file__).resolve().parents[2]


def signalled_once_settled(number: signal.Signals, *arguments: str) -> tuple[int, str]:
    """Start the app, send it ``number`` once it has settled (it listens for
    a second launch then), and return its exit code and what it printed on
    stderr."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    app = subprocess.Popen([sys.executable, str(ROOT / "main.py"), *arguments], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not os.path.exists(instance.server_name()):
            assert app.poll() is None, app.communicate()
            assert time.monotonic() < deadline, "never settled"
            time.sleep(0.05)
        app.send_signal(number)
        _out, err = app.communicate(timeout=20)
    finally:
        if app.poll() is None:
            app.kill()
            app.communicate()
    return app.returncode, err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_ends_the_app_as_quit_does(number: signal.Signals) -> None:
    code, err = signalled_once_settled(number, "--background")
    assert code == 0, err
    assert "Traceback" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_quitting_with_the_window_open_keeps_the_no_tray_notice_for_later() -> None:
    """A reminder audit's case: on a desktop with no tray, Quit (or the
    session's SIGTERM) closed the window on its way out, which counted as
    closing it to keep running: the one-time "no system tray" notice was used
    up by a window that was closing, and a later close by its button left an
    invisible process with nothing said. Quitting also never depends on the
    window agreeing to close."""
    from datetime import time as clock_time

    from coach.core import paths
    from coach.core.clock import SystemClock
    from coach.core.notices import Notices
    from coach.core.schedule import ReminderConfig
    from coach.core.settings import SettingsStore

    store = SettingsStore(paths.settings_file(), Notices(), SystemClock())
    store.update(reminder=ReminderConfig().with_time(clock_time(22, 30), range(7))
                 .to_dict() | {"enabled": True})
    code, err = signalled_once_settled(signal.SIGTERM)
    assert code == 0, err
    assert not store.load().tray_notice_shown


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_signal_during_the_ending_waits_for_it_to_finish(qapp: QApplication) -> None:
    """Found starting the app the hostile way under ``timeout``, which sends
    two SIGTERMs: the second came while the first one's quit was writing
    the settings, quit ran again inside that write, and waited for ever on
    the lock the write held. The ending now runs from the event loop, one
    at a time, however the signals fall."""
    from PySide6.QtCore import QObject

    from coach.ui.launch import end_on_signals

    depth, calls = [0], []

    def end() -> None:
        depth[0] += 1
        calls.append(depth[0])
        if len(calls) == 1:
            os.kill(os.getpid(), signal.SIGTERM)  # the second signal, mid-ending
            sum(range(10_000))  # bytecodes, between which Python runs handlers
        depth[0] -= 1

    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    owner = QObject()
    previous_fd = signal.set_wakeup_fd(-1)
    try:
        end_on_signals(owner, end)
        os.kill(os.getpid(), signal.SIGTERM)
        deadline = time.monotonic() + 10  # a bound, not a wait: the socket is ready at once
        while len(calls) < 2 and time.monotonic() < deadline:
            qapp.processEvents()
    finally:
        signal.set_wakeup_fd(previous_fd)
        for number, handler in handlers.items():
            signal.signal(number, handler)
        del owner  # and with it the notifier, which closes the sockets
    assert calls == [1, 1]
