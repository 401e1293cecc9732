"""The running app's side of the hand-over, with real Qt sockets."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from pathlib import Path

from pytestqt.qtbot import QtBot

from coach import instance
from coach.ui.instance_server import InstanceServer


def test_a_second_launch_reaches_the_first(qtbot: QtBot, tmp_path: Path) -> None:
    name = str(tmp_path / "cc.sock")
    server = InstanceServer(name)
    assert server.listen()
    results: list[bool] = []
    with qtbot.waitSignal(server.request, timeout=5000) as signal:
        thread = threading.Thread(
            target=lambda: results.append(instance.hand_over("emergency", name=name)))
        thread.start()
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    thread.join(5)
    assert signal.args == ["emergency", None]
    assert results == [True]
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
    results: list[bool] = []
    thread = threading.Thread(target=lambda: results.append(instance.hand_over("show", name=name)))
    with qtbot.waitSignal(first.request, timeout=5000):
        thread.start()
    thread.join(5)
    assert results == [True], "the first server still owns the address"
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
