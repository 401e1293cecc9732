"""The home screen: one huge "Cramp now!" button, and the calmer things below."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from coach.ui.widgets import button, label


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
        cramp = button("Cramp now!", self.emergency.emit, role="cramp",
                       tip="Step-by-step help for a cramp that is happening now (F1)")
        cramp.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        cramp.setMinimumHeight(180)
        column.addWidget(cramp, 3)
        self.cramp_button = cramp
        row = QHBoxLayout()
        row.setSpacing(16)
        self.routines_button = button("Stretching routines", self.routines.emit, role="big",
                                      tip="Guided stretches for bedtime or the desk (Ctrl+R)")
        self.diary_button = button("Diary", self.diary.emit, role="big",
                                   tip="Your cramp diary and report (Ctrl+D)")
        self.tips_button = button("Tips", self.tips.emit, role="big",
                                  tip="How to make night cramps less likely")
        self.settings_button = button("Settings", self.settings.emit, role="big",
                                      tip="Reminders, sound, theme, safety profile (Ctrl+,)")
        for widget in (self.routines_button, self.diary_button, self.tips_button,
                       self.settings_button):
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            row.addWidget(widget)
        column.addLayout(row, 1)
        self.status = label("", "muted")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.status)
