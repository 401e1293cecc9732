"""A start for a cramp paints the place buttons from what the last start kept,
then the app loads and the emergency screen takes their place: the same
pixels, and whatever the person did in between done as if on the real one."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from benchmarks.paint_probe import paint_probe
from coach.app.navigation import Screen
from coach.core import first_screen, i18n, paths
from coach.core.early_settings import SETTINGS_VERSION
from coach.core.emergency import Screen as Step
from coach.core.first_screen import Place
from coach.ui.app import CoachApp
from coach.ui.first_paint import FirstPaint, paint_first
from coach.ui.main_window import MainWindow
from tests.fakes.clock import FakeClock
from tests.fakes.timers import FakeTimers
from tests.gui.conftest import MakeApp
from tests.unit.test_state_files import leftovers

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def english_again() -> object:
    yield
    i18n.set_current("en")


def keep_places(make_app: MakeApp, timers: FakeTimers) -> None:
    """What every start does: once settled, it keeps the place buttons."""
    app = make_app(tray=False)
    app.start_resident()
    timers.advance(0)
    app.shutdown()
    app.window.hide()
    assert paths.first_screen_file().is_file()


def painted(qtbot: QtBot, look: str = "night", language: str | None = None) -> FirstPaint:
    first = paint_first(QApplication.instance(), language, look)  # type: ignore[arg-type]
    assert first is not None
    qtbot.addWidget(first.window)
    qtbot.waitExposed(first.window)
    return first


def place_button(first: FirstPaint, words: str) -> QPushButton:
    [found] = [button for button in first.screen.places.buttons
               if button.accessibleName() == words]
    return found


def test_without_places_kept_there_is_no_first_paint(qapp: QApplication) -> None:
    """The first start ever, or a new language: the ordinary start."""
    assert paint_first(qapp, None, "night") is None
    first_screen.remember(paths.first_screen_file(), "en",
                          (Place("Calf", "images/place_calf.svg", False),))
    assert paint_first(qapp, "ru", "night") is None


def grab(window: MainWindow) -> QImage:
    QApplication.processEvents()
    return window.grab().toImage()


def save_placement(width: int, height: int, language: str = "") -> None:
    window = MainWindow()
    window.resize(width, height)
    window.move(0, 0)
    placement = base64.b64encode(window.placement()).decode("ascii")
    window.deleteLater()
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": SETTINGS_VERSION, "language": language,
                                "disclaimer_accepted": True,
                                "windows": {"main": placement}}), encoding="utf-8")


@pytest.mark.parametrize(("language", "look", "size"), [
    ("en", "night", (1100, 760)), ("ru", "night", (1100, 760)),
    ("en", "day", (1024, 600)), ("ru", "night", (1024, 600)),
])
def test_the_emergency_screen_takes_the_place_of_the_first_pixel_for_pixel(
        make_app: MakeApp, qtbot: QtBot, timers: FakeTimers, tmp_path: Path,
        language: str, look: str, size: tuple[int, int]) -> None:
    save_placement(*size, language=language)
    keep_places(make_app, timers)
    first = painted(qtbot, look)
    before = grab(first.window)
    app = CoachApp(QApplication.instance(), make_app(tray=False).services,  # type: ignore[arg-type]
                   theme_override=look, first=first)
    app.handle_request("emergency")
    after = grab(first.window)
    assert app.window is first.window and app.emergency is not None
    assert app.navigation.current() is Screen.EMERGENCY
    if before != after:
        before.save(str(tmp_path / "first.png"))
        after.save(str(tmp_path / "emergency.png"))
    assert before == after, f"see {tmp_path}"
    app.shutdown()


@pytest.fixture()
def first_then_app(make_app: MakeApp, qtbot: QtBot,
                   timers: FakeTimers) -> tuple[FirstPaint, MakeApp]:
    keep_places(make_app, timers)
    return painted(qtbot), make_app


def taken_over(first: FirstPaint, make_app: MakeApp) -> CoachApp:
    app = make_app(tray=False, first=first)
    app.handle_request("emergency")
    return app


def test_a_place_tapped_meanwhile_is_the_guide_that_opens(
        first_then_app: tuple[FirstPaint, MakeApp]) -> None:
    first, make_app = first_then_app
    button = place_button(first, "2  Foot & toes")
    # As the window system delivers it: to the words, which hand it on.
    words = button.childAt(button.rect().center()) or button
    QTest.mouseClick(words, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     words.rect().center())
    app = taken_over(first, make_app)
    assert app.emergency is not None
    view = app.emergency.view()
    assert view.protocol is not None and view.protocol.id == "foot"
    assert view.screen is Step.CLOT_CHECK


def test_keys_pressed_meanwhile_are_done_in_order(
        first_then_app: tuple[FirstPaint, MakeApp]) -> None:
    first, make_app = first_then_app
    focused = QApplication.focusWidget()
    assert focused is first.screen.places.buttons[0]  # as on the emergency screen
    QTest.keyClick(focused, Qt.Key.Key_3)
    QTest.keyClick(focused, Qt.Key.Key_N)  # no sign of a clot
    app = taken_over(first, make_app)
    assert app.emergency is not None
    view = app.emergency.view()
    assert view.protocol is not None and view.protocol.id == "thigh-front"
    assert view.screen is Step.STEP


def test_esc_meanwhile_leaves_for_home(first_then_app: tuple[FirstPaint, MakeApp]) -> None:
    first, make_app = first_then_app
    QTest.keyClick(first.screen, Qt.Key.Key_Escape)
    app = taken_over(first, make_app)
    assert app.navigation.current() is Screen.HOME


def test_the_card_asked_for_meanwhile_is_made(first_then_app: tuple[FirstPaint, MakeApp],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    first, make_app = first_then_app
    asked: list[bool] = []
    monkeypatch.setattr(CoachApp, "print_bedside_card", lambda self: asked.append(True))
    first.screen.places.card.click()
    taken_over(first, make_app)
    assert asked == [True]


def test_places_kept_from_older_guides_give_way_to_the_guides_themselves(
        make_app: MakeApp, qtbot: QtBot) -> None:
    """Content changed since the places were kept (an upgrade): the first
    paint shows the old words for a moment, then the real ones, and a tap
    on a place that no longer exists does nothing."""
    first_screen.remember(paths.first_screen_file(), "en", (
        Place("Calf muscle", "images/place_calf.svg", False),
        Place("Foot", "images/place_foot.svg", False),
        Place("Knee", "images/place_calf.svg", False),
        Place("Hip", "images/place_calf.svg", False),
        Place("Neck", "images/place_calf.svg", False),
        Place("Back", "images/place_calf.svg", False)))
    first = painted(qtbot)
    place_button(first, "6  Back").click()
    app = taken_over(first, make_app)
    assert app.emergency is not None
    assert app.emergency.view().screen is Step.PLACES
    names = [button.accessibleName() for button in app.window.findChildren(QPushButton)
             if button.accessibleName()[:1].isdigit()]
    assert "1  Calf" in names and "1  Calf muscle" not in names


def test_once_settled_the_caches_lose_their_old_temporary_files(
        make_app: MakeApp, clock: FakeClock) -> None:
    """A write cut short (a crash, a power cut) leaves a temporary file; an
    old one goes, a fresh one may be another process's write under way."""
    old_content, fresh_content = leftovers(paths.content_cache_file(), clock.wall())
    old_places, fresh_places = leftovers(paths.first_screen_file(), clock.wall())
    app = make_app(tray=False)
    app.start_resident()
    assert not old_content.exists() and not old_places.exists()
    assert fresh_content.exists() and fresh_places.exists()


FIRST_PAINT_PROBE = paint_probe("""
    import gc
    import PySide6.QtCore as core
    print("Qt namespace built:", "Qt" in vars(core))
    print("loaded:", " ".join(sorted(m for m in sys.modules if m.startswith("coach"))))
    others = ("dataclasses", "socket", "platformdirs", "datetime")
    print("others loaded:", " ".join(m for m in others if m in sys.modules))
    print("collecting:", gc.isenabled(), flush=True)
""") + """

def settled(server):
    import gc, os
    print("collecting once settled:", gc.isenabled(), flush=True)
    print("left out for good:", gc.get_freeze_count(), flush=True)
    os._exit(0)

import coach.ui.launch
coach.ui.launch._listen = settled
from coach.cli import main
main(["--emergency"])
"""


def test_the_first_paint_loads_neither_the_guides_nor_qts_namespace(
        make_app: MakeApp, timers: FakeTimers) -> None:
    """Checked in a fresh process started as a person starts it: what the
    first paint imports is what it costs (benchmarks/startup.py). PySide6
    builds all 93 enums of its ``Qt`` namespace at the first use of one.
    Python's garbage collector waits until the app is built, and no longer,
    and then leaves out what the start made, which lives as long as the app."""
    keep_places(make_app, timers)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", FIRST_PAINT_PROBE], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=True)
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line)
    assert lines["Qt namespace built"] == "False", result.stdout
    # Making a dataclass runs Python code over its fields (about 1 ms with
    # the module): what the first paint needs is in NamedTuples. The socket
    # module builds four enums as it loads (3 ms): with no app running there
    # is no socket file, so nothing to connect to with it. platformdirs
    # cost 1.5% of a bare window's start (coach.core.paths);
    # the night rule needs only the local hour (coach.core.nighttime).
    assert lines["others loaded"] == "", result.stdout
    loaded = set(lines["loaded"].split())
    assert "coach.ui.places" in loaded  # the first screen was painted
    assert not loaded & {"coach.core.model", "coach.core.settings", "coach.ui.app",
                         "coach.ui.emergency_screen", "coach.ui.widgets",
                         "coach.ui.notice_bar", "coach.core.emergency"}
    assert lines["collecting"] == "False"
    assert lines["collecting once settled"] == "True"
    assert int(lines["left out for good"]) > 10_000  # what the start made


NEVER_PAINTED_PROBE = """
import os
from PySide6.QtWidgets import QMainWindow

import coach.ui.first_paint
import coach.ui.launch
from coach.ui.main_window import MainWindow

# The fallback's own wait, so that the test waits for nothing.
coach.ui.launch.UNPAINTED_START_MS = 0
# A window the window manager keeps hidden: it is never drawn, so the first
# paint's signal never comes.
MainWindow.paintEvent = QMainWindow.paintEvent
paint_first = coach.ui.first_paint.paint_first

def noted_paint_first(*args):
    first = paint_first(*args)
    print("place buttons put on show:", first is not None, flush=True)
    return first

coach.ui.first_paint.paint_first = noted_paint_first

def settled(server):
    print("settled: True", flush=True)
    os._exit(0)

coach.ui.launch._listen = settled
from coach.cli import main
main(["--emergency"])
"""


def test_a_first_screen_never_painted_does_not_hold_the_app_back(
        make_app: MakeApp, timers: FakeTimers) -> None:
    """The app loads once the place buttons are painted; should that paint
    never come (a window manager that keeps the window hidden), it loads
    after ``UNPAINTED_START_MS`` all the same."""
    keep_places(make_app, timers)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", NEVER_PAINTED_PROBE], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=False)
    assert "place buttons put on show: True" in result.stdout, result.stderr
    assert "settled: True" in result.stdout, result.stderr
