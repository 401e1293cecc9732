"""Real desktop services for the tests that must meet them: a private D-Bus
session bus and a PulseAudio server whose only output is a null sink that can
be recorded. Each is started in the test's own folders and stopped after, so
nothing touches the machine's own session; `.ci/system-packages` installs the
programs, and a test skips, saying which one, where they are missing.

Waits are on a condition with a deadline, never a fixed sleep.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

NULL_SINK = "coach_test"


def require(*programs: str) -> None:
    """Skip the calling test when one of ``programs`` is not installed."""
    missing = [name for name in programs if shutil.which(name) is None]
    if missing:
        pytest.skip(f"not installed here: {', '.join(missing)} (.ci/system-packages "
                    "installs them)")


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout:g} s")
        time.sleep(0.02)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def session_bus() -> Iterator[str]:
    """A private session bus; yields its address (for DBUS_SESSION_BUS_ADDRESS)."""
    require("dbus-daemon")
    process = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1", "--nopidfile"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert process.stdout is not None
        address = process.stdout.readline().decode().strip()
        if not address:
            raise RuntimeError("dbus-daemon printed no address")
        yield address
    finally:
        _stop(process)


@contextmanager
def pulse_server(folder: Path) -> Iterator[dict[str, str]]:
    """A PulseAudio server with one null sink as its default output; yields
    the environment a client needs to reach it (and only it)."""
    require("pulseaudio", "pactl")
    runtime = folder / "pulse"
    runtime.mkdir(parents=True, exist_ok=True)
    socket = runtime / "native"
    env = {**os.environ, "HOME": str(folder), "XDG_RUNTIME_DIR": str(folder),
           "PULSE_RUNTIME_PATH": str(runtime)}
    process = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit",
         "--use-pid-file=no", "--log-target=stderr",
         "-L", f"module-native-protocol-unix auth-anonymous=1 socket={socket}",
         "-L", f"module-null-sink sink_name={NULL_SINK}",
         "-L", "module-always-sink"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = {"PULSE_SERVER": f"unix:{socket}", "PULSE_RUNTIME_PATH": str(runtime),
              "PULSE_SINK": NULL_SINK}

    def ready() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"pulseaudio exited with {process.returncode}")
        return subprocess.run(["pactl", "info"], env={**env, **client},
                              capture_output=True).returncode == 0

    try:
        wait_for(ready, 10, "PulseAudio starting")
        subprocess.run(["pactl", "set-default-sink", NULL_SINK], env={**env, **client},
                       check=True, capture_output=True)
        yield client
    finally:
        _stop(process)
