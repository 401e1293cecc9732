"""The quick log after a cramp: which leg, how bad, Save. Three taps, or one
to skip.

Everything the emergency session knew is already filled in; anything more
(triggers, medicines, notes) is behind "More details…", so the common case
stays short for someone who wants to get back to sleep.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coach.core.diary import Episode
from coach.core.labels import PLACE_LABELS, SIDE_LABELS, SYMPTOM_LABELS
from coach.core.wording import minutes_seconds
from coach.ui.widgets import button, label

SIDES = (("left", "L"), ("right", "R"), ("both", "B"))



class QuickLogScreen(QWidget):
    """``saved`` and ``more`` carry the :class:`Episode` as filled in so far."""

    saved = Signal(object)
    skipped = Signal()
    more = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._draft: Episode | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 16, 24, 16)
        column.setSpacing(12)
        column.addWidget(label("Log this cramp?", "title"))
        self._summary = label("", "notice")
        column.addWidget(self._summary)

        column.addWidget(label("Which leg?", "muted"))
        self._sides = self._choices([(value, SIDE_LABELS[value]) for value, _key in SIDES],
                                    column, exclusive=True)
        column.addWidget(label("How bad was it? 0 is barely, 10 is the worst you know.",
                               "muted"))
        self._severity = self._choices([(str(n), str(n)) for n in range(11)], column,
                                       exclusive=True)
        column.addWidget(label("Also swelling, numbness or weakness in that leg?", "muted"))
        self._symptoms = self._choices(list(SYMPTOM_LABELS.items()), column, exclusive=False)
        column.addStretch(1)
        row = QHBoxLayout()
        self._skip = button("Skip", self.skipped.emit, role="big", tip="Don't log it (Esc)")
        row.addWidget(self._skip)
        row.addWidget(button("More details…", lambda: self.more.emit(self.episode()),
                             tip="Triggers, medicines, which step helped, notes"))
        row.addStretch(1)
        self._save = button("Save", lambda: self.saved.emit(self.episode()), role="primary",
                            tip="Save to your diary (Enter)")
        row.addWidget(self._save, 1)
        column.addLayout(row)

    def _choices(self, options: list[tuple[str, str]], column: QVBoxLayout, *,
                 exclusive: bool) -> QButtonGroup:
        group = QButtonGroup(self)
        group.setExclusive(False)
        grid = QGridLayout()
        for index, (value, text) in enumerate(options):
            choice = button(text, role="big")
            choice.setCheckable(True)
            choice.setProperty("value", value)
            choice.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            if exclusive:
                choice.clicked.connect(lambda checked, c=choice: self._only(group, c, checked))
            group.addButton(choice)
            grid.addWidget(choice, 0, index)
        column.addLayout(grid)
        return group

    @staticmethod
    def _only(group: QButtonGroup, chosen: QPushButton, checked: bool) -> None:
        """One at most, and a second tap clears it (so a slip can be undone)."""
        if checked:
            for other in group.buttons():
                if other is not chosen:
                    other.setChecked(False)

    def set_draft(self, draft: Episode, step_titles: Mapping[str, str]) -> None:
        self._draft = draft
        steps = ", ".join(step_titles.get(s, s) for s in draft.steps_used) or "none"
        place = PLACE_LABELS.get(draft.place, draft.place)
        lasted = minutes_seconds(round(draft.duration_s))
        self._summary.setText(f"{place} · lasted about {lasted} · steps used: {steps}")
        for group in (self._sides, self._severity, self._symptoms):
            for choice in group.buttons():
                choice.setChecked(choice.property("value") in draft.symptoms)
        self._save.setFocus(Qt.FocusReason.OtherFocusReason)

    def episode(self) -> Episode:
        assert self._draft is not None
        side = next((b.property("value") for b in self._sides.buttons() if b.isChecked()),
                    "unknown")
        severity = next((int(b.property("value")) for b in self._severity.buttons()
                         if b.isChecked()), None)
        symptoms = frozenset(b.property("value") for b in self._symptoms.buttons()
                             if b.isChecked())
        return self._draft._replace(side=side, severity=severity, symptoms=symptoms)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text().lower()
        keys = {key.lower(): value for value, key in SIDES}
        if text in keys:
            self._press(self._sides, keys[text])
        elif text.isdigit():
            self._press(self._severity, text)
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._save.click()
        elif event.key() == Qt.Key.Key_Escape:
            self._skip.click()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    @staticmethod
    def _press(group: QButtonGroup, value: str) -> None:
        for choice in group.buttons():
            if choice.property("value") == value:
                choice.click()
