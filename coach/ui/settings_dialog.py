"""Settings: look, cues, the bedtime reminder, start at login, safety profile.

The dialog edits a copy and hands back plain values; the app validates and
saves them through the store, so the same rules apply as for the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import time

from PySide6.QtCore import QDate, QRegularExpression, QSize, QTime
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from coach.core import i18n, wording
from coach.core.care import where_to_go
from coach.core.countries import COUNTRIES, OTHER, contacts, default_country
from coach.core.i18n import N_, _, ngettext
from coach.core.nighttime import NIGHT_ENDS_HOUR, NIGHT_STARTS_HOUR
from coach.core.profile import Condition
from coach.core.schedule import ReminderConfig
from coach.core.settings import GET_READY_CHOICES, Settings
from coach.services.desktop import DesktopError, Shortcut
from coach.ui.basics import button, label, scroll_page
from coach.ui.date_box import DateBox, TimeBox, date_format
from coach.ui.language import desktop_environ
from coach.ui.widgets import WrappingCheckBox, choice_box, fit_to_screen, guard_wheel, save_cancel

THEMES = (
    # Translators: {start} and {end} are times of day ("20:00", "08:00").
    ("auto", N_("Automatic: night look {start}–{end}")),
    # Translators: the app's look: light, for the day.
    ("day", N_("Day")),
    # Translators: the app's look: dark and warm, for the night.
    ("night", N_("Night")),
)
"""The looks offered, in English (marked): worded where shown."""


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
    language: str


def _form(parent: QWidget | None = None) -> QFormLayout:
    """Labels beside their fields where there is room, above them where not
    (a narrow screen, a longer language)."""
    form = QFormLayout(parent)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form


def _named(widget: QWidget, name: str) -> QWidget:
    widget.setAccessibleName(name)
    return widget


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, reminder: ReminderConfig, autostart: bool,
                 voice_note: str, parent: QWidget | None = None, *,
                 shortcut: Shortcut | None = None, tray: bool = True) -> None:
        """``shortcut``: the desktop-wide "Cramp now!" key this desktop lets
        the app add (GNOME's), or None where it does not. ``tray``: whether
        the app has a tray to start in; without one, start at login is for
        the reminder alone, and says so."""
        super().__init__(parent)
        self.setWindowTitle(_("Cramp Coach — {title}").format(title=_("Settings")))
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.addWidget(self._look_and_cues(settings, voice_note))
        column.addWidget(self._reminder_box(reminder, autostart, tray))
        column.addWidget(self._help_box(settings))
        if shortcut is not None:
            column.addWidget(self._shortcut_box(shortcut))
        column.addWidget(self._profile_box(settings))
        # Conditions a newer version wrote: kept, as Settings keeps them, since
        # this dialog has no box for them to be unticked in.
        self._unknown_conditions = settings.profile - {c.value for c in Condition}
        column.addStretch(1)
        buttons = save_cancel(self)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll_page(inner), 1)
        outer.addWidget(buttons)  # outside the scrolling: always in sight
        guard_wheel(inner)  # scrolling past 22:00 leaves it 22:00
        fit_to_screen(self, QSize(760, 680))

    def _look_and_cues(self, settings: Settings, voice_note: str) -> QGroupBox:
        box = QGroupBox(_("Look and guidance"))
        form = _form(box)
        self._language = choice_box()
        desktop = i18n.language_names([i18n.resolve("", desktop_environ())])
        # Translators: {language} is the desktop's language in its own words.
        self._language.addItem(_("As the desktop: {language}").format(
            language=next(iter(desktop.values()))), "")
        for code, name in i18n.language_names(i18n.available()).items():
            self._language.addItem(name, code)
        # The language on screen, when --lang put it there: shown as the
        # desktop's, OK would have kept a setting that brings the desktop's
        # back at the next start (a Russian audit's case).
        on_screen = i18n.current()
        shown = settings.language if on_screen == i18n.resolve(
            settings.language, desktop_environ()) else on_screen
        self._language.setCurrentIndex(max(self._language.findData(shown), 0))
        language = _("Language")
        form.addRow(language, _named(self._language, language))
        self._theme = choice_box()
        for value, text in THEMES:
            self._theme.addItem(_(text).format(start=wording.clock_time(time(NIGHT_STARTS_HOUR)),
                                               end=wording.clock_time(time(NIGHT_ENDS_HOUR))),
                                value)
        self._theme.setCurrentIndex([v for v, _text in THEMES].index(settings.theme))
        # Translators: the app's look (day or night colours).
        theme = _("Theme")
        form.addRow(theme, _named(self._theme, theme))
        self._sound = WrappingCheckBox(_("Sound cues (a chime at the start and end of each hold)"))
        self._sound.setChecked(settings.sound)
        form.addRow(_named(self._sound, self._sound.text()))
        self._voice = WrappingCheckBox(_("Read instructions aloud"))
        self._voice.setChecked(settings.voice)
        form.addRow(_named(self._voice, self._voice.text()))
        if voice_note:
            form.addRow(label(voice_note, "muted"))
        self._get_ready = choice_box()
        for seconds in GET_READY_CHOICES:
            self._get_ready.addItem(
                ngettext("{n} second", "{n} seconds", seconds).format(n=seconds), seconds)
        self._get_ready.setCurrentIndex(GET_READY_CHOICES.index(settings.get_ready_seconds))
        get_ready = _("Get ready before a routine")
        form.addRow(get_ready, _named(self._get_ready, get_ready))
        self._auto = WrappingCheckBox(_("Emergency steps move on by themselves when a hold ends"))
        self._auto.setChecked(settings.auto_advance)
        form.addRow(_named(self._auto, self._auto.text()))
        return box

    def _reminder_box(self, reminder: ReminderConfig, autostart: bool, tray: bool) -> QGroupBox:
        self._original = reminder
        box = QGroupBox(_("Bedtime reminder"))
        column = QVBoxLayout(box)
        self._enabled = WrappingCheckBox(_("Remind me to stretch before bed"))
        self._enabled.setChecked(reminder.enabled)
        column.addWidget(_named(self._enabled, self._enabled.text()))
        # The days and the lead time mean nothing while the reminder is off:
        # greyed out until it is on, as a desktop's dependent settings are.
        details = QWidget()
        details.setEnabled(reminder.enabled)
        self._enabled.toggled.connect(details.setEnabled)
        inner = QVBoxLayout(details)
        inner.setContentsMargins(0, 0, 0, 0)
        grid = QGridLayout()
        self._days: list[tuple[QCheckBox, QTimeEdit]] = []
        for index, (name, at) in enumerate(zip(wording.weekday_names(), reminder.times,
                                               strict=True)):
            day = QCheckBox(name)
            day.setChecked(at is not None)
            # Translators: a tick box's name for a screen reader; {day} is a
            # weekday as a calendar names it ("Monday"; in Russian "понедельник",
            # "среда"), so word it to fit that form (e.g. "Напоминать: {day}").
            day.setAccessibleName(_("Remind on {day}").format(day=name))
            edit = TimeBox(QTime(22, 0) if at is None else QTime(at.hour, at.minute))
            edit.setDisplayFormat("HH:mm")
            # Translators: a time box's name for a screen reader; {day} is a
            # weekday as a calendar names it (e.g. "Время сна: {day}").
            edit.setAccessibleName(_("Bedtime on {day}").format(day=name))
            edit.setEnabled(at is not None)
            day.toggled.connect(edit.setEnabled)
            grid.addWidget(day, index, 0)
            grid.addWidget(edit, index, 1)
            self._days.append((day, edit))
        inner.addLayout(grid)
        form = _form()
        self._lead = QSpinBox()
        self._lead.setRange(0, 120)
        self._lead.setSingleStep(5)
        self._lead.valueChanged.connect(self._word_lead)
        self._lead.setValue(reminder.lead_minutes)
        self._word_lead(self._lead.value())
        # Translators: the label before a number box: "Remind me [30 minutes before]".
        remind_me = _("Remind me")
        # Translators: that box's name for a screen reader: best begin with the
        # same words as "Remind me".
        form.addRow(remind_me, _named(self._lead, _("Remind me this many minutes before")))
        inner.addLayout(form)
        column.addWidget(details)
        self._autostart = WrappingCheckBox(
            _("Start Cramp Coach quietly in the tray when I log in") if tray
            else _("Start Cramp Coach quietly when I log in, so the bedtime reminder comes"))
        self._autostart.setChecked(autostart)
        column.addWidget(_named(self._autostart, self._autostart.text()))
        return box

    def _word_lead(self, minutes: int) -> None:
        """The words after the number, in the form the number needs."""
        # Translators: after a number in a box ("30 minutes before" bedtime);
        # keep the space at the start.
        self._lead.setSuffix(ngettext(" minute before", " minutes before", minutes))

    def _help_box(self, settings: Settings) -> QGroupBox:
        """Whose numbers the cards and the bedside card show."""
        box = QGroupBox(_("Where to get help"))
        form = _form(box)
        self._country = choice_box()
        detected = COUNTRIES.get(default_country())
        # Translators: the country found from the computer's settings ("Automatic: Russia").
        automatic = (_("Automatic: {country}").format(country=_(detected.name)) if detected
                     else _("Automatic: not known for this computer"))
        self._country.addItem(automatic, "")
        for code, country in COUNTRIES.items():
            self._country.addItem(_(country.name), code)
        self._country.addItem(_("Another country: I will type the numbers"), OTHER)
        self._country.setCurrentIndex(max(0, self._country.findData(settings.country)))
        form.addRow(_("Country"), _named(self._country, _("Country for emergency numbers")))
        self._numbers = QLineEdit(settings.emergency_numbers)
        # Translators: example emergency numbers (digits, spaces, commas only);
        # a comma separates two numbers, spaces may group the digits of one.
        self._numbers.setPlaceholderText(_("for example 000, or 112, 103"))
        self._numbers.setValidator(QRegularExpressionValidator(
            QRegularExpression(r"[0-9+ ,]{0,40}"), self._numbers))
        emergency_number = _("Emergency number")
        form.addRow(emergency_number, _named(self._numbers, emergency_number))
        self._same_day = QLineEdit(settings.same_day_help)
        self._same_day.setMaxLength(120)
        # Translators: an example of where to get help today in a country not
        # listed (healthdirect is Australia's health advice line).
        self._same_day.setPlaceholderText(_("for example: call healthdirect on 1800 022 222"))
        form.addRow(_("Help the same day"),
                    _named(self._same_day, _("Where to get help the same day")))
        self._preview = label("", "muted")
        form.addRow(self._preview)
        for signal in (self._country.currentIndexChanged, self._numbers.textChanged,
                       self._same_day.textChanged):
            signal.connect(self._show_help)
        self._show_help()
        return box

    def _shortcut_box(self, shortcut: Shortcut) -> QGroupBox:
        """Added or removed at once, not on Save: it is the desktop's setting,
        and the person sees it work straight away."""
        box = QGroupBox(_("Cramp now! from anywhere"))
        column = QVBoxLayout(box)
        self._shortcut_state = label("", "notice")
        column.addWidget(self._shortcut_state)
        row = QHBoxLayout()
        self._shortcut_add = button(_("Add a keyboard shortcut"),
                                    lambda: self._change_shortcut(shortcut, add=True))
        self._shortcut_remove = button(_("Remove the shortcut"),
                                       lambda: self._change_shortcut(shortcut, add=False))
        row.addWidget(self._shortcut_add)
        row.addWidget(self._shortcut_remove)
        row.addStretch(1)
        column.addLayout(row)
        self._show_shortcut(shortcut.current())
        return box

    def _change_shortcut(self, shortcut: Shortcut, *, add: bool) -> None:
        try:
            if add:
                self._show_shortcut(shortcut.add())
            else:
                shortcut.remove()
                self._show_shortcut(None)
        except (DesktopError, OSError) as error:
            self._shortcut_state.setText(str(error))

    def _show_shortcut(self, keys: str | None) -> None:
        if keys:
            # Translators: {keys} is a key combination such as "Ctrl+Alt+C".
            self._shortcut_state.setText(_("{keys} opens emergency mode from anywhere on "
                                           "this desktop, even when Cramp Coach is not "
                                           "open.").format(keys=keys))
        else:
            self._shortcut_state.setText(_("Add a key that opens emergency mode from "
                                           "anywhere on this desktop, even when Cramp Coach "
                                           "is not open."))
        self._shortcut_add.setVisible(not keys)
        self._shortcut_remove.setVisible(bool(keys))

    def _show_help(self) -> None:
        other = self._country.currentData() == OTHER
        self._numbers.setEnabled(other)
        self._same_day.setEnabled(other)
        chosen = contacts(self._country.currentData() or default_country(),
                          self._numbers.text(), self._same_day.text())
        self._preview.setText("\n".join(where_to_go(chosen)))

    def _profile_box(self, settings: Settings) -> QGroupBox:
        # A short title: a group box's title never wraps.
        box = QGroupBox(_("Safety profile"))
        column = QVBoxLayout(box)
        column.addWidget(label(_("Optional, and it stays on this computer. Tick what applies "
                                 "to you. Advice that is unsafe for you is left out, and the "
                                 "reason is shown."), "muted"))
        self._conditions: dict[Condition, QCheckBox] = {}
        for condition in Condition:
            check = WrappingCheckBox(condition.label)
            check.setChecked(condition.value in settings.profile)
            check.setAccessibleName(condition.label)
            column.addWidget(check)
            self._conditions[condition] = check
        column.addWidget(label(_("If you started one of these recently, the date helps spot "
                                 "cramps that began with it:"), "muted"))
        self._medicines: dict[str, tuple[QCheckBox, QDateEdit]] = {}
        # Translators: a tick box followed by a date box ("… on [2026-03-05]").
        for name, text in (("diuretic", _("Started water tablets (a diuretic) on")),
                           # Translators: a tick box followed by a date box.
                           ("statin", _("Started a statin on"))):
            row = QHBoxLayout()
            check = WrappingCheckBox(text)
            check.setAccessibleName(text)
            known = settings.medicines_started.get(name)
            check.setChecked(known is not None)
            edit = DateBox(QDate.fromString(known, "yyyy-MM-dd") if known
                             else QDate.currentDate())
            edit.setDisplayFormat(date_format(with_time=False))
            edit.setCalendarPopup(True)
            # Translators: the date box's name for a screen reader; {label} is
            # its tick box's words ("Started a statin on").
            edit.setAccessibleName(_("{label} (date)").format(label=text))
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
                              if box.isChecked()) | self._unknown_conditions,
            medicines_started={name: edit.date().toString("yyyy-MM-dd")
                               for name, (check, edit) in self._medicines.items()
                               if check.isChecked()},
            country=str(self._country.currentData()),
            emergency_numbers=self._numbers.text().strip(),
            same_day_help=self._same_day.text().strip(),
            language=str(self._language.currentData()),
        )

