"""GUI fixtures: the real app and widgets, with a fake clock, fake timers that
the clock fires, and no real home. A test moves time with ``timers.advance``:
nothing here waits on a real timer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timezone, tzinfo
from typing import Protocol, TypeVar

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from coach.core.model import Library
from coach.core.notices import Notices
from coach.services.autostart import Autostart
from coach.services.desktop import Shortcut
from coach.services.sound import CuePlayer
from coach.services.speech import Speaker
from coach.ui.app import CoachApp, Services
from coach.ui.first_paint import FirstPaint
from tests.fakes.clock import FakeClock
from tests.fakes.sound import FakePlayer
from tests.fakes.speech import FakeSpeaker
from tests.fakes.timers import FakeTimers


class MakeApp(Protocol):
    """The real app on the fake clock and timers; each side effect a fake
    unless the test passes its own."""

    def __call__(self, library: Library | None = None, *, player: CuePlayer | None = None,
                 speaker: Speaker | None = None, notices: Notices | None = None,
                 tray: bool | None = None, zone: Callable[[], tzinfo] | None = None,
                 shortcut: Shortcut | None = None,
                 autostart: Autostart | None = None, first: FirstPaint | None = None,
                 ) -> CoachApp: ...


Found = TypeVar("Found", bound=QWidget)


def named(root: QWidget, kind: type[Found], name: str) -> Found:
    """The one ``kind`` in ``root`` that a screen reader calls ``name``: found
    the way a person finds it, so a test needs no private attribute."""
    found = [widget for widget in root.findChildren(kind) if widget.accessibleName() == name]
    assert len(found) == 1, f"{len(found)} {kind.__name__} named {name!r}"
    return found[0]


def shown_text(root: QWidget) -> str:
    """Every label a person would see in ``root`` (pages not on show are
    hidden, and so left out), as one string: what a test reads instead of
    reaching for a screen's private label."""
    return "\n".join(label.text() for label in root.findChildren(QLabel)
                     if label.isVisibleTo(root) and label.text())


@pytest.fixture()
def clock() -> FakeClock:
    return FakeClock(wall=datetime(2026, 3, 2, 23, 30, tzinfo=timezone.utc))


@pytest.fixture()
def timers(clock: FakeClock) -> FakeTimers:
    return FakeTimers(clock)


@pytest.fixture()
def make_app(qapp: QApplication, qtbot: QtBot, clock: FakeClock,
             timers: FakeTimers) -> Iterator[MakeApp]:
    made: list[CoachApp] = []

    def make(library: Library | None = None, *, player: CuePlayer | None = None,
             speaker: Speaker | None = None, notices: Notices | None = None,
             tray: bool | None = None, zone: Callable[[], tzinfo] | None = None,
             shortcut: Shortcut | None = None,
             autostart: Autostart | None = None, first: FirstPaint | None = None) -> CoachApp:
        # Never the machine's own speakers or voice: a test that is about them
        # passes its own.
        services = Services(clock=clock, timers=timers, library=library,
                            player=player or FakePlayer(), speaker=speaker or FakeSpeaker(),
                            notices=notices or Notices(), tray=tray, zone=zone,
                            shortcut=shortcut, autostart=autostart)
        app = CoachApp(qapp, services, theme_override="night", first=first)
        qtbot.addWidget(app.window)
        made.append(app)
        return app

    yield make
    for app in made:
        app.shutdown()
