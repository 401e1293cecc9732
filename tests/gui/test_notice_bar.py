"""The notice strip must survive being built while notices are waiting: that
is the normal state after a repaired settings file or a broken routine."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
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
