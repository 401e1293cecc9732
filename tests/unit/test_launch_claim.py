"""A launch that finds the claim held keeps asking until the holder answers
or lets go, within a bound (see also tests/gui/test_instance_race.py); and
what a launch that cannot become the app says, in the person's language."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from coach import cli, instance
from coach.core import i18n, paths
from coach.ui import launch

ROOT = Path(__file__).resolve().parents[2]


def quiet() -> None:
    """The language is already chosen (English, for these tests)."""


class HeldClaim:
    """Stands in for an InstanceServer whose lock another process holds for
    its first ``held_for`` tries."""

    def __init__(self, name: str, held_for: int) -> None:
        self.name = name
        self.held_for = held_for
        self.tries = 0

    def claim(self) -> bool:
        self.tries += 1
        return self.tries > self.held_for


def test_the_claim_freeing_while_waiting_makes_this_launch_the_app(tmp_path: Path) -> None:
    """The holder died before it could answer: nobody to hand over to."""
    server = HeldClaim(str(tmp_path / "cc.sock"), held_for=3)
    assert launch._claim(server, "emergency", None, quiet) is None
    assert server.tries == 4


@contextmanager
def refusing_app(name: str) -> Iterator[None]:
    """A running app of another version that does not know the request."""
    with socket.socket(socket.AF_UNIX) as older:
        older.bind(name)
        older.listen(1)

        def refuse() -> None:
            connection, _ = older.accept()
            with connection:
                connection.makefile("rb").readline()
                connection.sendall(b"error: unknown action\n")

        thread = threading.Thread(target=refuse, daemon=True)
        thread.start()
        yield
        thread.join(10)


def test_a_refusal_is_reported_in_one_line(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    name = str(tmp_path / "cc.sock")
    with refusing_app(name):
        assert launch._claim(HeldClaim(name, held_for=10**6), "reload", None, quiet) == 1
    err = capsys.readouterr().err
    assert err == "Cramp Coach is already running and refused this request: unknown action.\n"


def test_a_launch_that_cannot_start_says_so_in_the_chosen_language(
        capsys: pytest.CaptureFixture[str]) -> None:
    """Chosen in Settings, as the app itself would speak; and only decided
    once there is something to say."""
    paths.settings_file().parent.mkdir(parents=True)
    paths.settings_file().write_text(json.dumps({"language": "ru"}), encoding="utf-8")
    try:
        with refusing_app(instance.server_name()):
            assert cli.main(["--emergency"]) == 1
        i18n.set_current("ru")
        expected = i18n._("Cramp Coach is already running and refused this request: "
                          "{reason}.\n").format(reason="unknown action")
    finally:
        i18n.set_current(i18n.DEFAULT)
    assert capsys.readouterr().err == expected
    assert expected.startswith("Cramp Coach уже")


@pytest.mark.parametrize(("environ", "loads", "problem"), [
    ({}, True, launch.Problem(launch.NO_DISPLAY_HELP)),
    ({"DISPLAY": ":0"}, False, launch.Problem(launch.XCB_CURSOR_HELP)),
    ({"DISPLAY": ":0"}, True, None),
    ({"WAYLAND_DISPLAY": "wayland-0"}, False, None),
    ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, False, None),
    ({"QT_QPA_PLATFORM": "offscreen"}, False, None),
    ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, True,
     launch.Problem(launch.NO_DISPLAY_HELP)),
])
def test_what_stops_a_window_is_found_before_qt_aborts(
        environ: dict[str, str], loads: bool, problem: launch.Problem | None) -> None:
    def answers(_display: str) -> None:
        return None

    assert launch.platform_problem(environ, "linux", lambda _name: loads, answers) == problem
    assert launch.platform_problem(environ, "win32", lambda _name: loads, answers) is None


def test_a_display_that_does_not_answer_is_found_too(
        caplog: pytest.LogCaptureFixture) -> None:
    """The person is told in one sentence; a --verbose log says why."""
    with caplog.at_level("INFO", logger="coach.ui.launch"):
        problem = launch.platform_problem({"DISPLAY": ":4711"}, "linux", lambda _name: True)
    assert problem == launch.Problem(launch.X_SERVER_HELP, {"display": ":4711"})
    assert caplog.messages == ["No window: cannot connect to the X display :4711"]


def test_a_launch_with_a_display_left_over_says_so_instead_of_aborting(
        tmp_path: Path) -> None:
    """Qt's X11 plugin would abort the process (SIGABRT) and suggest
    reinstalling; the launch says what is wrong and exits with 2."""
    env = {**os.environ, "DISPLAY": ":4711", "QT_QPA_PLATFORM": "xcb",
           "PYTHONPATH": str(ROOT)}
    env.pop("WAYLAND_DISPLAY", None)
    done = subprocess.run([sys.executable, "-m", "coach", "--emergency"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2, done.stderr
    assert done.stderr == launch.X_SERVER_HELP.format(display=":4711")
