"""Cramp Coach in Russian, through the real widgets: from the desktop's
language, from a choice in Settings while it runs, and with no English left
on any screen a Russian reader meets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QWidget,
)
from pytestqt.qtbot import QtBot

from coach.app.navigation import Screen as AppScreen
from coach.core import i18n, paths
from coach.core.diary import Episode
from coach.core.emergency import PREP_S, Phase, Screen
from coach.ui.app import disclaimer
from coach.ui.language import Language
from coach.ui.settings_dialog import SettingsDialog
from coach.ui.widgets import visible_text
from tests.fakes.clock import FakeClock
from tests.fakes.speech import FakeSpeaker
from tests.fakes.timers import FakeTimers
from tests.gui.conftest import MakeApp, named, shown_text

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
NAMES = frozenset({
    "Cramp", "Coach",  # the app's name stays as it is
    "NHS", "HSE", "NICE", "CKS", "AAFP", "RNLI", "Cochrane", "Hallegraeff", "Coppin",
    "PDF", "CSV", "urgent", "care",  # "центр неотложной помощи (urgent care)"
    "Ctrl", "Esc", "Enter", "Backspace", "Delete", "Tab",  # as printed on the keys
})
"""Latin words a Russian screen may show: names, file kinds, and the keys
whose names are printed on Russian keyboards in Latin letters."""


@pytest.fixture(autouse=True)
def english_afterwards(qapp: QApplication) -> Iterator[None]:
    yield
    Language(qapp).apply(i18n.DEFAULT)


@pytest.fixture()
def russian_desktop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")


def ru(message: str) -> str:
    """The Russian for ``message``, from the catalogue (the app speaks Russian
    while these tests look)."""
    assert i18n.current() == "ru"
    return i18n._(message)


def type_letter(widget: QWidget, letter: str) -> None:
    """As a Russian keyboard types it: QTest cannot type Cyrillic."""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                 Qt.KeyboardModifier.NoModifier, letter))


def english_on(widget: QWidget) -> list[str]:
    """Every visible piece of text with an English word in it."""
    texts: list[str] = []
    for child in widget.findChildren(QWidget):
        if not child.isVisible():
            continue
        if isinstance(child, QLabel) and child.text():
            texts.append(child.text())
        elif isinstance(child, QAbstractButton):
            texts.append(visible_text(child))
        elif isinstance(child, QGroupBox):
            texts.append(child.title())
        elif isinstance(child, QComboBox):
            texts.extend(child.itemText(i) for i in range(child.count()))
        if child.toolTip():
            texts.append(child.toolTip())
    return [text for text in texts
            if [word for word in LATIN_WORD.findall(re.sub(r"<[^>]+>", "", text))
                if word not in NAMES]]


def test_the_desktops_russian_is_spoken_from_the_start(
        russian_desktop: None, make_app: MakeApp, qtbot: QtBot, timers: FakeTimers) -> None:
    app = make_app()
    app.window.show()
    assert visible_text(app.home.cramp_button) == "Свело ногу!"
    assert app.window.windowTitle() == "Cramp Coach"
    app.open_emergency()
    screen = app.emergency
    assert screen is not None
    QTest.keyClick(screen, Qt.Key.Key_1)
    assert screen.view().screen is Screen.CLOT_CHECK
    type_letter(screen, "н")  # the Russian letter on the Нет button
    timers.advance(PREP_S + 0.5)
    view = screen.view()
    assert view.phase is Phase.HOLD and view.step is not None
    shown = {label.text() for label in screen.findChildren(QLabel) if label.isVisible()}
    assert view.step.step.instruction.get("ru") in shown
    assert english_on(app.window) == []


def test_the_voice_speaks_russian_to_a_russian_voice(
        russian_desktop: None, make_app: MakeApp, timers: FakeTimers) -> None:
    """An audit's case: every instruction went to the English voice, which
    spelled the Russian out letter by letter; with only a Russian voice,
    nothing was said at all."""
    speaker = FakeSpeaker(languages=("ru",))
    app = make_app(speaker=speaker)
    app.settings.update(voice=True)
    app.window.show()
    app.open_emergency()
    screen = app.emergency
    assert screen is not None
    QTest.keyClick(screen, Qt.Key.Key_1)
    type_letter(screen, "н")
    timers.advance(PREP_S + 0.5)
    app.routine_flow().open_routine("bedtime", start=True)
    timers.advance(12)
    assert speaker.spoken and set(speaker.spoken_languages) == {"ru"}
    assert any(text.startswith(ru("Get ready: {exercise}").split("{")[0])
               for text in speaker.spoken)


def test_settings_says_a_russian_app_has_no_russian_voice(
        russian_desktop: None, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Russian audit's case: with only an English voice, Settings said
    instructions were read aloud "(язык: английский)": it asked about
    English, while the cues are spoken in the app's language."""
    app = make_app(speaker=FakeSpeaker(languages=("en",)))
    app.settings.update(voice=True)
    seen: list[str] = []

    def look(dialog: SettingsDialog) -> int:
        seen.append(shown_text(dialog))
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(SettingsDialog, "exec", look)
    app.start_resident().open_settings()
    assert ru("No {language} voice is installed, so the cue sounds play instead (install "
              "one, such as espeak-ng).").format(language=ru("Russian")) in seen[0]


def test_settings_shows_the_language_lang_put_on_screen(
        make_app: MakeApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Russian audit's case: started with --lang ru on an English desktop,
    Settings showed "As the desktop: English" over Russian screens, and OK
    kept it, so the next start from the menu came up in English."""
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    app = make_app()
    app.language.apply("ru")  # as --lang ru does at start
    assert app.settings.current.language == ""

    def ok(dialog: SettingsDialog) -> int:
        box = named(dialog, QComboBox, ru("Language"))
        assert box.currentData() == "ru" and box.currentText() == "Русский"
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", ok)
    app.start_resident().open_settings()
    assert app.settings.current.language == "ru"


def test_on_an_english_keyboard_the_key_in_the_same_place_answers(
        russian_desktop: None, make_app: MakeApp, qtbot: QtBot) -> None:
    """Н is on the key marked Y: with the English layout on, that key types
    "y" and must mean Нет, not Yes."""
    app = make_app()
    app.open_emergency()
    screen = app.emergency
    assert screen is not None
    QTest.keyClick(screen, Qt.Key.Key_1)
    type_letter(screen, "y")
    assert screen.view().screen is Screen.STEP


def test_choosing_russian_in_settings_speaks_it_at_once(
        make_app: MakeApp, qtbot: QtBot) -> None:
    app = make_app(tray=True)
    app.window.show()
    app.start_resident()
    assert visible_text(app.home.cramp_button) == "Cramp now!"
    app.notices.post("info", "A notice that was waiting.")
    old = app.window
    app.settings.update(language="ru")
    window = app.window
    assert window is not old
    assert visible_text(app.home.cramp_button) == "Свело ногу!"
    assert window.isVisible() and window.current_screen() is AppScreen.HOME
    assert any(label.text() == "A notice that was waiting."
               for label in window.notice_bar.findChildren(QLabel))
    assert app.resident is not None and app.resident.tray is not None
    assert ru("Cramp now!") in [a.text() for a in app.resident.tray.menu().actions()]
    app.settings.update(language="")  # as the desktop: English here
    assert visible_text(app.home.cramp_button) == "Cramp now!"


def test_a_language_chosen_over_the_quick_log_waits_and_keeps_the_cramp(
        make_app: MakeApp, clock: FakeClock, timers: FakeTimers) -> None:
    """A GUI audit's case: Settings opened over the quick log (its shortcut
    works there), Russian chosen, and the window built again at home: the
    cramp being logged was gone. Now the quick log stays, in the words it
    was built with, and the new language comes once it is saved."""
    app = make_app()
    app.window.show()
    app.open_emergency()
    screen = app.emergency
    assert screen is not None
    screen.choose("calf")
    QTest.keyClick(screen, Qt.Key.Key_N)
    clock.advance(95)
    QTest.keyClick(screen, Qt.Key.Key_P)
    named(screen, QAbstractButton, "Enter  Done").click()
    log = app.diary_flow().quick_log
    assert log is not None and app.window.current_screen() is AppScreen.QUICK_LOG
    window = app.window
    app.settings.update(language="ru")
    assert app.window is window and app.window.current_screen() is AppScreen.QUICK_LOG
    named(log, QAbstractButton, "L  Left leg").click()
    named(log, QAbstractButton, "Enter  Save").click()
    timers.advance(0)
    assert app.window is not window and visible_text(app.home.cramp_button) == "Свело ногу!"
    diary = app.diary.diary()
    assert diary is not None and [e.side for e in diary.episodes()] == ["left"]


def test_an_undo_offered_before_russian_was_chosen_is_worded_again(
        make_app: MakeApp, clock: FakeClock) -> None:
    """A GUI audit's case: every notice changed language but "Deleted the
    cramp of ..." with its English Undo, made from fixed words."""
    app = make_app()
    app.window.show()
    saved = app.diary.add_episode(Episode(started=clock.wall(), duration_s=60.0,
                                          place="calf", side="left"))
    assert saved is not None
    app.diary_flow().delete(saved)
    app.settings.update(language="ru")
    bar = app.window.notice_bar
    buttons = [visible_text(b) for b in bar.findChildren(QAbstractButton) if b.isVisibleTo(bar)]
    assert ru("Undo") in buttons and "Undo" not in buttons
    assert not english_on(bar)


def test_the_disclaimer_waiting_at_first_start_is_worded_again_once(
        make_app: MakeApp, qtbot: QtBot) -> None:
    """The first start of a Russian reader on an English desktop: the
    disclaimer waits, and Russian is chosen in Settings. The strip words it
    again, once, with its button and the strip's own words; a notice keeps
    the words it was posted with."""
    app = make_app()
    app.settings.update(disclaimer_accepted=False)
    app.window.show()
    posted = [f"Waiting notice {n}." for n in range(3)]
    for text in posted:
        app.notices.post("info", text)
    app.settings.update(language="ru")
    bar = app.window.notice_bar
    named(bar, QAbstractButton, i18n.ngettext("Show {n} more message",
                                              "Show {n} more messages", 2).format(n=2)).click()
    shown = [label.text() for label in bar.findChildren(QLabel) if label.isVisibleTo(bar)]
    assert sorted(shown) == sorted([disclaimer(), *posted])
    assert sorted(english_on(bar)) == posted
    dismiss = [visible_text(choice) for choice in bar.findChildren(QAbstractButton)
               if choice.isVisibleTo(bar)]
    assert dismiss.count(ru("Dismiss")) == len(posted)
    named(bar, QAbstractButton, ru("I understand")).click()
    assert app.settings.current.disclaimer_accepted
    assert disclaimer() not in [label.text() for label in bar.findChildren(QLabel)
                                if label.isVisibleTo(bar)]


def test_a_waiting_notice_about_a_damaged_file_is_worded_again(
        make_app: MakeApp, qtbot: QtBot) -> None:
    """Started on an English desktop with a damaged settings file: the notice
    that says where it went is there when Russian is chosen, and is then in
    Russian, whole."""
    settings = paths.settings_file()
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_bytes(b"\xff\xfe not text")
    app = make_app()
    app.window.show()
    (kept,) = settings.parent.glob(settings.name + ".corrupt-*")
    app.settings.update(language="ru")
    bar = app.window.notice_bar
    expected = ru("Note: {message}").format(message=ru(
        "The settings file was not usable ({reason}), so default settings are used. The old "
        "file was kept as {path}.").format(reason=ru("it is not text"),
                                                              path=kept))
    assert expected in [label.text() for label in bar.findChildren(QLabel)]


def test_qts_own_buttons_are_russian_too(
        russian_desktop: None, make_app: MakeApp, qtbot: QtBot) -> None:
    from coach.ui.widgets import save_cancel

    app = make_app()
    dialog = QDialog(app.window)
    buttons = save_cancel(dialog)
    texts = {b.text().replace("&", "") for b in buttons.findChildren(QAbstractButton)}
    assert texts == {"Сохранить", "Отмена"}
    assert buttons.standardButtons() & QDialogButtonBox.StandardButton.Save


def test_no_english_on_any_screen(russian_desktop: None, make_app: MakeApp, qtbot: QtBot,
                                  clock: FakeClock, timers: FakeTimers) -> None:
    app = make_app()
    window = app.window
    window.show()
    qtbot.waitExposed(window)
    seen: dict[str, list[str]] = {}

    def look(name: str, widget: QWidget | None = None) -> None:
        seen[name] = english_on(widget or window)

    look("home")
    app.open_emergency()
    screen = app.emergency
    assert screen is not None
    look("places")
    QTest.keyClick(screen, Qt.Key.Key_1)
    look("clot check")
    type_letter(screen, "д")
    look("clot warning")
    QTest.keyClick(screen, Qt.Key.Key_Backspace)
    type_letter(screen, "н")
    timers.advance(PREP_S + 0.5)
    look("calf hold")
    type_letter(screen, "п")
    look("after-care")
    app.open_routines()
    look("routines")
    app.routine_flow().open_routine("bedtime", start=True)
    timers.advance(2)
    look("routine")
    app.routine_flow().discard_player()
    app.diary_flow().offer_quick_log(None)
    look("quick log")
    now = clock.wall()
    for days in range(10):
        app.diary.add_episode(Episode(started=now - timedelta(days=days * 3),
                                      duration_s=90 + days * 60, place="calf", side="left",
                                      severity=days, symptoms=frozenset({"swelling"})
                                      if days == 1 else frozenset()))
    app.open_diary()
    look("diary")
    app.diary_flow().open_tips()
    look("tips")
    assert {name: texts for name, texts in seen.items() if texts} == {}


@pytest.mark.skipif(__import__("shutil").which("pdftotext") is None,
                    reason="pdftotext (poppler-utils) is not installed")
def test_the_report_for_the_doctor_is_russian_text(
        russian_desktop: None, make_app: MakeApp, clock: FakeClock, tmp_path: Path) -> None:
    import subprocess

    from coach.core.export_csv import HEADER

    app = make_app()
    now = clock.wall()
    for days in range(6):
        app.diary.add_episode(Episode(started=now - timedelta(days=days * 2), duration_s=120,
                                      place="calf", side="left", severity=5))
    report = tmp_path / "отчёт.pdf"
    app.diary_flow().export_to(report)  # as the Export… button does
    text = " ".join(subprocess.run(["pdftotext", str(report), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert ru("Night leg cramps: diary report") in text
    assert ru("Calf") in text  # the place, in Russian
    sheet = tmp_path / "дневник.csv"
    app.diary_flow().export_to(sheet)
    assert sheet.read_text(encoding="utf-8-sig").startswith(ru(HEADER[0]) + ";" + ru(HEADER[1]))


def test_qts_file_dialog_is_russian_where_qts_catalogue_is_not(
        russian_desktop: None, make_app: MakeApp, qtbot: QtBot) -> None:
    """Qt 6 gave two labels of its file dialog access keys ("&Look in:"),
    and its Russian catalogue has only the words without them: the export
    dialog said "Look in:" and "Files of type:" among Russian words."""
    app = make_app()
    dialog = QFileDialog(app.window)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    texts = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"&Перейти к:", "&Типы файлов:", "&Имя файла:"} <= texts
    assert not [text for text in texts if LATIN_WORD.search(text)]
