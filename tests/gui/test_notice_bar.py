"""The notice strip must survive being built while notices are waiting: that
is the normal state after a repaired settings file or a broken routine."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from coach.core.notices import Notices
from tests.gui.conftest import MakeApp


def test_bar_built_with_notices_waiting_shows_them(qtbot: QtBot) -> None:
    from coach.ui.notice_bar import NoticeBar

    notices = Notices()
    notices.post("warning", "first waiting")
    notices.post("error", "second waiting")
    bar = NoticeBar(notices)
    qtbot.addWidget(bar)
    texts = {label.text() for label in bar.findChildren(QLabel)}
    assert {"Note: first waiting", "Problem: second waiting"} <= texts


def test_emergency_opens_with_a_notice_waiting(make_app: MakeApp) -> None:
    notices = Notices()
    notices.post("warning", "The settings file was not usable")
    app = make_app(notices=notices)
    app.open_emergency()
    assert app.window.current_screen() == "emergency"
    app.open_emergency()  # a second request (a later launch) still works
    assert app.window.current_screen() == "emergency"


def test_no_message_is_dropped_the_others_wait_behind_a_button(qtbot: QtBot) -> None:
    """A started app can hold four at once (a settings file moved aside, a
    broken routine, no sound, the disclaimer): the one that says where the
    damaged file went must never be the one thrown away."""
    from coach.ui.notice_bar import MAX_SHOWN, NoticeBar
    from coach.ui.widgets import visible_text

    notices = Notices()
    notices.post("warning", "The settings file was moved to settings.json.corrupt-1")
    notices.post("warning", "mine.yaml: a problem")
    bar = NoticeBar(notices)
    qtbot.addWidget(bar)
    bar.show()
    notices.post("info", "No sound output was found.")
    bar.add_action("Not medical advice.", "I understand")

    def shown() -> list[str]:
        return [label.text() for label in bar.findChildren(QLabel) if label.isVisible()]

    def buttons() -> list[str]:
        return [visible_text(b) for b in bar.findChildren(QPushButton) if b.isVisible()]

    qtbot.waitUntil(lambda: len(shown()) == MAX_SHOWN, timeout=1000)
    assert "Show 2 more messages" in buttons()
    [more] = [b for b in bar.findChildren(QPushButton) if visible_text(b).startswith("Show ")]
    more.click()
    assert "Note: The settings file was moved to settings.json.corrupt-1" in shown()
    assert len(shown()) == 4 and more.isHidden()
    for _ in range(3):  # dismissed one by one, down to one: no button left
        dismiss = next(b for b in bar.findChildren(QPushButton)
                       if b.isVisible() and b is not more)
        dismiss.click()
    assert len(shown()) == 1 and more.isHidden()
