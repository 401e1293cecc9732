"""The bedtime reminder through the real app: on time, after a suspend, with
and without a system tray, and the buttons that answer it."""

from __future__ import annotations

import shutil
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from coach.app.navigation import Screen
from coach.core import paths
from coach.core.diary import Diary
from coach.core.engine import State
from coach.core.notices import Notices
from coach.core.schedule import SNOOZE_MINUTES, ReminderConfig
from coach.core.settings import SettingsStore
from coach.core.timezones import local_zone
from coach.ui.app import CoachApp
from coach.ui.resident import Resident
from coach.ui.tray import Tray
from coach.ui.widgets import visible_text
from tests.fakes.clock import FakeClock
from tests.fakes.timers import FakeTimers
from tests.gui.conftest import MakeApp

BERLIN = ZoneInfo("Europe/Berlin")
BEDTIME = datetime(2026, 3, 2, 22, 0, tzinfo=BERLIN)


def snooze_button(player: QWidget) -> QPushButton | None:
    """The player's Snooze, while the reminder's choices are on show."""
    return next((b for b in player.findChildren(QPushButton)
                 if b.isVisibleTo(player) and visible_text(b).startswith("Snooze")), None)


@pytest.fixture()
def reminder_set(clock: FakeClock) -> None:
    config = ReminderConfig(enabled=True, times=(time(22, 0),) * 7)
    store = SettingsStore(paths.settings_file(), Notices(), clock)
    store.update(reminder=config.to_dict(), disclaimer_accepted=True)


def set_wall(clock: FakeClock, moment: datetime) -> None:
    clock.jump_wall(moment.astimezone(timezone.utc) - clock.wall())


def start(make_app: MakeApp, qtbot: QtBot, tray: bool | None) -> CoachApp:
    app = make_app(tray=tray, zone=lambda: BERLIN)
    app.start_resident()  # as --background does; with a window, after its first paint
    assert app.resident is not None and app.resident.reminders.next_fire is not None
    return app


def resident(app: CoachApp) -> Resident:
    assert app.resident is not None
    return app.resident


def events(kind: str) -> list[object]:
    with Diary.open(paths.diary_file()) as diary:
        return [e for e in diary.reminder_events() if e.kind == kind]


def test_on_time_without_a_tray_raises_the_reminder_window(
        make_app: MakeApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
        reminder_set: None) -> None:
    set_wall(clock, BEDTIME - timedelta(seconds=0.3))
    app = start(make_app, qtbot, tray=False)
    assert resident(app).tray is None
    with qtbot.waitSignal(resident(app).reminder_shown, timeout=0) as shown:
        timers.advance(0.3)
    assert shown.args[0].kind == "reminder"
    window = resident(app).reminder_window
    assert window is not None and window.isVisible()
    assert len(events("fired")) == 1
    # Never twice: the next one armed is tomorrow's.
    upcoming = resident(app).reminders.next_fire
    assert upcoming is not None and upcoming.night == BEDTIME.date() + timedelta(days=1)


def test_an_icon_waiting_for_a_tray_that_is_not_there_is_no_tray(
        make_app: MakeApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
        reminder_set: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The icon is made even with no tray on the desktop (one may come
    later), but until one shows it the reminder is not a balloon nobody sees:
    it raises its window, and the no-tray rules hold. (offscreen has no tray,
    and here stands for X11 before its panel has started.)"""
    monkeypatch.setattr("coach.ui.tray.TRAY_MAY_COME",
                        frozenset({QGuiApplication.platformName()}))
    set_wall(clock, BEDTIME - timedelta(seconds=0.3))
    app = start(make_app, qtbot, tray=None)  # None: whatever the desktop has
    assert resident(app).tray is not None and resident(app).shown_tray() is None
    timers.advance(0.3)
    window = resident(app).reminder_window
    assert window is not None and window.isVisible()


def test_start_from_the_reminder_starts_the_routine(
        make_app: MakeApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
        reminder_set: None) -> None:
    """The person pressed Start: the routine begins (its get-ready first),
    with no second Start to find."""
    set_wall(clock, BEDTIME - timedelta(seconds=0.3))
    app = start(make_app, qtbot, tray=False)
    with qtbot.waitSignal(resident(app).reminder_shown, timeout=0):
        timers.advance(0.3)
    window = resident(app).reminder_window
    assert window is not None
    start_button = next(b for b in window.findChildren(QPushButton)
                        if visible_text(b) == "Start bedtime routine")
    start_button.click()
    assert app.window.current_screen() is Screen.PLAYER
    player = app.routine_flow().player
    assert player is not None and player.engine.state is State.RUNNING
    assert snooze_button(player) is None  # the reminder's choices are gone


def test_opened_from_the_notification_it_waits_with_snooze_and_skip(
        make_app: MakeApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
        reminder_set: None) -> None:
    set_wall(clock, BEDTIME - timedelta(seconds=0.3))
    app = start(make_app, qtbot, tray=False)
    with qtbot.waitSignal(resident(app).reminder_shown, timeout=0):
        timers.advance(0.3)
    resident(app).open_bedtime(start=False)
    player = app.routine_flow().player
    assert player is not None and player.engine.state is State.READY
    snooze = snooze_button(player)
    assert snooze is not None
    snooze.click()
    assert events("snoozed")
    fire = resident(app).reminders.next_fire
    assert fire is not None and fire.kind == "snooze"
    assert fire.at == clock.wall() + timedelta(minutes=10)


def test_skip_tonight_means_no_reminder_until_tomorrow(
        make_app: MakeApp, qtbot: QtBot, clock: FakeClock, reminder_set: None) -> None:
    set_wall(clock, BEDTIME - timedelta(hours=1))
    app = start(make_app, qtbot, tray=False)
    resident(app).skip_tonight()
    fire = resident(app).reminders.next_fire
    assert fire is not None and fire.night == BEDTIME.date() + timedelta(days=1)
    assert events("skipped")


def test_pause_until_tomorrow_silences_tonight(
        make_app: MakeApp, qtbot: QtBot, clock: FakeClock, reminder_set: None) -> None:
    set_wall(clock, BEDTIME - timedelta(hours=1))
    app = start(make_app, qtbot, tray=False)
    resident(app).pause_until_tomorrow()
    fire = resident(app).reminders.next_fire
    assert fire is not None and fire.night == BEDTIME.date() + timedelta(days=1)
    assert events("paused")


def an_hour_before_bedtime_with_a_tray(make_app: MakeApp, clock: FakeClock
                                       ) -> tuple[CoachApp, Tray, dict[str, QAction]]:
    """The app in the tray an hour before bedtime, and the tray's menu by its words."""
    set_wall(clock, BEDTIME - timedelta(hours=1))
    app = make_app(tray=True, zone=lambda: BERLIN)
    app.start_resident()
    tray = resident(app).tray
    assert tray is not None
    return app, tray, {a.text(): a for a in tray.menu().actions()}


def test_a_pause_can_be_undone_from_its_notice_or_the_tray(
        make_app: MakeApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
        reminder_set: None) -> None:
    app, _tray, menu = an_hour_before_bedtime_with_a_tray(make_app, clock)
    assert menu["Pause reminders until tomorrow"].isVisible()
    assert not menu["Resume reminders"].isVisible()
    menu["Pause reminders until tomorrow"].trigger()
    assert not menu["Pause reminders until tomorrow"].isVisible()
    assert menu["Resume reminders"].isVisible()
    [undo] = [b for b in app.window.notice_bar.findChildren(QPushButton)
              if visible_text(b) == "Undo"]
    undo.click()
    fire = resident(app).reminders.next_fire
    assert fire is not None and fire.at == BEDTIME.astimezone(timezone.utc)
    assert events("resumed") and menu["Pause reminders until tomorrow"].isVisible()
    menu["Pause reminders until tomorrow"].trigger()
    menu["Resume reminders"].trigger()  # the same, from the tray
    assert len(events("resumed")) == 2
    with qtbot.waitSignal(resident(app).reminder_shown, timeout=0):
        timers.advance(3600)  # tonight's reminder comes after all


def test_the_tray_menu_is_brought_up_to_date_as_it_opens(
        make_app: MakeApp, clock: FakeClock, reminder_set: None) -> None:
    """A time audit's case: the day after "Pause until tomorrow", the menu
    still offered only "Resume reminders", which did nothing: the pause had
    ended with no event to say so."""
    _app, tray, menu = an_hour_before_bedtime_with_a_tray(make_app, clock)
    menu["Pause reminders until tomorrow"].trigger()
    clock.advance(13 * 3600)  # 10:00 the next morning: the pause is over
    tray.menu().aboutToShow.emit()
    assert menu["Pause reminders until tomorrow"].isVisible()
    assert not menu["Resume reminders"].isVisible()


def test_a_suspend_through_bedtime_gives_one_late_reminder(
        make_app: MakeApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
        reminder_set: None) -> None:
    set_wall(clock, BEDTIME - timedelta(hours=1))
    app = start(make_app, qtbot, tray=False)
    # Suspended: wall time moves on, the monotonic clock does not.
    clock.jump_wall(timedelta(hours=1, minutes=30))
    with qtbot.waitSignal(resident(app).reminder_shown, timeout=0) as shown:
        timers.advance(60)  # the minute check notices the jump
    assert shown.args[0].kind == "late"
    with qtbot.assertNotEmitted(resident(app).reminder_shown):
        resident(app).reminders.refresh()


@pytest.mark.skipif(not Path("/usr/share/zoneinfo/America/New_York").is_file(),
                    reason="needs the system's zone files")
def test_a_zone_file_copied_over_localtime_is_noticed(
        make_app: MakeApp, clock: FakeClock, timers: FakeTimers, reminder_set: None,
        tmp_path: Path) -> None:
    """A time audit's case: where /etc/localtime is a copy, not a link, the
    zone is named after that path whatever it holds, so a move from Berlin
    to New York went unnoticed and the 22:00 reminder came at 16:00."""
    etc = tmp_path / "etc"
    etc.mkdir()
    shutil.copy("/usr/share/zoneinfo/Europe/Berlin", etc / "localtime")
    set_wall(clock, datetime(2026, 3, 2, 18, 0, tzinfo=BERLIN))
    app = make_app(tray=False, zone=lambda: local_zone({}, etc))
    app.start_resident()
    shutil.copy("/usr/share/zoneinfo/America/New_York", etc / "localtime")
    timers.advance(60)  # the once-a-minute look at the clock
    fire = resident(app).reminders.next_fire
    assert fire is not None
    assert fire.at == datetime(2026, 3, 2, 22, 0, tzinfo=ZoneInfo("America/New_York"))


def test_too_long_asleep_records_a_missed_night(
        make_app: MakeApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
        reminder_set: None) -> None:
    set_wall(clock, BEDTIME - timedelta(hours=1))
    app = start(make_app, qtbot, tray=False)
    clock.jump_wall(timedelta(hours=9))
    with qtbot.assertNotEmitted(resident(app).reminder_shown):
        timers.advance(60)
    assert len(events("missed")) == 1


def test_a_completed_bedtime_routine_cancels_tonights_reminder(
        make_app: MakeApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
        reminder_set: None) -> None:
    set_wall(clock, BEDTIME - timedelta(hours=2))
    app = start(make_app, qtbot, tray=False)
    app.routine_flow().start_routine("bedtime")
    player = app.routine_flow().player
    assert player is not None
    with qtbot.waitSignal(app.routine_flow().recorded, timeout=0) as recorded:
        timers.advance(player.engine.plan.total + 1)
    assert recorded.args[0].completed
    fire = resident(app).reminders.next_fire
    assert fire is not None and fire.night == BEDTIME.date() + timedelta(days=1)


def test_tray_menu_and_notification(
        make_app: MakeApp, qtbot: QtBot, clock: FakeClock, timers: FakeTimers, reminder_set: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    set_wall(clock, BEDTIME - timedelta(seconds=0.3))
    app = make_app(tray=True, zone=lambda: BERLIN)
    app.start_resident()
    tray = resident(app).tray
    assert tray is not None
    texts = [a.text() for a in tray.menu().actions() if not a.isSeparator()]
    for entry in ("Cramp now!", "Start bedtime routine", "Snooze", "Skip tonight",
                  "Pause reminders until tomorrow", "Settings…", "Quit"):
        assert entry in texts
    assert any(t.startswith("Next reminder: ") for t in texts)
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(tray, "notify", lambda title, text: sent.append((title, text)))
    with qtbot.waitSignal(resident(app).reminder_shown, timeout=0):
        timers.advance(0.3)
    assert sent and sent[0][0] == "Bedtime stretch"
    tray.message_clicked.emit()
    assert app.window.current_screen() is Screen.PLAYER


def test_with_no_reminder_set_the_tray_offers_no_skip_or_pause(
        make_app: MakeApp, clock: FakeClock) -> None:
    """"Skip tonight" with nothing set said "No more reminders tonight"
    about nothing; greyed out, the line under them says why."""
    set_wall(clock, BEDTIME - timedelta(hours=1))
    app = make_app(tray=True, zone=lambda: BERLIN)
    app.start_resident()
    tray = resident(app).tray
    assert tray is not None and resident(app).reminders.next_fire is None
    menu = {a.text(): a for a in tray.menu().actions()}
    assert "No bedtime reminder set" in menu
    for entry in ("Skip tonight", "Pause reminders until tomorrow", "Snooze"):
        assert not menu[entry].isEnabled(), entry
    assert menu["Cramp now!"].isEnabled() and menu["Start bedtime routine"].isEnabled()
    snooze_menu = menu["Snooze"].menu()
    assert isinstance(snooze_menu, QMenu)
    snoozes = [a.text() for a in snooze_menu.actions()]
    assert snoozes == [f"{minutes} minutes" for minutes in SNOOZE_MINUTES]

    app.settings.update(reminder=ReminderConfig(enabled=True, times=(time(22, 0),) * 7
                                                ).to_dict())
    assert resident(app).reminders.next_fire is not None
    assert menu["Skip tonight"].isEnabled()
    assert menu["Pause reminders until tomorrow"].isEnabled()


def test_a_new_tray_menu_offers_nothing_its_line_denies(qtbot: QtBot) -> None:
    """Made (or remade in a new language) before it hears of the reminder,
    the menu said "No bedtime reminder set" over an enabled Skip tonight."""
    from PySide6.QtGui import QIcon

    from coach.ui.tray import TrayActions

    def nothing(*_args: object) -> None:
        pass

    tray = Tray(QIcon(), TrayActions(*([nothing] * 9)))
    menu = {a.text(): a for a in tray.menu().actions()}
    assert "No bedtime reminder set" in menu
    for entry in ("Snooze", "Skip tonight", "Pause reminders until tomorrow"):
        assert not menu[entry].isEnabled(), entry
    tray.set_next("Next reminder: Mon, 22:00", can_snooze=False, reminder_set=True)
    assert menu["Skip tonight"].isEnabled() and not menu["Snooze"].isEnabled()


def test_closing_the_window_hides_it_when_resident(
        make_app: MakeApp, qtbot: QtBot, clock: FakeClock, reminder_set: None) -> None:
    app = start(make_app, qtbot, tray=False)
    app.show()
    qtbot.waitExposed(app.window)
    app.window.close()
    assert not app.window.isVisible()
    assert resident(app).reminders.next_fire is not None
    assert any("no system tray" in n.text for n in app.notices.pending()) or \
        app.settings.current.tray_notice_shown


def test_background_mode_builds_no_window_until_asked(
        qapp: QApplication, qtbot: QtBot, clock: FakeClock, timers: FakeTimers,
        reminder_set: None) -> None:
    from coach.ui.app import Services

    app = CoachApp(qapp, Services(clock=clock, timers=timers, tray=False, zone=lambda: BERLIN))
    try:
        app.start_resident()
        assert app.navigation.built is None
        assert resident(app).reminders.next_fire is not None
        app.handle_request("emergency")
        assert app.navigation.built is not None
        assert app.window.current_screen() is Screen.EMERGENCY
    finally:
        app.shutdown()
        app.window.close()
