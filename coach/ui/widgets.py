"""Small building blocks shared by the screens.

Every button is made here so that each one gets an accessible name equal to
its visible label: a screen reader user hears exactly what a sighted user reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coach.core import keys
from coach.core.i18n import N_, _, ngettext, pgettext
from coach.core.model import Provenance
from coach.ui.basics import Illustration, WrappingButton, label, scroll_page
from coach.ui.timers import Timers


class Keys:
    """The letters that answer a screen, printed on its buttons, in the app's
    language ("Н  Нет" in Russian): :mod:`coach.core.keys`, which the voice
    uses too, and which matches a letter by the key it sits on."""

    no = staticmethod(keys.no)
    yes = staticmethod(keys.yes)
    passed = staticmethod(keys.passed)
    restart = staticmethod(keys.restart)
    left = staticmethod(keys.left)
    right = staticmethod(keys.right)
    both = staticmethod(keys.both)

    @classmethod
    def pressed(cls, text: str, name: str) -> bool:
        """Whether the typed ``text`` came from the key of that letter."""
        letter: str = getattr(cls, name)()
        return keys.pressed(text, letter)


LEFT_ARROW = "←"
RIGHT_ARROW = "→"
"""The arrow keys as a keyboard prints them (Qt's names for them, "Left" and
"Right", read like directions rather than keys)."""


def key_name(key: Qt.Key) -> str:
    """A key's name as the desktop prints it ("Space", "Esc", "Enter"), in Qt's
    own words, translated with Qt's catalogue, as the window's shortcuts are
    (:mod:`coach.ui.shortcuts`)."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


def keyed(key: str, text: str) -> str:
    """A button's words with the key that does the same printed first, as
    emergency mode prints "N  No, none of these": "L  Left leg", "Space  Pause"."""
    # Translators: a button's words ({action}) after the key that does the same
    # ({key}: "L", "Space", "Esc"), as printed on the button ("Space  Pause").
    # Keep the two spaces, or the separation your language's buttons use.
    return pgettext("a key and a button's words", "{key}  {action}").format(key=key,
                                                                             action=text)


def spoken_seconds(phase: str, seconds: int) -> str:
    """What a screen reader says for a countdown: "Hold, 1 second", with the
    plural the language needs, not the digits alone."""
    # Translators: {phase} is what is happening ("Hold", "Get ready").
    return ngettext("{phase}, {n} second", "{phase}, {n} seconds", seconds).format(
        phase=phase, n=seconds)


def seconds_left(seconds: int) -> str:
    """What a screen reader says near the end of a hold: "10 seconds left"."""
    # Translators: said by a screen reader near the end of a hold.
    return ngettext("{n} second left", "{n} seconds left", seconds).format(n=seconds)


def sentences(parts: Iterable[str]) -> str:
    """Lines a screen reader says one after another ("Step 2 of 3", the
    instruction, "Hold, 30 seconds"), each ended as a sentence so that the
    voice pauses between them; empty ones left out."""
    # Translators: the mark that ends a sentence, put after a line that has
    # none ("Step 2 of 3") when a screen reader says several in a row.
    stop = pgettext("end of a sentence", ".")
    said = []
    for part in parts:
        part = part.strip()
        if part:
            said.append(part if part[-1] in ".!?…:;" + stop else part + stop)
    return " ".join(said)


def announce(widget: QWidget, text: str, *, assertive: bool = False) -> None:
    """Have a screen reader say ``text`` now, wherever the focus is: a new
    phase of a hold, the next exercise, ten seconds left, a new step. Polite
    (after what it is saying) unless ``assertive``: a warning to stop, which
    must interrupt. Qt's :class:`QAccessibleAnnouncementEvent` (Qt 6.8), which
    the AT-SPI bridge hands to Orca; nothing happens while no assistive
    technology listens."""
    if not text:
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive if assertive
                        else QAccessible.AnnouncementPoliteness.Polite)
    QAccessible.updateAccessibility(event)


class _WheelGuard(QObject):
    """Passes the wheel on past a field that does not have the focus, to the
    scroll area under it: scrolling a dialog never turns 22:00 into 23:00 in
    a box the pointer only crossed."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget)
                and not watched.hasFocus()):
            event.ignore()  # filtered and ignored: Qt offers it to the parents
            return True
        return False


def guard_wheel(root: QWidget) -> None:
    """Every number, time, date and list box under ``root`` changes with the
    wheel only once it has the focus (a click or Tab), and the wheel alone
    never focuses it. Call it once a dialog's fields are built."""
    guard = _WheelGuard(root)
    fields: list[QWidget] = [*root.findChildren(QAbstractSpinBox),
                             *root.findChildren(QComboBox)]
    for field in fields:
        field.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        field.installEventFilter(guard)


def save_cancel(dialog: QDialog) -> QDialogButtonBox:
    """Save and Cancel for a dialog, named for screen readers as labelled."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    for choice in buttons.buttons():
        choice.setAccessibleName(choice.text().replace("&", ""))
    return buttons


def visible_text(widget: QAbstractButton) -> str:
    """What the user reads on a button (Qt doubles a literal "&")."""
    if isinstance(widget, WrappingButton):
        return widget.label.text()
    return widget.text().replace("&&", "&")


class WrappingCheckBox(QCheckBox):
    """A check box whose words wrap onto more lines: Qt's own never wraps,
    so one long choice ("Taking water tablets (diuretics) or a statin…")
    made Settings wider than a small screen. The words are a label beside
    the box, and the box's accessible name is the same words."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(text)
        self.label = label(text)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        row = QHBoxLayout(self)
        row.setContentsMargins(self._indent(), 0, 0, 0)
        row.addWidget(self.label)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _indent(self) -> int:
        # Imported here: PySide6 builds Python enums for every class imported
        # by name, and QStyle's are many (8 ms, half the place buttons' own
        # cost): the emergency screen imports this module before its first
        # paint, and has no check box until after-care.
        from PySide6.QtWidgets import QStyle, QStyleOptionButton

        option = QStyleOptionButton()
        self.initStyleOption(option)
        return self.style().subElementRect(QStyle.SubElement.SE_CheckBoxContents, option,
                                           self).left()

    def text(self) -> str:
        return self.label.text()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return max(self.label.heightForWidth(width - self._indent()),
                   super().sizeHint().height())

    def sizeHint(self) -> QSize:
        hint = self.label.sizeHint()
        return QSize(hint.width() + self._indent(),
                     max(hint.height(), super().sizeHint().height()))

    def minimumSizeHint(self) -> QSize:
        return QSize(self._indent() + 160, super().sizeHint().height())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:  # the theme's indicator size
            layout = self.layout()
            if layout is not None:
                layout.setContentsMargins(self._indent(), 0, 0, 0)


def choice_box() -> QComboBox:
    """A drop-down that may be narrower than its longest choice (the list
    that drops down still shows each whole), so a long country name or a
    translation does not push a dialog wider than the screen."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(14)
    return combo


def rich_text_area(name: str) -> tuple[QLabel, QScrollArea]:
    """A scrolling block of formatted text (after-care, the water card, tips):
    the label to fill, and the scroll area to place. The label has no name
    of its own, so a screen reader reads its words; the scroll area takes the
    focus, so the arrows and Page Down scroll it, and is called ``name``."""
    text = label("", "notice")
    text.setTextFormat(Qt.TextFormat.RichText)
    text.setContentsMargins(0, 0, 12, 0)  # the words stop short of the scroll bar
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(text)
    scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    scroll.setAccessibleName(name)
    return text, scroll


class ButtonRow(QWidget):
    """Buttons side by side, or in as few lines as fit when the window is too
    narrow for one (a small screen at 150%, longer words in another
    language): never cut off at the side, and two lines of two rather than
    four buttons one above the other, which would push the last one (Next)
    below the fold. Lines are as even as they can be, in the order added."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[tuple[QWidget | None, int]] = []
        """The widgets and their stretch, in order; None is a stretch of its own."""
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        # The row's own width must not set the page's minimum: it can wrap.
        self._column.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._lines: list[QHBoxLayout] = []
        self._count = 0

    def add(self, widget: QWidget, stretch: int = 0) -> None:
        self._items.append((widget, stretch))
        line = QHBoxLayout()
        self._column.addLayout(line)
        self._lines.append(line)
        self._lay_out(1)

    def add_stretch(self, stretch: int = 1) -> None:
        """Space that pushes what follows to the end, when all are on one line."""
        self._items.append((None, stretch))
        self._lay_out(1)

    def _widgets(self) -> list[QWidget]:
        return [widget for widget, _stretch in self._items if widget is not None]

    def lines(self) -> int:
        return self._count

    def _lines_needed(self, width: int) -> int:
        widgets = self._widgets()
        spacing = max(0, self._lines[0].spacing()) if self._lines else 0

        def fits(chunk: list[QWidget]) -> bool:
            return (sum(widget.sizeHint().width() for widget in chunk)
                    + spacing * (len(chunk) - 1)) <= width

        return next((count for count in range(1, len(widgets) + 1)
                     if all(fits(chunk) for chunk in _even_chunks(widgets, count))),
                    len(widgets))

    def _lay_out(self, count: int) -> None:
        for line in self._lines:
            while line.takeAt(0) is not None:
                pass  # the widgets stay this row's children
        if count == 1:
            for widget, stretch in self._items:
                if widget is None:
                    self._lines[0].addStretch(stretch)
                else:
                    self._lines[0].addWidget(widget, stretch)
        else:
            chunks = _even_chunks(self._widgets(), count)
            for line, chunk in zip(self._lines[:count], chunks, strict=True):
                for widget in chunk:
                    line.addWidget(widget, 1)
        self._count = count
        self._column.activate()  # place them now, not on a later pass
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        widest = max((widget.minimumSizeHint().width() for widget in self._widgets()),
                     default=0)
        return QSize(widest, self._column.minimumSize().height())

    def sizeHint(self) -> QSize:
        return self._column.sizeHint()

    def _arrange(self, width: int) -> None:
        count = self._lines_needed(width)
        if count != self._count:
            self._lay_out(count)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange(event.size().width())
        super().resizeEvent(event)

    def event(self, event: QEvent) -> bool:
        # New words or a new look change the buttons' widths, not the row's.
        if event.type() == QEvent.Type.LayoutRequest:
            self._arrange(self.width())
        return super().event(event)


def _even_chunks(widgets: list[QWidget], count: int) -> list[list[QWidget]]:
    """``widgets`` in ``count`` lines in order, the first ones one longer
    when they cannot all be the same length."""
    size, longer = divmod(len(widgets), count)
    chunks, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < longer else 0)
        chunks.append(widgets[start:end])
        start = end
    return chunks


class ShrinkingScreen(QWidget):
    """A screen whose long parts (a list, a block of text, the diary's flag
    cards) scroll on their own, so it can be as short as its minimum before
    the window's page (:func:`scroll_page`) scrolls it. The page takes a
    screen's height for its width as the least it may have, and a layout's
    answer is the height it would *like*: with a red flag or a long
    disclaimer showing at 1024×600, the diary's and the routines' rows of
    buttons went below the window's edge (a diary audit)."""

    def heightForWidth(self, width: int) -> int:
        return -1  # none of its own: the page keeps to the layout's minimum


def fit_to_screen(window: QWidget, wanted: QSize) -> None:
    """``wanted``, or less where the screen is smaller: the window's frame
    and title bar (about 40 px) stay on the screen too."""
    anchor = window.parentWidget() or window
    screen = anchor.screen()
    area = screen.availableGeometry().size() - QSize(16, 48)
    window.resize(wanted.boundedTo(area))


def restyle(widget: QWidget, **properties: object) -> None:
    """Change dynamic properties the stylesheet keys on, and re-apply it."""
    for name, value in properties.items():
        widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


SOURCE_NAMES = (
    N_("NHS"), N_("HSE"), N_("NICE CKS"), N_("AAFP"), N_("RNLI"), N_("Mayo Clinic"),
    N_("Cochrane"), N_("Hallegraeff 2012"), N_("Coppin 2005"), N_("Physiotherapy advice"),
    N_("Popular health advice"),
)
"""The names a content ``source`` may show (docs/content-sources.md says what
each is), marked so a translation can add what a reader needs ("NHS" means
little in Russian without "the UK's health service")."""


def provenance_text(provenance: Provenance) -> str:
    """Evidence and source on one short line, in the app's language."""
    names = "; ".join(_(name.strip()) for name in provenance.source.split(";"))
    return _("{evidence} · Source: {names}").format(evidence=provenance.evidence.label,
                                                    names=names)


class CountdownPanel(QWidget):
    """What is happening (phase), the big number, and a line of detail; the
    number flashes in place of a sound cue when sound is off or missing."""

    FLASH_MS = 350

    def __init__(self, timers: Timers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        self.phase = label("", "title")
        # No accessible name: a screen reader reads the number itself; what it
        # is, and the time in words, are its description.
        self.number = label("", "countdown", wrap=False)
        self.detail = label("", "muted")
        column.addStretch(1)
        for part in (self.phase, self.number, self.detail):
            part.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(part)
        column.addStretch(1)
        self._flash = timers.make(self, lambda: restyle(self.number, flash=False))

    def show_state(self, phase: str, number: str, detail: str = "", spoken: str = "") -> None:
        """``spoken`` is the number in words ("Hold, 20 seconds"), for a screen
        reader."""
        self.phase.setText(phase)
        self.number.setText(number)
        self.detail.setText(detail)
        # Translators: a screen reader's description of the big countdown;
        # {spoken} is its time in words ("Hold, 20 seconds").
        self.number.setAccessibleDescription(
            _("Countdown: {spoken}").format(spoken=spoken) if spoken else _("Countdown"))

    def flash(self) -> None:
        restyle(self.number, flash=True)
        self._flash.start(self.FLASH_MS)

    def stop(self) -> None:
        self._flash.stop()


class GuideBody(QWidget):
    """The middle of a guided screen: the drawing, what to do in words (with any
    safety flags, quieter notes and the source), and the countdown. The words
    get the widest column: in Russian a step's advice and its flags run long,
    and the countdown needs only the width of "0:30"."""

    def __init__(self, minimum_drawing: int, timers: Timers,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.illustration = Illustration(self, minimum=minimum_drawing)
        row.addWidget(self.illustration, 5)
        words = QWidget()
        text = QVBoxLayout(words)
        # A little room for the scroll bar at the right, when it shows; the
        # parts close together, as one block of words.
        text.setContentsMargins(0, 0, 6, 0)
        text.setSpacing(4)
        self.heading = label("", "title")
        self.detail = label("", "notice")
        self.flags = label("", "flag")
        self.notes = label("", "badge")
        self.badge = label("", "badge")
        for part in (self.heading, self.detail, self.flags, self.notes):
            text.addWidget(part)
        text.addStretch(1)
        text.addWidget(self.badge)
        # The words scroll in a short window rather than pushing the step's
        # controls off the bottom.
        row.addWidget(scroll_page(words), 16)
        self.countdown = CountdownPanel(timers)
        row.addWidget(self.countdown, 6)

    def show_guidance(self, *, image: str | None, alt: str, heading: str, detail: str,
                      flags: Sequence[str], provenance: Provenance,
                      notes: Sequence[str] = ()) -> None:
        """``flags`` warn, in the accent colour; ``notes`` only inform, such
        as which step the safety profile left out."""
        for part, text in ((self.heading, heading), (self.detail, detail),
                           (self.flags, "\n".join(flags)), (self.notes, "\n".join(notes))):
            part.setText(text)
            part.setVisible(bool(text))
        self.badge.setText(provenance_text(provenance))
        self.illustration.set_image(image, alt)
