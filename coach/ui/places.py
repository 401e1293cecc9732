"""The place buttons, and emergency mode's frame round them: the first thing
someone woken by a cramp sees.

Both are built here, once, for two screens. :class:`EmergencyScreen
<coach.ui.emergency_screen.EmergencyScreen>` builds them from the guides.
:class:`FirstScreen` builds them from the places the last start kept
(:mod:`coach.core.first_screen`), when Cramp Coach starts for a cramp: it
is painted before the guides, the settings store or anything else of the
app has loaded, and the emergency screen takes its place a moment later,
pixel for pixel the same (a test compares them). Whatever the person does in
that moment (a tap, a digit, Esc) is kept and handed on, in order.

So this module imports only the first screen's building blocks
(:mod:`coach.ui.basics`), and nothing here uses PySide6's ``Qt`` namespace
while building (see there).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from coach.core.first_screen import Place
from coach.core.i18n import N_, _
from coach.ui.basics import PageStack, WrappingButton, button, label, set_enums

if TYPE_CHECKING:
    from PySide6.QtGui import QFocusEvent, QKeyEvent
    from PySide6.QtWidgets import QLabel, QPushButton

TITLE = N_("Emergency")
"""Emergency mode's name in the window's title."""
HEADING = N_("Where is the cramp?")
"""Emergency mode's title while no place is chosen."""
# Translators: a place button's words for a card to read before it is needed,
# e.g. "In water (read ahead)".
READ_AHEAD = N_("{place} (read ahead)")
DIGITS = 9
"""The places with a key of their own, 1 to 9."""


class Frame(NamedTuple):
    """Emergency mode's title line over its pages."""

    bar: QHBoxLayout
    """The title line: the emergency screen adds its buttons to it."""
    title: QLabel
    pages: PageStack


def frame(screen: QWidget) -> Frame:
    outer = QVBoxLayout(screen)
    outer.setContentsMargins(16, 8, 16, 12)
    outer.setSpacing(6)
    bar = QWidget()
    row = QHBoxLayout(bar)
    row.setContentsMargins(0, 0, 0, 0)
    title = label(_(HEADING), "title")
    row.addWidget(title, 1)
    pages = PageStack(screen)
    outer.addWidget(bar)
    outer.addWidget(pages, 1)
    return Frame(row, title, pages)


class PlacesPage(QWidget):
    """A big button for each place, numbered for its key; under them the
    hint and the bedside card. ``fallback`` stands where the buttons would,
    when there are none (the guides failed to load)."""

    chosen = Signal(int)
    """The index of the place, in ``places``."""
    print_card = Signal()

    def __init__(self, places: Sequence[Place], fallback: QWidget | None = None) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setSpacing(14)
        self.buttons: list[QPushButton] = []
        for index, place in enumerate(places, start=1):
            text = _(READ_AHEAD).format(place=place.title) if place.read_ahead else place.title
            if index <= DIGITS:
                text = f"{index}  {text}"
            widget = WrappingButton(text, self._chooser(index - 1),
                                    role="big" if place.read_ahead else "place",
                                    icon=place.image or None,
                                    icon_size=64 if place.read_ahead else 96,
                                    tip=_("Press {digit}").format(digit=index)
                                    if index <= DIGITS else "")
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            self.buttons.append(widget)
            if place.read_ahead:
                grid.addWidget(widget, 10 + index, 0, 1, 2)
            else:
                grid.addWidget(widget, (index - 1) // 2, (index - 1) % 2)
        regular = sum(not place.read_ahead for place in places)
        for row in range((regular + 1) // 2):
            grid.setRowStretch(row, 3)
        if fallback is not None and not places:
            grid.addWidget(fallback, 0, 0, 1, 2)
        hint = label(_("Tap where it hurts, or press its number. Esc closes."), "muted")
        set_enums(hint, alignment="AlignCenter")
        grid.addWidget(hint, 99, 0)
        self.card = button(_("Print a bedside card…"), self.print_card.emit,
                           tip=_("These steps on one page, for nights the computer is off"))
        set_enums(self.card, focusPolicy="TabFocus")
        grid.addWidget(self.card, 99, 1)

    def _chooser(self, index: int) -> Callable[[], None]:
        return lambda: self.chosen.emit(index)

    def press(self, digit: int) -> bool:
        """The place with key ``digit`` (1 to 9), as if tapped; False if none."""
        if not 1 <= digit <= min(DIGITS, len(self.buttons)):
            return False
        self.buttons[digit - 1].click()
        return True

    def focus_first(self) -> None:
        if self.buttons:
            self.buttons[0].setFocus()


class Pending(NamedTuple):
    """Something done on the first screen before the emergency screen took
    its place: a place tapped (its index), the card asked for, or a key
    pressed that no button took (its key and text)."""

    kind: Literal["place", "card", "key"]
    number: int = 0
    text: str = ""


class FirstScreen(QWidget):
    """The emergency screen's place buttons, painted before the guides load,
    that the emergency screen replaces once it is built. What the person
    does meanwhile waits in :attr:`pending`, in order, for the emergency
    screen to do: a key, as pressed, or a button, by its place."""

    def __init__(self, places: Sequence[Place]) -> None:
        super().__init__()
        set_enums(self, focusPolicy="StrongFocus")  # as the emergency screen's
        parts = frame(self)
        self.places = PlacesPage(places)
        parts.pages.addWidget(self.places)
        self.pending: list[Pending] = []
        self.places.chosen.connect(lambda index: self.pending.append(Pending("place", index)))
        self.places.print_card.connect(lambda: self.pending.append(Pending("card")))
        self.setAccessibleName(parts.title.text())
        self.places.focus_first()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.places.focus_first()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.pending.append(Pending("key", event.key(), event.text()))
        event.accept()
