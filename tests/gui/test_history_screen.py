"""The diary screen: the list newest first, the chart, red-flag cards shown
once, and everything reachable from the keyboard and by a screen reader."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFrame, QPushButton, QSpinBox
from pytestqt.qtbot import QtBot

from coach.app.diary import insights_for
from coach.core.diary import Episode, RoutineSession
from coach.core.settings import Settings
from coach.ui.history_screen import COLUMNS, DURATION, NOTES, WHEN, HistoryScreen
from coach.ui.widgets import visible_text
from tests.gui.conftest import named

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 3, 4)  # a Wednesday
NOW = datetime(2026, 3, 4, 9, 0, tzinfo=timezone.utc)


def episode(days_ago: float, episode_id: int, *, duration_s: float = 90.0,
            notes: str = "") -> Episode:
    return Episode(started=NOW - timedelta(days=days_ago), duration_s=duration_s, place="calf",
                   side="left", severity=4, notes=notes, id=episode_id)


# Oldest first, as nothing guarantees the order the screen is given.
EPISODES = (
    episode(30, 1, notes="first\nsecond line"),
    episode(10, 2, duration_s=11 * 60, notes="a long one"),
    episode(1.5, 3, notes="Судорога 😖"),
)
SESSIONS = tuple(RoutineSession(started=NOW - timedelta(days=d, hours=11), routine_id="bedtime",
                                routine_title="Bedtime stretch", completed=True,
                                duration_s=300.0, id=d + 1) for d in range(1, 6))
LONG_FLAG = "long:2"


@pytest.fixture()
def screen(qtbot: QtBot) -> HistoryScreen:
    widget = HistoryScreen()
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def show(screen: HistoryScreen, episodes: Sequence[Episode] = EPISODES,
         seen: frozenset[str] = frozenset()) -> None:
    findings = insights_for(episodes, SESSIONS, zone=LONDON, today=TODAY,
                            settings=Settings(country="GB"))
    screen.show_data(episodes, findings, zone=LONDON, seen_flags=seen)


def cards(screen: HistoryScreen) -> list[str]:
    return [str(frame.property("flag_id")) for frame in screen.findChildren(QFrame)
            if frame.property("flag_id") and not frame.isHidden()]


def got_it(screen: HistoryScreen) -> QPushButton:
    return next(b for b in screen.findChildren(QPushButton)
                if visible_text(b) == "Got it" and not b.isHidden())


def test_the_list_is_newest_first_with_readable_cells(screen: HistoryScreen) -> None:
    show(screen)
    model = screen.model
    assert model.rowCount() == 3
    assert model.columnCount() == len(COLUMNS)
    assert [model.episode(row).id for row in range(3)] == [3, 2, 1]
    assert model.index(0, WHEN).data() == "Mon, 2 Mar 2026, 21:00"  # CLDR en_GB
    assert model.index(1, DURATION).data() == "11:00"
    assert model.index(1, DURATION).data(Qt.ItemDataRole.AccessibleTextRole) == "11 min 0 s"
    assert model.index(2, NOTES).data() == "first"  # the first line only
    assert model.index(0, NOTES).data() == "Судорога 😖"


def test_the_chart_gets_twelve_weeks_and_says_them_in_words(screen: HistoryScreen) -> None:
    show(screen)
    weeks = screen.chart.weeks()
    assert len(weeks) == 12
    assert weeks[-1].start == date(2026, 3, 2)
    assert sum(w.cramps for w in weeks) == 3
    assert screen.chart.accessibleName() == "Weekly chart"
    assert screen.chart.accessibleDescription() == (
        "Last 12 weeks: 3 cramps; bedtime routine on 5 nights; this week 1 cramp and the "
        "routine on 1 night.")


def test_the_six_week_check_is_shown_in_words(screen: HistoryScreen) -> None:
    show(screen)
    assert screen.check.text().startswith(
        "Not enough diary yet to compare the weeks before and after")


def test_a_long_cramp_gets_a_card_until_got_it(screen: HistoryScreen, qtbot: QtBot) -> None:
    show(screen)
    assert cards(screen) == [LONG_FLAG]
    with qtbot.waitSignal(screen.flag_seen) as seen:
        got_it(screen).click()
    assert seen.args == [LONG_FLAG]
    assert cards(screen) == []
    show(screen)  # the app may refresh before it has saved the id: still gone
    assert cards(screen) == []


def test_with_a_short_diary_the_card_gets_the_room_the_list_does_not_need(
        screen: HistoryScreen) -> None:
    """A diary audit's case: one long cramp logged, and its card (see a
    doctor) scrolled in a strip beside an empty list that kept 160 px."""
    screen.resize(1000, 340)  # too short for the card whole, in any look
    show(screen, [episode(1, 1, duration_s=11 * 60)])
    QApplication.processEvents()
    table = screen.table
    one_row = table.horizontalHeader().height() + table.rowHeight(0) + 2 * table.frameWidth()
    assert table.height() <= one_row + 2
    show(screen, [episode(days, n, duration_s=11 * 60 if n == 1 else 90)
                  for n, days in enumerate(range(1, 12), start=1)])
    QApplication.processEvents()
    assert screen.table.height() >= 160  # a long list keeps room: header and four rows


def test_a_flag_already_seen_is_not_shown(screen: HistoryScreen) -> None:
    show(screen, seen=frozenset({LONG_FLAG}))
    assert cards(screen) == []


def test_flags_are_shown_one_at_a_time(screen: HistoryScreen, qtbot: QtBot) -> None:
    show(screen, [*EPISODES, episode(3, 4, duration_s=12 * 60)])
    assert cards(screen) == ["long:4"]
    with qtbot.waitSignal(screen.flag_seen):
        got_it(screen).click()
    assert cards(screen) == [LONG_FLAG]


def test_delete_and_enter_act_on_the_selected_row(screen: HistoryScreen, qtbot: QtBot) -> None:
    show(screen)
    screen.table.selectRow(1)
    with qtbot.waitSignal(screen.delete_requested) as deleted:
        QTest.keyClick(screen.table, Qt.Key.Key_Delete)
    assert deleted.args[0] == EPISODES[1]
    QTest.keyClick(screen.table, Qt.Key.Key_Down)
    with qtbot.waitSignal(screen.edit_requested) as edited:
        QTest.keyClick(screen.table, Qt.Key.Key_Return)
    assert isinstance(edited.args[0], Episode)
    assert edited.args[0].id == 1


def test_escape_goes_back_from_the_list(screen: HistoryScreen, qtbot: QtBot) -> None:
    show(screen)
    screen.setFocus()
    qtbot.waitUntil(screen.table.hasFocus)  # the list stands in for the screen
    with qtbot.waitSignal(screen.back):
        QTest.keyClick(screen.table, Qt.Key.Key_Escape)


def test_the_selection_survives_a_refresh(screen: HistoryScreen) -> None:
    show(screen)
    screen.table.selectRow(2)
    show(screen, [*EPISODES, episode(1, 5)])  # a new entry above it
    assert screen.model.episode(screen.table.currentIndex().row()).id == 1


def test_an_empty_diary_says_so_and_disables_edit(screen: HistoryScreen) -> None:
    show(screen, [])
    edit = next(b for b in screen.findChildren(QPushButton) if visible_text(b) == "Edit…")
    assert not edit.isEnabled()
    assert screen.table.isHidden()


def test_every_button_is_named_as_it_reads(screen: HistoryScreen) -> None:
    show(screen)
    buttons = screen.findChildren(QPushButton)
    assert {visible_text(b) for b in buttons} >= {
        "Log a cramp…", "Edit…", "Delete", "Export…", "Back", "Got it"}
    for widget in buttons:
        assert widget.accessibleName() == visible_text(widget)
    assert screen.table.accessibleName() == "Cramp episodes"


def test_the_buttons_emit_their_requests(screen: HistoryScreen, qtbot: QtBot) -> None:
    show(screen)
    by_text = {visible_text(b): b for b in screen.findChildren(QPushButton)}
    for text, signal in (("Log a cramp…", screen.log_requested),
                         ("Export…", screen.export_requested), ("Back", screen.back)):
        with qtbot.waitSignal(signal):
            by_text[text].click()
    with qtbot.waitSignal(screen.edit_requested) as edited:
        by_text["Edit…"].click()
    assert edited.args[0].id == 3  # the newest is selected at first


def test_tab_reaches_every_control(screen: HistoryScreen, qtbot: QtBot) -> None:
    show(screen)
    screen.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is screen)
    screen.setFocus()
    qtbot.waitUntil(screen.table.hasFocus)
    reached = set()
    for _ in range(10):
        focused = QApplication.focusWidget()
        assert focused is not None
        QTest.keyClick(focused, Qt.Key.Key_Tab)
        reached.add(QApplication.focusWidget())
    wanted = {screen.chart, screen.table, got_it(screen),
              *(b for b in screen.findChildren(QPushButton) if b.isEnabled())}
    assert wanted <= reached


def test_editing_one_field_leaves_the_time_and_length_as_they_were(qtbot: QtBot) -> None:
    """A diary audit's case: an entry at the second 01:30 of the night the
    clocks go back, saved with only its severity changed, moved an hour
    earlier (a wall time cannot say which 01:30), and lost its seconds."""
    from coach.ui.episode_dialog import EpisodeDialog

    london = ZoneInfo("Europe/London")
    second_half_past_one = datetime(2026, 10, 25, 1, 30, 42, tzinfo=timezone.utc)  # GMT
    assert second_half_past_one.astimezone(london).fold == 1
    entry = Episode(started=second_half_past_one, duration_s=95.4, place="calf",
                    side="left", severity=6, id=7)
    dialog = EpisodeDialog(entry, london, {}, "Edit entry")
    qtbot.addWidget(dialog)
    named(dialog, QSpinBox, "How bad, 0 to 10").setValue(8)
    edited = dialog.episode()
    assert (edited.started, edited.duration_s, edited.severity) == (
        second_half_past_one, 95.4, 8)

    named(dialog, QSpinBox, "Minutes it lasted").setValue(2)  # changed: taken as shown
    assert dialog.episode().duration_s == 155.0


def test_esc_after_a_change_asks_before_throwing_it_away(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """A diary audit's case: Esc in "Edit entry" or "Log a cramp…" threw away
    everything typed without a word."""
    from PySide6.QtWidgets import QMessageBox

    from coach.ui.episode_dialog import EpisodeDialog

    entry = Episode(started=datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc), duration_s=60,
                    place="calf", side="left", severity=6, id=3)
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", answer)
    dialog = EpisodeDialog(entry, timezone.utc, {}, "Edit entry", confirm_discard=True)
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)  # nothing changed: closes, no question
    assert not dialog.isVisible() and asked == []

    dialog.show()
    named(dialog, QSpinBox, "How bad, 0 to 10").setValue(9)
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == ["Discard the changes to this entry?"]
    assert dialog.isVisible() and dialog.episode().severity == 9  # kept, on "Cancel"
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()  # gone, on "Discard"
    assert dialog.result() == EpisodeDialog.DialogCode.Rejected


def test_tab_leaves_the_date_box(qtbot: QtBot) -> None:
    """A diary audit's case: Tab went through the date's day, month, year,
    hour and minute before leaving it; five Tabs from "When it started"
    landed in the minutes box, where "7" changed how long the cramp lasted."""
    from PySide6.QtWidgets import QDateTimeEdit

    from coach.ui.episode_dialog import EpisodeDialog

    entry = Episode(started=datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc), duration_s=95,
                    place="calf", side="left", severity=6)
    dialog = EpisodeDialog(entry, timezone.utc, {}, "Edit entry")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    when = dialog.findChild(QDateTimeEdit)
    assert when is not None
    when.setFocus()
    QTest.keyClick(when, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is named(dialog, QSpinBox, "Minutes it lasted")
