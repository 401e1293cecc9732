"""Installed with pip or pipx, Cramp Coach offers once to add itself to the
applications menu, after the disclaimer, and adds itself when asked."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from coach.core import paths
from coach.services import desktop
from coach.ui.app import CoachApp
from coach.ui.widgets import visible_text
from tests.gui.conftest import MakeApp

pytestmark = pytest.mark.skipif(not paths.is_xdg(),
                                reason="the menu entry is for XDG desktops")

OFFER = "Add to menu"


def offer_button(app: CoachApp) -> QPushButton | None:
    found = [b for b in app.window.notice_bar.findChildren(QPushButton)
             if visible_text(b) == OFFER and not b.isHidden()]
    return found[0] if found else None


def started(make_app: MakeApp, qtbot: QtBot) -> CoachApp:
    app = make_app(tray=False)
    app.window.show()
    qtbot.waitExposed(app.window)
    app.start_resident()
    return app


def test_offered_only_after_the_disclaimer_then_added(make_app: MakeApp, qtbot: QtBot) -> None:
    app = started(make_app, qtbot)
    assert offer_button(app) is None  # the disclaimer first, alone
    [understood] = [b for b in app.window.notice_bar.findChildren(QPushButton)
                    if visible_text(b) == "I understand"]
    understood.click()
    button = offer_button(app)
    assert button is not None and app.settings.current.desktop_offered
    assert not desktop.is_installed()
    button.click()
    assert desktop.is_installed()
    texts = [label.text() for label in app.window.notice_bar.findChildren(QLabel)]
    assert any("now in your applications menu" in text for text in texts)


def test_never_offered_twice(make_app: MakeApp, qtbot: QtBot) -> None:
    first = make_app(tray=False)
    first.settings.update(disclaimer_accepted=True)
    first.window.show()
    first.start_resident()
    assert offer_button(first) is not None
    again = started(make_app, qtbot)
    assert offer_button(again) is None


def test_not_offered_when_the_menu_has_it_already(make_app: MakeApp, qtbot: QtBot) -> None:
    desktop.install()
    app = make_app(tray=False)
    app.settings.update(disclaimer_accepted=True)
    app.window.show()
    app.start_resident()
    assert offer_button(app) is None and not app.settings.current.desktop_offered
