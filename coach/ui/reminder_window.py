"""A small always-on-top reminder, for desktops without a system tray."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from coach import APP_NAME
from coach.core.i18n import _, ngettext
from coach.core.schedule import QUICK_SNOOZE_MINUTES
from coach.ui.basics import button, label


class ReminderWindow(QWidget):
    def __init__(self, start: Callable[[], None], snooze: Callable[[int], None],
                 skip: Callable[[], None], pause: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle(_("{app} — Bedtime reminder").format(app=APP_NAME))
        column = QVBoxLayout(self)
        column.setContentsMargins(20, 16, 20, 16)
        column.addWidget(label(_("Time for your bedtime stretch"), "title"))
        self._text = label("", "notice")
        column.addWidget(self._text)
        row = QHBoxLayout()
        self._start = button(_("Start bedtime routine"), lambda: self._then(start), role="primary")
        self._snooze = button(ngettext("Snooze {n} minute", "Snooze {n} minutes",
                                       QUICK_SNOOZE_MINUTES).format(n=QUICK_SNOOZE_MINUTES),
                              lambda: self._then(lambda: snooze(QUICK_SNOOZE_MINUTES)))
        row.addWidget(self._start, 2)
        row.addWidget(self._snooze)
        row.addWidget(button(_("Skip tonight"), lambda: self._then(skip)))
        column.addLayout(row)
        column.addWidget(button(_("Pause reminders until tomorrow"), lambda: self._then(pause)))

    def present(self, text: str, can_snooze: bool) -> None:
        self._text.setText(text)
        self._snooze.setEnabled(can_snooze)
        self.adjustSize()
        self.show()
        self.raise_()
        self.activateWindow()
        self._start.setFocus(Qt.FocusReason.OtherFocusReason)

    def _then(self, action: Callable[[], None]) -> None:
        self.hide()
        action()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
        else:
            super().keyPressEvent(event)
