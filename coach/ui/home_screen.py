"""The home screen: one huge "Cramp now!" button, and the calmer things below."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from coach.core.i18n import _
from coach.ui import shortcuts
from coach.ui.basics import WrappingButton, button, label
from coach.ui.shortcuts import shown


class HomeScreen(QWidget):
    emergency = Signal()
    routines = Signal()
    diary = Signal()
    settings = Signal()
    tips = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 16, 24, 24)
        column.setSpacing(16)
        cramp = button(_("Cramp now!"), self.emergency.emit, role="cramp",
                       tip=_("Step-by-step help for a cramp that is happening now "
                             "({keys})").format(keys=shown(shortcuts.EMERGENCY)))
        cramp.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        cramp.setMinimumHeight(180)
        column.addWidget(cramp, 3)
        self.cramp_button = cramp
        row = QHBoxLayout()
        row.setSpacing(16)
        # Their words wrap rather than being cut off on a narrow window, or in
        # a language with longer words.
        self.routines_button = WrappingButton(
            _("Stretching routines"), self.routines.emit, role="big",
            tip=_("Guided stretches for bedtime or the desk ({keys})").format(
                keys=shown(shortcuts.ROUTINES)))
        self.diary_button = WrappingButton(
            _("Diary"), self.diary.emit, role="big",
            tip=_("Your cramp diary and report ({keys})").format(keys=shown(shortcuts.DIARY)))
        self.tips_button = WrappingButton(_("Tips"), self.tips.emit, role="big",
                                          tip=_("How to make night cramps less likely"))
        self.settings_button = WrappingButton(
            _("Settings"), self.settings.emit, role="big",
            tip=_("Reminders, sound, theme, safety profile ({keys})").format(
                keys=shown(shortcuts.SETTINGS)))
        for widget in (self.routines_button, self.diary_button, self.tips_button,
                       self.settings_button):
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            row.addWidget(widget)
        column.addLayout(row, 1)
        self.status = label("", "muted")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.status)

    def focusInEvent(self, event: QFocusEvent) -> None:
        """The app focuses the screen when it shows it: "Cramp now!" takes the
        focus, so Space or Enter starts at once."""
        self.cramp_button.setFocus(event.reason())
