"""After a cramp: the quick log saves in three taps, skips in one, and the
entry can be deleted and brought back."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from coach.core import paths
from coach.ui.app import CoachApp
from coach.ui.episode_dialog import EpisodeDialog
from coach.ui.quick_log import QuickLogScreen
from coach.ui.widgets import visible_text
from tests.fakes.clock import FakeClock
from tests.fakes.timers import FakeTimers
from tests.gui.conftest import MakeApp, shown_text
from tests.unit.test_emergency import FALLS_LIBRARY, LIBRARY


def through_a_cramp(app: CoachApp, clock: FakeClock) -> QuickLogScreen:
    app.open_emergency()
    screen = app.emergency
    assert screen is not None
    screen.choose("calf")
    QTest.keyClick(screen, Qt.Key.Key_N)  # no clot signs
    clock.advance(95)
    QTest.keyClick(screen, Qt.Key.Key_P)  # it has passed
    done = next(b for b in screen.findChildren(QPushButton) if visible_text(b) == "Enter  Done")
    done.click()
    flow = app.diary_flow()
    assert app.window.current_screen() == "quick_log" and flow.quick_log is not None
    return flow.quick_log


def tap(screen: QuickLogScreen, text: str) -> None:
    next(b for b in screen.findChildren(QAbstractButton) if visible_text(b) == text).click()


def test_three_taps_save_a_prefilled_entry(make_app: MakeApp, clock: FakeClock) -> None:
    app = make_app(LIBRARY)
    log = through_a_cramp(app, clock)
    tap(log, "L  Left leg")
    tap(log, "7")
    tap(log, "Enter  Save")
    diary = app.diary.diary()
    assert diary is not None
    [episode] = diary.episodes()
    assert (episode.place, episode.side, episode.severity) == ("calf", "left", 7)
    assert 94 <= episode.duration_s <= 96
    assert episode.steps_used == ("calf/pull",)
    assert app.window.current_screen() == "home"


def test_the_farewell_wishes_sleep_only_at_night(make_app: MakeApp, clock: FakeClock) -> None:
    app = make_app(LIBRARY, zone=lambda: timezone.utc)  # the clock's 23:30 is night
    heard: list[str] = []
    app.notices.subscribe(lambda notice: heard.append(notice.text))
    tap(through_a_cramp(app, clock), "Enter  Save")
    clock.jump_wall(timedelta(hours=15))  # 14:30 the next day: a cramp at the desk
    tap(through_a_cramp(app, clock), "Enter  Save")
    assert [text for text in heard if text.startswith("Saved")] == [
        "Saved to your diary. Sleep well.", "Saved to your diary."]


def test_notes_typed_in_more_details_survive_a_cancel(
        make_app: MakeApp, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """A GUI audit's case: notes typed in "More details…" were gone after a
    reflex Esc, with nothing asked."""
    app = make_app(LIBRARY)
    log = through_a_cramp(app, clock)
    typed: list[str] = []

    def type_then_cancel(dialog: EpisodeDialog) -> int:
        notes = next(box for box in dialog.findChildren(QPlainTextEdit))
        typed.append(notes.toPlainText())
        notes.setPlainText("woke at 3, after a long walk")
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(EpisodeDialog, "exec", type_then_cancel)
    tap(log, "More details…")
    tap(log, "More details…")  # opened again: the notes are still there
    assert typed == ["", "woke at 3, after a long walk"]
    assert app.window.current_screen() == "quick_log"
    tap(log, "Enter  Save")
    diary = app.diary.diary()
    assert diary is not None and [e.notes for e in diary.episodes()] == [
        "woke at 3, after a long walk"]


def test_a_step_done_seated_is_logged_as_it_was_shown(
        make_app: MakeApp, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone unsteady was told "Sit on the edge of the bed…"; the quick log
    listed "Stand on it", and so did "What helped most" in the entry."""
    app = make_app(FALLS_LIBRARY)
    app.settings.update(profile=frozenset({"unsteady"}))
    app.open_emergency()
    screen = app.emergency
    assert screen is not None
    screen.choose("thigh")
    QTest.keyClick(screen, Qt.Key.Key_N)  # no clot signs
    QTest.keyClick(screen, Qt.Key.Key_Space)  # to the standing step, shown seated
    assert "Sit on the edge of the bed" in shown_text(screen)
    QTest.keyClick(screen, Qt.Key.Key_P)  # it has passed
    done = next(b for b in screen.findChildren(QPushButton) if visible_text(b) == "Enter  Done")
    done.click()
    log = app.diary_flow().quick_log
    assert log is not None
    summary = shown_text(log)
    assert "Sit on the edge of the bed and press the foot down" in summary
    assert "Stand on it" not in summary
    offered: list[str] = []

    def read_then_save(dialog: EpisodeDialog) -> int:
        helped = next(box for box in dialog.findChildren(QComboBox)
                      if box.accessibleName() == "What helped most")
        offered.extend(helped.itemText(i) for i in range(helped.count()))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(EpisodeDialog, "exec", read_then_save)
    tap(log, "More details…")
    assert "Sit on the edge of the bed and press the foot down" in offered
    assert "Stand on it" not in offered
    diary = app.diary.diary()
    assert diary is not None
    [episode] = diary.episodes()
    assert episode.steps_used == ("thigh/sit-stretch", "thigh/stand")
    assert episode.steps_other_way == {"thigh/stand"}


def test_one_tap_skips(make_app: MakeApp, clock: FakeClock) -> None:
    app = make_app(LIBRARY)
    log = through_a_cramp(app, clock)
    tap(log, "Esc  Skip")
    diary = app.diary.diary()
    assert diary is not None and diary.episodes() == []
    assert app.window.current_screen() == "home"


def test_keyboard_quick_log(make_app: MakeApp, qtbot: QtBot, clock: FakeClock,
                            timers: FakeTimers) -> None:
    app = make_app(LIBRARY)
    log = through_a_cramp(app, clock)
    QTest.keyClick(log, Qt.Key.Key_R)
    QTest.keyClick(log, Qt.Key.Key_4)
    timers.advance(1)
    QTest.keyClick(log, Qt.Key.Key_Return)
    diary = app.diary.diary()
    assert diary is not None
    [episode] = diary.episodes()
    assert (episode.side, episode.severity) == ("right", 4)


def test_buttons_are_named_as_labelled(make_app: MakeApp, clock: FakeClock) -> None:
    app = make_app(LIBRARY)
    log = through_a_cramp(app, clock)
    for widget in log.findChildren(QAbstractButton):
        assert widget.accessibleName() == visible_text(widget)


def test_delete_and_undo_restore_the_same_entry(make_app: MakeApp, clock: FakeClock) -> None:
    app = make_app(LIBRARY)
    log = through_a_cramp(app, clock)
    tap(log, "Enter  Save")
    diary = app.diary.diary()
    assert diary is not None
    [episode] = diary.episodes()
    flow = app.diary_flow()
    flow.delete(episode)
    assert diary.episodes() == []
    undo = [b for b in app.window.notice_bar.findChildren(QPushButton)
            if visible_text(b) == "Undo"]
    assert undo
    undo[-1].click()
    assert diary.episodes() == [episode]


def test_a_diary_that_cannot_open_says_so_every_time_and_keeps_the_entry(
        make_app: MakeApp, clock: FakeClock) -> None:
    paths.data_dir().parent.mkdir(parents=True, exist_ok=True)
    paths.data_dir().write_text("a file where the diary folder should be")
    app = make_app(LIBRARY)
    heard: list[str] = []
    app.notices.subscribe(lambda notice: heard.append(notice.text))
    for _ in range(2):
        log = through_a_cramp(app, clock)
        tap(log, "L  Left leg")
        tap(log, "Enter  Save")
        assert app.window.current_screen() == "quick_log"  # still there to retry or skip
        assert log.episode().side == "left"
    assert len([text for text in heard if "could not be saved" in text]) == 2


def test_a_failed_save_is_said_on_the_quick_log_and_saving_again_works(
        make_app: MakeApp, clock: FakeClock, timers: FakeTimers) -> None:
    """A diary audit's case: with the diary unwritable, Save did nothing that
    could be seen (the notice strip waits while the quick log is up), so the
    person pressed Esc and the cramp was lost. The reason is now on the quick
    log itself; and once the problem is mended, Save again saves."""
    paths.data_dir().parent.mkdir(parents=True, exist_ok=True)
    paths.data_dir().write_text("a file where the diary folder should be")
    app = make_app(LIBRARY)
    app.window.show()
    log = through_a_cramp(app, clock)
    assert "Not saved" not in shown_text(log)
    tap(log, "L  Left leg")
    QTest.keyClick(log, Qt.Key.Key_7)
    timers.advance(1)
    QTest.keyClick(log, Qt.Key.Key_Return)
    shown = shown_text(log)
    assert "Not saved. The cramp could not be saved: Cramp Coach can't create the folder" \
        in shown
    assert "press Enter to try again, or Esc to leave it out" in shown
    assert app.window.current_screen() == "quick_log"
    assert (log.episode().side, log.episode().severity) == ("left", 7)

    paths.data_dir().unlink()  # mended: the folder can be made now
    timers.advance(1)
    QTest.keyClick(log, Qt.Key.Key_Return)
    assert app.window.current_screen() == "home"
    entries = app.diary.entries()
    assert entries is not None
    [saved] = entries[0]
    assert (saved.side, saved.severity) == ("left", 7)
    through_a_cramp(app, clock)
    assert "Not saved" not in shown_text(log)  # the next cramp starts clean


def test_a_diary_that_cannot_open_is_not_shown_as_an_empty_one(
        make_app: MakeApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """A diary audit's case: "Nothing logged yet" over a diary that could
    not be opened read as months of notes lost; Export did nothing."""
    paths.data_dir().parent.mkdir(parents=True, exist_ok=True)
    paths.data_dir().write_text("a file where the diary folder should be")
    app = make_app(LIBRARY)
    app.window.show()
    app.open_diary()
    history = app.diary_flow().history
    assert history is not None
    shown = shown_text(history)
    assert "Nothing logged yet" not in shown
    assert "Your diary cannot be shown just now" in shown
    assert "The diary file has been left as it is. Cramp Coach can't create the folder" in shown
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _parent, title, text: warned.append(f"{title}: {text}"))
    app.diary_flow().export()
    assert len(warned) == 1 and warned[0].startswith("Export failed: Cramp Coach can't")


def test_the_disclaimer_is_shown_until_understood(make_app: MakeApp) -> None:
    app = make_app(LIBRARY)
    understood = [b for b in app.window.notice_bar.findChildren(QPushButton)
                  if visible_text(b) == "I understand"]
    assert understood
    understood[0].click()
    assert app.settings.current.disclaimer_accepted
    assert app.settings.store.load().disclaimer_accepted


def test_the_quick_log_names_the_calf_step_when_another_protocol_reuses_its_id(
        make_app: MakeApp, clock: FakeClock) -> None:
    """The review's case: the in-water card's "pull" step came later and its
    text overwrote the calf step's in the titles."""
    from dataclasses import replace

    from coach.core.model import Step, Text

    water = LIBRARY.protocols[2]
    same_id = replace(water, steps=(*water.steps, Step(
        id="pull", instruction=Text.plain("Bend the knee (in water)"),
        action=water.steps[0].action, provenance=water.steps[0].provenance)))
    app = make_app(replace(LIBRARY, protocols=(*LIBRARY.protocols[:2], same_id)))
    log = through_a_cramp(app, clock)
    summary = shown_text(log)
    assert "steps used: pull" in summary and "in water" not in summary


def test_the_steps_used_read_as_a_list(qtbot: QtBot, timers: FakeTimers) -> None:
    """Audits in both languages: "steps used: Straighten your leg and pull
    your toes toward you., Stand up…" put full stops before the commas."""
    from datetime import datetime

    from coach.core.diary import Episode

    log = QuickLogScreen(timers)
    qtbot.addWidget(log)
    entry = Episode(started=datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc), duration_s=95,
                    place="calf", side="unknown", steps_used=("calf/pull", "calf/stand"))
    log.set_draft(entry, {"calf/pull": "Pull your toes toward you.",
                          "calf/stand": "Stand on the cold floor."})
    assert "steps used: Pull your toes toward you; Stand on the cold floor" \
        in shown_text(log)
    assert ".," not in shown_text(log)


def test_the_enter_that_ended_the_guide_does_not_save_the_quick_log(
        make_app: MakeApp, clock: FakeClock, timers: FakeTimers) -> None:
    """A diary audit's case: Enter ends the guide (Done) and saves the quick
    log, so Enter pressed twice, or held, saved an entry never seen."""
    app = make_app(LIBRARY)
    log = through_a_cramp(app, clock)
    QTest.keyClick(log, Qt.Key.Key_Return)  # the second press of a double Enter
    held = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier,
                     "\r", autorep=True)
    timers.advance(1)
    QApplication.sendEvent(log, held)  # a key held down repeats: still not a choice
    assert app.window.current_screen() == "quick_log"
    QTest.keyClick(log, Qt.Key.Key_Return)  # a press of its own, once it has been seen
    assert app.window.current_screen() == "home"


def test_an_entry_put_back_or_added_in_the_diary_is_the_one_selected(
        make_app: MakeApp, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """A diary audit's case: after Undo the old selection stayed, and after
    "Log a cramp…" the new entry was not selected, the focus left on a
    button half out of sight."""
    from datetime import datetime

    from coach.core.diary import Episode

    app = make_app(LIBRARY)
    app.window.show()
    for day in (1, 5, 9):
        app.diary.add_episode(Episode(started=datetime(2026, 3, day, 2, 0, tzinfo=timezone.utc),
                                      duration_s=60.0, place="calf", side="left"))
    app.open_diary()
    history = app.diary_flow().history
    assert history is not None
    middle = history.model.episode(1)
    assert middle.id is not None
    app.diary_flow().delete(middle)
    history.table.selectRow(0)
    undo = [b for b in app.window.notice_bar.findChildren(QPushButton)
            if visible_text(b) == "Undo"]
    undo[-1].click()
    assert history.model.episode(history.table.currentIndex().row()).id == middle.id
    assert app.window.focusWidget() is history.table

    monkeypatch.setattr(EpisodeDialog, "exec", lambda _dialog: QDialog.DialogCode.Accepted)
    app.diary_flow().log_by_hand()  # five minutes ago: the newest entry
    newest = max(history.model.episode(row).id or 0 for row in range(history.model.rowCount()))
    assert history.model.episode(history.table.currentIndex().row()).id == newest
