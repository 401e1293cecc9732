"""Real desktop services for the tests that must meet them: a private D-Bus
session bus, a PulseAudio server whose only output is a null sink that can
be recorded, an X server (Xvfb) and the accessibility (AT-SPI) bus a screen
reader reads. Each is started in the test's own folders and stopped after, so
nothing touches the machine's own session; `.ci/system-packages` installs the
programs, and a test skips, saying which one, where they are missing.

Waits are on a condition with a deadline, never a fixed sleep.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
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


def stop(process: subprocess.Popen[bytes], timeout: float = 5) -> None:
    """Ask it to end; if it has not within ``timeout`` seconds, end it."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
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
        stop(process)


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
        stop(process)


@contextmanager
def virtual_display() -> Iterator[str]:
    """A private X server (Xvfb) on a display number it picks itself; yields
    the DISPLAY value. For what Qt does only on a real window system: its
    AT-SPI bridge is made by the xcb platform, never by offscreen."""
    require("Xvfb")
    read, write = os.pipe()
    # -noreset: by default the server resets when its last client leaves, as
    # the probe below does, and a program that connects during the reset is
    # told it "cannot open display" (xfwm4 and metacity were, now and then).
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp",
         "-noreset"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        with os.fdopen(read) as ready:
            number = ready.readline().strip()  # written once it accepts clients
        if not number:
            raise RuntimeError("Xvfb printed no display number")
        socket = Path(f"/tmp/.X11-unix/X{number}")
        wait_for(socket.exists, 10, f"Xvfb's socket {socket}")
        # Answering, not only listening: a loaded machine's new Xvfb can take
        # a while, and the app would then say that the display does not answer.
        from coach.services import x11

        wait_for(lambda: x11.unreachable(f":{number}", 2.0) is None, 20,
                 f"Xvfb on :{number} to answer")
        yield f":{number}"
    finally:
        stop(process)


AT_SPI_FOLDERS = ("/usr/libexec", "/usr/lib/at-spi2-core", "/usr/lib/at-spi2",
                  "/usr/libexec/at-spi2-core")
"""Where distributions put at-spi-bus-launcher (Debian and Fedora: libexec)."""


@contextmanager
def accessibility_bus(env: dict[str, str]) -> Iterator[str]:
    """The accessibility bus as a desktop starts it: at-spi-bus-launcher on the
    session bus in ``env`` (DBUS_SESSION_BUS_ADDRESS) owns org.a11y.Bus and
    starts the bus and its registry; yields the bus's address, as an
    assistive technology asks org.a11y.Bus.GetAddress for it."""
    from jeepney import DBusAddress, new_method_call
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    launcher = shutil.which("at-spi-bus-launcher", path=os.pathsep.join(AT_SPI_FOLDERS))
    if launcher is None:
        pytest.skip("not installed here: at-spi-bus-launcher (at-spi2-core; "
                    ".ci/system-packages installs it)")
    # Its own process group: the bus and registry it starts stop with it.
    process = subprocess.Popen([launcher, "--launch-immediately"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        with open_dbus_connection(bus=env["DBUS_SESSION_BUS_ADDRESS"]) as session:
            def owned() -> bool:
                if process.poll() is not None:
                    raise RuntimeError(f"at-spi-bus-launcher exited with {process.returncode}")
                reply = session.send_and_get_reply(message_bus.NameHasOwner("org.a11y.Bus"))
                return bool(reply.body[0])

            # Asked only once the launcher owns the name: asking earlier would
            # have D-Bus start another launcher of its own.
            wait_for(owned, 10, "at-spi-bus-launcher owning org.a11y.Bus")
            bus = DBusAddress("/org/a11y/bus", bus_name="org.a11y.Bus",
                              interface="org.a11y.Bus")
            reply = session.send_and_get_reply(new_method_call(bus, "GetAddress"))
        yield str(reply.body[0])
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        stop(process)
