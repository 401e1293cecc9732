"""Settings through the real dialog: what is chosen is what gets saved, and it
takes effect (reminder armed, profile applied, start-at-login offered once)."""

from __future__ import annotations

from datetime import time

import pytest
from PySide6.QtCore import QTime
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from coach.app import content
from coach.core.schedule import ReminderConfig
from coach.ui.settings_dialog import SettingsDialog
from coach.ui.widgets import visible_text
from tests.fakes.autostart import FakeAutostart
from tests.gui.conftest import MakeApp


def test_choices_reflect_the_controls(qtbot: QtBot) -> None:
    from coach.core.settings import Settings

    dialog = SettingsDialog(Settings(), ReminderConfig(), autostart=False, voice_note="")
    qtbot.addWidget(dialog)
    dialog._enabled.setChecked(True)
    saturday_time = dialog._days[5][1]
    saturday_time.setTime(QTime(23, 15))
    dialog._days[6][0].setChecked(False)
    dialog._lead.setValue(15)
    dialog._conditions[next(iter(dialog._conditions))].setChecked(True)
    dialog._medicines["statin"][0].setChecked(True)
    choices = dialog.choices()
    assert choices.reminder.enabled and choices.reminder.lead_minutes == 15
    assert choices.reminder.times[5] == time(23, 15) and choices.reminder.times[6] is None
    assert choices.profile == {"varicose_veins"}
    assert set(choices.medicines_started) == {"statin"}
    assert dialog.windowTitle().startswith("Cramp Coach")


def test_saving_arms_the_reminder_applies_the_profile_and_offers_autostart_once(
        make_app: MakeApp, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    autostart = FakeAutostart()
    app = make_app(content.load(), tray=False, autostart=autostart)
    resident = app.start_resident()
    assert resident.reminders.next_fire is None

    def accept(dialog: SettingsDialog) -> int:
        dialog._enabled.setChecked(True)
        dialog._conditions[next(iter(dialog._conditions))].setChecked(True)  # varicose
        return QDialog.DialogCode.Accepted

    asked: list[str] = []
    monkeypatch.setattr(SettingsDialog, "exec", accept)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: asked.append(args[1])
                        or QMessageBox.StandardButton.Yes)
    resident.open_settings()
    assert app.settings.current.profile == {"varicose_veins"}
    assert ReminderConfig.from_dict(dict(app.settings.current.reminder)).enabled
    assert resident.reminders.next_fire is not None
    assert asked == ["Start at login?"] and autostart.is_enabled()
    assert app.settings.current.autostart and app.settings.current.autostart_offered
    resident.open_settings()
    assert asked == ["Start at login?"]  # offered once only
    app.open_emergency()
    assert app.emergency is not None
    app.emergency.choose("calf")
    steps = [s.step.action.value for s in app.emergency._session._steps]
    assert "massage" not in steps


def test_tips_leave_out_heat_for_neuropathy(make_app: MakeApp) -> None:
    app = make_app(content.load())
    app.settings.update(profile=frozenset({"neuropathy"}))
    flow = app.diary_flow()
    flow.open_tips()
    assert flow.tips is not None
    text = flow.tips._text.text()
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
    qtbot.keyClick(screen, Qt.Key.Key_1)
    qtbot.keyClick(screen, Qt.Key.Key_Y)
    assert screen.view().screen is Screen.CLOT_WARNING
    assert "call 999 now." in screen._clot_card.call.text()  # the locale's territory

    def choose_russia(dialog: SettingsDialog) -> int:
        dialog._country.setCurrentIndex(dialog._country.findData("RU"))
        assert "112 or 103" in dialog._preview.text()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", choose_russia)
    app.start_resident().open_settings()
    assert app.settings.store.load().country == "RU"
    screen.refresh()
    assert "call 112 or 103 now." in screen._clot_card.call.text()

    def type_numbers(dialog: SettingsDialog) -> int:
        dialog._country.setCurrentIndex(dialog._country.findData("other"))
        assert dialog._numbers.isEnabled()
        dialog._numbers.setText("000")
        dialog._same_day.setText("call healthdirect")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", type_numbers)
    app.start_resident().open_settings()
    screen.refresh()
    assert screen._clot_card.call.text().endswith("call 000 now.")
    assert screen._clot_card.same_day.text().endswith("Call healthdirect.")


def test_tips_start_with_the_warning_signs_and_who_to_see(make_app: MakeApp) -> None:
    app = make_app(content.load())
    app.settings.update(country="US")
    flow = app.diary_flow()
    flow.open_tips()
    assert flow.tips is not None
    text = flow.tips._text.text()
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
    assert not hasattr(plain, "_shortcut_state")  # not on this desktop: the README says how
    shortcut = FakeShortcut()
    dialog = SettingsDialog(Settings(), ReminderConfig(), autostart=False, voice_note="",
                            shortcut=shortcut)
    qtbot.addWidget(dialog)
    assert dialog._shortcut_remove.isHidden() and not dialog._shortcut_add.isHidden()
    dialog._shortcut_add.click()
    assert shortcut.keys == "Ctrl+Alt+C"
    assert dialog._shortcut_state.text().startswith("Ctrl+Alt+C opens emergency mode")
    assert dialog._shortcut_add.isHidden() and not dialog._shortcut_remove.isHidden()
    dialog._shortcut_remove.click()
    assert shortcut.keys is None and not dialog._shortcut_add.isHidden()
    full = SettingsDialog(Settings(), ReminderConfig(), autostart=False, voice_note="",
                          shortcut=FakeShortcut(taken=True))
    qtbot.addWidget(full)
    full._shortcut_add.click()
    assert "taken" in full._shortcut_state.text()  # says why, and how is in the message


def test_the_app_passes_its_desktops_shortcut_to_settings(
        make_app: MakeApp, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fakes.desktop import FakeShortcut

    shortcut = FakeShortcut()
    app = make_app(tray=False, shortcut=shortcut)
    seen: list[object] = []

    def exec_(dialog: SettingsDialog) -> int:
        seen.append(getattr(dialog, "_shortcut_state", None))
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(SettingsDialog, "exec", exec_)
    app.open_settings()
    assert seen and seen[0] is not None
