"""GUI fixtures: the real app and widgets, with a fake clock, fake timers that
the clock fires, and no real home. A test moves time with ``timers.advance``:
nothing here waits on a real timer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timezone

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from coach.core.model import Library
from coach.ui.app import CoachApp, Services
from tests.fakes.clock import FakeClock
from tests.fakes.sound import FakePlayer
from tests.fakes.speech import FakeSpeaker
from tests.fakes.timers import FakeTimers

MakeApp = Callable[..., CoachApp]


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

    def make(library: Library | None = None, **kwargs: object) -> CoachApp:
        # Never the machine's own speakers or voice: a test that is about them
        # passes its own.
        kwargs.setdefault("player", FakePlayer())
        kwargs.setdefault("speaker", FakeSpeaker())
        services = Services(clock=clock, timers=timers, library=library, **kwargs)  # type: ignore[arg-type]
        app = CoachApp(qapp, services, theme_override="night")
        qtbot.addWidget(app.window)
        made.append(app)
        return app

    yield make
    for app in made:
        app.shutdown()
