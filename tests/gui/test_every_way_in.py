"""Emergency mode opens from every way in, whatever state the app starts in.

The first release crashed when a notice was waiting as the window was first
built, a state no test had tried. Here each way a person reaches "Cramp now"
(the window's button, ``--emergency``, the tray, a second launch handing over,
after answering the reminder window) meets each bad start (notices waiting,
damaged settings, a broken routine file, no sound, no tray, a data folder that
cannot be used) and must reach a calf hold that is counting down. A crash (an
exception in any slot fails the test) or a blank window fails.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from datetime import time, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from coach import instance
from coach.app.navigation import Screen as AppScreen
from coach.core import paths
from coach.core.emergency import PREP_S, Phase, Screen
from coach.core.schedule import ReminderConfig
from coach.services import activation
from coach.ui.app import CoachApp, Services
from coach.ui.instance_server import InstanceServer
from coach.ui.widgets import visible_text
from tests.fakes.clock import FakeClock
from tests.fakes.sound import FakePlayer
from tests.fakes.timers import FakeTimers

WAYS_IN = ("home button", "--emergency", "tray", "second launch", "after the reminder window")
STARTS = ("one notice waiting", "several notices waiting", "damaged settings",
          "broken routine file", "no sound output", "no tray", "unusable data folder")


def prepare(start: str) -> Services:
    """Make the bad start on disk; returns the services for it."""
    services = Services(player=FakePlayer(), tray=True, zone=lambda: timezone.utc)
    if start == "damaged settings":
        paths.settings_file().parent.mkdir(parents=True, exist_ok=True)
        paths.settings_file().write_text("{", encoding="utf-8")
    elif start == "broken routine file":
        folder = paths.user_content_dir()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "mine.yaml").write_text(
            "schema: 1\nroutines:\n  - id: mine\n    colour: blue\n", encoding="utf-8")
    elif start == "no sound output":
        services.player = FakePlayer(available=False)
    elif start == "no tray":
        services.tray = False
    elif start == "unusable data folder":
        # A file where the folder should be: nothing under it can be opened.
        paths.data_dir().parent.mkdir(parents=True, exist_ok=True)
        paths.data_dir().write_text("not a folder", encoding="utf-8")
    return services


def post_waiting(app: CoachApp, start: str) -> None:
    """Notices queued before any window exists, as a resident app gathers
    them (a repaired file, a missing sound output, a reminder answered)."""
    if start == "one notice waiting":
        app.notices.post("info", "Reminders are paused until tomorrow morning.")
    elif start == "several notices waiting":
        app.notices.post("error", "A reminder event could not be recorded.", key="a")
        app.notices.post("warning", "The reminder settings are not usable.", key="b")
        app.notices.post("info", "No sound output was found.", key="c")
        app.notices.post("info", "No more reminders tonight. Sleep well.", key="d")
    elif start == "no sound output":
        app.notices.post("info", "No sound output was found, so cues flash on screen instead.",
                         key="no-audio")


def ask_from_a_second_launch(qtbot: QtBot, app: CoachApp, tmp_path: Path,
                             token: str | None = None) -> None:
    """The request travels through the real socket, answered by the app's
    event loop while the launching side waits, as ``cramp-coach --emergency``
    does when Cramp Coach is already running."""
    name = str(tmp_path / "instance")
    server = InstanceServer(name)
    assert server.listen(), server.error
    server.request.connect(app.handle_request)
    outcome: list[instance.Outcome] = []
    sender = threading.Thread(target=lambda: outcome.append(
        instance.request("emergency", name=name, token=token)[0]))
    sender.start()
    try:
        qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    finally:
        sender.join(5)
        server.close()
    assert outcome == [instance.Outcome.TAKEN]


def answer_the_reminder_window(app: CoachApp, clock: FakeClock, timers: FakeTimers) -> None:
    """The reminder comes (in its own small window, whether or not there is
    a tray), is answered with Skip tonight, and only then is Cramp now asked
    for: the window is built with that answer's notice waiting."""
    local = clock.wall().astimezone(timezone.utc)
    remind_at = (local + timedelta(minutes=1)).time().replace(second=0, microsecond=0)
    app.settings.update(reminder=ReminderConfig(enabled=True,
                                                times=(time(remind_at.hour,
                                                            remind_at.minute),) * 7).to_dict())
    resident = app.start_resident()
    if resident.tray is not None:  # the tray's balloon is not what is tried here
        resident.tray.hide()
        resident.tray = None
    timers.advance(120)
    window = resident.reminder_window
    assert window is not None and window.isVisible()
    [skip] = [b for b in window.findChildren(QPushButton) if visible_text(b) == "Skip tonight"]
    skip.click()
    app.handle_request("emergency", None)


def come_in(way: str, app: CoachApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
            tmp_path: Path) -> None:
    if way == "home button":
        app.handle_request("show", None)
        app.window.show()
        qtbot.waitExposed(app.window)
        QTest.mouseClick(app.home.cramp_button, Qt.MouseButton.LeftButton)
    elif way == "--emergency":
        app.handle_request("emergency", None)
    elif way == "tray":
        resident = app.start_resident()
        assert resident.tray is not None
        [cramp] = [a for a in resident.tray.menu().actions() if a.text() == "Cramp now!"]
        cramp.trigger()
    elif way == "second launch":
        app.start_resident()  # a resident app, as --background leaves it
        ask_from_a_second_launch(qtbot, app, tmp_path)
    else:
        answer_the_reminder_window(app, clock, timers)


def reach_a_calf_hold(app: CoachApp, qtbot: QtBot, timers: FakeTimers) -> None:
    window = app.window
    window.show()
    qtbot.waitExposed(window)
    assert window.current_screen() is AppScreen.EMERGENCY
    screen = app.emergency
    assert screen is not None and screen.isVisible()
    QTest.keyClick(screen, Qt.Key.Key_1)
    assert screen.view().screen is Screen.CLOT_CHECK
    QTest.keyClick(screen, Qt.Key.Key_N)
    timers.advance(PREP_S + 0.5)
    view = screen.view()
    assert view.screen is Screen.STEP and view.phase is Phase.HOLD
    assert view.protocol is not None and view.protocol.id == "calf"
    assert view.step is not None
    shown = [label.text() for label in screen.findChildren(QLabel)
             if label.isVisible() and label.text()]
    assert str(view.step.step.instruction) in shown  # not a blank page
    assert screen.countdown.number.isVisible() and screen.countdown.number.text()


@pytest.fixture()
def make_unbuilt(qapp: QApplication, qtbot: QtBot, clock: FakeClock,
                 timers: FakeTimers) -> Iterator[Callable[[Services], CoachApp]]:
    """Like ``make_app``, but the window is not built until a way in asks for
    it, as in a real start: what is waiting then is what the window meets."""
    made: list[CoachApp] = []

    def make(services: Services) -> CoachApp:
        services.clock, services.timers = clock, timers
        app = CoachApp(qapp, services, theme_override="night")
        made.append(app)
        return app

    yield make
    for app in made:
        app.shutdown()
        if app.navigation.built is not None:
            qtbot.addWidget(app.navigation.built)


@pytest.mark.parametrize(("way", "start"), [
    (way, start) for way in WAYS_IN for start in STARTS
    if not (way == "tray" and start == "no tray")])  # nothing to open it from
def test_emergency_mode_opens(way: str, start: str, make_unbuilt: Callable[[Services], CoachApp],
                              qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
                              tmp_path: Path) -> None:
    app = make_unbuilt(prepare(start))
    post_waiting(app, start)
    assert app.navigation.built is None
    come_in(way, app, qtbot, clock, timers, tmp_path)
    reach_a_calf_hold(app, qtbot, timers)


def test_a_second_launchs_activation_token_reaches_the_app(
        make_unbuilt: Callable[[Services], CoachApp], qtbot: QtBot, timers: FakeTimers,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On Wayland the window comes to the front only with the launcher's
    token, which the second launch was given: it is passed on, and set where
    Qt's Wayland plugin takes it before the window is raised."""
    monkeypatch.delenv(activation.VARIABLE, raising=False)
    app = make_unbuilt(prepare("one notice waiting"))
    ask_from_a_second_launch(qtbot, app, tmp_path, token="launcher-token-42")
    assert os.environ[activation.VARIABLE] == "launcher-token-42"
    reach_a_calf_hold(app, qtbot, timers)
