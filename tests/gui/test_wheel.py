"""The mouse wheel scrolls a dialog; it changes a number, time, date or list
box only once that box has been chosen (clicked or reached with Tab). A
person scrolling Settings with the pointer resting on Monday's bedtime turned
22:00 into 23:00 without knowing (issue 12 §6). The same in the diary entry's
dialog."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timezone

import pytest
from PySide6.QtCore import QPoint, QPointF, QTime
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QScrollArea,
    QSpinBox,
    QTimeEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from coach.core.diary import Episode
from coach.core.schedule import ReminderConfig
from coach.core.settings import Settings
from coach.ui.episode_dialog import EpisodeDialog
from coach.ui.settings_dialog import SettingsDialog
from tests.gui.conftest import named


@pytest.fixture()
def settings_dialog(qtbot: QtBot) -> Iterator[SettingsDialog]:
    reminder = ReminderConfig(enabled=True, times=(time(22, 0),) * 7)
    dialog = SettingsDialog(Settings(), reminder, autostart=False, voice_note="")
    qtbot.addWidget(dialog)
    dialog.resize(720, 420)
    dialog.show()
    qtbot.waitExposed(dialog)
    yield dialog


def wheel(target: QWidget, down: bool = True) -> None:
    """One notch of the wheel with the pointer over ``target``'s middle, as
    the window system sends it (a wheel event made by hand would not be
    passed on to the parents as a real one is)."""
    window = target.window()
    handle = window.windowHandle()
    assert handle is not None
    QTest.wheelEvent(handle, QPointF(target.mapTo(window, target.rect().center())),
                     QPoint(0, -120 if down else 120))
    QApplication.processEvents()


def test_the_wheel_scrolls_settings_past_a_time_box(
        settings_dialog: SettingsDialog, qtbot: QtBot) -> None:
    scroll = settings_dialog.findChild(QScrollArea)
    assert scroll is not None
    monday = named(settings_dialog, QTimeEdit, "Bedtime on Monday")
    scroll.ensureWidgetVisible(monday)
    bar = scroll.verticalScrollBar()
    before = bar.value()
    assert bar.maximum() > before  # the dialog is short enough to scroll on
    assert not monday.hasFocus() and monday.time() == QTime(22, 0)
    wheel(monday)
    assert monday.time() == QTime(22, 0)
    assert bar.value() > before  # the page scrolled instead
    assert not monday.hasFocus()  # and the wheel did not choose the box

    monday.setFocus()  # once chosen, the wheel is for it: the same notch changes it
    qtbot.waitUntil(monday.hasFocus)
    scroll.ensureWidgetVisible(monday)
    wheel(monday, down=False)
    assert monday.time() != QTime(22, 0)


def chosen(box: QSpinBox | QComboBox) -> int:
    return box.value() if isinstance(box, QSpinBox) else box.currentIndex()


def test_no_box_in_settings_takes_the_wheel_unchosen(
        settings_dialog: SettingsDialog) -> None:
    scroll = settings_dialog.findChild(QScrollArea)
    assert scroll is not None
    boxes: list[QSpinBox | QComboBox] = [*settings_dialog.findChildren(QSpinBox),
                                         *settings_dialog.findChildren(QComboBox)]
    assert len(boxes) >= 4  # the lead time, the language, theme, get-ready, country...
    for box in boxes:
        if not box.isEnabled() or box.hasFocus():  # the first field starts chosen
            continue
        scroll.ensureWidgetVisible(box)
        before = chosen(box)
        for down in (True, False):
            wheel(box, down)
            assert chosen(box) == before, box.accessibleName()


def test_the_wheel_leaves_a_diary_entry_alone(qtbot: QtBot) -> None:
    entry = Episode(started=datetime(2026, 3, 2, 23, 0, tzinfo=timezone.utc), duration_s=90,
                    place="calf", side="left", severity=6)
    dialog = EpisodeDialog(entry, timezone.utc, {}, "Edit entry")
    qtbot.addWidget(dialog)
    dialog.resize(560, 360)
    dialog.show()
    qtbot.waitExposed(dialog)
    scroll = dialog.findChild(QScrollArea)
    assert scroll is not None
    boxes: list[QSpinBox | QComboBox] = [
        named(dialog, QSpinBox, "How bad, 0 to 10"), named(dialog, QSpinBox, "Minutes it lasted"),
        named(dialog, QComboBox, "Where"), named(dialog, QComboBox, "Which leg")]
    for box in boxes:
        assert not box.hasFocus()
        scroll.ensureWidgetVisible(box)
        wheel(box)
    assert dialog.episode() == entry
