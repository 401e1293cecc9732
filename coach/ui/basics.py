"""The building blocks of the first screen: the place buttons, the labels,
and the page that scrolls them on a small screen.

They are made without PySide6's ``Qt`` namespace. PySide6 builds all 93 of
its Python enums the first time any one of them is used, about 15 ms: a
seventh of a bare window's whole start (``benchmarks/startup.py``). The place
buttons are painted before anything else needs one, so here a property whose
type is one of those enums is set by the value's name (:func:`set_enums`),
and a value that is Qt's default already (a push button's strong focus) is
not set at all. A test keeps the first paint free of the namespace.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedLayout,
    QWidget,
)

from coach import resources


def set_enums(target: QObject, **values: str) -> None:
    """Sets Qt properties of enum type by the value's name, through Qt's own
    meta-object: ``set_enums(label, alignment="AlignCenter")`` is
    ``label.setAlignment(Qt.AlignmentFlag.AlignCenter)`` without the Python
    enum. A misspelt property or value raises, rather than becoming a
    dynamic property that nothing reads."""
    for name, value in values.items():
        if not target.setProperty(name, value):
            raise ValueError(f"{type(target).__name__} has no property {name} taking {value}")


def set_label(widget: QPushButton, text: str) -> None:
    widget.setText(text.replace("&", "&&"))
    widget.setAccessibleName(text)



def button(text: str, on_click: Callable[[], object] | None = None, *, role: str = "",
           tip: str = "", parent: QWidget | None = None) -> QPushButton:
    """``text`` is shown literally: an "&" is a character here, not a mnemonic."""
    widget = QPushButton(parent)
    set_label(widget, text)
    if role:
        widget.setProperty("role", role)
    if tip:
        widget.setToolTip(tip)
        widget.setAccessibleDescription(tip)
    widget.setAutoDefault(True)
    if on_click is not None:
        widget.clicked.connect(lambda _checked=False: on_click())
    return widget



def label(text: str = "", role: str = "", *, wrap: bool = True,
          parent: QWidget | None = None) -> QLabel:
    widget = QLabel(text, parent)
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    set_enums(widget, textFormat="PlainText")
    return widget



class WrappingButton(QPushButton):
    """A big button whose words wrap onto more lines instead of being cut off:
    a place name must be read whole at 3 a.m., in every language (Russian
    "Задняя поверхность бедра" is twice as wide as "Back of thigh"). The
    words are a label inside the button; the button's accessible name is
    the same words, so a screen reader says exactly what is shown. A click on
    the words or the drawing is the button's: neither takes mouse presses,
    so Qt hands them to the button."""

    def __init__(self, text: str, on_click: Callable[[], object], *, role: str,
                 icon: str | None = None, icon_size: int = 96, tip: str = "") -> None:
        super().__init__()
        self.setProperty("role", role)
        self.setAccessibleName(text)
        if tip:
            self.setToolTip(tip)
            self.setAccessibleDescription(tip)
        self.setAutoDefault(True)
        self.clicked.connect(lambda _checked=False: on_click())
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        row.setSpacing(12)
        if icon is not None:
            # ``icon_size`` where there is room; down to two thirds of it in a
            # short window (150% scaling), so the place buttons fit its height.
            picture = Illustration(self, minimum=icon_size * 2 // 3)
            picture.setMaximumSize(icon_size, icon_size)
            picture.set_image(icon)
            row.addWidget(picture)
        self.label = label(text, role)
        set_enums(self.label, alignment="AlignCenter")
        row.addWidget(self.label, 1)



class PageStack(QWidget):
    """Pages shown one at a time, sized by the page on screen. A
    QStackedWidget asks for its largest page's height, so in a short window
    (150% scaling) a step would scroll for the sake of a page not shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = _CurrentPageLayout(self)

    def addWidget(self, page: QWidget) -> None:
        self._layout.addWidget(page)

    def setCurrentWidget(self, page: QWidget) -> None:
        if page is not self._layout.currentWidget():
            self._layout.setCurrentWidget(page)
            self._layout.invalidate()
            self.updateGeometry()

    def currentWidget(self) -> QWidget | None:
        return self._layout.currentWidget()


class _CurrentPageLayout(QStackedLayout):
    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else QSize(0, 0)

    def minimumSize(self) -> QSize:
        page = self.currentWidget()
        if page is None:
            return QSize(0, 0)
        return page.minimumSizeHint().expandedTo(page.minimumSize())

    def hasHeightForWidth(self) -> bool:
        page = self.currentWidget()
        return page is not None and page.hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:
        page = self.currentWidget()
        return page.heightForWidth(width) if page is not None else -1



def scroll_page(content: QWidget) -> QScrollArea:
    """``content`` scrolling up and down when the window is smaller than it
    needs (a 1024×600 netbook, 150% scaling), instead of its parts being
    squeezed over each other. Never sideways: text wraps instead. The area
    itself takes no focus; Tab scrolls to the focused control."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    set_enums(scroll, horizontalScrollBarPolicy="ScrollBarAlwaysOff", focusPolicy="NoFocus")
    scroll.setWidget(content)
    return scroll



@lru_cache(maxsize=64)
def _renderer(path: str) -> QSvgRenderer:
    return QSvgRenderer(path)


class Illustration(QWidget):
    """An SVG drawing scaled to fit, keeping its proportions.

    Drawings load on first paint, not at start-up: the first screen must show
    fast and most drawings are never needed in a given night.
    """

    def __init__(self, parent: QWidget, minimum: int) -> None:
        # A parent from the start: set_image shows the drawing, and a widget
        # shown without one becomes a window of its own (it once took the
        # focus meant for emergency mode).
        super().__init__(parent)
        self._path: str | None = None
        self._minimum = minimum
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_image(self, relative: str | None, description: str = "") -> None:
        self._path = str(resources.asset(relative)) if relative else None
        self.setAccessibleName(description)
        self.setVisible(self._path is not None and Path(self._path).is_file())
        self.update()

    def sizeHint(self) -> QSize:
        # No taller than the minimum: the drawing grows into whatever height
        # the screen has to spare (it expands), but never asks for more, so a
        # short window (150% scaling) need not scroll to reach the buttons.
        return QSize(self._minimum * 2, self._minimum)

    def minimumSizeHint(self) -> QSize:
        return QSize(self._minimum, self._minimum)

    def paintEvent(self, _event: object) -> None:
        if not self._path:
            return
        renderer = _renderer(self._path)
        if not renderer.isValid():
            return
        box = renderer.viewBoxF()
        if box.isEmpty():
            box = QRectF(0, 0, 1, 1)
        scale = min(self.width() / box.width(), self.height() / box.height())
        width, height = box.width() * scale, box.height() * scale
        target = QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, target)
        painter.end()
