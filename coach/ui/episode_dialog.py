"""Every field of a diary entry: for logging a cramp later by hand, for "More
details…" after the quick log, and for editing an entry."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone, tzinfo

from PySide6.QtCore import QDateTime, QSize
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from coach.core.diary import Episode
from coach.core.i18n import _, pgettext
from coach.core.labels import (
    MEDICINE_LABELS,
    PLACE_LABELS,
    SIDE_LABELS,
    SYMPTOM_LABELS,
    TRIGGER_LABELS,
    labels,
)
from coach.ui.basics import scroll_page
from coach.ui.date_box import DateTimeBox, date_format
from coach.ui.widgets import WrappingCheckBox, choice_box, fit_to_screen, guard_wheel, save_cancel


def _checks(labels: Mapping[str, str], chosen: frozenset[str]) -> tuple[QWidget,
                                                                          dict[str, QCheckBox]]:
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    checks: dict[str, QCheckBox] = {}
    for value, text in labels.items():
        check = WrappingCheckBox(text)
        check.setAccessibleName(text)
        check.setChecked(value in chosen)
        column.addWidget(check)
        checks[value] = check
    return box, checks


def _combo(labels: Mapping[str, str], current: str, name: str) -> QComboBox:
    combo = choice_box()
    combo.setAccessibleName(name)
    for value, text in labels.items():
        combo.addItem(text, value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class EpisodeDialog(QDialog):
    """With ``confirm_discard``, Esc or Cancel after a change asks first: a
    reflex Esc had thrown away what was typed (a diary audit). Without it the
    caller keeps what the dialog held (the quick log's "More details…")."""

    def __init__(self, episode: Episode, zone: tzinfo, step_titles: Mapping[str, str],
                 title: str, parent: QWidget | None = None, *,
                 confirm_discard: bool = False) -> None:
        super().__init__(parent)
        self._confirm_discard = confirm_discard
        # Translators: a dialog's title; {title} is what it is for ("Edit entry").
        self.setWindowTitle(_("Cramp Coach — {title}").format(title=title))
        self._episode = episode
        self._zone = zone
        form = QFormLayout()
        # Labels above their fields where they do not fit beside them.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        local = episode.started.astimezone(zone)
        self._when = DateTimeBox(QDateTime(local.year, local.month, local.day, local.hour,
                                             local.minute, 0))
        self._when.setDisplayFormat(date_format(with_time=True))
        self._when.setCalendarPopup(True)
        started = _("When it started")
        self._when.setAccessibleName(started)
        form.addRow(started, self._when)
        duration = QHBoxLayout()
        self._minutes = QSpinBox()
        self._minutes.setRange(0, 600)
        # Translators: after the number of minutes in a box ("5 min"); note the space.
        self._minutes.setSuffix(_(" min"))
        self._minutes.setAccessibleName(_("Minutes it lasted"))
        self._seconds = QSpinBox()
        self._seconds.setRange(0, 59)
        # Translators: after the number of seconds in a box ("30 s"); note the space.
        self._seconds.setSuffix(_(" s"))
        self._seconds.setAccessibleName(_("Seconds it lasted"))
        whole = round(episode.duration_s)
        self._minutes.setValue(whole // 60)
        self._seconds.setValue(whole % 60)
        duration.addWidget(self._minutes)
        duration.addWidget(self._seconds)
        form.addRow(_("How long"), duration)
        where = _("Where")
        self._place = _combo(labels(PLACE_LABELS), episode.place, where)
        form.addRow(where, self._place)
        which_leg = _("Which leg")
        self._side = _combo(labels(SIDE_LABELS), episode.side, which_leg)
        form.addRow(which_leg, self._side)
        self._severity = QSpinBox()
        self._severity.setRange(-1, 10)
        # Translators: shown in the 0 to 10 box when no number was chosen.
        self._severity.setSpecialValueText(_("Not rated"))
        self._severity.setValue(-1 if episode.severity is None else episode.severity)
        self._severity.setAccessibleName(_("How bad, 0 to 10"))
        form.addRow(_("How bad (0-10)"), self._severity)
        helped = {"": pgettext("what helped most", "Not noted")} | {
            s: step_titles.get(s, s) for s in episode.steps_used}
        helped_most = _("What helped most")
        self._helped = _combo(helped, episode.helped or "", helped_most)
        form.addRow(helped_most, self._helped)
        triggers, self._triggers = _checks(labels(TRIGGER_LABELS), episode.triggers)
        form.addRow(_("Possible triggers"), triggers)
        medicines, self._medicines = _checks(labels(MEDICINE_LABELS), episode.medicines)
        form.addRow(_("Medicines taken"), medicines)
        self._medicine_note = QLineEdit(episode.medicine_note)
        self._medicine_note.setAccessibleName(_("Which other medicine"))
        self._medicine_note.setPlaceholderText(_("Name of the other medicine (optional)"))
        form.addRow("", self._medicine_note)
        symptoms, self._symptoms = _checks(labels(SYMPTOM_LABELS), episode.symptoms)
        form.addRow(_("Also in that leg"), symptoms)
        self._notes = QPlainTextEdit(episode.notes)
        notes = _("Notes")
        self._notes.setAccessibleName(notes)
        self._notes.setTabChangesFocus(True)
        form.addRow(notes, self._notes)
        buttons = save_cancel(self)
        fields = QWidget()
        fields.setLayout(form)
        column = QVBoxLayout(self)
        column.addWidget(scroll_page(fields), 1)
        column.addWidget(buttons)  # outside the scrolling: always in sight
        guard_wheel(fields)  # scrolling past a box leaves its value alone
        fit_to_screen(self, QSize(600, 820))

    def reject(self) -> None:
        if self._confirm_discard and self.episode() != self._episode:
            answer = QMessageBox.question(
                self, self.windowTitle(), _("Discard the changes to this entry?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return  # back to the entry, as it was left
        super().reject()

    def episode(self) -> Episode:
        stamp = self._when.dateTime()
        naive = datetime(stamp.date().year(), stamp.date().month(), stamp.date().day(),
                         stamp.time().hour(), stamp.time().minute())
        # Fields left as they were keep the entry's own values: the boxes show
        # whole minutes and seconds, and a wall time cannot tell which 01:30
        # it was in the hour the clocks go back (a diary audit found an entry
        # moved an hour earlier by a change to its severity alone).
        before = self._episode.started.astimezone(self._zone)
        if naive == before.replace(second=0, microsecond=0, tzinfo=None):
            started = self._episode.started
        else:
            started = naive.replace(tzinfo=self._zone).astimezone(timezone.utc)
        lasted = self._minutes.value() * 60 + self._seconds.value()
        severity = self._severity.value()
        return self._episode._replace(
            started=started,
            duration_s=(self._episode.duration_s if lasted == round(self._episode.duration_s)
                        else float(lasted)),
            place=str(self._place.currentData()), side=str(self._side.currentData()),
            severity=None if severity < 0 else severity,
            helped=str(self._helped.currentData()) or None,
            triggers=frozenset(k for k, c in self._triggers.items() if c.isChecked()),
            medicines=frozenset(k for k, c in self._medicines.items() if c.isChecked()),
            medicine_note=self._medicine_note.text().strip(),
            symptoms=frozenset(k for k, c in self._symptoms.items() if c.isChecked()),
            notes=self._notes.toPlainText().strip(),
        )
