"""Cramp Coach on a real Wayland compositor: weston, headless, with its own
socket in its own runtime folder. GNOME and KDE start apps on Wayland now,
and Qt picks its Wayland plugin there, which no offscreen or X11 test runs:
its window, its decorations, and the launch's check that the compositor
answers (coach.ui.launch.platform_problem).

What is on screen is read back with weston's own screenshooter. Activation
tokens are not checked here: weston 10 has no xdg-activation.

Skips, saying what is missing, where weston is not installed
(.ci/system-packages installs it)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from coach import instance
from coach.ui import theme
from tests.desktop import require, stop, wait_for

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Wayland: Linux")

ROOT = Path(__file__).resolve().parents[2]
SOCKET = "wayland-cramp-coach"


@contextmanager
def compositor(folder: Path) -> Iterator[dict[str, str]]:
    """A headless weston on 1024×600; yields the environment of a session on it."""
    require("weston", "weston-screenshooter")
    runtime = folder / "run"
    runtime.mkdir(mode=0o700)
    config = folder / "weston.ini"
    # No fading in or dimming: a screenshot shows the colours as painted.
    config.write_text("[shell]\nanimation=none\nstartup-animation=none\n"
                      "close-animation=none\nfocus-animation=none\n", encoding="utf-8")
    process = subprocess.Popen(
        ["weston", "--backend=headless-backend.so", f"--socket={SOCKET}", "--width=1024",
         "--height=600", "--use-pixman", "--debug", "--idle-time=0", f"--config={config}"],
        env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)}, cwd=folder,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for((runtime / SOCKET).exists, 20, "weston's socket")
        env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "WAYLAND_DISPLAY": SOCKET,
               "PYTHONPATH": str(ROOT)}
        for name in ("DISPLAY", "QT_QPA_PLATFORM"):  # as in a Wayland session
            env.pop(name, None)
        yield env
    finally:
        stop(process)


@contextmanager
def running(arguments: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    app = subprocess.Popen([sys.executable, "-m", "coach", *arguments], env=env, cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield app
    finally:
        stop(app)


def answering() -> bool:
    """The app has settled (after its first paint) and takes requests."""
    return instance.request("background", timeout=2)[0] is instance.Outcome.TAKEN


def screen_colours(env: dict[str, str], folder: Path) -> Counter[str]:
    """How many of the output's pixels (one in 16 each way) have each colour."""
    shots = folder / "shots"
    shots.mkdir(exist_ok=True)
    subprocess.run(["weston-screenshooter"], env=env, cwd=shots, check=True, timeout=30,
                   capture_output=True)
    (shot,) = shots.glob("*.png")  # each is read, then removed
    image = QImage(str(shot))
    assert not image.isNull()
    colours: Counter[str] = Counter(
        image.pixelColor(x, y).name() for x in range(0, image.width(), 16)
        for y in range(0, image.height(), 16))
    shot.unlink()
    return colours


def the_app_fills_the_screen(colours: Counter[str]) -> bool:
    """The day theme's window and button colours cover most of the output."""
    ours = colours[QColor(theme.DAY.window).name()] + colours[QColor(theme.DAY.button).name()]
    return ours > 0.6 * sum(colours.values())


@pytest.mark.parametrize("first", [["--emergency"], ["--background"]])
def test_emergency_mode_on_wayland_and_a_second_launch_handing_over(
        first: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opened straight away, or from the tray at night: a second launch
    brings emergency mode up."""
    with compositor(tmp_path) as env, running([*first, "--theme", "day"], env) as app:
        monkeypatch.setenv("XDG_RUNTIME_DIR", env["XDG_RUNTIME_DIR"])  # where it listens
        wait_for(answering, 30, "the app settled and answering")
        if "--background" in first:
            assert not the_app_fills_the_screen(screen_colours(env, tmp_path))
        else:
            wait_for(lambda: the_app_fills_the_screen(screen_colours(env, tmp_path)), 20,
                     "emergency mode on screen")
        second = subprocess.run([sys.executable, "-m", "coach", "--emergency"], env=env,
                                cwd=ROOT, capture_output=True, text=True, timeout=60,
                                check=False)
        assert second.returncode == 0, second.stderr
        wait_for(lambda: the_app_fills_the_screen(screen_colours(env, tmp_path)), 20,
                 "emergency mode on screen after the hand-over")
        assert app.poll() is None
