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

from coach import instance

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_ends_the_app_as_quit_does(number: signal.Signals) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    app = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--background"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not os.path.exists(instance.server_name()):  # it listens once settled
            assert app.poll() is None, app.communicate()
            assert time.monotonic() < deadline, "never settled"
            time.sleep(0.05)
        app.send_signal(number)
        _out, err = app.communicate(timeout=20)
    finally:
        if app.poll() is None:
            app.kill()
            app.communicate()
    assert app.returncode == 0, err
    assert "Traceback" not in err
