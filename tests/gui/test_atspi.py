"""What a screen reader really meets: Cramp Coach started as a person starts
it, on an X server, with the desktop's accessibility bus (AT-SPI, which Orca
reads) running, and read the way Orca reads it, over D-Bus.

Qt makes its AT-SPI bridge only with the xcb platform (the offscreen one
has none), so the test starts its own Xvfb; it skips, saying what is
missing, where Xvfb, dbus-daemon or at-spi2-core are not installed
(.ci/system-packages installs them).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop import accessibility_bus, session_bus, stop, virtual_display, wait_for

jeepney = pytest.importorskip("jeepney")
from jeepney import DBusAddress, MatchRule, Properties, new_method_call  # noqa: E402
from jeepney.bus_messages import message_bus  # noqa: E402
from jeepney.io.blocking import DBusConnection, open_dbus_connection  # noqa: E402
from jeepney.low_level import Message, MessageType  # noqa: E402

Ref = tuple[str, str]
"""An accessible object on the bus: (bus name, object path)."""
REGISTRY_ROOT: Ref = ("org.a11y.atspi.Registry", "/org/a11y/atspi/accessible/root")
ROOT = Path(__file__).resolve().parents[2]


class Reader:
    """The few AT-SPI calls a screen reader makes to find its way."""

    def __init__(self, connection: DBusConnection) -> None:
        self.bus = connection

    def _call(self, ref: Ref, interface: str, method: str, signature: str | None = None,
              args: tuple[object, ...] = ()) -> tuple[object, ...]:
        address = DBusAddress(ref[1], bus_name=ref[0], interface=interface)
        return self._reply(new_method_call(address, method, signature, args))

    def _reply(self, message: Message) -> tuple[object, ...]:
        reply = self.bus.send_and_get_reply(message, timeout=10)
        assert reply.header.message_type is MessageType.method_return, reply.body
        return tuple(reply.body)

    def children(self, ref: Ref) -> list[Ref]:
        found = self._call(ref, "org.a11y.atspi.Accessible", "GetChildren")[0]
        assert isinstance(found, list), found  # a(so): (bus name, object path) pairs
        return [(str(name), str(path)) for name, path in found]

    def role(self, ref: Ref) -> str:
        return str(self._call(ref, "org.a11y.atspi.Accessible", "GetRoleName")[0])

    def name(self, ref: Ref) -> str:
        address = DBusAddress(ref[1], bus_name=ref[0], interface="org.a11y.atspi.Accessible")
        variant = self._reply(Properties(address).get("Name"))[0]
        assert isinstance(variant, tuple), variant  # (signature, value)
        return str(variant[1])

    def press(self, ref: Ref) -> None:
        """The button's first action: what Orca does for Enter in flat review."""
        assert self._call(ref, "org.a11y.atspi.Action", "DoAction", "i", (0,)) == (True,)

    def find(self, name: str, role: str) -> Ref | None:
        """Walk every application's tree from the registry's root."""
        pending = self.children(REGISTRY_ROOT)
        while pending:
            ref = pending.pop()
            if self.name(ref) == name and self.role(ref) == role:
                return ref
            pending.extend(self.children(ref))
        return None

    def listen_for(self, event: str) -> None:
        """Ask the registry for ``event`` ("Object:Announcement"), as Orca does:
        the application's bridge sends only what someone listens for."""
        registry = DBusAddress("/org/a11y/atspi/registry", bus_name="org.a11y.atspi.Registry",
                               interface="org.a11y.atspi.Registry")
        self._reply(new_method_call(registry, "RegisterEvent", "sass", (event, [], "")))


@pytest.fixture()
def reader(tmp_path: Path) -> Iterator[tuple[Reader, subprocess.Popen[bytes]]]:
    with virtual_display() as display, session_bus() as session:
        env = {**os.environ, "DISPLAY": display, "DBUS_SESSION_BUS_ADDRESS": session}
        with accessibility_bus(env) as address, open_dbus_connection(bus=address) as bus:
            app = subprocess.Popen(
                [sys.executable, "-m", "coach", "--theme", "night"], cwd=ROOT,
                env={**env, "QT_QPA_PLATFORM": "xcb", "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1"},
                stdout=subprocess.DEVNULL, stderr=(tmp_path / "app.log").open("wb"))
            try:
                yield Reader(bus), app
            finally:
                stop(app, timeout=10)


def test_a_screen_reader_finds_cramp_now_and_hears_the_clot_check(
        reader: tuple[Reader, subprocess.Popen[bytes]]) -> None:
    screen_reader, app = reader

    def button(name: str, timeout: float) -> Ref:
        found: list[Ref] = []

        def shown() -> bool:
            assert app.poll() is None, "Cramp Coach exited"
            hit = screen_reader.find(name, "push button")
            found.extend([hit] if hit else [])
            return bool(found)

        wait_for(shown, timeout, f"a push button named {name!r} on the accessibility bus")
        return found[0]

    cramp_now = button("Cramp now!", 30)
    apps = [screen_reader.name(ref) for ref in screen_reader.children(REGISTRY_ROOT)]
    assert "Cramp Coach" in apps

    screen_reader.press(cramp_now)
    calf = button("1  Calf", 15)

    screen_reader.listen_for("Object:Announcement")
    rule = MatchRule(type="signal", interface="org.a11y.atspi.Event.Object",
                     member="Announcement")
    screen_reader.bus.send_and_get_reply(message_bus.AddMatch(rule), timeout=10)
    with screen_reader.bus.filter(rule) as queue:
        screen_reader.press(calf)
        heard = screen_reader.bus.recv_until_filtered(queue, timeout=15)
    _detail, politeness, _zero, (_signature, text), _properties = heard.body
    assert "Press N for no, or Y for yes." in text  # the clot check, said as it appears
    assert politeness == 1  # ATSPI_LIVE_POLITE: after what the reader is saying
