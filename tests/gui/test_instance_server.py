"""The running app's side of the hand-over, with real Qt sockets."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from coach import instance
from coach.ui.instance_server import InstanceServer


def hand_over_in_thread(qtbot: QtBot, server: InstanceServer, action: str,
                        name: str | None = None) -> list[object]:
    """A later launch's request, served by this thread's event loop."""
    results: list[bool] = []
    with qtbot.waitSignal(server.request, timeout=5000) as signal:
        thread = threading.Thread(
            target=lambda: results.append(instance.hand_over(action, name=name)), daemon=True)
        thread.start()
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    thread.join(5)
    assert results == [True]
    return list(signal.args or [])


def test_the_claim_opens_no_socket_until_listening(qtbot: QtBot, tmp_path: Path) -> None:
    """The app claims before building its window and listens once it is
    painted; a launch in between finds no one to ask and keeps trying."""
    name = str(tmp_path / "cc.sock")
    server = InstanceServer(name)
    assert server.claim()
    assert not Path(name).exists()
    assert instance.request("emergency", None, name)[0] is instance.Outcome.ABSENT
    assert server.listen()
    assert Path(name).exists()
    server.close()


def test_a_second_launch_reaches_the_first(qtbot: QtBot, tmp_path: Path) -> None:
    name = str(tmp_path / "cc.sock")
    server = InstanceServer(name)
    assert server.listen()
    assert hand_over_in_thread(qtbot, server, "emergency", name) == ["emergency", None, None]
    server.close()


def test_a_crash_left_socket_is_cleaned_up(qtbot: QtBot, tmp_path: Path) -> None:
    name = str(tmp_path / "cc.sock")
    with socket.socket(socket.AF_UNIX) as dead:
        dead.bind(name)
    server = InstanceServer(name)
    assert server.listen()
    server.close()


def test_only_one_server_per_name(qtbot: QtBot, tmp_path: Path) -> None:
    """A second process's claim fails while the first is alive, and it never
    steals the address."""
    name = str(tmp_path / "cc.sock")
    first = InstanceServer(name)
    assert first.listen()
    code = (
        "import sys\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from coach.ui.instance_server import InstanceServer\n"
        "app = QCoreApplication([])\n"
        f"print(InstanceServer({name!r}).listen())\n"
    )
    second = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    qtbot.waitUntil(lambda: second.poll() is not None, timeout=10000)
    assert second.stdout is not None
    assert second.stdout.read().strip() == "False"
    assert hand_over_in_thread(qtbot, first, "show", name) == ["show", None, None], \
        "the first still owns the address"
    first.close()


def test_lock_left_by_a_killed_process_is_taken_over(qtbot: QtBot, tmp_path: Path) -> None:
    name = str(tmp_path / "cc.sock")
    code = (
        "import os, signal\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from coach.ui.instance_server import InstanceServer\n"
        "app = QCoreApplication([])\n"
        f"server = InstanceServer({name!r})\n"
        "assert server.listen()\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    crashed = subprocess.run([sys.executable, "-c", code], check=False)
    assert crashed.returncode == -9
    assert Path(name).exists() and Path(name + ".lock").exists()
    server = InstanceServer(name)
    assert server.listen()
    server.close()


@pytest.fixture()
def unrelated_process() -> Iterator[subprocess.Popen[bytes]]:
    """A live process that has nothing to do with Cramp Coach, but is a
    Python interpreter like it: what a reused PID can turn out to be."""
    proc = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                            stdin=subprocess.PIPE)
    yield proc
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(10)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_lock_file_naming_a_live_unrelated_process_is_not_held(
        qtbot: QtBot, tmp_path: Path, unrelated_process: subprocess.Popen[bytes]) -> None:
    """Written the way QLockFile writes it (PID, program, host), as if the app
    that wrote it had died and its PID had gone to this process."""
    name = str(tmp_path / "cc.sock")
    pid = unrelated_process.pid
    program = Path(os.readlink(f"/proc/{pid}/exe")).name
    Path(name + ".lock").write_text(f"{pid}\n{program}\n{socket.gethostname()}\n")
    server = InstanceServer(name)
    assert server.listen()
    assert hand_over_in_thread(qtbot, server, "show", name) == ["show", None, None]
    server.close()


def test_a_runtime_dir_too_deep_for_a_socket_still_gives_one_instance(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over 107 bytes, a Unix socket cannot be bound there: the app falls back
    to a short private folder, and a later launch finds it in the same place."""
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(mode=0o700, parents=True)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(deep))
    short = tmp_path / "tmp"
    short.mkdir()
    monkeypatch.setenv("TMPDIR", str(short))
    server = InstanceServer()
    assert server.listen(), server.error
    assert hand_over_in_thread(qtbot, server, "emergency") == ["emergency", None, None]
    server.close()
