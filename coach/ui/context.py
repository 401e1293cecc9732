"""What a flow or a screen may use of the app: a narrow, typed context.

Flows used to be handed the whole application object, reached into some 25 of
its members and changed its state from outside, and the application imported
them back: an import circle with no edges anyone could see. Now each flow
gets a :class:`Context` (the clock, the timers, notices, settings, content,
the diary, cues and navigation) and calls nothing else; the application
object only wires things together, and satisfies this protocol.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import Protocol

from PySide6.QtWidgets import QWidget

from coach.app.content import ContentModel
from coach.app.cues import CueBoard
from coach.app.diary import DiaryService
from coach.app.navigation import Screen
from coach.app.settings import SettingsModel
from coach.core.clock import Clock
from coach.core.notices import Notices, Wording
from coach.ui.timers import Timers


class Navigation(Protocol):
    """The window's screens, by :class:`Screen`."""

    def add(self, screen: Screen, widget: QWidget, title: str) -> None: ...

    def remove(self, screen: Screen) -> None: ...

    def replace(self, screen: Screen, widget: QWidget, title: str) -> None:
        """Put ``widget`` in the place of the screen's own, where it is (on
        screen or not), without bringing the window to the front."""
        ...

    def show(self, screen: Screen) -> None:
        """Show ``screen`` and bring the window to the front."""
        ...

    def current(self) -> Screen | None: ...

    def home(self) -> None: ...

    def parent(self) -> QWidget:
        """The window, as the parent of a dialog."""
        ...

    def offer(self, text: Wording, action: Wording, on_action: Callable[[], object]) -> None:
        """A message with one button in the notice strip (Undo, I understand);
        given as wording functions, both are worded again in a new language."""
        ...


class Context(Protocol):
    @property
    def clock(self) -> Clock: ...

    @property
    def timers(self) -> Timers: ...

    @property
    def notices(self) -> Notices: ...

    @property
    def settings(self) -> SettingsModel: ...

    @property
    def content(self) -> ContentModel: ...

    @property
    def diary(self) -> DiaryService: ...

    @property
    def cues(self) -> CueBoard: ...

    @property
    def navigation(self) -> Navigation: ...

    def zone(self) -> tzinfo: ...

    def is_night(self) -> bool:
        """The night look's hours (:mod:`coach.core.nighttime`): what the
        app says, not only how it looks, may depend on them."""
        ...
