"""The quick log after a cramp: which leg, how bad, Save. Three taps, or one
to skip.

Everything the emergency session knew is already filled in; anything more
(triggers, medicines, notes) is behind "More details…", so the common case
stays short for someone who wants to get back to sleep.

Which leg and how bad are radio buttons (one answer each; a second tap on
the chosen one clears it), the symptoms check boxes. Keys, printed on the
screen: the leg's letter (L, R, B), a digit for how bad, "1" then "0" within
:data:`TYPE_AHEAD_MS` for 10, Enter saves, Esc skips. The focus starts on
the first answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from coach.core.diary import SEVERITY_MAX, Episode
from coach.core.i18n import _
from coach.core.labels import SYMPTOM_LABELS, labels, place_label, side_label
from coach.core.wording import minutes_seconds
from coach.ui.basics import button, label
from coach.ui.timers import Timers
from coach.ui.widgets import Keys, announce, key_name, keyed

SIDES = ("left", "right", "both")
"""The sides a tap or a key chooses; each is also the name of its letter in
:class:`Keys` (L, R, B in English, the local letters in another language)."""
TYPE_AHEAD_MS = 1500
"""After "1", how long a "0" still makes it 10 (and not 1, then 0)."""


def _question(column: QVBoxLayout, question: str) -> QVBoxLayout:
    """A block of ``column``: the question, then (added by the caller) its answers."""
    block = QVBoxLayout()
    block.setSpacing(4)
    block.addWidget(label(question, "muted"))
    column.addLayout(block)
    return block


class _Choice(QRadioButton):
    """One answer of several: a second tap on the chosen one clears it, so a
    slip can be undone and the question left unanswered."""

    def nextCheckState(self) -> None:
        group = self.group()
        if self.isChecked() and group is not None:
            group.setExclusive(False)
            self.setChecked(False)
            group.setExclusive(True)
        else:
            super().nextCheckState()


def _set(choices: list[QAbstractButton], chosen: set[str]) -> None:
    """Check exactly the ``chosen`` values (an exclusive group, left to
    itself, keeps one checked)."""
    group = choices[0].group()
    if group is not None:
        group.setExclusive(False)
    for choice in choices:
        choice.setChecked(choice.property("value") in chosen)
    if group is not None:
        group.setExclusive(True)


ENTER_AFTER_MS: Final = 700
"""Enter saves only this long after the quick log appears, and never held
down: Enter also ends the guide before it (Done), and pressed twice or held
there it saved an entry the person never saw (a diary audit)."""


class QuickLogScreen(QWidget):
    """``saved`` and ``more`` carry the :class:`Episode` as filled in so far."""

    saved = Signal(object)
    skipped = Signal()
    more = Signal(object)

    def __init__(self, timers: Timers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._draft: Episode | None = None
        self._typed = ""
        """A digit that a second one may still join ("1" then "0" is 10)."""
        self._type_ahead = timers.make(self, self._forget_typed)
        self._settling = timers.make(self, lambda: None)
        """Running while Enter is not yet taken (see :data:`ENTER_AFTER_MS`)."""
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 8, 24, 8)
        column.setSpacing(10)
        column.addWidget(label(_("Log this cramp?"), "title"))
        self._problem = label("", "flag")
        self._problem.hide()
        column.addWidget(self._problem)
        self._summary = label("", "notice")
        column.addWidget(self._summary)

        # Each question sits close to its answers, the questions apart: easier
        # to read, and short enough for a 1366×768 screen at 150%.
        which_leg = _("Which leg?")
        self._sides = self._choices(
            [(value, keyed(getattr(Keys, value)(), side_label(value)),
              _("Press {key}").format(key=getattr(Keys, value)())) for value in SIDES],
            _question(column, which_leg), which_leg, exclusive=True)
        how_bad = _("How bad was it? 0 is barely, 10 is the worst you know.")
        severity = _question(column, how_bad)
        self._severity = self._choices(
            [(str(n), str(n), "") for n in range(SEVERITY_MAX + 1)], severity, how_bad,
            exclusive=True, role="number")
        severity.addWidget(label(_("Press a number from 0 to 9, or 1 then 0 for 10."), "muted"))
        symptoms = _("Also swelling, numbness or weakness in that leg?")
        self._symptoms = self._choices(
            [(value, text, "") for value, text in labels(SYMPTOM_LABELS).items()],
            _question(column, symptoms), symptoms, exclusive=False)
        column.addStretch(1)
        row = QHBoxLayout()
        # Translators: a button: leave this cramp out of the diary.
        self._skip = button(keyed(key_name(Qt.Key.Key_Escape), _("Skip")),
                            self.skipped.emit, role="big", tip=_("Don't log it (Esc)"))
        row.addWidget(self._skip)
        row.addWidget(button(_("More details…"), lambda: self.more.emit(self.episode()),
                             tip=_("Triggers, medicines, which step helped, notes")))
        row.addStretch(1)
        self._save = button(keyed(key_name(Qt.Key.Key_Enter), _("Save")),
                            lambda: self.saved.emit(self.episode()),
                            role="primary", tip=_("Save to your diary (Enter)"))
        row.addWidget(self._save, 1)
        column.addLayout(row)

    def _choices(self, options: list[tuple[str, str, str]], column: QVBoxLayout,
                 question: str, *, exclusive: bool,
                 role: str = "choice") -> list[QAbstractButton]:
        """``options`` are (value, label, tip) triples: radio buttons in an
        exclusive group when one answer is allowed (Tab enters the group,
        the arrows choose), else check boxes, each its own Tab stop; in a row
        named as ``question``, which a screen reader says on entering it.
        The "number" look is a row of filled pills without the round mark,
        narrow enough for 0 to 10 side by side on a small screen."""
        group = QButtonGroup(self) if exclusive else None
        choices: list[QAbstractButton] = []
        row = QWidget()
        row.setAccessibleName(question)
        grid = QGridLayout(row)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, (value, text, tip) in enumerate(options):
            choice: QAbstractButton = _Choice(text) if exclusive else QCheckBox(text)
            choice.setProperty("role", role)
            choice.setAccessibleName(text)
            if tip:
                choice.setToolTip(tip)
                choice.setAccessibleDescription(tip)
            choice.setProperty("value", value)
            if group is not None:
                group.addButton(choice)
            choices.append(choice)
            grid.addWidget(choice, 0, index)
        column.addWidget(row)
        return choices

    def set_draft(self, draft: Episode, step_titles: Mapping[str, str]) -> None:
        self._draft = draft
        # Each step is a sentence of its own ("Stand up."): listed without its
        # full stop, one from the next by a semicolon, not "Stand up., Walk".
        steps = "; ".join(step_titles.get(s, s).rstrip(".") for s in draft.steps_used)
        # Translators: after "steps used:" when no step of the guide was used.
        steps = steps or _("none")
        place = place_label(draft.place)
        lasted = minutes_seconds(round(draft.duration_s))
        # Translators: {place} is where the cramp was ("Calf"), {time} how long it
        # lasted as minutes:seconds ("1:35"), {steps} the steps of the guide used.
        self._summary.setText(_("{place} · lasted about {time} · steps used: {steps}").format(
            place=place, time=lasted, steps=steps))
        chosen = {draft.side, str(draft.severity), *draft.symptoms}
        for choices in (self._sides, self._severity, self._symptoms):
            _set(choices, chosen)
        self._forget_typed()
        self._problem.hide()
        self._settling.start(ENTER_AFTER_MS)

    def show_problem(self, problem: str) -> None:
        """Saving failed: said here, where the person is looking (the notice
        strip waits while this screen is up), with what they can do. What they
        chose stays, for Save again once the problem is mended."""
        # Translators: {problem} says what failed and why, as whole sentences.
        self._problem.setText(_("Not saved. {problem} What you chose is still here: press "
                                "Enter to try again, or Esc to leave it out.").format(
            problem=problem))
        self._problem.show()
        announce(self, self._problem.text(), assertive=True)

    def focusInEvent(self, event: QFocusEvent) -> None:
        """The app focuses the screen when it opens it: the first answer (the
        leg already chosen, if one is) takes the focus, so the arrows choose
        at once. The screen itself never keeps it."""
        self._first_choice().setFocus(event.reason())

    def _first_choice(self) -> QAbstractButton:
        return next((b for b in self._sides if b.isChecked()), self._sides[0])

    def episode(self) -> Episode:
        assert self._draft is not None
        side = next((b.property("value") for b in self._sides if b.isChecked()),
                    "unknown")
        severity = next((int(b.property("value")) for b in self._severity
                         if b.isChecked()), None)
        symptoms = frozenset(b.property("value") for b in self._symptoms
                             if b.isChecked())
        return self._draft._replace(side=side, severity=severity, symptoms=symptoms)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        side = next((value for value in SIDES if Keys.pressed(text, value)), None)
        if side is not None:
            self._press(self._sides, side)
        elif len(text) == 1 and text in "0123456789":
            self._digit(text)
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not (event.isAutoRepeat() or self._settling.is_active()):
                self._save.click()
        elif event.key() == Qt.Key.Key_Escape:
            self._skip.click()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _digit(self, digit: str) -> None:
        """A digit chooses at once; "1" then "0" soon after makes it 10."""
        if self._typed and int(self._typed + digit) <= SEVERITY_MAX:
            self._press(self._severity, str(int(self._typed + digit)))
            self._forget_typed()
            return
        self._press(self._severity, digit)
        self._forget_typed()
        if 0 < int(digit) * 10 <= SEVERITY_MAX:  # a second digit may follow
            self._typed = digit
            self._type_ahead.start(TYPE_AHEAD_MS)

    def _forget_typed(self) -> None:
        self._typed = ""
        self._type_ahead.stop()

    @staticmethod
    def _press(choices: list[QAbstractButton], value: str) -> None:
        """A key chooses its answer (never clears it, unlike a second tap)."""
        for choice in choices:
            if choice.property("value") == value:
                choice.setChecked(True)
                choice.setFocus(Qt.FocusReason.ShortcutFocusReason)
