"""The bedtime reminder as a desktop notification, on a real private session
bus with a stand-in notification server in its own process
(:mod:`tests.notification_server`): what is sent, each button reaching its
handler, other notifications' signals ignored, and every way of falling back.

Waits are on conditions with a deadline; the app's clock and timers are fake,
but the bus, the server and the socket between them are real.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from coach import resources
from coach.app.navigation import Screen
from coach.core import paths
from coach.core.diary import Diary
from coach.core.engine import State
from coach.core.notices import Notices
from coach.core.schedule import QUICK_SNOOZE_MINUTES, ReminderConfig
from coach.core.settings import SettingsStore
from coach.services import activation
from coach.services.notifications import DBusNotifier
from coach.ui.app import CoachApp
from coach.ui.resident import Resident
from tests.desktop import session_bus, wait_for
from tests.fakes.clock import FakeClock
from tests.fakes.timers import FakeTimers
from tests.gui.conftest import MakeApp

jeepney = pytest.importorskip("jeepney")
from jeepney.bus_messages import message_bus  # noqa: E402
from jeepney.io.blocking import open_dbus_connection  # noqa: E402

from tests.notification_server import token_for  # noqa: E402

BERLIN = ZoneInfo("Europe/Berlin")
BEDTIME = datetime(2026, 3, 2, 22, 0, tzinfo=BERLIN)
SERVICE = "org.freedesktop.Notifications"
WAIT_MS = 5000
ROOT = Path(__file__).resolve().parents[2]


class FakeServer:
    """The test's side of :mod:`tests.notification_server`."""

    def __init__(self, process: subprocess.Popen[bytes], address: str) -> None:
        self.process = process
        self._control = Control(address)

    def calls(self, member: str | None = None) -> list[dict[str, Any]]:
        reply = self._control.call("Calls", None, ())
        calls: list[dict[str, Any]] = json.loads(reply[0])
        return [c for c in calls if member is None or c["member"] == member]

    def invoke(self, notification: int, key: str) -> None:
        self._control.call("Invoke", "us", (notification, key))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=5)


class Control:
    """A blocking client for the test's own calls (never the app's)."""

    def __init__(self, address: str) -> None:
        self.address = address

    def call(self, member: str, signature: str | None, body: tuple[Any, ...]) -> Any:
        target = jeepney.DBusAddress("/", bus_name="org.crampcoach.TestServer",
                                     interface="org.crampcoach.TestServer")
        with open_dbus_connection(self.address) as connection:
            reply = connection.send_and_get_reply(
                jeepney.new_method_call(target, member, signature, body), timeout=5)
        return reply.body


@pytest.fixture()
def bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with session_bus() as address:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield address


@contextmanager
def notification_server(address: str, *flags: str) -> Iterator[FakeServer]:
    process = subprocess.Popen([sys.executable, "-m", "tests.notification_server", address,
                                *flags], cwd=ROOT)

    def owned() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"the notification server exited with {process.returncode}")
        with open_dbus_connection(address) as connection:
            reply = connection.send_and_get_reply(message_bus.NameHasOwner(SERVICE), timeout=2)
        return bool(reply.body[0])

    server = FakeServer(process, address)
    try:
        wait_for(owned, 10, "the notification server taking its name")
        yield server
    finally:
        if process.poll() is None:
            server.stop()


@pytest.fixture()
def reminder_set(clock: FakeClock) -> None:
    config = ReminderConfig(enabled=True, times=(clock_time(22, 0),) * 7)
    store = SettingsStore(paths.settings_file(), Notices(), clock)
    store.update(reminder=config.to_dict(), disclaimer_accepted=True)


def start(make_app: MakeApp, clock: FakeClock, tray: bool) -> CoachApp:
    """The app resident 0.3 s before bedtime."""
    clock.jump_wall((BEDTIME - timedelta(seconds=0.3)).astimezone(timezone.utc) - clock.wall())
    app = make_app(tray=tray, zone=lambda: BERLIN)
    app.start_resident()
    return app


def resident(app: CoachApp) -> Resident:
    assert app.resident is not None
    return app.resident


def notifier(app: CoachApp) -> DBusNotifier:
    found = resident(app).notifier
    assert isinstance(found, DBusNotifier)
    return found


def bedtime(app: CoachApp, qtbot: QtBot, timers: FakeTimers) -> None:
    with qtbot.waitSignal(resident(app).reminder_shown, timeout=0):
        timers.advance(0.3)


def ready(app: CoachApp, qtbot: QtBot) -> DBusNotifier:
    found = notifier(app)
    qtbot.waitUntil(lambda: found.capabilities is not None, timeout=WAIT_MS)
    return found


def shown(server: FakeServer, qtbot: QtBot, count: int = 1) -> dict[str, Any]:
    qtbot.waitUntil(lambda: len(server.calls("Notify")) >= count, timeout=WAIT_MS)
    return server.calls("Notify")[count - 1]


def events(kind: str) -> list[object]:
    with Diary.open(paths.diary_file()) as diary:
        return [e for e in diary.reminder_events() if e.kind == kind]


def window_up(app: CoachApp) -> bool:
    window = resident(app).reminder_window
    return window is not None and window.isVisible()


def test_the_reminder_is_a_notification_with_its_actions(
        bus: str, make_app: MakeApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
        reminder_set: None) -> None:
    with notification_server(bus) as server:
        app = start(make_app, clock, tray=False)
        ready(app, qtbot)
        bedtime(app, qtbot, timers)
        call = shown(server, qtbot)
    app_name, replaces, icon, summary, body, actions, hints, expire = call["args"]
    assert (app_name, replaces, icon) == ("Cramp Coach", 0, resources.icon_path().as_uri())
    assert summary == "Bedtime stretch"
    assert body.startswith("Time for your bedtime stretch.")
    assert actions == ["default", "Open the routine", "start", "Start routine",
                       "snooze", f"Snooze {QUICK_SNOOZE_MINUTES} min", "skip", "Skip tonight"]
    assert hints["urgency"] == ["y", 1]
    assert hints["desktop-entry"] == ["s", "cramp-coach"]
    assert expire == 0
    assert not window_up(app)


@pytest.mark.parametrize("key", ["default", "start", "snooze", "skip"])
def test_each_action_reaches_its_handler(
        key: str, bus: str, make_app: MakeApp, qtbot: QtBot, clock: FakeClock,
        timers: FakeTimers, reminder_set: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(activation.VARIABLE, raising=False)
    with notification_server(bus) as server:
        app = start(make_app, clock, tray=False)
        ready(app, qtbot)
        bedtime(app, qtbot, timers)
        notification = shown(server, qtbot)["id"]
        server.invoke(notification, key)
        if key in ("default", "start"):
            qtbot.waitUntil(lambda: app.window.current_screen() is Screen.PLAYER,
                            timeout=WAIT_MS)
            player = app.routine_flow().player
            assert player is not None
            # Its Start button starts it; a click on the notification opens it.
            assert (player.engine.state is State.READY) == (key == "default")
            # The server's token for this action, where Qt's Wayland plugin
            # takes it when the window is raised.
            assert os.environ[activation.VARIABLE] == token_for(notification)
        elif key == "snooze":
            qtbot.waitUntil(lambda: bool(events("snoozed")), timeout=WAIT_MS)
            fire = resident(app).reminders.next_fire
            assert fire is not None and fire.kind == "snooze"
            assert fire.at == clock.wall() + timedelta(minutes=QUICK_SNOOZE_MINUTES)
        else:
            qtbot.waitUntil(lambda: bool(events("skipped")), timeout=WAIT_MS)
        # Answered, it is taken down even where the server would leave it up.
        qtbot.waitUntil(lambda: bool(server.calls("CloseNotification")), timeout=WAIT_MS)
        assert [c["args"] for c in server.calls("CloseNotification")] == [[notification]]


def test_an_action_on_another_notification_is_ignored(
        bus: str, make_app: MakeApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
        reminder_set: None) -> None:
    with notification_server(bus) as server:
        app = start(make_app, clock, tray=False)
        ready(app, qtbot)
        bedtime(app, qtbot, timers)
        notification = shown(server, qtbot)["id"]
        server.invoke(notification + 41, "skip")  # another app's, on the same bus
        server.invoke(notification, "snooze")  # ours, delivered after it
        qtbot.waitUntil(lambda: bool(events("snoozed")), timeout=WAIT_MS)
    assert not events("skipped")


def test_a_new_reminder_replaces_the_one_on_screen(
        bus: str, make_app: MakeApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
        reminder_set: None) -> None:
    with notification_server(bus) as server:
        app = start(make_app, clock, tray=False)
        found = ready(app, qtbot)
        with qtbot.waitSignal(resident(app).reminder_shown, timeout=0) as fired:
            timers.advance(0.3)
        first = shown(server, qtbot)["id"]
        qtbot.waitUntil(lambda: found.showing == first, timeout=WAIT_MS)
        resident(app).reminders.remind.emit(fired.args[0])
        again = shown(server, qtbot, count=2)
    assert again["args"][1] == first and again["id"] == first


def test_answered_elsewhere_the_notification_is_withdrawn(
        bus: str, make_app: MakeApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
        reminder_set: None) -> None:
    with notification_server(bus) as server:
        app = start(make_app, clock, tray=True)
        found = ready(app, qtbot)
        bedtime(app, qtbot, timers)
        notification = shown(server, qtbot)["id"]
        qtbot.waitUntil(lambda: found.showing == notification, timeout=WAIT_MS)
        resident(app).open_bedtime()  # "Start bedtime routine" in the tray menu
        qtbot.waitUntil(lambda: bool(server.calls("CloseNotification")), timeout=WAIT_MS)
        assert server.calls("CloseNotification")[0]["args"] == [notification]
        assert found.showing is None


def test_a_server_without_actions_gets_the_window(
        bus: str, make_app: MakeApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
        reminder_set: None) -> None:
    with notification_server(bus, "--capabilities", "body,persistence") as server:
        app = start(make_app, clock, tray=False)
        ready(app, qtbot)
        bedtime(app, qtbot, timers)
        assert window_up(app)
        assert server.calls("GetCapabilities") and not server.calls("Notify")


def test_a_server_without_actions_gets_the_tray_balloon(
        bus: str, make_app: MakeApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
        reminder_set: None, monkeypatch: pytest.MonkeyPatch) -> None:
    with notification_server(bus, "--capabilities", "body") as server:
        app = start(make_app, clock, tray=True)
        tray = resident(app).tray
        assert tray is not None
        balloons: list[tuple[str, str]] = []
        monkeypatch.setattr(tray, "notify", lambda title, text: balloons.append((title, text)))
        ready(app, qtbot)
        bedtime(app, qtbot, timers)
        assert balloons and balloons[0][0] == "Bedtime stretch"
        assert not server.calls("Notify") and not window_up(app)


def test_a_refused_notification_falls_back_to_the_window(
        bus: str, make_app: MakeApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
        reminder_set: None) -> None:
    with notification_server(bus, "--refuse-notify") as server:
        app = start(make_app, clock, tray=False)
        ready(app, qtbot)
        bedtime(app, qtbot, timers)
        shown(server, qtbot)
        qtbot.waitUntil(lambda: window_up(app), timeout=WAIT_MS)


def test_a_server_that_goes_away_unanswered_brings_the_window(
        bus: str, make_app: MakeApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
        reminder_set: None) -> None:
    with notification_server(bus) as server:
        app = start(make_app, clock, tray=False)
        found = ready(app, qtbot)
        bedtime(app, qtbot, timers)
        notification = shown(server, qtbot)["id"]
        qtbot.waitUntil(lambda: found.showing == notification, timeout=WAIT_MS)
        server.stop()
        qtbot.waitUntil(lambda: window_up(app), timeout=WAIT_MS)


def test_a_server_that_never_answers_gets_the_window_at_once(
        bus: str, make_app: MakeApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
        reminder_set: None) -> None:
    with notification_server(bus, "--mute") as server:
        app = start(make_app, clock, tray=False)
        notifier(app)
        qtbot.waitUntil(lambda: bool(server.calls("GetCapabilities")), timeout=WAIT_MS)
        began = time.monotonic()
        bedtime(app, qtbot, timers)
        assert time.monotonic() - began < 1.0
        assert window_up(app)


def test_with_no_server_on_the_bus_the_window_comes_at_once(
        bus: str, make_app: MakeApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
        reminder_set: None) -> None:
    app = start(make_app, clock, tray=False)
    notifier(app)
    began = time.monotonic()
    bedtime(app, qtbot, timers)
    assert time.monotonic() - began < 1.0
    assert window_up(app)


def test_with_no_bus_at_all_the_window_comes_at_once(
        make_app: MakeApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
        reminder_set: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    app = start(make_app, clock, tray=False)
    began = time.monotonic()
    bedtime(app, qtbot, timers)
    assert time.monotonic() - began < 1.0
    assert window_up(app)
