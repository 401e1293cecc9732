"""Settings through the real dialog: what is chosen is what gets saved, and it
takes effect (reminder armed, profile applied, start-at-login offered once)."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

import pytest
from PySide6.QtCore import Qt, QTime, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from coach.app import content
from coach.app.navigation import Screen
from coach.core import paths
from coach.core.clock import SystemClock
from coach.core.notices import Notices
from coach.core.schedule import ReminderConfig
from coach.core.settings import SettingsStore
from coach.ui.app import CoachApp
from coach.ui.settings_dialog import SettingsDialog
from coach.ui.widgets import visible_text
from tests.fakes.autostart import FakeAutostart
from tests.gui.conftest import MakeApp, named, shown_text

REMIND = "Remind me to stretch before bed"
VARICOSE = "Varicose veins"


def tick(root: QWidget, name: str, on: bool = True) -> None:
    named(root, QCheckBox, name).setChecked(on)


def questions_answered(monkeypatch: pytest.MonkeyPatch,
                       button: QMessageBox.StandardButton) -> list[tuple[str, str]]:
    """Every yes-or-no question asked from now on, as (title, text), each
    answered with ``button``."""
    asked: list[tuple[str, str]] = []

    def answer(_parent: object, title: str, text: str,
               *_args: object) -> QMessageBox.StandardButton:
        asked.append((title, text))
        return button

    monkeypatch.setattr(QMessageBox, "question", answer)
    return asked


def call_line(app: CoachApp) -> str:
    """What the emergency screen shows: on the warning card, where to call."""
    screen = app.emergency
    assert screen is not None
    return shown_text(screen)


def test_choices_reflect_the_controls(qtbot: QtBot) -> None:
    from coach.core.settings import Settings

    dialog = SettingsDialog(Settings(), ReminderConfig(), autostart=False, voice_note="")
    qtbot.addWidget(dialog)
    tick(dialog, REMIND)
    named(dialog, QTimeEdit, "Bedtime on Saturday").setTime(QTime(23, 15))
    tick(dialog, "Remind on Sunday", False)
    named(dialog, QSpinBox, "Remind me this many minutes before").setValue(15)
    tick(dialog, VARICOSE)
    tick(dialog, "Started a statin on")
    choices = dialog.choices()
    assert choices.reminder.enabled and choices.reminder.lead_minutes == 15
    assert choices.reminder.times[5] == time(23, 15) and choices.reminder.times[6] is None
    assert choices.profile == {"varicose_veins"}
    assert set(choices.medicines_started) == {"statin"}
    assert dialog.windowTitle().startswith("Cramp Coach")


def test_the_reminder_days_are_greyed_out_while_the_reminder_is_off(qtbot: QtBot) -> None:
    """They mean nothing until it is on; a day left unticked keeps its time
    box greyed once it is. Start at login is the tray's too, and stays."""
    from coach.core.settings import Settings

    dialog = SettingsDialog(Settings(), ReminderConfig(), autostart=False, voice_note="")
    qtbot.addWidget(dialog)
    sunday = named(dialog, QCheckBox, "Remind on Sunday")
    sunday_time = named(dialog, QTimeEdit, "Bedtime on Sunday")
    lead = named(dialog, QSpinBox, "Remind me this many minutes before")
    login = named(dialog, QCheckBox, "Start Cramp Coach quietly in the tray when I log in")
    assert not any(w.isEnabled() for w in (sunday, sunday_time, lead))
    assert login.isEnabled()
    tick(dialog, REMIND)
    assert all(w.isEnabled() for w in (sunday, sunday_time, lead))
    tick(dialog, "Remind on Sunday", False)
    tick(dialog, REMIND, False)
    tick(dialog, REMIND)
    assert sunday.isEnabled() and not sunday_time.isEnabled()


def test_saving_arms_the_reminder_applies_the_profile_and_offers_autostart_once(
        make_app: MakeApp, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    autostart = FakeAutostart()
    app = make_app(content.load(), tray=False, autostart=autostart)
    resident = app.start_resident()
    assert resident.reminders.next_fire is None

    def accept(dialog: SettingsDialog) -> int:
        tick(dialog, REMIND)
        tick(dialog, VARICOSE)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", accept)
    asked = questions_answered(monkeypatch, QMessageBox.StandardButton.Yes)
    resident.open_settings()
    assert app.settings.current.profile == {"varicose_veins"}
    assert ReminderConfig.from_dict(dict(app.settings.current.reminder)).enabled
    assert resident.reminders.next_fire is not None
    assert [title for title, _text in asked] == ["Start at login?"] and autostart.is_enabled()
    assert app.settings.current.autostart and app.settings.current.autostart_offered
    resident.open_settings()
    assert [title for title, _text in asked] == ["Start at login?"]  # offered once only
    app.open_emergency()
    assert app.emergency is not None
    app.emergency.choose("calf")
    assert any("varicose veins" in why for why in app.emergency.view().left_out)


@pytest.mark.parametrize("tray", [True, False], ids=["tray", "no tray"])
def test_start_at_login_promises_a_tray_only_where_there_is_one(
        make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, tray: bool) -> None:
    """GNOME has no tray: "quietly in the tray" promised an icon that never
    came. There, start at login is for the reminder, and says so."""
    app = make_app(content.load(), tray=tray, autostart=FakeAutostart())
    resident = app.start_resident()
    offered: list[str] = []

    def accept(dialog: SettingsDialog) -> int:
        offered.extend(box.accessibleName() for box in dialog.findChildren(QCheckBox)
                       if "log in" in box.accessibleName())
        tick(dialog, REMIND)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", accept)
    asked = questions_answered(monkeypatch, QMessageBox.StandardButton.No)
    resident.open_settings()
    offered += [text for _title, text in asked]
    assert len(offered) == 2  # the tick box, then the question after the first reminder
    assert all(("in the tray" in text) is tray for text in offered), offered


def test_saving_keeps_what_another_process_changed_while_the_dialog_was_open(
        make_app: MakeApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """An audit's case: "cramp-coach reminder set 21:00" in a terminal while
    Settings was open, then OK without touching the reminder, switched the
    reminder off again. Only what the person changed is saved."""
    app = make_app(content.load(), tray=False, autostart=FakeAutostart())
    resident = app.start_resident()
    elsewhere = SettingsStore(paths.settings_file(), Notices(), SystemClock())
    set_by_the_command = ReminderConfig().with_time(time(21, 0), range(7))

    def accept(dialog: SettingsDialog) -> int:
        elsewhere.update(reminder=replace(set_by_the_command, enabled=True).to_dict())
        tick(dialog, VARICOSE)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", accept)
    questions_answered(monkeypatch, QMessageBox.StandardButton.No)
    resident.open_settings()
    saved = elsewhere.load()
    assert saved.profile == {"varicose_veins"}
    reminder = ReminderConfig.from_dict(dict(saved.reminder))
    assert reminder.enabled and reminder.times == (time(21, 0),) * 7


def test_tips_leave_out_heat_for_neuropathy(make_app: MakeApp) -> None:
    app = make_app(content.load())
    app.settings.update(profile=frozenset({"neuropathy"}))
    flow = app.diary_flow()
    flow.open_tips()
    assert flow.tips is not None
    text = shown_text(flow.tips)
    assert "A warm foot bath in the evening</b>: left out" in text
    assert "burn" in text
    for choice in flow.tips.findChildren(QPushButton):
        assert choice.accessibleName() == visible_text(choice)


def test_the_chosen_country_reaches_every_card(
        make_app: MakeApp, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import Qt

    from coach.core.emergency import Screen

    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    app = make_app(content.load(), tray=False, autostart=FakeAutostart())
    app.open_emergency()
    screen = app.emergency
    assert screen is not None
    QTest.keyClick(screen, Qt.Key.Key_1)
    QTest.keyClick(screen, Qt.Key.Key_Y)
    assert screen.view().screen is Screen.CLOT_WARNING
    assert "call 999 now." in call_line(app)  # the locale's territory

    def choose(dialog: SettingsDialog, code: str) -> None:
        country = named(dialog, QComboBox, "Country for emergency numbers")
        country.setCurrentIndex(country.findData(code))

    def choose_russia(dialog: SettingsDialog) -> int:
        choose(dialog, "RU")
        assert "112 or 103" in shown_text(dialog)  # the preview
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", choose_russia)
    app.start_resident().open_settings()
    assert app.settings.store.load().country == "RU"
    screen.refresh()
    assert "call 112 or 103 now." in call_line(app)

    def type_numbers(dialog: SettingsDialog) -> int:
        choose(dialog, "other")
        numbers = named(dialog, QLineEdit, "Emergency number")
        assert numbers.isEnabled()
        numbers.setText("000")
        named(dialog, QLineEdit, "Where to get help the same day").setText("call healthdirect")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", type_numbers)
    app.start_resident().open_settings()
    screen.refresh()
    assert "call 000 now." in call_line(app)
    assert "Call healthdirect." in call_line(app)


def test_tips_start_with_the_warning_signs_and_who_to_see(make_app: MakeApp) -> None:
    app = make_app(content.load())
    app.settings.update(country="US")
    flow = app.diary_flow()
    flow.open_tips()
    assert flow.tips is not None
    text = shown_text(flow.tips)
    assert text.index("Signs that a cramp may not be an ordinary one") < text.index(
        "To make night cramps less likely")
    assert "(tetanus): call 911 now." in text
    assert "see your GP (family doctor) in the next few days." in text


def test_a_desktop_wide_cramp_now_key_is_offered_where_the_desktop_allows_it(
        qtbot: QtBot) -> None:
    from coach.core.settings import Settings
    from tests.fakes.desktop import FakeShortcut

    plain = SettingsDialog(Settings(), ReminderConfig(), autostart=False, voice_note="")
    qtbot.addWidget(plain)
    add, remove = "Add a keyboard shortcut", "Remove the shortcut"
    assert not any(b.accessibleName() in (add, remove)  # not on this desktop: the README
                   for b in plain.findChildren(QPushButton))  # says how
    shortcut = FakeShortcut()
    dialog = SettingsDialog(Settings(), ReminderConfig(), autostart=False, voice_note="",
                            shortcut=shortcut)
    qtbot.addWidget(dialog)
    assert named(dialog, QPushButton, remove).isHidden()
    named(dialog, QPushButton, add).click()
    assert shortcut.keys == "Ctrl+Alt+C"
    assert "Ctrl+Alt+C opens emergency mode" in shown_text(dialog)
    assert named(dialog, QPushButton, add).isHidden()
    named(dialog, QPushButton, remove).click()
    assert shortcut.keys is None and not named(dialog, QPushButton, add).isHidden()
    full = SettingsDialog(Settings(), ReminderConfig(), autostart=False, voice_note="",
                          shortcut=FakeShortcut(taken=True))
    qtbot.addWidget(full)
    named(full, QPushButton, add).click()
    assert "taken" in shown_text(full)  # says why, and how is in the message


def test_the_app_passes_its_desktops_shortcut_to_settings(
        make_app: MakeApp, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fakes.desktop import FakeShortcut

    shortcut = FakeShortcut()
    app = make_app(tray=False, shortcut=shortcut)
    offered: list[bool] = []

    def exec_(dialog: SettingsDialog) -> int:
        offered.append(any(visible_text(b) == "Add a keyboard shortcut"
                           for b in dialog.findChildren(QPushButton)))
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(SettingsDialog, "exec", exec_)
    app.open_settings()
    assert offered == [True]


@pytest.mark.parametrize("opened_by", ["settings", "a question"])
def test_f1_in_a_dialog_closes_it_and_opens_emergency_mode(
        make_app: MakeApp, qtbot: QtBot, opened_by: str) -> None:
    """A GUI audit's case: with Settings open (it blocks the window), F1 and
    Ctrl+E did nothing, and "Cramp now!" could not be clicked."""
    app = make_app(tray=False)
    app.window.show()
    qtbot.waitExposed(app.window)
    seen: list[str] = []

    def press() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        seen.append(type(dialog).__name__)
        dialog.activateWindow()  # as the desktop does; the key goes to the active window
        QTest.qWaitForWindowActive(dialog, 2000)
        QTest.keyClick(dialog, Qt.Key.Key_F1)
        if QApplication.activeModalWidget() is dialog:
            dialog.close()  # the key failed: end the dialog, and the test says so

    QTimer.singleShot(0, press)
    if opened_by == "settings":
        app.open_settings()  # returns once the dialog is closed
    else:
        QMessageBox.question(app.window, "Start at login?", "A question Qt asks.")
    assert seen == ["SettingsDialog" if opened_by == "settings" else "QMessageBox"]
    assert QApplication.activeModalWidget() is None
    assert app.window.current_screen() is Screen.EMERGENCY


def test_a_condition_from_a_newer_version_survives_a_save(qtbot: QtBot) -> None:
    """A profile audit's case: Save dropped a condition this version has no
    box for, which Settings itself promises to keep."""
    from coach.core.settings import Settings

    settings = Settings(profile=frozenset({"pregnancy", "from_a_newer_version"}))
    dialog = SettingsDialog(settings, ReminderConfig(), autostart=False, voice_note="")
    qtbot.addWidget(dialog)
    assert dialog.choices().profile == {"pregnancy", "from_a_newer_version"}
