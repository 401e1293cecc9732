"""Keyboard and screen reader (issue 12 §6), through the real app on a fake
clock: every screen and dialog is walked, and on each

- a visible label's accessible name is empty (the screen reader reads its
  text) or contains its text, and Qt's accessible interface says its text;
- every visible widget that takes the focus has a name, its own or the
  words Qt exposes for it (a button's, a check box's), and no unnamed
  container (scroll area, frame, plain widget) takes the focus;
- Tab reaches every button (and every group of radio buttons);
- the focus starts on the first thing to use.

And: the player's and emergency mode's changes are announced through
``QAccessibleAnnouncementEvent`` (captured here where the app hands them to
Qt), in words a screen reader reads well; the quick log's answers are radio
buttons with their keys printed, 10 chosen by "1" then "0". (The wheel in
Settings: test_wheel.py; a real screen reader's view over AT-SPI:
test_atspi.py.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QAccessibleEvent,
    QTextDocument,
)
from PySide6.QtGui import Qt as QtGui
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QLabel,
    QListWidget,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QWidget,
)
from pytestqt.qtbot import QtBot

from coach.app import content
from coach.core.diary import Episode
from coach.core.emergency import PREP_S
from coach.core.emergency import Screen as Page
from coach.core.engine import State
from coach.core.model import Library
from coach.core.schedule import ReminderConfig
from coach.core.settings import Settings
from coach.core.timetable import SegmentKind
from coach.ui.app import CoachApp
from coach.ui.emergency_screen import EmergencyScreen
from coach.ui.episode_dialog import EpisodeDialog
from coach.ui.quick_log import TYPE_AHEAD_MS, QuickLogScreen
from coach.ui.reminder_window import ReminderWindow
from coach.ui.settings_dialog import SettingsDialog
from coach.ui.widgets import visible_text
from tests.fakes.clock import FakeClock
from tests.fakes.timers import FakeTimers
from tests.gui.conftest import MakeApp, named
from tests.gui.test_player import LIBRARY as ROUTINES
from tests.unit.test_emergency import LIBRARY as GUIDES

Shown = TypeVar("Shown", bound=QWidget)

# -- what a screen reader is told ----------------------------------------------


@dataclass(frozen=True)
class Said:
    text: str
    assertive: bool
    source: object


@pytest.fixture()
def heard(monkeypatch: pytest.MonkeyPatch) -> list[Said]:
    """Every announcement the app hands to Qt's accessibility, in order."""
    said: list[Said] = []
    real = QAccessible.updateAccessibility

    def update(event: QAccessibleEvent) -> None:
        if isinstance(event, QAccessibleAnnouncementEvent):
            said.append(Said(event.message(),
                             event.politeness() is QAccessible.AnnouncementPoliteness.Assertive,
                             event.object()))
        real(event)

    monkeypatch.setattr(QAccessible, "updateAccessibility", staticmethod(update))
    return said


def texts(said: list[Said]) -> list[str]:
    return [s.text for s in said]


# -- checks on a screen ----------------------------------------------------------


def plain(widget: QLabel) -> str:
    """A label's words as a person reads them (rich text without its tags)."""
    text = widget.text()
    if widget.textFormat() == Qt.TextFormat.RichText or (
            widget.textFormat() == Qt.TextFormat.AutoText and QtGui.mightBeRichText(text)):
        document = QTextDocument()
        document.setHtml(text)
        text = document.toPlainText()
    return " ".join(text.split())


def spoken_name(widget: QWidget) -> str:
    """The name Qt's accessibility gives a screen reader for ``widget``."""
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None, widget
    return " ".join(interface.text(QAccessible.Text.Name).split())


def owner(widget: QWidget) -> QWidget:
    """The widget a screen reader meets: the spin box, not the line edit
    inside it that hands it the focus."""
    while (proxy := widget.focusProxy()) is not None:
        widget = proxy
    return widget


def shown(root: QWidget, kind: type[Shown]) -> list[Shown]:
    found = [root] if isinstance(root, kind) else []
    return [w for w in [*found, *root.findChildren(kind)] if w.isVisible()]


def check_labels(root: QWidget) -> int:
    count = 0
    for widget in shown(root, QLabel):
        assert isinstance(widget, QLabel)
        words = plain(widget)
        if not words:
            continue
        count += 1
        name = " ".join(widget.accessibleName().split())
        assert name == "" or words in name, (
            f"the label {words[:60]!r} is named {name!r}: a screen reader hears only that")
        assert words in spoken_name(widget), words[:60]
    return count


def focusable(root: QWidget) -> list[QWidget]:
    """What can hold the focus (not what hands it on to its focus proxy)."""
    return [w for w in shown(root, QWidget)
            if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isEnabled()
            and w.focusProxy() is None]


def check_focusables(root: QWidget) -> None:
    for widget in focusable(root):
        target = owner(widget)
        kind = type(target)
        if kind in (QWidget, QFrame, QScrollArea) or isinstance(target, QScrollArea):
            assert target.accessibleName(), f"an unnamed {kind.__name__} takes the focus"
        assert spoken_name(target), f"a {kind.__name__} takes the focus with no name"


def tab_through(window: QWidget, qtbot: QtBot, presses: int) -> set[QWidget]:
    reached: set[QWidget] = set()
    for _ in range(presses):
        focused = QApplication.focusWidget()
        assert focused is not None and (window.isAncestorOf(focused) or focused is window)
        reached.add(owner(focused))
        QTest.keyClick(focused, Qt.Key.Key_Tab)
    return reached


def check_tab_reaches_every_button(window: QWidget, root: QWidget, qtbot: QtBot) -> None:
    wanted = [b for b in shown(root, QAbstractButton) if b.isEnabled()]
    reached = tab_through(window, qtbot, 2 * len(focusable(window)) + 4)
    groups: dict[QButtonGroup, list[QAbstractButton]] = {}
    for choice in wanted:
        group = choice.group()
        if isinstance(choice, QRadioButton) and group is not None and group.exclusive():
            groups.setdefault(group, []).append(choice)  # Tab enters, arrows choose
        else:
            assert choice in reached, f"Tab never reaches {visible_text(choice)!r}"
    for members in groups.values():
        assert reached & set(members), f"Tab never reaches {visible_text(members[0])!r}"


def check_screen(window: QWidget, root: QWidget, qtbot: QtBot, *, tab: bool = True) -> None:
    assert check_labels(root) > 0
    check_focusables(window)
    if tab:
        check_tab_reaches_every_button(window, root, qtbot)


def focused() -> QWidget | None:
    widget = QApplication.focusWidget()
    return None if widget is None else owner(widget)


# -- the app ---------------------------------------------------------------------


def shown_app(make_app: MakeApp, qtbot: QtBot, library: Library | None = None) -> CoachApp:
    app = make_app(library if library is not None else content.load(), tray=False)
    app.settings.update(disclaimer_accepted=True)
    app.show()
    activate(app.window, qtbot)
    return app


def activate(window: QWidget, qtbot: QtBot) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def emergency(app: CoachApp) -> EmergencyScreen:
    app.open_emergency()
    assert app.emergency is not None
    return app.emergency


def at_page(screen: EmergencyScreen, protocol: str, page: Page) -> None:
    if screen.view().screen is not Page.PLACES:
        QTest.keyClick(screen, Qt.Key.Key_Escape)  # back to the place buttons
    screen.choose(protocol)
    if page is Page.CLOT_CHECK:
        return
    QTest.keyClick(screen, Qt.Key.Key_Y if page is Page.CLOT_WARNING else Qt.Key.Key_N)
    assert screen.view().screen is page


def press(root: QWidget, text: str) -> None:
    """Click the button on show that reads ``text``, as a person would."""
    [found] = [b for b in root.findChildren(QPushButton)
               if b.isVisibleTo(root) and visible_text(b) == text]
    found.click()


def answers(log: QuickLogScreen, question: str) -> list[QAbstractButton]:
    """The answers in the row a screen reader names ``question``, in order."""
    row = named(log, QWidget, question)
    return row.findChildren(QAbstractButton)


SIDES = "Which leg?"
SEVERITY = "How bad was it? 0 is barely, 10 is the worst you know."
SYMPTOMS = "Also swelling, numbness or weakness in that leg?"


def test_every_screen_is_named_as_it_reads_and_reached_by_tab(
        make_app: MakeApp, qtbot: QtBot, timers: FakeTimers, clock: FakeClock) -> None:
    app = shown_app(make_app, qtbot)
    window = app.window

    assert focused() is app.home.cramp_button
    check_screen(window, app.home, qtbot)

    screen = emergency(app)
    first = focused()
    assert isinstance(first, QPushButton) and visible_text(first).startswith("1  ")
    check_screen(window, screen, qtbot)
    at_page(screen, "calf", Page.CLOT_CHECK)
    assert not isinstance(focused(), QAbstractButton)  # no reflex may answer it
    check_screen(window, screen, qtbot)
    at_page(screen, "calf", Page.STEP)
    timers.advance(PREP_S + 1)
    assert screen.view().phase.name == "HOLD"
    assert screen.countdown.number.accessibleName() == ""
    assert "seconds" in screen.countdown.number.accessibleDescription()
    check_screen(window, screen, qtbot)
    QTest.keyClick(screen, Qt.Key.Key_P)  # it has passed
    assert screen.view().screen is Page.AFTERCARE
    check_screen(window, screen, qtbot)
    QTest.keyClick(screen, Qt.Key.Key_Escape)
    screen.choose("water")
    assert screen.view().screen is Page.READ_AHEAD
    check_screen(window, screen, qtbot)
    at_page(screen, "calf", Page.CLOT_WARNING)
    check_screen(window, screen, qtbot)
    at_page(screen, "foot", Page.STEP)
    timers.advance(601)
    assert screen.view().screen is Page.URGENT
    check_screen(window, screen, qtbot)

    QTest.keyClick(screen, Qt.Key.Key_P)  # it has passed
    press(screen, "Enter  Done")  # after-care read
    log = app.diary_flow().quick_log
    assert log is not None and app.window.current_screen() == "quick_log"
    assert focused() is answers(log, SIDES)[0]
    check_screen(window, log, qtbot)

    app.open_routines()
    routines = app.routine_flow().routines
    assert routines is not None
    chosen = focused()
    assert isinstance(chosen, QListWidget) and routines.isAncestorOf(chosen)
    check_screen(window, routines, qtbot)
    app.routine_flow().start_routine("bedtime")
    player = app.routine_flow().player
    assert player is not None and focused() is player
    for kind in (SegmentKind.GET_READY, SegmentKind.HOLD, SegmentKind.REST):
        while player.engine.snapshot().segment.kind is not kind:
            timers.advance(1)
        check_screen(window, player, qtbot)
    QTest.keyClick(player, Qt.Key.Key_Escape)  # stop

    diary = app.diary
    for days in (1, 3, 9):
        diary.add_episode(Episode(started=clock.wall() - timedelta(days=days), duration_s=75,
                                  place="calf", side="left", severity=6, notes="woke up"))
    app.open_diary()
    history = app.diary_flow().history
    assert history is not None and focused() is history.table
    check_screen(window, history, qtbot)

    app.diary_flow().open_tips()
    tips = app.diary_flow().tips
    assert tips is not None
    scroll = focused()
    assert isinstance(scroll, QScrollArea) and tips.isAncestorOf(scroll)
    check_screen(window, tips, qtbot)


def first_field(dialog: QWidget) -> QWidget:
    """The first widget in the dialog's tab order that takes the focus."""
    widget = dialog.nextInFocusChain()
    while widget is not None and not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                                      and widget.isVisible() and widget.isEnabled()):
        widget = widget.nextInFocusChain()
    assert widget is not None, "nothing in the dialog takes the focus"
    return owner(widget)


def test_the_dialogs_and_the_reminder_window(qtbot: QtBot) -> None:
    settings = SettingsDialog(Settings(), ReminderConfig(enabled=True), autostart=False,
                              voice_note="A voice is available.")
    episode = EpisodeDialog(
        Episode(started=datetime(2026, 3, 2, 23, 0, tzinfo=ZoneInfo("UTC")), duration_s=90,
                place="calf", side="left"), ZoneInfo("Europe/London"), {}, "Log a cramp")
    reminder = ReminderWindow(lambda: None, lambda _minutes: None, lambda: None, lambda: None)
    for dialog in (settings, episode, reminder):
        qtbot.addWidget(dialog)
    reminder.present("Your bedtime is 22:00.", can_snooze=True)
    for dialog in (settings, episode, reminder):
        activate(dialog, qtbot)
        start = focused()
        assert start is not None
        if dialog is reminder:
            assert isinstance(start, QPushButton) and visible_text(start).startswith("Start")
        else:  # the first field, not a scroll area or a button
            assert start is first_field(dialog)
            assert not isinstance(start, (QScrollArea, QPushButton))
        check_screen(dialog, dialog, qtbot)


# -- announcements -----------------------------------------------------------------


def test_the_player_announces_each_part_in_words(
        make_app: MakeApp, qtbot: QtBot, timers: FakeTimers, heard: list[Said]) -> None:
    app = make_app(ROUTINES, tray=False)
    app.settings.update(get_ready_seconds=3)
    app.open_routines()
    app.routine_flow().start_routine("short", autostart=False)
    player = app.routine_flow().player
    assert player is not None
    assert player.accessibleName() == "Short" and "Space" in player.accessibleDescription()
    assert heard == []  # nothing has happened yet: the screen's name says what it is
    QTest.keyClick(player, Qt.Key.Key_Space)
    timers.advance(3)  # get ready 3, then the left leg's hold of 20
    timers.advance(10)
    timers.advance(10)  # the switch, 5 s
    timers.advance(5 + 20)  # the right leg's hold, then a rest of 10 before the reps
    timers.advance(10 + 8)
    assert texts(heard) == [
        "Get ready, 3 seconds. Next: Wall stretch.",
        "Wall stretch. Hold, left leg, 20 seconds.",
        "10 seconds left.",
        "Switch to the right leg, 5 seconds.",
        "Hold, right leg, 20 seconds.",
        "10 seconds left.",
        "Rest, 10 seconds. Next: Ankle circles.",
        "Ankle circles. Repeat, 8 seconds. 4 repetitions.",
        "Well done. The routine is complete.",
    ]
    assert not any(s.assertive for s in heard)
    assert all(s.source is player for s in heard)


def test_pausing_and_stopping_are_announced(
        make_app: MakeApp, qtbot: QtBot, timers: FakeTimers, heard: list[Said]) -> None:
    app = make_app(ROUTINES, tray=False)
    app.settings.update(get_ready_seconds=3)
    app.open_routines()
    app.routine_flow().start_routine("short")
    player = app.routine_flow().player
    assert player is not None
    timers.advance(3 + 19)  # one second of the left hold left
    del heard[:]
    QTest.keyClick(player, Qt.Key.Key_Space)
    QTest.keyClick(player, Qt.Key.Key_Space)
    assert texts(heard) == ["Paused. Press Space to go on.",  # and on again:
                            "Wall stretch. Hold, left leg, 1 second."]  # never "1 seconds"
    QTest.keyClick(player, Qt.Key.Key_Right)  # skip: the next exercise is said
    assert player.engine.state is State.RUNNING
    assert "Ankle circles" in heard[-1].text
    QTest.keyClick(player, Qt.Key.Key_Escape)
    assert heard[-1] == Said("Stopped early. That still counts for something.", True, player)


def test_emergency_mode_announces_steps_holds_and_warnings(
        make_app: MakeApp, qtbot: QtBot, timers: FakeTimers, heard: list[Said]) -> None:
    app = make_app(GUIDES, tray=False)
    screen = emergency(app)
    QTest.keyClick(screen, Qt.Key.Key_1)
    check = GUIDES.clot_check
    assert check is not None
    assert heard[-1].text.startswith(f"{check.title}. {check.question}")
    assert heard[-1].text.endswith("Press N for no, or Y for yes.")
    assert screen.accessibleName() == "Calf" and "Press N" in screen.accessibleDescription()
    QTest.keyClick(screen, Qt.Key.Key_Y)
    assert heard[-1].assertive and "This may be a blood clot" in heard[-1].text
    assert "Do not massage or stretch the leg." in heard[-1].text
    QTest.keyClick(screen, Qt.Key.Key_Backspace)
    QTest.keyClick(screen, Qt.Key.Key_N)
    assert heard[-1] == Said(f"Step 1 of 4. pull. Get ready, {PREP_S} seconds. Hold 1 of 2.",
                             False, screen)
    del heard[:]
    hold = GUIDES.protocols[0].steps[0].hold
    assert hold is not None
    timers.advance(PREP_S)
    timers.advance(hold - 10 + 0.01)  # the screen looks again just after each second
    assert texts(heard) == [f"Hold, {hold} seconds. Hold 1 of 2.", "10 seconds left."]
    timers.advance(599)
    assert heard[-1].assertive and "This cramp has lasted over 10 minutes" in heard[-1].text
    QTest.keyClick(screen, Qt.Key.Key_P)
    assert heard[-1] == Said("Good. The worst is over.", False, screen)


# -- the quick log ---------------------------------------------------------------


def through_a_cramp(app: CoachApp) -> QuickLogScreen:
    screen = emergency(app)
    screen.choose("calf")
    QTest.keyClick(screen, Qt.Key.Key_N)  # no clot signs
    QTest.keyClick(screen, Qt.Key.Key_P)  # it has passed
    press(screen, "Enter  Done")  # after-care read
    log = app.diary_flow().quick_log
    assert log is not None
    return log


def test_quick_log_answers_are_radio_buttons_with_their_keys(
        make_app: MakeApp, qtbot: QtBot) -> None:
    log = through_a_cramp(make_app(GUIDES, tray=False))
    sides, severity = answers(log, SIDES), answers(log, SEVERITY)
    assert [visible_text(b) for b in sides] == ["L  Left leg", "R  Right leg", "B  Both legs"]
    assert all(isinstance(b, QRadioButton) for b in [*sides, *severity])
    groups = [b.group() for b in [*sides, *severity]]
    assert all(group is not None and group.exclusive() for group in groups)
    assert sides[0].group() is not severity[0].group()
    assert [visible_text(b) for b in severity] == [str(n) for n in range(11)]
    assert all(isinstance(b, QCheckBox) for b in answers(log, SYMPTOMS))
    assert "Press a number from 0 to 9, or 1 then 0 for 10." in {
        label.text() for label in log.findChildren(QLabel)}
    sides[0].click()
    sides[1].click()
    assert [b.isChecked() for b in sides] == [False, True, False]
    sides[1].click()  # a second tap clears a slip
    assert not any(b.isChecked() for b in sides)
    QTest.keyClick(log, Qt.Key.Key_B)
    QTest.keyClick(log, Qt.Key.Key_B)  # a key chooses, never clears
    assert log.episode().side == "both"


def test_ten_is_typed_as_one_then_zero(make_app: MakeApp, qtbot: QtBot,
                                       timers: FakeTimers) -> None:
    log = through_a_cramp(make_app(GUIDES, tray=False))
    QTest.keyClick(log, Qt.Key.Key_1)
    assert log.episode().severity == 1  # at once, for whoever stops at 1
    QTest.keyClick(log, Qt.Key.Key_0)
    assert log.episode().severity == 10
    QTest.keyClick(log, Qt.Key.Key_0)
    assert log.episode().severity == 0  # 10 was complete: a new number
    QTest.keyClick(log, Qt.Key.Key_1)
    timers.advance(TYPE_AHEAD_MS / 1000 + 0.1)
    QTest.keyClick(log, Qt.Key.Key_0)
    assert log.episode().severity == 0  # too late to make 10
    QTest.keyClick(log, Qt.Key.Key_1)
    QTest.keyClick(log, Qt.Key.Key_5)
    assert log.episode().severity == 5  # 15 is no answer: the 5 alone
    QTest.keyClick(log, Qt.Key.Key_Return)
    assert log.episode().severity == 5
