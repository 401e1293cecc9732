"""The reminder's notification through the app with a fake notifier: which
buttons it offers, the fallbacks when it cannot be shown or is lost, and its
withdrawal when the reminder is answered another way; and how the session bus
is found. The real bus is in test_notifications_dbus.py."""

from __future__ import annotations

import socket
import sys
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from coach.core import paths
from coach.core.diary import Diary
from coach.core.notices import Notices
from coach.core.schedule import MAX_SNOOZES, QUICK_SNOOZE_MINUTES, ReminderConfig
from coach.core.settings import SettingsStore
from coach.services import notifications
from coach.services.notifications import bedtime_actions, session_bus_path
from coach.ui.app import CoachApp
from coach.ui.resident import Resident
from tests.fakes.clock import FakeClock
from tests.fakes.notifications import FakeNotifier
from tests.fakes.timers import FakeTimers
from tests.gui.conftest import MakeApp

BERLIN = ZoneInfo("Europe/Berlin")
BEDTIME = datetime(2026, 3, 2, 22, 0, tzinfo=BERLIN)


@pytest.fixture()
def reminder_set(clock: FakeClock) -> None:
    config = ReminderConfig(enabled=True, times=(time(22, 0),) * 7)
    store = SettingsStore(paths.settings_file(), Notices(), clock)
    store.update(reminder=config.to_dict(), disclaimer_accepted=True)


@pytest.fixture()
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeNotifier:
    notifier = FakeNotifier()
    monkeypatch.setattr("coach.ui.resident.session_notifier", lambda parent: notifier)
    return notifier


def start(make_app: MakeApp, clock: FakeClock, tray: bool) -> CoachApp:
    clock.jump_wall((BEDTIME - timedelta(seconds=0.3)).astimezone(timezone.utc) - clock.wall())
    app = make_app(tray=tray, zone=lambda: BERLIN)
    app.start_resident()
    return app


def resident(app: CoachApp) -> Resident:
    assert app.resident is not None
    return app.resident


def remind(app: CoachApp, qtbot: QtBot, timers: FakeTimers, seconds: float = 0.3) -> None:
    with qtbot.waitSignal(resident(app).reminder_shown, timeout=0):
        timers.advance(seconds)


def window_up(app: CoachApp) -> bool:
    window = resident(app).reminder_window
    return window is not None and window.isVisible()


def test_the_snooze_button_goes_once_no_snooze_is_left(
        fake: FakeNotifier, make_app: MakeApp, qtbot: QtBot, clock: FakeClock,
        timers: FakeTimers, reminder_set: None) -> None:
    app = start(make_app, clock, tray=False)
    remind(app, qtbot, timers)
    for _ in range(MAX_SNOOZES):
        assert fake.keys() == ["default", "start", "snooze", "skip"]
        fake.choose("snooze")
        remind(app, qtbot, timers, QUICK_SNOOZE_MINUTES * 60 + 1)
    assert fake.keys() == ["default", "start", "skip"]
    assert len(fake.shown) == MAX_SNOOZES + 1 and not window_up(app)


@pytest.mark.parametrize("tray", [False, True], ids=["window", "tray balloon"])
def test_no_notification_means_the_fallback(
        tray: bool, fake: FakeNotifier, make_app: MakeApp, qtbot: QtBot, clock: FakeClock,
        timers: FakeTimers, reminder_set: None, monkeypatch: pytest.MonkeyPatch) -> None:
    fake.available = False
    app = start(make_app, clock, tray=tray)
    balloons: list[str] = []
    if tray:
        shown_tray = resident(app).tray
        assert shown_tray is not None
        monkeypatch.setattr(shown_tray, "notify", lambda title, text: balloons.append(text))
    remind(app, qtbot, timers)
    assert window_up(app) is not tray
    assert bool(balloons) is tray
    assert not balloons or balloons[0].endswith("Click to start.")


def test_a_notification_lost_before_an_answer_brings_the_window(
        fake: FakeNotifier, make_app: MakeApp, qtbot: QtBot, clock: FakeClock,
        timers: FakeTimers, reminder_set: None) -> None:
    app = start(make_app, clock, tray=False)
    remind(app, qtbot, timers)
    assert not window_up(app)
    fake.lose()
    assert window_up(app)


@pytest.mark.parametrize("answer", ["open_bedtime", "skip_tonight", "pause_until_tomorrow",
                                    "snooze"])
def test_answered_another_way_the_notification_is_withdrawn(
        answer: str, fake: FakeNotifier, make_app: MakeApp, qtbot: QtBot, clock: FakeClock,
        timers: FakeTimers, reminder_set: None) -> None:
    app = start(make_app, clock, tray=True)
    remind(app, qtbot, timers)
    assert fake.on_screen
    handler = getattr(resident(app), answer)
    if answer == "snooze":
        handler(5)  # the tray's Snooze menu
    else:
        handler()
    assert fake.closed == 1


@pytest.mark.parametrize("button", ["skip", "snooze"])
def test_last_nights_buttons_leave_tonight_alone(
        button: str, fake: FakeNotifier, make_app: MakeApp, qtbot: QtBot, clock: FakeClock,
        timers: FakeTimers, reminder_set: None) -> None:
    """A time audit's case: Monday's reminder stayed on the desktop, and its
    Skip pressed at 07:00 on Tuesday skipped Tuesday's reminder (and Snooze
    would have reminded in ten minutes, in the morning)."""
    app = start(make_app, clock, tray=False)
    remind(app, qtbot, timers)
    clock.jump_wall(timedelta(hours=9))  # 07:00 on Tuesday
    resident(app).reminders.refresh()
    fire = resident(app).reminders.next_fire
    assert fire is not None and fire.night == BEDTIME.date() + timedelta(days=1)
    said: list[str] = []
    app.notices.subscribe(lambda notice: said.append(notice.text))
    fake.choose(button)
    assert resident(app).reminders.next_fire == fire
    with Diary.open(paths.diary_file()) as diary:
        assert {event.kind for event in diary.reminder_events()} == {"fired"}
    assert said == ["That reminder was for a night that is over; tonight's reminder is "
                    "unchanged."]


def test_quitting_withdraws_the_notification(
        fake: FakeNotifier, make_app: MakeApp, qtbot: QtBot, clock: FakeClock,
        timers: FakeTimers, reminder_set: None) -> None:
    app = start(make_app, clock, tray=False)
    remind(app, qtbot, timers)
    resident(app).stop()
    assert fake.closed == 1


def test_bedtime_actions_snooze_the_quick_length() -> None:
    snoozed: list[int] = []
    done: list[str] = []
    actions = bedtime_actions(lambda: done.append("start"), lambda: done.append("open"),
                              snoozed.append, lambda: done.append("skip"))
    assert [(a.key, a.label) for a in actions] == [
        ("default", "Open the routine"), ("start", "Start routine"),
        ("snooze", f"Snooze {QUICK_SNOOZE_MINUTES} min"), ("skip", "Skip tonight")]
    for action in actions:
        action.run()
    assert done == ["open", "start", "skip"] and snoozed == [QUICK_SNOOZE_MINUTES]
    assert [a.key for a in bedtime_actions(lambda: None, lambda: None, None,
                                           lambda: None)] == ["default", "start", "skip"]


def test_the_session_bus_is_found_as_libdbus_finds_it(tmp_path: Path) -> None:
    pytest.importorskip("jeepney")
    assert session_bus_path({"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/x/bus,guid=ab"}) \
        == "/run/x/bus"
    assert session_bus_path({"DBUS_SESSION_BUS_ADDRESS": "unix:abstract=/tmp/dbus-1"}) \
        == "\0/tmp/dbus-1"
    assert session_bus_path({"DBUS_SESSION_BUS_ADDRESS": "tcp:host=localhost,port=1"}) is None
    assert session_bus_path({"XDG_RUNTIME_DIR": str(tmp_path)}) is None
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(tmp_path / "bus"))
        assert session_bus_path({"XDG_RUNTIME_DIR": str(tmp_path)}) == str(tmp_path / "bus")
    assert session_bus_path({}) is None


def test_without_a_session_bus_nothing_is_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    notifier = notifications.session_notifier()
    assert not notifier.show("Bedtime stretch", "text", [], failed=lambda: None)


def test_off_the_xdg_desktops_no_notification_is_tried(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert isinstance(notifications.session_notifier(), notifications.NoNotifier)
