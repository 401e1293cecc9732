"""The main window: a notice strip above a stack of screens.

Screens are added by name and built by the app only when first needed, so the
first screen shows fast. The window remembers its size and place, and opens on
a screen the user can actually see.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from coach import APP_NAME
from coach.app.navigation import FOCUSED, Screen
from coach.core.i18n import _
from coach.core.keys import on_cyrillic_layout
from coach.ui.basics import scroll_page

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QKeySequence, QPaintEvent, QResizeEvent, QShortcut

    from coach.ui.notice_bar import NoticeBar

DEFAULT_SIZE = QSize(1100, 760)
_GIVEN_KEYS = "cramp-coach-keys"
"""A dynamic property: this dialog has the keys already."""
MINIMUM_SIZE = QSize(560, 400)


WINDOW_ROLE = "cramp-coach-main"
ACTIVATE_AFTER_MS = 50
"""Long enough for the property change to come back from the X server."""

COMPACT_BELOW = QSize(900, 640)
"""A window narrower or shorter than this gets the compact look."""


def _shortcut(sequences: list[QKeySequence], handler: Callable[[], None],
              parent: QWidget) -> QShortcut:
    """One shortcut for a key and its twin on a Cyrillic layout. With both a
    Latin and a Cyrillic layout installed, Qt finds both in one press and
    calls the match ambiguous: that is still this one key."""
    from PySide6.QtGui import QShortcut  # not before the first paint: its enums

    shortcut = QShortcut(parent)
    shortcut.setKeys(sequences)
    shortcut.activated.connect(handler)
    shortcut.activatedAmbiguously.connect(handler)
    return shortcut


def opening_size(area: QSize) -> QSize:
    """The size a new window opens at on a screen with ``area`` free: the
    default, or the whole area (maximised) on a smaller screen."""
    if area.width() < DEFAULT_SIZE.width() or area.height() < DEFAULT_SIZE.height():
        return area
    return DEFAULT_SIZE


def is_compact(size: QSize) -> bool:
    return size.width() < COMPACT_BELOW.width() or size.height() < COMPACT_BELOW.height()


def opens_compact(qapp: QGuiApplication) -> bool:
    """Whether a window not built yet will open compact, on this screen: the
    look is set once, before the widgets exist, rather than again after."""
    screen = qapp.primaryScreen()
    return screen is not None and is_compact(opening_size(screen.availableGeometry().size()))


def placement_bytes(encoded: str) -> bytes | None:
    """A window's saved geometry, as the settings keep it (base64), or None
    for none or for anything that is not base64."""
    if not encoded:
        return None
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return None


def open_window(placement: bytes | None, notice_bar: NoticeBar | None = None) -> MainWindow:
    """The main window where it was last (see
    :meth:`MainWindow.restore_placement`)."""
    window = MainWindow()
    if notice_bar is not None:
        window.set_notice_bar(notice_bar)
    window.restore_placement(placement)
    return window


class MainWindow(QMainWindow):
    close_requested = Signal()
    compact_changed = Signal(bool)
    """The window crossed :data:`COMPACT_BELOW`: big type shrinks or grows."""
    first_painted = Signal()
    """Once, after the window has first been drawn: the moment to start work
    that the first screen does not need."""
    screen_shown = Signal(object)
    """A :class:`~coach.app.navigation.Screen` has just been put on show."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(MINIMUM_SIZE)
        central = QWidget(self)
        self._column = QVBoxLayout(central)
        self._column.setContentsMargins(8, 8, 8, 8)
        self._notice_bar: NoticeBar | None = None
        self._stack = QStackedWidget(central)
        self._column.addWidget(self._stack, 1)
        self.setCentralWidget(central)
        self._screens: dict[Screen, tuple[QWidget, QScrollArea, str]] = {}
        self.hide_on_close = False
        self._maximize = False
        """Open maximised, at the first show (see restore_placement)."""
        self._painted = False
        self.compact = False
        self._in_dialogs: list[tuple[list[QKeySequence], Callable[[], None]]] = []
        qapp = QGuiApplication.instance()
        if isinstance(qapp, QGuiApplication):
            qapp.focusWindowChanged.connect(self._give_keys_to_dialog)

    @property
    def notice_bar(self) -> NoticeBar:
        assert self._notice_bar is not None, "given by open_window, or by the app"
        return self._notice_bar

    def set_notice_bar(self, notice_bar: NoticeBar) -> None:
        """The strip over the screens. Given after the first paint when the
        window is the first paint's (the strip waits during a cramp anyway):
        its module and the notices' are not needed before."""
        self._notice_bar = notice_bar
        self._column.insertWidget(0, notice_bar)
        notice_bar.focus_left.connect(self._focus_screen)
        notice_bar.set_compact(self.compact)
        notice_bar.set_suspended(self.current_screen() in FOCUSED)

    def add_screen(self, name: Screen, widget: QWidget, title: str) -> None:
        """Each screen sits in a page that scrolls if the window is smaller
        than the screen needs, so nothing is ever drawn over something else."""
        page = scroll_page(widget)
        self._screens[name] = (widget, page, title)
        self._stack.addWidget(page)

    def remove_screen(self, name: Screen) -> None:
        widget, page, _title = self._screens.pop(name)
        self._stack.removeWidget(page)
        page.takeWidget()  # the screen is the caller's to keep or delete
        page.deleteLater()
        widget.setParent(None)

    def current_screen(self) -> Screen | None:
        current = self._stack.currentWidget()
        for name, (_widget, page, _title) in self._screens.items():
            if page is current:
                return name
        return None

    def show_screen(self, name: Screen) -> None:
        widget, page, title = self._screens[name]
        self._stack.setCurrentWidget(page)
        if self._notice_bar is not None:
            self._notice_bar.set_suspended(name in FOCUSED)
        self.setWindowTitle(_("{app} — {screen}").format(app=APP_NAME, screen=title)
                           if title else APP_NAME)
        widget.setFocus()
        self.screen_shown.emit(name)

    def _focus_screen(self) -> None:
        shown = self.current_screen()
        if shown is not None:
            self._screens[shown][0].setFocus()

    def add_shortcut(self, keys: str | QKeySequence.StandardKey,
                     handler: Callable[[], None], *, in_dialogs: bool = False) -> QShortcut:
        """``in_dialogs``: the key works in this window's dialogs too (Qt's
        own among them), which block the window while they are open: a cramp
        can come while Settings is open. Each works in the whole window, as
        a shortcut does unless told otherwise."""
        from PySide6.QtGui import QKeySequence

        sequences = [QKeySequence(keys)]
        twin = on_cyrillic_layout(keys) if isinstance(keys, str) else None
        if twin is not None:
            sequences.append(QKeySequence(twin))
        shortcut = _shortcut(sequences, handler, self)
        if in_dialogs:
            self._in_dialogs.append((sequences, handler))
        return shortcut

    def _give_keys_to_dialog(self) -> None:
        """A window took the focus: if it is a dialog of this window, it gets
        the keys that must work everywhere (see :meth:`add_shortcut`). On a
        change of window, not on each child's event: PySide6 would wrap, in
        Python, every object Qt makes inside the window (30 ms of the first
        paint, benchmarks/startup.py)."""
        dialog = QApplication.activeWindow()
        if dialog is None or dialog is self or not self._in_dialogs:
            return  # QDialog's Python type is not built for the first paint
        from PySide6.QtWidgets import QDialog

        if not isinstance(dialog, QDialog) or dialog.property(_GIVEN_KEYS):
            return
        owner = dialog.parentWidget()
        while owner is not None and owner is not self:
            owner = owner.parentWidget()
        if owner is None:
            return
        dialog.setProperty(_GIVEN_KEYS, True)
        for sequences, handler in self._in_dialogs:
            _shortcut(sequences, handler, dialog)

    # -- geometry ----------------------------------------------------------

    def restore_placement(self, saved: bytes | None) -> None:
        """Use the saved geometry only if it lands on a screen that exists now;
        a monitor that was unplugged must not hide the window at 3 a.m."""
        if saved and self.restoreGeometry(QByteArray(saved)) and self._visible_enough():
            return
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(DEFAULT_SIZE)
            return
        area = screen.availableGeometry()
        size = DEFAULT_SIZE.boundedTo(area.size() * 0.92)
        self.resize(size.expandedTo(MINIMUM_SIZE.boundedTo(area.size())))
        frame = self.frameGeometry()
        frame.moveCenter(area.center())
        self.move(frame.topLeft())
        # A small screen: every pixel, from the first show (by showMaximized
        # there: setting the state now would build the Qt namespace's enums
        # before the first paint, see coach.ui.basics).
        self._maximize = opening_size(area.size()) != DEFAULT_SIZE

    def _visible_enough(self) -> bool:
        frame = self.frameGeometry()
        for screen in QGuiApplication.screens():
            shared = screen.availableGeometry().intersected(frame)
            if shared.width() >= 200 and shared.height() >= 150:
                return True
        return False

    def placement(self) -> bytes:
        return bytes(self.saveGeometry().data())

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        if self._maximize:
            self._maximize = False
            self.showMaximized()
        self.show()
        self.raise_()
        if QGuiApplication.platformName() == "xcb" and not self.isActiveWindow():
            # An X11 window manager with focus-stealing prevention (GNOME's,
            # Xfce's) refuses an activation stamped before the person's last
            # click elsewhere, and Qt stamps it with the last X event it saw,
            # which for an app left behind or in the tray is old. A property
            # change on our own window comes back with the X server's time,
            # which Qt then uses: so change one, and activate once it is back.
            self.setWindowRole(WINDOW_ROLE)
            QTimer.singleShot(ACTIVATE_AFTER_MS, self.activateWindow)
        else:
            self.activateWindow()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        compact = is_compact(self.size())
        if compact != self.compact:
            self.compact = compact
            if self._notice_bar is not None:
                self._notice_bar.set_compact(compact)
            self.compact_changed.emit(compact)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.close_requested.emit()
        if self.hide_on_close:
            event.ignore()
            self.hide()
        else:
            event.accept()
