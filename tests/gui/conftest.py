"""GUI fixtures: the real app and widgets, with a fake clock and no real home."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timezone

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from coach.core.model import Library
from coach.ui.app import CoachApp, Services
from tests.fakes.clock import FakeClock

MakeApp = Callable[..., CoachApp]


@pytest.fixture()
def clock() -> FakeClock:
    return FakeClock(wall=datetime(2026, 3, 2, 23, 30, tzinfo=timezone.utc))


@pytest.fixture()
def make_app(qapp: QApplication, qtbot: QtBot, clock: FakeClock) -> Iterator[MakeApp]:
    made: list[CoachApp] = []

    def make(library: Library | None = None, **kwargs: object) -> CoachApp:
        services = Services(clock=clock, library=library, **kwargs)  # type: ignore[arg-type]
        app = CoachApp(qapp, services, theme_override="night")
        qtbot.addWidget(app.window)
        made.append(app)
        return app

    yield make
    for app in made:
        app.shutdown()
