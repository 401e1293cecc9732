"""Emergency mode through the real widgets and keyboard, on a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QWidget,
)
from pytestqt.qtbot import QtBot

from coach.app.navigation import Screen as AppScreen
from coach.core.emergency import PREP_S, Phase, Screen, ShownStep
from coach.core.model import Library, Protocol
from coach.core.notices import Notices
from coach.ui.app import CoachApp
from coach.ui.basics import Illustration
from coach.ui.emergency_screen import EmergencyScreen
from coach.ui.widgets import visible_text
from tests.fakes.clock import FakeClock
from tests.fakes.timers import FakeTimers
from tests.gui.conftest import MakeApp, shown_text
from tests.unit.test_emergency import LIBRARY


def open_emergency(make_app: MakeApp, library: Library = LIBRARY
                   ) -> tuple[EmergencyScreen, CoachApp]:
    app = make_app(library)
    app.open_emergency()
    assert app.emergency is not None
    return app.emergency, app


def buttons(screen: EmergencyScreen) -> dict[str, QPushButton]:
    return {visible_text(b): b for b in screen.findChildren(QPushButton) if b.isVisible()}


def shown_step(screen: EmergencyScreen) -> ShownStep:
    step = screen.view().step
    assert step is not None, screen.view()
    return step


def each_guide(screen: EmergencyScreen, app: CoachApp) -> Iterator[Protocol]:
    """Each place's guide in turn (not the cards to read ahead), past the
    clot check; the caller goes back to the places before the next."""
    for protocol in app.content.library.protocols:
        if protocol.read_ahead:
            continue
        screen.choose(protocol.id)
        if screen.view().screen is Screen.CLOT_CHECK:
            QTest.keyClick(screen, Qt.Key.Key_N)
        yield protocol


def run_through_steps(screen: EmergencyScreen) -> list[ShownStep]:
    """Every step the guide shows, pressing Space to go on, checking that the
    words on screen are the step's (seated where it says so)."""
    steps = []
    while screen.view().screen is Screen.STEP:
        step = shown_step(screen)
        words = step.step.supported if step.seated else step.step.instruction
        assert str(words) in shown_text(screen), step.step.id
        steps.append(step)
        QTest.keyClick(screen, Qt.Key.Key_Space)
    return steps


def test_places_are_big_buttons_named_as_labelled(make_app: MakeApp, qtbot: QtBot) -> None:
    screen, app = open_emergency(make_app)
    app.window.show()
    qtbot.waitExposed(app.window)
    shown = buttons(screen)
    assert {"1  Calf", "2  Foot", "3  In water (read ahead)"} <= set(shown)
    for widget in screen.findChildren(QAbstractButton):
        assert widget.accessibleName() == visible_text(widget)
    assert app.window.windowTitle().startswith("Cramp Coach")


@contextmanager
def windows_shown() -> Iterator[list[str]]:
    """The class of every window shown inside the block, in order."""
    shown: list[str] = []

    class Windows(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (event.type() == QEvent.Type.Show and isinstance(watched, QWidget)
                    and watched.isWindow()):
                shown.append(type(watched).__name__)
            return False

    windows, qapp = Windows(), QApplication.instance()
    assert qapp is not None
    qapp.installEventFilter(windows)
    try:
        yield shown
    finally:
        qapp.removeEventFilter(windows)


def test_emergency_mode_opens_no_window_but_the_main_one(make_app: MakeApp,
                                                         qtbot: QtBot) -> None:
    """A picture shown before it had a parent once flashed up as a window of
    its own, and a window manager gave it the focus meant for emergency mode."""
    from coach.app import content

    with windows_shown() as shown:
        screen, app = open_emergency(make_app, content.load())  # the places have pictures
        app.window.show()
        qtbot.waitExposed(app.window)
        QTest.keyClick(screen, Qt.Key.Key_1)
    assert shown == ["MainWindow"]


def test_a_notice_waiting_opens_no_window_of_its_own(make_app: MakeApp,
                                                     qtbot: QtBot) -> None:
    """The hostile start: a damaged settings file's notice waits before the
    window is built. The notice strip, made first, showed itself as a window."""
    notices = Notices()
    notices.post("warning", "The settings file was moved to settings.json.corrupt-1")
    with windows_shown() as shown:
        app = make_app(notices=notices)
        app.open_emergency()
        app.window.show()
        qtbot.waitExposed(app.window)
    assert shown == ["MainWindow"]
    app.go_home()  # emergency mode holds notices back; home shows them
    assert "Note: The settings file was moved to settings.json.corrupt-1" in shown_text(
        app.window)


def test_calf_by_keyboard_with_countdown_and_aftercare(
        make_app: MakeApp, qtbot: QtBot, timers: FakeTimers) -> None:
    screen, app = open_emergency(make_app)
    app.window.show()
    qtbot.waitExposed(app.window)
    QTest.keyClick(screen, Qt.Key.Key_1)
    assert screen.view().screen is Screen.CLOT_CHECK
    QTest.keyClick(screen, Qt.Key.Key_N)
    view = screen.view()
    assert view.screen is Screen.STEP and view.phase is Phase.PREP
    timers.advance(PREP_S + 10.2)
    assert screen.view().phase is Phase.HOLD and screen.countdown.number.text() == "0:20"
    timers.advance(20 + PREP_S + 30)
    # Auto-advance (on by default) moves to step 2 when the second hold ends.
    assert screen.view().step_number == 2
    QTest.keyClick(screen, Qt.Key.Key_Backspace)
    assert screen.view().step_number == 1
    QTest.keyClick(screen, Qt.Key.Key_Space)
    QTest.keyClick(screen, Qt.Key.Key_Return)
    assert screen.view().step_number == 3
    QTest.keyClick(screen, Qt.Key.Key_P)
    assert screen.view().screen is Screen.AFTERCARE
    with qtbot.waitSignal(screen.finished) as finished:
        buttons(screen)["Enter  Done"].click()
    assert finished.args[0].steps_used == ("calf/pull", "calf/stand", "calf/massage")
    assert app.window.current_screen() == "quick_log"


def test_before_the_rest_the_guide_waits_and_asks_if_it_has_passed(
        make_app: MakeApp, timers: FakeTimers) -> None:
    screen, _ = open_emergency(make_app)
    QTest.keyClick(screen, Qt.Key.Key_1)
    QTest.keyClick(screen, Qt.Key.Key_N)
    QTest.keyClick(screen, Qt.Key.Key_Space)
    assert shown_step(screen).step.id == "stand"
    QTest.keyClick(screen, Qt.Key.Key_Space)
    timers.advance(PREP_S + 60 + 5)  # the massage's hold, and then some
    assert shown_step(screen).step.id == "massage" and screen.view().phase is Phase.DONE
    assert "It has passed? Press P." in shown_text(screen)
    QTest.keyClick(screen, Qt.Key.Key_Space)
    assert shown_step(screen).step.id == "raise"
    assert "It has passed? Press P." not in shown_text(screen)


def test_enter_finishes_after_care_from_its_text_too(
        make_app: MakeApp, qtbot: QtBot) -> None:
    """A GUI audit's case: with the focus in the after-care text (clicked to
    scroll it), Enter, printed on the Done button, did nothing."""
    screen, _ = open_emergency(make_app)
    QTest.keyClick(screen, Qt.Key.Key_1)
    QTest.keyClick(screen, Qt.Key.Key_N)
    QTest.keyClick(screen, Qt.Key.Key_P)
    assert screen.view().screen is Screen.AFTERCARE
    [text] = [area for area in screen.findChildren(QScrollArea) if area.isVisibleTo(screen)]
    with qtbot.waitSignal(screen.finished):
        QTest.keyClick(text, Qt.Key.Key_Return)


def test_tabbed_onto_the_screen_itself_a_frame_shows_it(make_app: MakeApp) -> None:
    """A GUI audit's case: Tab from Next stopped on the screen itself (so a
    screen reader names it), and no control looked focused."""
    screen, app = open_emergency(make_app)
    app.window.show()
    app.window.activateWindow()
    assert QTest.qWaitForWindowActive(app.window)  # focus events go to the active window
    QTest.keyClick(screen, Qt.Key.Key_1)
    QTest.keyClick(screen, Qt.Key.Key_N)

    def edge() -> QColor:
        return screen.grab().toImage().pixelColor(3, screen.height() // 2)

    accent = screen.palette().color(QPalette.ColorRole.Highlight)
    assert edge() != accent
    screen.setFocus(Qt.FocusReason.TabFocusReason)
    assert edge() == accent
    buttons(screen)["Space  Next"].setFocus(Qt.FocusReason.TabFocusReason)
    assert edge() != accent


def test_clot_signs_show_the_warning(make_app: MakeApp, qtbot: QtBot) -> None:
    screen, _ = open_emergency(make_app)
    buttons(screen)["1  Calf"].click()
    buttons(screen)["Y  Yes, one of these"].click()
    assert screen.view().screen is Screen.CLOT_WARNING
    assert "Do not massage or stretch the leg." in {
        label.text() for label in screen.findChildren(QLabel)}


def test_ten_minutes_shows_the_urgent_screen(
        make_app: MakeApp, qtbot: QtBot, timers: FakeTimers) -> None:
    screen, _ = open_emergency(make_app)
    buttons(screen)["1  Calf"].click()
    buttons(screen)["N  No, none of these"].click()
    timers.advance(599)
    assert screen.view().screen is Screen.STEP
    timers.advance(2)
    assert screen.view().screen is Screen.URGENT
    buttons(screen)["Keep going with the steps"].click()
    assert screen.view().screen is Screen.STEP


def test_escape_goes_back_to_places_then_home(make_app: MakeApp, qtbot: QtBot) -> None:
    screen, app = open_emergency(make_app)
    buttons(screen)["2  Foot"].click()
    QTest.keyClick(screen, Qt.Key.Key_Escape)
    assert screen.view().screen is Screen.PLACES
    with qtbot.waitSignal(screen.left):
        QTest.keyClick(screen, Qt.Key.Key_Escape)
    assert app.window.current_screen() is AppScreen.HOME


def test_turning_auto_advance_off_is_remembered(make_app: MakeApp, qtbot: QtBot) -> None:
    screen, app = open_emergency(make_app)
    buttons(screen)["2  Foot"].click()
    auto, = (box for box in screen.findChildren(QCheckBox) if box.isVisibleTo(screen))
    assert auto.accessibleName() == "Move on by itself"
    auto.setChecked(False)
    assert app.settings.current.auto_advance is False
    reloaded = app.settings.store.load()
    assert reloaded.auto_advance is False


def test_tray_and_reminder_start_only_after_the_first_paint(
        make_app: MakeApp, qtbot: QtBot, timers: FakeTimers) -> None:
    app = make_app(LIBRARY, tray=False)
    settled: list[bool] = []
    app.settled.connect(lambda: settled.append(True))  # the launch's cue to listen
    app.open_emergency()
    timers.advance(1)
    # Nothing resident before the first screen shows, and no answering later
    # launches: a zero timer started now would run before the paint.
    assert app.resident is None
    assert settled == []
    with qtbot.waitSignal(app.window.first_painted):  # a paint event, not a timer
        app.window.show()
    timers.advance(0)  # the first paint armed the start for "now"
    assert app.resident is not None
    assert settled == [True]


def test_varicose_profile_removes_massage_steps_from_the_real_protocols(
        make_app: MakeApp, qtbot: QtBot) -> None:
    """The issue's "done" check: a profile with varicose veins removes the
    massage steps from emergency mode, and says why."""
    from coach.app import content

    screen, app = open_emergency(make_app, content.load())
    app.settings.update(profile=frozenset({"varicose_veins"}))
    for protocol in each_guide(screen, app):
        view = screen.view()
        shown = [step.step.action.value for step in run_through_steps(screen)]
        assert "massage" not in shown, protocol.id
        assert any("varicose veins" in reason for reason in view.left_out), protocol.id
        QTest.keyClick(screen, Qt.Key.Key_Escape)


def test_every_shipped_protocol_runs_to_aftercare_by_keyboard(
        make_app: MakeApp, qtbot: QtBot, clock: FakeClock) -> None:
    from coach.app import content

    screen, app = open_emergency(make_app, content.load())
    for digit, protocol in enumerate(app.content.library.protocols, start=1):
        QTest.keyClick(screen, getattr(Qt.Key, f"Key_{digit}"))
        if protocol.read_ahead:
            assert screen.view().screen is Screen.READ_AHEAD
            QTest.keyClick(screen, Qt.Key.Key_Escape)
            continue
        if screen.view().screen is Screen.CLOT_CHECK:
            QTest.keyClick(screen, Qt.Key.Key_N)
        seen = len(run_through_steps(screen))
        assert screen.view().screen is Screen.AFTERCARE, protocol.id
        assert seen == len(protocol.steps), protocol.id
        assert "When to get help" in shown_text(screen)
        QTest.keyClick(screen, Qt.Key.Key_Escape)
        assert screen.view().screen is Screen.PLACES


def test_the_clot_check_cannot_be_passed_by_reflex(make_app: MakeApp, qtbot: QtBot) -> None:
    screen, app = open_emergency(make_app)
    app.window.show()
    qtbot.waitExposed(app.window)
    QTest.keyClick(screen, Qt.Key.Key_1)
    assert screen.view().screen is Screen.CLOT_CHECK
    focused = app.qapp.focusWidget()
    assert not isinstance(focused, QAbstractButton)
    for key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
        QTest.keyClick(focused or screen, key)
        assert screen.view().screen is Screen.CLOT_CHECK
    QTest.keyClick(screen, Qt.Key.Key_Y)
    assert screen.view().screen is Screen.CLOT_WARNING
    buttons(screen)["Backspace  I answered by mistake"].click()
    assert screen.view().screen is Screen.CLOT_CHECK
    QTest.keyClick(screen, Qt.Key.Key_N)
    assert screen.view().screen is Screen.STEP


def test_leaving_a_guide_silences_the_voice(make_app: MakeApp, qtbot: QtBot) -> None:
    from tests.fakes.sound import FakePlayer
    from tests.fakes.speech import FakeSpeaker

    speaker = FakeSpeaker()
    app = make_app(LIBRARY, speaker=speaker, player=FakePlayer())
    app.open_emergency()
    screen = app.emergency
    assert screen is not None
    QTest.keyClick(screen, Qt.Key.Key_1)
    QTest.keyClick(screen, Qt.Key.Key_N)
    assert speaker.spoken[-1] == "pull" and speaker.speaking
    QTest.keyClick(screen, Qt.Key.Key_Escape)
    assert not speaker.speaking


def test_the_call_line_is_as_large_as_the_headline_with_aa_contrast(
        make_app: MakeApp, qtbot: QtBot) -> None:
    from coach.ui import theme
    from tests.gui.test_theme import contrast

    screen, app = open_emergency(make_app)
    app.window.show()
    QTest.keyClick(screen, Qt.Key.Key_1)
    QTest.keyClick(screen, Qt.Key.Key_Y)
    call, headline = (next(label for label in screen.findChildren(QLabel)
                           if label.property("role") == role and label.isVisibleTo(screen))
                      for role in ("call", "headline"))
    assert "now." in call.text()
    # The window here is small, so the compact look applies: everything big
    # shrinks by the same scale, and the call line stays the headline's size.
    assert app.window.compact
    assert call.font().pointSizeF() >= headline.font().pointSizeF() >= round(
        24 * theme.COMPACT_SCALE)

    for palette in (theme.NIGHT, theme.DAY):
        assert contrast(palette.danger_text, palette.danger) >= 4.5, palette.name


def test_unsteady_never_sees_a_standing_step_first_in_any_shipped_protocol(
        make_app: MakeApp, qtbot: QtBot) -> None:
    from coach.app import content
    from coach.core.model import Caution

    screen, app = open_emergency(make_app, content.load())
    app.settings.update(profile=frozenset({"unsteady"}))
    for protocol in each_guide(screen, app):
        warned = False
        for shown in run_through_steps(screen):  # the seated words are the ones shown
            warned = warned or shown.stand_up_next
            if Caution.BALANCE in shown.step.cautions:
                assert shown.seated, (protocol.id, shown.step.id)
                assert warned, f"{protocol.id}: no light-and-sit warning before standing"
            assert shown.step.action.value != "walk", protocol.id
        assert screen.view().screen is Screen.AFTERCARE
        QTest.keyClick(screen, Qt.Key.Key_Escape)


def test_what_the_profile_leaves_out_is_one_line_on_step_one_and_whole_at_the_end(
        make_app: MakeApp, qtbot: QtBot) -> None:
    """An audit's case at 1024x600: with several conditions ticked, the
    reasons for what was left out (massage, the walk) ran to a dozen lines
    beside the first step, pushing its source off the screen. Step 1 says
    in one line that some advice is left out; the after-care gives why."""
    from coach.app import content
    from coach.ui.emergency_screen import LEFT_OUT_HEADING, LEFT_OUT_POINTER

    screen, app = open_emergency(make_app, content.load())
    app.settings.update(profile=frozenset({"unsteady", "varicose_veins", "clot_history"}))
    next(each_guide(screen, app))
    reasons = screen.view().left_out
    assert len(reasons) == 3
    on_step_one = shown_text(screen)
    assert LEFT_OUT_POINTER in on_step_one
    assert not [reason for reason in reasons if reason in on_step_one]
    QTest.keyClick(screen, Qt.Key.Key_P)  # it has passed
    assert screen.view().screen is Screen.AFTERCARE
    text = shown_text(screen)
    assert LEFT_OUT_HEADING in text and all(reason in text for reason in reasons), text


def drawing(widget: QWidget) -> QImage:
    """As painted; never a blank (which any two blanks would equal)."""
    image = widget.grab().toImage()
    assert len({image.pixel(x, y) for x in range(0, image.width(), 3)
                for y in range(0, image.height(), 3)}) > 2, widget.size()
    return image


def without_other_drawings(library: Library) -> Library:
    """The guides as if no step's other way had a drawing of its own."""
    return replace(library, protocols=tuple(
        replace(protocol, steps=tuple(replace(step, supported_image=None)
                                      for step in protocol.steps))
        for protocol in library.protocols))


@pytest.mark.parametrize("drawn", [True, False], ids=["shipped", "without-drawings"])
@pytest.mark.parametrize("condition", ["unsteady", "pregnancy"])
def test_a_step_done_another_way_shows_that_way_or_no_drawing(
        make_app: MakeApp, qtbot: QtBot, condition: str, drawn: bool) -> None:
    """A standing figure beside "sit on the edge of the bed" (unsteady), or
    one lying on its back beside "lie on your side" (pregnancy), shows a
    half-asleep person the opposite of the words. Every shipped step done
    another way has its own drawing; one without shows none."""
    from coach.app import content

    library = content.load() if drawn else without_other_drawings(content.load())
    screen, app = open_emergency(make_app, library)
    app.window.show()
    app.settings.update(profile=frozenset({condition}))
    holder = QWidget()
    qtbot.addWidget(holder)
    model = Illustration(holder, minimum=10)  # drawn as the screen should be
    drawn_another_way = undrawn = 0
    for protocol in each_guide(screen, app):
        while screen.view().screen is Screen.STEP:
            shown, step = shown_step(screen), shown_step(screen).step
            other_way = shown.seated and step.supported is not None
            expected = step.supported_image if other_way else step.image
            on_show = [w for w in screen.findChildren(Illustration) if w.isVisible()]
            if expected is None:
                assert on_show == [], (protocol.id, step.id)
                undrawn += other_way
            else:
                assert len(on_show) == 1, (protocol.id, step.id)
                model.set_image(expected)
                model.resize(on_show[0].size())
                assert drawing(on_show[0]) == drawing(model), (protocol.id, step.id)
                drawn_another_way += other_way
            QTest.keyClick(screen, Qt.Key.Key_Space)
        QTest.keyClick(screen, Qt.Key.Key_Escape)
    if drawn:
        assert drawn_another_way and not undrawn
    else:
        assert undrawn and not drawn_another_way


def test_in_pregnancy_lying_flat_is_not_offered_and_the_how_stays(
        make_app: MakeApp, qtbot: QtBot) -> None:
    """"If you feel steady, you can instead: lie down with your legs raised"
    once took the place of the step's own advice (when to get help) and
    offered the very position pregnancy rules out."""
    from coach.app import content

    screen, app = open_emergency(make_app, content.load())
    app.settings.update(profile=frozenset({"pregnancy"}))
    screen.choose("calf")
    QTest.keyClick(screen, Qt.Key.Key_N)
    while shown_step(screen).step.id != "legs-up":
        QTest.keyClick(screen, Qt.Key.Key_Space)
    text = shown_text(screen)
    assert "Lie on your side rather than flat on your back" in text
    assert "If you feel steady" not in text and "legs raised" not in text
    assert "under your calves" not in text  # the how keeps no word of the raised legs
    assert "get help the same day" in text


def test_a_profile_that_hides_every_step_still_says_what_to_do(
        make_app: MakeApp, qtbot: QtBot) -> None:
    from dataclasses import replace

    from coach.core.model import Protocol, Text

    massage_only = Protocol(id="calf", title=Text.plain("Calf"), order=1,
                            steps=(LIBRARY.protocols[0].steps[2],))
    screen, app = open_emergency(make_app, replace(LIBRARY, protocols=(massage_only,)))
    app.settings.update(profile=frozenset({"varicose_veins"}))
    QTest.keyClick(screen, Qt.Key.Key_1)
    assert screen.view().screen is Screen.AFTERCARE
    text = shown_text(screen)
    assert "varicose veins" in text  # why nothing was shown
    assert "When to get help" in text and "now." in text  # where to go


def test_without_its_guides_emergency_mode_gives_the_fallback_advice(
        make_app: MakeApp, qtbot: QtBot) -> None:
    screen, _app = open_emergency(make_app, Library())
    shown = shown_text(screen)
    assert "could not load its guides" in shown
    assert "pull your toes toward you" in shown
    assert "now." in shown and "get help today" in shown
    QTest.keyClick(screen, Qt.Key.Key_1)  # no place to choose: nothing breaks
    assert screen.view().screen is Screen.PLACES


def test_a_broken_clot_check_means_fallback_not_an_unguarded_stretch(
        make_app: MakeApp) -> None:
    from dataclasses import replace

    screen, _app = open_emergency(make_app, replace(LIBRARY, clot_check=None))
    shown = shown_text(screen)
    assert "could not load its guides" in shown
