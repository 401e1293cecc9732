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
    assert launch.claim_or_hand_over(server, "emergency", None, quiet) is None
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
        held = HeldClaim(name, held_for=10**6)
        assert launch.claim_or_hand_over(held, "reload", None, quiet) == 1
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


LIVE, DEAD = ":0", ":4711"
"""X displays, and Wayland sockets by name, that answer and that do not."""


def probes(missing: str | None = None) -> launch.Probes:
    def x11(display: str) -> str | None:
        return None if display == LIVE else f"cannot connect to the X display {display}"

    def wayland(path: str) -> str | None:
        return None if path.endswith("/live") else f"cannot connect to {path}"

    return launch.Probes(lambda: missing, x11, wayland)


NO_DISPLAY = launch.Problem(launch.NO_DISPLAY_HELP)


@pytest.mark.parametrize(("environ", "problem"), [
    ({}, NO_DISPLAY),
    ({"DISPLAY": LIVE}, None),
    ({"DISPLAY": DEAD}, launch.Problem(launch.X_SERVER_HELP, {"display": DEAD})),
    ({"WAYLAND_DISPLAY": "live"}, None),
    ({"WAYLAND_DISPLAY": "gone"}, launch.Problem(launch.WAYLAND_HELP, {"display": "gone"})),
    # Qt falls back to X11 when Wayland does not answer.
    ({"WAYLAND_DISPLAY": "gone", "DISPLAY": LIVE}, None),
    ({"WAYLAND_DISPLAY": "gone", "DISPLAY": DEAD},
     launch.Problem(launch.X_SERVER_HELP, {"display": DEAD})),
    ({"WAYLAND_DISPLAY": "live", "DISPLAY": DEAD}, None),
    # Told which: only that one is tried.
    ({"QT_QPA_PLATFORM": "offscreen"}, None),
    ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "live"}, NO_DISPLAY),
    ({"XDG_SESSION_TYPE": "x11", "WAYLAND_DISPLAY": "live", "DISPLAY": DEAD},
     launch.Problem(launch.X_SERVER_HELP, {"display": DEAD})),
    ({"QT_QPA_PLATFORM": "wayland", "WAYLAND_DISPLAY": "gone", "DISPLAY": LIVE},
     launch.Problem(launch.WAYLAND_HELP, {"display": "gone"})),
    ({"QT_QPA_PLATFORM": "wayland;xcb", "WAYLAND_DISPLAY": "gone", "DISPLAY": LIVE}, None),
])
def test_what_stops_a_window_is_found_before_qt_aborts(
        environ: dict[str, str], problem: launch.Problem | None) -> None:
    environ = {"XDG_RUNTIME_DIR": "/run/user/1000", **environ}
    assert launch.platform_problem(environ, "linux", probes()) == problem
    assert launch.platform_problem(environ, "win32", probes()) is None


def test_without_a_library_qts_x11_plugin_needs_it_says_which() -> None:
    """libxcb-cursor0, the one most desktops lack, with each family's package."""
    assert launch.platform_problem({"DISPLAY": LIVE}, "linux",
                                   probes("libxcb-cursor.so.0")) == (
        launch.Problem(launch.XCB_CURSOR_HELP))
    assert launch.platform_problem({"DISPLAY": LIVE}, "linux",
                                   probes("libxcb-icccm.so.4")) == launch.Problem(
        launch.XCB_LIBRARY_HELP, {"library": "libxcb-icccm.so.4", "package": "libxcb-icccm4"})


@pytest.mark.parametrize(("library", "package"), [
    ("libxcb-icccm.so.4", "libxcb-icccm4"), ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"), ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libGL.so.1", "libgl1"),
])
def test_a_library_is_named_after_its_debian_package(library: str, package: str) -> None:
    assert launch.debian_package(library) == package


def test_the_system_loader_names_what_qts_x11_plugin_lacks(tmp_path: Path) -> None:
    """A copy of the real plugin that needs a library no system has, beside
    Qt's own libraries, as in the wheel."""
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.is_file():
        pytest.skip("this PySide6 is not laid out as its wheel is")
    assert launch.missing_library(str(plugin)) is None
    copy = tmp_path / "plugins" / "platforms" / plugin.name
    copy.parent.mkdir(parents=True)
    needed = b"libxcb-icccm.so.4\0"
    assert needed in plugin.read_bytes()
    copy.write_bytes(plugin.read_bytes().replace(needed, b"libxcb-nowhere.so\0"))
    (tmp_path / "lib").symlink_to(plugin.parents[2] / "lib")
    assert launch.missing_library(str(copy)) == "libxcb-nowhere.so"
    assert launch.missing_library(str(tmp_path / "absent.so")) == str(tmp_path / "absent.so")


def test_where_the_wayland_socket_is() -> None:
    assert launch.wayland_socket({"WAYLAND_DISPLAY": "wayland-1",
                                  "XDG_RUNTIME_DIR": "/run/user/7"}) == "/run/user/7/wayland-1"
    assert launch.wayland_socket({"WAYLAND_DISPLAY": "/tmp/w/sock",
                                  "XDG_RUNTIME_DIR": "/run/user/7"}) == "/tmp/w/sock"


def test_the_real_checks_find_what_is_not_there(caplog: pytest.LogCaptureFixture,
                                                tmp_path: Path) -> None:
    """The person is told in one sentence; a --verbose log says why."""
    with caplog.at_level("INFO", logger="coach.ui.launch"):
        assert launch.platform_problem({"DISPLAY": DEAD}, "linux") == launch.Problem(
            launch.X_SERVER_HELP, {"display": DEAD})
        assert launch.platform_problem(
            {"WAYLAND_DISPLAY": "gone", "XDG_RUNTIME_DIR": str(tmp_path)}, "linux") == (
            launch.Problem(launch.WAYLAND_HELP, {"display": "gone"}))
    assert caplog.messages == [
        f"No window: cannot connect to the X display {DEAD}",
        f"No window: cannot connect to the Wayland socket {tmp_path / 'gone'}: "
        "No such file or directory"]
    with socket.socket(socket.AF_UNIX) as compositor:
        compositor.bind(str(tmp_path / "live"))
        compositor.listen(1)
        assert launch.platform_problem(
            {"WAYLAND_DISPLAY": "live", "XDG_RUNTIME_DIR": str(tmp_path)}, "linux") is None


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
