"""Opens every screen and dialog of a real app on a small screen and prints,
as JSON lines, how each fits. Run by tests/gui/test_fits_small_screens.py in
its own process: Qt's offscreen platform takes a screen's size only when
the application starts (``QT_QPA_PLATFORM=offscreen:configfile=…``).

Arguments: the look ("night" or "day"), and "steps" to measure instead every
step of every guide for each of :data:`PROFILES`. The window is given the
screen's width and its height less 64 px, what a desktop's panel and title
bar leave.
The clock stands at 03:00 local time, when emergency mode is used most and
says most (the night's safety note, the seated versions of steps).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QDialog,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QWidget,
)

from coach.app.navigation import Screen
from coach.core import keys
from coach.core.diary import Episode
from coach.core.emergency import Outcome
from coach.ui.app import CoachApp, Services
from tests.fakes.clock import FakeClock
from tests.fakes.sound import FakePlayer
from tests.fakes.speech import FakeSpeaker

PANEL_AND_TITLE = 64
PROFILES = ((), ("unsteady",), ("pregnancy",), ("pregnancy", "unsteady"),
            ("varicose_veins", "clot_history", "neuropathy", "diuretics_statins", "unsteady"),
            ("varicose_veins", "clot_history", "neuropathy", "diuretics_statins", "unsteady",
             "pregnancy"))
"""Each flag, note and seated version a step can carry, alone and together."""


def measure(name: str, window: QWidget) -> dict[str, object]:
    screen = QApplication.primaryScreen().availableGeometry()
    areas = [area for area in window.findChildren(QScrollArea) if area.isVisible()]
    contents = [(area, inside) for area in areas if (inside := area.widget()) is not None]
    sideways = [area.objectName() or type(inside).__name__ for area, inside in contents
                if area.horizontalScrollBar().isVisible()
                or inside.width() > area.viewport().width() + 1]
    # Tables and lists scroll sideways on their own, with no inner widget.
    sideways += [type(view).__name__ for view in window.findChildren(QAbstractScrollArea)
                 if view.isVisible() and not isinstance(view, QScrollArea)
                 and view.horizontalScrollBar().isVisible()]
    # A screen's own page (the window's safety net) scrolling means its parts
    # did not fit; a block of text scrolling inside a screen is by design.
    overflowing = [area for area, inside in contents
                   if inside.height() > area.viewport().height() + 1]
    page = [area for area in overflowing
            if type(area.parentWidget()).__name__ == "QStackedWidget"]
    squeezed = [button.text() for button in window.findChildren(QAbstractButton)
                if button.isVisible() and button.text()
                and button.width() < button.minimumSizeHint().width() - 1]
    return {"name": name, "width": window.width(), "height": window.height(),
            "fits": window.width() <= screen.width() and window.height() <= screen.height(),
            "sideways": sideways, "page_scrolls": bool(page),
            "words_scroll": len(overflowing) > len(page), "squeezed": squeezed,
            "cut": cut_choices(window), "out_of_sight": out_of_sight(window)}


def out_of_sight(window: QWidget) -> list[str]:
    """Buttons on show that cannot be seen whole without scrolling the page
    (the window's safety net). A button in a list or a block of text that
    scrolls by design is not counted."""
    hidden = []
    for button in window.findChildren(QAbstractButton):
        if not button.isVisible() or not button.text():
            continue
        scroller = button.parentWidget()
        while scroller is not None and not isinstance(scroller, QScrollArea):
            scroller = scroller.parentWidget()
        if scroller is not None and type(scroller.parentWidget()).__name__ != "QStackedWidget":
            continue  # inside a part that scrolls on its own
        if button.visibleRegion().boundingRect() != button.rect():
            hidden.append(button.text())
    return hidden


def cut_choices(window: QWidget) -> list[str]:
    """The choices of a drop-down that would show cut off when chosen: each
    is measured against the room the closed box gives its text."""
    cut = []
    for box in window.findChildren(QComboBox):
        if not box.isVisible():
            continue
        option = QStyleOptionComboBox()
        box.initStyleOption(option)
        room = box.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                          QStyle.SubControl.SC_ComboBoxEditField, box).width()
        cut += [text for index in range(box.count())
                if box.fontMetrics().horizontalAdvance(text := box.itemText(index)) > room]
    return cut


def on_key(letter: str) -> str:
    return keys.LATIN_ON_KEY.get(letter.lower(), letter.lower())


def main() -> None:
    qapp = QApplication(sys.argv[:1])
    three_am = datetime.now().astimezone().replace(hour=3, minute=0, second=0, microsecond=0)
    clock = FakeClock(three_am.astimezone(timezone.utc))
    app = CoachApp(qapp, Services(clock=clock, player=FakePlayer(), speaker=FakeSpeaker()),
                   theme_override=sys.argv[1])
    screen = qapp.primaryScreen().availableGeometry()
    results: list[dict[str, object]] = []

    def run() -> None:
        app.show()
        window = app.window
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMaximized)
        window.resize(screen.width(), screen.height() - PANEL_AND_TITLE)
        window.show()

        def look(name: str) -> None:
            for _ in range(10):  # layouts that depend on each other settle in turns
                qapp.processEvents()
            shown = measure(name, window)
            if app.emergency is not None and window.current_screen() is Screen.EMERGENCY:
                shown["page"] = app.emergency.view().screen.value  # the page really measured
            results.append(shown)

        if sys.argv[2:] == ["steps"]:
            every_step(app, look)
            finish()
            return
        look("home")
        app.open_emergency()
        look("emergency places")
        emergency = app.emergency
        assert emergency is not None
        QTest.keyClick(emergency, Qt.Key.Key_1)
        look("clot check")
        # The answers' letters are the language's own (Д and Н in Russian),
        # typed here as the Latin letters on their keys (QTest types ASCII).
        QTest.keyClicks(emergency, on_key(keys.yes()))
        look("clot warning")
        QTest.keyClick(emergency, Qt.Key.Key_Backspace)
        QTest.keyClicks(emergency, on_key(keys.no()))
        look("emergency step")
        QTest.keyClicks(emergency, on_key(keys.passed()))
        look("after-care")
        # The longest first step: a standing step is left out, and says so.
        app.settings.update(profile=frozenset({"unsteady"}))
        app.open_emergency()
        assert app.emergency is not None
        QTest.keyClick(app.emergency, Qt.Key.Key_1)
        QTest.keyClicks(app.emergency, on_key(keys.no()))
        look("emergency step, unsteady")
        app.settings.update(profile=frozenset())
        app.open_routines()
        look("routines")
        app.routine_flow().open_routine("bedtime")
        look("routine player")
        app.routine_flow().discard_player()
        now = clock.wall()
        app.diary_flow().offer_quick_log(Outcome("calf", now, 65.0, ("calf/pull-toes",), False))
        look("quick log")
        for days in range(12):
            app.diary.add_episode(Episode(started=now - timedelta(days=days * 3), duration_s=90,
                                          place="calf", side="left", severity=days % 11,
                                          symptoms=frozenset({"swelling"}) if days == 1
                                          else frozenset()))
        app.open_diary()
        look("diary")
        app.diary_flow().open_tips()
        look("tips")

        def dialog(name: str) -> None:
            def measure_open() -> None:
                for widget in qapp.topLevelWidgets():
                    if isinstance(widget, QDialog) and widget.isVisible():
                        results.append(measure(name, widget))
                        widget.reject()
            QTimer.singleShot(0, measure_open)

        dialog("settings")
        app.open_settings()
        dialog("log a cramp")
        app.diary_flow().log_by_hand()
        finish()

    def finish() -> None:
        for result in results:
            print(json.dumps(result, ensure_ascii=False), flush=True)
        app.shutdown()
        qapp.quit()

    QTimer.singleShot(0, run)
    qapp.exec()


def every_step(app: CoachApp, look: Callable[[str], None]) -> None:
    for profile in PROFILES:
        app.settings.update(profile=frozenset(profile))
        for protocol in app.content.library.protocols:
            if protocol.read_ahead:
                continue
            app.open_emergency()
            emergency = app.emergency
            assert emergency is not None
            emergency.choose(protocol.id)
            QTest.keyClicks(emergency, on_key(keys.no()))
            while (view := emergency.view()).step is not None:
                look(f"{'+'.join(profile) or 'no profile'}: {protocol.id} step "
                     f"{view.step_number}")
                if view.step_number == view.step_total:
                    break
                QTest.keyClick(emergency, Qt.Key.Key_Space)
            app.go_home()


if __name__ == "__main__":
    main()
