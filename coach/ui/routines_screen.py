"""The list of routines: pick one, see how long it takes, start it, or import
one a therapist prescribed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from coach.app import content
from coach.app.routines import minutes
from coach.core.i18n import N_, _, ngettext
from coach.core.model import Library
from coach.core.timetable import Plan
from coach.core.wording import minutes_seconds
from coach.ui.basics import button, label, scroll_page
from coach.ui.widgets import ShrinkingScreen

EVERY_EXERCISE_LEFT_OUT = N_("Every exercise in this routine is left out for your safety "
                             "profile.")
"""Said here and by the routine flow when a routine has nothing left to do."""


class RoutinesScreen(ShrinkingScreen):
    """``start`` carries the routine id; ``imported`` asks the app to reload."""

    start = Signal(str)
    back = Signal()
    imported = Signal()

    def __init__(self, plan_for: Callable[[str], Plan], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plan_for = plan_for
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 12, 16, 16)
        column.addWidget(label(_("Stretching routines"), "title"))
        start = _("Start")
        column.addWidget(label(_("Choose a routine and press {button}. Follow the sounds or "
                                 "the voice; you can keep your eyes off the screen.").format(
                                     button=start), "muted"))
        self._list = QListWidget()
        self._list.setAccessibleName(_("Routines"))
        self._list.setWordWrap(True)
        self._list.setSpacing(6)
        self._list.itemActivated.connect(lambda _item: self._start_selected())
        self._list.currentRowChanged.connect(self._selection_changed)
        column.addWidget(self._list, 1)
        self._details = label("", "notice")
        # A long description scrolls beside the list rather than pushing
        # Start off a small window.
        column.addWidget(scroll_page(self._details), 1)
        row = QHBoxLayout()
        # Translators: a button that goes back to the home screen.
        row.addWidget(button(_("Back"), self.back.emit, tip=_("Home (Esc)")))
        row.addWidget(button(_("Import routine…"), self._import,
                             tip=_("Add a routine file, for example one from your "
                                   "physiotherapist")))
        row.addStretch(1)
        self._start = button(start, self._start_selected, role="primary",
                             tip=_("Start the selected routine (Enter)"))
        row.addWidget(self._start)
        column.addLayout(row)
        self._ids: list[str] = []

    def show_library(self, library: Library) -> None:
        current = self.selected()
        self._list.clear()
        self._ids = []
        for routine in library.routines:
            plan = self._plan_for(routine.id)
            title, total = str(routine.title), minutes_seconds(round(plan.total))
            left_out = len(plan.excluded)
            if left_out:
                # Translators: a routine in the list: its name, how long it takes as
                # minutes:seconds, and how many exercises the safety profile leaves out.
                text = ngettext("{routine}  ·  {time} min  ·  {n} left out for your safety "
                                "profile",
                                "{routine}  ·  {time} min  ·  {n} left out for your safety "
                                "profile", left_out).format(routine=title, time=total, n=left_out)
            else:
                # Translators: a routine in the list: its name and how long it takes as
                # minutes:seconds ("Evening calf routine  ·  4:30 min").
                text = _("{routine}  ·  {time} min").format(routine=title, time=total)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
            self._list.addItem(item)
            self._ids.append(routine.id)
        if self._ids:
            self._list.setCurrentRow(self._ids.index(current) if current in self._ids else 0)
        self._start.setEnabled(bool(self._ids))

    def selected(self) -> str | None:
        row = self._list.currentRow()
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def focus_list(self) -> None:
        self._list.setFocus(Qt.FocusReason.OtherFocusReason)

    def focusInEvent(self, event: QFocusEvent) -> None:
        """The app focuses the screen when it shows it: the list takes it."""
        self._list.setFocus(event.reason())

    def _selection_changed(self, row: int) -> None:
        if not 0 <= row < len(self._ids):
            self._details.setText("")
            return
        plan = self._plan_for(self._ids[row])
        routine = plan.routine
        # Its length from the plan as the person will do it (their get-ready,
        # what their safety profile leaves out), never from the description.
        length = minutes(plan)
        parts = [ngettext("It takes about {n} minute.", "It takes about {n} minutes.",
                          length).format(n=length)]
        if routine.description:
            parts.append(str(routine.description))
        names = ", ".join(str(e.title) for e in plan.exercises)
        # Translators: {names} are the routine's exercises, separated by commas.
        parts.append(_("Exercises: {names}.").format(names=names))
        if plan.supported:
            # Translators: after the list of a routine's exercises; the safer version
            # is sitting, or in pregnancy not lying flat on the back.
            parts.append(ngettext(
                "For your safety profile, {n} of them is done in its safer version, "
                "which the routine shows and says when it comes.",
                "For your safety profile, {n} of them are done in their safer version, "
                "which the routine shows and says when they come.",
                len(plan.supported)).format(n=len(plan.supported)))
        if routine.source:
            # The same names as an exercise's source, translated the same way.
            sources = "; ".join(_(name.strip()) for name in routine.source.split(";"))
            # Translators: where the routine comes from (one or more names).
            parts.append(_("Source: {names}.").format(names=sources))
        self._details.setText(" ".join(parts))

    def _start_selected(self) -> None:
        routine_id = self.selected()
        if routine_id is not None and self._plan_for(routine_id).exercises:
            self.start.emit(routine_id)
        elif routine_id is not None:
            QMessageBox.information(self, _("Cramp Coach"), _(EVERY_EXERCISE_LEFT_OUT))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.back.emit()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._start_selected()
        else:
            super().keyPressEvent(event)

    def _import(self) -> None:
        # Translators: a file type to open; {patterns} is "*.yaml *.yml", kept as it is.
        kinds = _("Routine files ({patterns})").format(patterns="*.yaml *.yml")
        # From the home folder, where a downloaded or e-mailed file is found,
        # not from wherever the app happened to be started.
        chosen, _filter = QFileDialog.getOpenFileName(self, _("Import a routine"),
                                                      str(Path.home()), kinds)
        if chosen:
            self.import_path(chosen)

    def import_path(self, chosen: str) -> None:
        from pathlib import Path

        source = Path(chosen)
        try:
            try:
                destination = content.import_file(source)
            except FileExistsError as exists:
                answer = QMessageBox.question(
                    self, _("Replace routine file?"),
                    # Translators: {name} is a file name, {path} the file already there.
                    _("A routine file named {name} is already in your routines folder "
                      "({path}). Replace it?").format(name=source.name, path=exists))
                if answer != QMessageBox.StandardButton.Yes:
                    return
                destination = content.import_file(source, overwrite=True)
        except content.ImportProblem as problem:
            box = QMessageBox(QMessageBox.Icon.Warning, _("Routine not imported"),
                              # Translators: {name} is a file name; the problems follow.
                              _("{name} was not imported because it has problems:").format(
                                  name=source.name),
                              parent=self)
            box.setDetailedText("\n".join(problem.messages))
            box.setInformativeText(problem.messages[0])
            box.exec()
            return
        self.imported.emit()
        QMessageBox.information(self, _("Routine imported"),
                                # Translators: {name} is a file name, {path} where it went.
                                _("{name} was added to your routines ({path}).").format(
                                    name=source.name, path=destination))
