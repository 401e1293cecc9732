"""Peers of another user for the single-instance tests.

As root, they are real processes that drop to ``nobody`` before running; a
folder they can reach is made under the system temp folder (pytest's own
temp folders are closed to other users)."""

from __future__ import annotations

import functools
import os
import select
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

NOBODY = 65534
IS_ROOT = os.geteuid() == 0
needs_root = pytest.mark.skipif(not IS_ROOT, reason="only root can act as another user")

LISTENER = r"""
import os, select, socket, sys
listeners = []
for path in sys.argv[1:]:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(path)
    listener.listen()
    listeners.append(listener)
print("ready", flush=True)
while True:
    ready, _, _ = select.select([*listeners, sys.stdin], [], [])
    if sys.stdin in ready:
        break
    for listener in ready:
        connection, _ = listener.accept()
        connection.settimeout(5)
        try:
            data = connection.recv(4096)
            if data:
                print("got", data, flush=True)
                connection.sendall(b"ok\n")
        except OSError:
            pass
        connection.close()
"""

CLIENT = r"""
import socket, sys
client = socket.socket(socket.AF_UNIX)
client.settimeout(10)
client.connect(sys.argv[1])
try:
    client.sendall(b'{"action": "emergency"}\n')
except BrokenPipeError:  # refused before it could speak: the answer is waiting
    pass
print(client.recv(4096))
"""


def drop_to_nobody() -> None:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


@functools.cache
def nobody_python() -> str:
    """An interpreter ``nobody`` may run: this one may sit under /root."""
    # A virtual environment's own interpreter may be a link nobody cannot follow.
    base = str(getattr(sys, "_base_executable", sys.executable))
    for exe in dict.fromkeys([sys.executable, base, "/usr/bin/python3"]):
        try:
            done = subprocess.run([exe, "-I", "-c", "pass"], preexec_fn=drop_to_nobody,
                                  capture_output=True, timeout=30, check=False)
        except OSError:
            continue
        if done.returncode == 0:
            return exe
    pytest.skip("no Python interpreter that nobody may run")


def as_nobody(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([nobody_python(), "-I", "-c", code, *args], text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            preexec_fn=drop_to_nobody, env={"PATH": os.defpath})


@contextmanager
def shared_folder() -> Iterator[Path]:
    """A stand-in for /tmp: world-writable and sticky, reachable by everyone."""
    path = Path(tempfile.mkdtemp(prefix="cc-shared-", dir="/tmp"))
    path.chmod(0o1777)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def read_line(proc: subprocess.Popen[str], timeout: float = 20) -> str:
    """The child's next output line, waiting at most ``timeout``."""
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    if not ready:
        raise TimeoutError("the child said nothing")
    return proc.stdout.readline()


@contextmanager
def foreign_listener(paths: Sequence[str | Path]) -> Iterator[list[str]]:
    """Sockets bound and answered by ``nobody``; yields what they received
    (filled in when the block ends)."""
    proc = as_nobody(LISTENER, *map(str, paths))
    received: list[str] = []
    try:
        assert read_line(proc).strip() == "ready"
        yield received
    finally:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.close()  # the listener's cue to stop
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
        received.extend(line for line in proc.stdout.read().splitlines()
                        if line.startswith("got"))
