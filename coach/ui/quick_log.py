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
from coach.core.i18n import _
from coach.core.labels import SYMPTOM_LABELS, labels, place_label, side_label
from coach.core.wording import minutes_seconds
from coach.ui.widgets import Keys, button, label

SIDES = ("left", "right", "both")
"""The sides a tap or a key chooses; each is also the name of its letter in
:class:`Keys` (L, R, B in English, the local letters in another language)."""


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
        column.addWidget(label(_("Log this cramp?"), "title"))
        self._summary = label("", "notice")
        column.addWidget(self._summary)

        column.addWidget(label(_("Which leg?"), "muted"))
        self._sides = self._choices(
            [(value, side_label(value),
              _("Press {key}").format(key=getattr(Keys, value)())) for value in SIDES],
            column, exclusive=True)
        column.addWidget(label(_("How bad was it? 0 is barely, 10 is the worst you know."),
                               "muted"))
        self._severity = self._choices([(str(n), str(n), "") for n in range(11)], column,
                                       exclusive=True)
        column.addWidget(label(_("Also swelling, numbness or weakness in that leg?"),
                               "muted"))
        self._symptoms = self._choices(
            [(value, text, "") for value, text in labels(SYMPTOM_LABELS).items()], column,
            exclusive=False)
        column.addStretch(1)
        row = QHBoxLayout()
        # Translators: a button: leave this cramp out of the diary.
        self._skip = button(_("Skip"), self.skipped.emit, role="big",
                            tip=_("Don't log it (Esc)"))
        row.addWidget(self._skip)
        row.addWidget(button(_("More details…"), lambda: self.more.emit(self.episode()),
                             tip=_("Triggers, medicines, which step helped, notes")))
        row.addStretch(1)
        self._save = button(_("Save"), lambda: self.saved.emit(self.episode()),
                            role="primary", tip=_("Save to your diary (Enter)"))
        row.addWidget(self._save, 1)
        column.addLayout(row)

    def _choices(self, options: list[tuple[str, str, str]], column: QVBoxLayout, *,
                 exclusive: bool) -> QButtonGroup:
        """``options`` are (value, label, tip) triples."""
        group = QButtonGroup(self)
        group.setExclusive(False)
        grid = QGridLayout()
        for index, (value, text, tip) in enumerate(options):
            choice = button(text, role="big", tip=tip)
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
        # Translators: after "steps used:" when no step of the guide was used.
        steps = ", ".join(step_titles.get(s, s) for s in draft.steps_used) or _("none")
        place = place_label(draft.place)
        lasted = minutes_seconds(round(draft.duration_s))
        # Translators: {place} is where the cramp was ("Calf"), {time} how long it
        # lasted as minutes:seconds ("1:35"), {steps} the steps of the guide used.
        self._summary.setText(_("{place} · lasted about {time} · steps used: {steps}").format(
            place=place, time=lasted, steps=steps))
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
        text = event.text()
        side = next((value for value in SIDES if Keys.pressed(text, value)), None)
        if side is not None:
            self._press(self._sides, side)
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
