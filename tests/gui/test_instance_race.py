"""Real launches of the app (``python -m coach``, offscreen) against each
other: however they interleave, one instance runs and the others hand over to
it or say why they could not."""

from __future__ import annotations

import fcntl
import os
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from coach import instance

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="asks the kernel who listens (SO_PEERCRED)")

RACES = 20
SETTLE_S = 30.0
"""Generous: a cold start builds the content cache, and both launches share
the machine with the rest of the suite."""


def wait_for(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def listener_pid(name: str) -> int | None:
    """The PID of the process serving ``name``, from the kernel, if it answers."""
    try:
        with socket.socket(socket.AF_UNIX) as probe:
            probe.settimeout(5)
            probe.connect(name)
            credentials = probe.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
            probe.sendall(instance.encode("background"))  # ignored by a running app
            answer = probe.recv(64)
    except OSError:
        return None
    return int(struct.unpack("iII", credentials)[0]) if answer == b"ok\n" else None


class Launches:
    """``cramp-coach --background`` processes sharing one runtime folder, each
    with its stderr kept; ``name`` is their address, found as the app finds it."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.folder = folder
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
        self.env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        self.name = instance.server_name()
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self) -> subprocess.Popen[bytes]:
        with open(self.folder / f"launch{len(self.procs)}.err", "wb") as err:
            proc = subprocess.Popen([sys.executable, "-m", "coach", "--background"],
                                    env=self.env, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=err)
        self.procs.append(proc)
        return proc

    def stderr(self) -> str:
        return "\n".join(f"launch {n}: {(self.folder / f'launch{n}.err').read_text()!r}"
                         for n in range(len(self.procs)))

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait(10)


@pytest.fixture()
def launches(tmp_path: Path, isolated_home: Path,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], Launches]]:
    made: list[Launches] = []

    def make(label: str) -> Launches:
        runtime = tmp_path / label
        runtime.mkdir(mode=0o700)
        made.append(Launches(runtime, monkeypatch))
        return made[-1]

    yield make
    for group in made:
        group.stop()


def test_two_launches_at_once_leave_exactly_one_running(
        launches: Callable[[str], Launches]) -> None:
    for race in range(RACES):
        group = launches(f"race{race}")
        name = group.name
        first, second = group.start(), group.start()

        def settled(first: subprocess.Popen[bytes] = first,
                    second: subprocess.Popen[bytes] = second, name: str = name) -> bool:
            alive = [p for p in (first, second) if p.poll() is None]
            return len(alive) == 1 and listener_pid(name) == alive[0].pid

        wait_for(settled, SETTLE_S)
        alive = [p for p in (first, second) if p.poll() is None]
        assert len(alive) == 1, f"race {race}: {len(alive)} running\n{group.stderr()}"
        other = second if alive == [first] else first
        # Handed over; or, if the winner took over 5 s to start (a loaded
        # machine), gave up saying so: never a second instance either way.
        gave_up = other.returncode == 1 and "did not answer" in group.stderr()
        assert other.returncode == 0 or gave_up, group.stderr()
        assert listener_pid(name) == alive[0].pid
        group.stop()


def test_a_launch_that_gets_no_answer_says_so_and_does_not_run(
        launches: Callable[[str], Launches]) -> None:
    """Another process holds the claim and never answers (a hung instance):
    after the bound, one line and a non-zero exit, not a second instance."""
    group = launches("hung")
    lock = os.open(instance.lock_path(group.name), os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        launch = group.start()
        assert wait_for(lambda: launch.poll() is not None, SETTLE_S), "it is running"
    finally:
        os.close(lock)
    err = (group.folder / "launch0.err").read_text()
    assert launch.returncode == 1
    assert err.count("\n") == 1 and "did not answer" in err, err
