"""A click on the menu entry (or the Cramp-now key) on an X11 desktop starts a
busy cursor that lasts until the started program says its launch is over.
These tests are that launcher, using libstartup-notification as Xfce's, MATE's
and older GNOME's do, on a private X server, with the real app; each checks
that the launcher hears the launch end, however it ends.

They skip, saying what is missing, where Xvfb or libstartup-notification is
not installed (.ci/system-packages installs them)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from coach import instance
from coach.services import startup_notification
from tests.desktop import session_bus, stop, virtual_display, wait_for
from tests.launch_feedback import Launcher

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 only")

ROOT = Path(__file__).resolve().parents[2]
ENDS_WITHIN_S = 20
"""Far below any launcher's own timeout, far above a slow machine's start."""


@contextmanager
def x11_launcher() -> Iterator[tuple[Launcher, dict[str, str]]]:
    with virtual_display() as display, session_bus() as bus, Launcher(display) as launcher:
        env = {**os.environ, "DISPLAY": display, "DBUS_SESSION_BUS_ADDRESS": bus,
               "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT)}
        env.pop("WAYLAND_DISPLAY", None)
        yield launcher, env


def start(arguments: list[str], env: dict[str, str], startup_id: str | None = None
          ) -> subprocess.Popen[bytes]:
    extra = {} if startup_id is None else {startup_notification.VARIABLE: startup_id}
    return subprocess.Popen([sys.executable, "-m", "coach", *arguments],
                            env={**env, **extra}, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@contextmanager
def app_in_tray(env: dict[str, str]) -> Iterator[None]:
    app = start(["--background"], env)
    try:
        wait_for(lambda: instance.request("background", timeout=2)[0]
                 is instance.Outcome.TAKEN, 30, "the app answering")
        yield
    finally:
        stop(app)


def test_the_message_is_read_as_a_desktop_reads_it() -> None:
    """Quotes and backslashes in an id (a launcher's name can bring them)
    reach libstartup-notification's parser intact."""
    with x11_launcher() as (launcher, env):
        for name in ("xfce4-panel", 'odd"launcher\\name'):
            startup_id = launcher.initiate(name)
            assert startup_notification.finish(startup_id, env["DISPLAY"]) is None
            launcher.wait_completed(startup_id, ENDS_WITHIN_S, f"the launch {startup_id!r} ending")


@pytest.mark.parametrize("action", [["--emergency"], []])
def test_a_launch_handed_to_the_app_in_the_tray_ends_the_busy_cursor(
        action: list[str]) -> None:
    """The night's case: the app waits in the tray, the menu starts a second
    copy, which hands over and exits without a window of its own."""
    with x11_launcher() as (launcher, env), app_in_tray(env):
        for night in (1, 2):
            startup_id = launcher.initiate()
            second = start(action, env, startup_id)
            assert second.wait(timeout=60) == 0
            launcher.wait_completed(startup_id, ENDS_WITHIN_S,
                                    f"the busy cursor ending on night {night}")


@pytest.mark.parametrize("action", [["--emergency"], ["--background"]])
def test_a_first_launch_ends_the_busy_cursor(action: list[str]) -> None:
    """With a window Qt ends it when the window shows; into the tray, with no
    window to show, the launch ends it itself."""
    with x11_launcher() as (launcher, env):
        startup_id = launcher.initiate()
        app = start(action, env, startup_id)
        try:
            launcher.wait_completed(startup_id, ENDS_WITHIN_S, "the busy cursor ending")
        finally:
            stop(app)
