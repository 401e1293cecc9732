"""Settings: look, cues, the bedtime reminder, start at login, safety profile.

The dialog edits a copy and hands back plain values; the app validates and
saves them through the store, so the same rules apply as for the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import time

from PySide6.QtCore import QDate, QRegularExpression, QTime
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from coach.core import wording
from coach.core.care import where_to_go
from coach.core.countries import COUNTRIES, OTHER, contacts, default_country
from coach.core.profile import Condition
from coach.core.schedule import ReminderConfig
from coach.core.settings import Settings
from coach.ui.widgets import label, save_cancel

THEMES = (("auto", "Automatic: night look from 20:00 to 08:00"), ("day", "Day"),
          ("night", "Night"))


@dataclass(frozen=True)
class Choices:
    """What the user chose; the app turns it into settings."""

    theme: str
    sound: bool
    voice: bool
    get_ready_seconds: int
    auto_advance: bool
    reminder: ReminderConfig
    autostart: bool
    profile: frozenset[str]
    medicines_started: dict[str, str]
    country: str
    emergency_numbers: str
    same_day_help: str


def _named(widget: QWidget, name: str) -> QWidget:
    widget.setAccessibleName(name)
    return widget


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, reminder: ReminderConfig, autostart: bool,
                 voice_note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cramp Coach — Settings")
        self.resize(720, 680)
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.addWidget(self._look_and_cues(settings, voice_note))
        column.addWidget(self._reminder_box(reminder, autostart))
        column.addWidget(self._help_box(settings))
        column.addWidget(self._profile_box(settings))
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        buttons = save_cancel(self)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(buttons)

    def _look_and_cues(self, settings: Settings, voice_note: str) -> QGroupBox:
        box = QGroupBox("Look and guidance")
        form = QFormLayout(box)
        self._theme = QComboBox()
        for value, text in THEMES:
            self._theme.addItem(text, value)
        self._theme.setCurrentIndex([v for v, _ in THEMES].index(settings.theme))
        form.addRow("Theme", _named(self._theme, "Theme"))
        self._sound = QCheckBox("Sound cues (a chime at the start and end of each hold)")
        self._sound.setChecked(settings.sound)
        form.addRow(_named(self._sound, self._sound.text()))
        self._voice = QCheckBox("Read instructions aloud")
        self._voice.setChecked(settings.voice)
        form.addRow(_named(self._voice, self._voice.text()))
        if voice_note:
            form.addRow(label(voice_note, "muted"))
        self._get_ready = QComboBox()
        for seconds in (3, 5, 10):
            self._get_ready.addItem(f"{seconds} seconds", seconds)
        self._get_ready.setCurrentIndex((3, 5, 10).index(settings.get_ready_seconds))
        form.addRow("Get ready before a routine", _named(self._get_ready, "Get ready time"))
        self._auto = QCheckBox("Emergency steps move on by themselves when a hold ends")
        self._auto.setChecked(settings.auto_advance)
        form.addRow(_named(self._auto, self._auto.text()))
        return box

    def _reminder_box(self, reminder: ReminderConfig, autostart: bool) -> QGroupBox:
        self._original = reminder
        box = QGroupBox("Bedtime reminder")
        column = QVBoxLayout(box)
        self._enabled = QCheckBox("Remind me to stretch before bed")
        self._enabled.setChecked(reminder.enabled)
        column.addWidget(_named(self._enabled, self._enabled.text()))
        grid = QGridLayout()
        self._days: list[tuple[QCheckBox, QTimeEdit]] = []
        for index, (name, at) in enumerate(zip(wording.weekday_names(), reminder.times,
                                               strict=True)):
            day = QCheckBox(name)
            day.setChecked(at is not None)
            day.setAccessibleName(f"Remind on {name}")
            edit = QTimeEdit(QTime(22, 0) if at is None else QTime(at.hour, at.minute))
            edit.setDisplayFormat("HH:mm")
            edit.setAccessibleName(f"Bedtime on {name}")
            edit.setEnabled(at is not None)
            day.toggled.connect(edit.setEnabled)
            grid.addWidget(day, index, 0)
            grid.addWidget(edit, index, 1)
            self._days.append((day, edit))
        column.addLayout(grid)
        form = QFormLayout()
        self._lead = QSpinBox()
        self._lead.setRange(0, 120)
        self._lead.setSingleStep(5)
        self._lead.setSuffix(" minutes before")
        self._lead.setValue(reminder.lead_minutes)
        form.addRow("Remind me", _named(self._lead, "Remind me this many minutes before"))
        column.addLayout(form)
        self._autostart = QCheckBox("Start Cramp Coach quietly in the tray when I log in")
        self._autostart.setChecked(autostart)
        column.addWidget(_named(self._autostart, self._autostart.text()))
        return box

    def _help_box(self, settings: Settings) -> QGroupBox:
        """Whose numbers the cards and the bedside card show."""
        box = QGroupBox("Where to get help")
        form = QFormLayout(box)
        self._country = QComboBox()
        detected = COUNTRIES.get(default_country())
        automatic = (f"Automatic: {detected.name}" if detected
                     else "Automatic: not known for this computer")
        self._country.addItem(automatic, "")
        for code, country in COUNTRIES.items():
            self._country.addItem(country.name, code)
        self._country.addItem("Another country: I will type the numbers", OTHER)
        self._country.setCurrentIndex(max(0, self._country.findData(settings.country)))
        form.addRow("Country", _named(self._country, "Country for emergency numbers"))
        self._numbers = QLineEdit(settings.emergency_numbers)
        self._numbers.setPlaceholderText("for example 000, or 112 103")
        self._numbers.setValidator(QRegularExpressionValidator(
            QRegularExpression(r"[0-9+ ,]{0,40}"), self._numbers))
        form.addRow("Emergency number", _named(self._numbers, "Emergency number"))
        self._same_day = QLineEdit(settings.same_day_help)
        self._same_day.setMaxLength(120)
        self._same_day.setPlaceholderText("for example: call healthdirect on 1800 022 222")
        form.addRow("Help the same day", _named(self._same_day, "Where to get help the same day"))
        self._preview = label("", "muted")
        form.addRow(self._preview)
        for signal in (self._country.currentIndexChanged, self._numbers.textChanged,
                       self._same_day.textChanged):
            signal.connect(self._show_help)
        self._show_help()
        return box

    def _show_help(self) -> None:
        other = self._country.currentData() == OTHER
        self._numbers.setEnabled(other)
        self._same_day.setEnabled(other)
        chosen = contacts(self._country.currentData() or default_country(),
                          self._numbers.text(), self._same_day.text())
        self._preview.setText("\n".join(where_to_go(chosen)))

    def _profile_box(self, settings: Settings) -> QGroupBox:
        box = QGroupBox("Safety profile (optional, stays on this computer)")
        column = QVBoxLayout(box)
        column.addWidget(label("Tick what applies to you. Advice that is unsafe for you is "
                               "left out, and the reason is shown.", "muted"))
        self._conditions: dict[Condition, QCheckBox] = {}
        for condition in Condition:
            check = QCheckBox(condition.label)
            check.setChecked(condition.value in settings.profile)
            check.setAccessibleName(condition.label)
            column.addWidget(check)
            self._conditions[condition] = check
        column.addWidget(label("If you started one of these recently, the date helps spot "
                               "cramps that began with it:", "muted"))
        self._medicines: dict[str, tuple[QCheckBox, QDateEdit]] = {}
        for name, text in (("diuretic", "Started water tablets (a diuretic) on"),
                           ("statin", "Started a statin on")):
            row = QHBoxLayout()
            check = QCheckBox(text)
            check.setAccessibleName(text)
            known = settings.medicines_started.get(name)
            check.setChecked(known is not None)
            edit = QDateEdit(QDate.fromString(known, "yyyy-MM-dd") if known
                             else QDate.currentDate())
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
            edit.setAccessibleName(f"{text} (date)")
            edit.setEnabled(known is not None)
            check.toggled.connect(edit.setEnabled)
            row.addWidget(check)
            row.addWidget(edit)
            row.addStretch(1)
            column.addLayout(row)
            self._medicines[name] = (check, edit)
        return box

    def choices(self) -> Choices:
        times = tuple(time(edit.time().hour(), edit.time().minute()) if day.isChecked()
                      else None for day, edit in self._days)
        reminder = replace(self._original, enabled=self._enabled.isChecked(), times=times,
                           lead_minutes=self._lead.value())
        return Choices(
            theme=str(self._theme.currentData()), sound=self._sound.isChecked(),
            voice=self._voice.isChecked(), get_ready_seconds=int(self._get_ready.currentData()),
            auto_advance=self._auto.isChecked(), reminder=reminder,
            autostart=self._autostart.isChecked(),
            profile=frozenset(c.value for c, box in self._conditions.items()
                              if box.isChecked()),
            medicines_started={name: edit.date().toString("yyyy-MM-dd")
                               for name, (check, edit) in self._medicines.items()
                               if check.isChecked()},
            country=str(self._country.currentData()),
            emergency_numbers=self._numbers.text().strip(),
            same_day_help=self._same_day.text().strip(),
        )

