"""The system tray icon and its menu: the app's face while it waits.

Where the desktop has no tray (some Wayland sessions, CI), :func:`make_tray`
returns None and reminders are shown in :class:`ReminderWindow` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QGuiApplication, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from coach import APP_NAME
from coach.app.reminders import NONE_SET
from coach.core.i18n import _, ngettext
from coach.core.schedule import SNOOZE_MINUTES


@dataclass(frozen=True)
class TrayActions:
    emergency: Callable[[], None]
    bedtime: Callable[[], None]
    snooze: Callable[[int], None]
    skip: Callable[[], None]
    pause: Callable[[], None]
    resume: Callable[[], None]
    settings: Callable[[], None]
    show: Callable[[], None]
    quit: Callable[[], None]


class Tray(QObject):
    """``message_clicked`` fires when the user clicks a reminder notification;
    ``opening`` just before the menu shows, so that what it offers (Snooze,
    Pause or Resume) is brought up to date: a pause ends, and the last
    reminder's night passes, with no event of their own."""

    message_clicked = Signal()
    opening = Signal()

    def __init__(self, icon: QIcon, actions: TrayActions, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icon = QSystemTrayIcon(icon, self)
        self._icon.setToolTip(APP_NAME)
        self._actions = actions
        self._menu = QMenu()
        self._menu.aboutToShow.connect(self.opening.emit)
        self.relabel()
        self._icon.setContextMenu(self._menu)
        self._icon.messageClicked.connect(self.message_clicked.emit)
        self._icon.activated.connect(self._activated)

    def relabel(self) -> None:
        """(Re)fill the menu in the app's current language; the next
        reminder's line is set again by :meth:`set_next`."""
        actions = self._actions
        self._menu.clear()
        self._next = QAction(_(NONE_SET), self._menu)
        self._next.setEnabled(False)

        def add(text: str, handler: Callable[[], None]) -> QAction:
            action = self._menu.addAction(text)
            action.triggered.connect(lambda _checked=False: handler())
            return action

        add(_("Cramp now!"), actions.emergency)
        add(_("Start bedtime routine"), actions.bedtime)
        self._snooze_menu = self._menu.addMenu(_("Snooze"))
        for minutes in SNOOZE_MINUTES:
            item = self._snooze_menu.addAction(
                ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes))
            item.triggered.connect(lambda _checked=False, m=minutes: actions.snooze(m))
        self._skip = add(_("Skip tonight"), actions.skip)
        self._pause = add(_("Pause reminders until tomorrow"), actions.pause)
        self._resume = add(_("Resume reminders"), actions.resume)
        self._resume.setVisible(False)
        for needs_a_reminder in (self._snooze_menu, self._skip, self._pause):
            needs_a_reminder.setEnabled(False)  # as the line below says, until set_next
        self._menu.addSeparator()
        self._menu.addAction(self._next)
        self._menu.addSeparator()
        add(_("Open Cramp Coach"), actions.show)
        add(_("Settings…"), actions.settings)
        add(_("Quit"), actions.quit)

    def show(self) -> None:
        self._icon.show()

    def hide(self) -> None:
        self._icon.hide()

    def set_paused(self, paused: bool) -> None:
        """While paused, the menu offers to resume instead (pausing undone)."""
        self._pause.setVisible(not paused)
        self._resume.setVisible(paused)

    def set_next(self, text: str, can_snooze: bool, reminder_set: bool) -> None:
        """``text`` is the next reminder in words. Skip and Pause are greyed
        out while no reminder is set: they would say "No more reminders
        tonight" about nothing, and the line below them says why."""
        self._next.setText(text)
        self._icon.setToolTip(_("{app}: {next_reminder}").format(app=APP_NAME,
                                                                   next_reminder=text))
        self._snooze_menu.setEnabled(can_snooze)
        self._skip.setEnabled(reminder_set)
        self._pause.setEnabled(reminder_set)

    def notify(self, title: str, text: str) -> None:
        self._icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 20_000)

    def menu(self) -> QMenu:
        """What the desktop shows on a right click."""
        return self._menu

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self._actions.show()


def tray_available() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()


TRAY_MAY_COME = frozenset({"xcb"})
"""The Qt platforms where a tray can come after the app: on X11, Qt puts an
icon made before it into an XEmbed tray when one starts. Not over D-Bus
(StatusNotifierItem, the only tray on Wayland): Qt asks once per process
whether a host is there, and keeps the answer."""


def tray_may_come() -> bool:
    return tray_available() or QGuiApplication.platformName() in TRAY_MAY_COME
