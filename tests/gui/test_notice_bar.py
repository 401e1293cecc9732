"""The notice strip must survive being built while notices are waiting: that
is the normal state after a repaired settings file or a broken routine."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from coach.core.diary import Episode
from coach.core.notices import Notices
from coach.ui.widgets import visible_text
from tests.fakes.clock import FakeClock
from tests.gui.conftest import MakeApp


def shown(bar: QWidget) -> list[str]:
    """The messages on show, top to bottom."""
    return [label.text() for label in bar.findChildren(QLabel) if label.isVisible()]


def buttons(bar: QWidget) -> list[str]:
    return [visible_text(b) for b in bar.findChildren(QPushButton) if b.isVisible()]


def test_bar_built_with_notices_waiting_shows_them(qtbot: QtBot) -> None:
    from coach.ui.notice_bar import NoticeBar

    notices = Notices()
    notices.post("warning", "first waiting")
    notices.post("error", "second waiting")
    bar = NoticeBar(notices)
    qtbot.addWidget(bar)
    texts = {label.text() for label in bar.findChildren(QLabel)}
    assert {"Note: first waiting", "Problem: second waiting"} <= texts


def test_emergency_opens_with_a_notice_waiting(make_app: MakeApp) -> None:
    notices = Notices()
    notices.post("warning", "The settings file was not usable")
    app = make_app(notices=notices)
    app.open_emergency()
    assert app.window.current_screen() == "emergency"
    app.open_emergency()  # a second request (a later launch) still works
    assert app.window.current_screen() == "emergency"


def test_no_message_is_dropped_the_others_wait_behind_a_button(qtbot: QtBot) -> None:
    """A started app can hold four at once (a settings file moved aside, a
    broken routine, no sound, the disclaimer): the one that says where the
    damaged file went must never be the one thrown away."""
    from coach.ui.notice_bar import MAX_SHOWN, NoticeBar

    notices = Notices()
    notices.post("warning", "The settings file was moved to settings.json.corrupt-1")
    notices.post("warning", "mine.yaml: a problem")
    bar = NoticeBar(notices)
    qtbot.addWidget(bar)
    bar.show()
    notices.post("info", "No sound output was found.")
    bar.add_action("Not medical advice.", "I understand")

    qtbot.waitUntil(lambda: len(shown(bar)) == MAX_SHOWN, timeout=1000)
    assert "Show 2 more messages" in buttons(bar)
    [more] = [b for b in bar.findChildren(QPushButton) if visible_text(b).startswith("Show ")]
    more.click()
    assert "Note: The settings file was moved to settings.json.corrupt-1" in shown(bar)
    assert len(shown(bar)) == 4 and more.isHidden()
    for _ in range(3):  # dismissed one by one, down to one: no button left
        dismiss = next(b for b in bar.findChildren(QPushButton)
                       if b.isVisible() and b is not more)
        dismiss.click()
    assert len(shown(bar)) == 1 and more.isHidden()


def next_tab_stop(widget: QWidget) -> QWidget:
    """Where Tab goes from ``widget``: the next in the focus chain that takes
    the focus by Tab and is shown, as Qt itself looks."""
    candidate = widget.nextInFocusChain()
    while candidate is not None and not (
            candidate.focusPolicy() & Qt.FocusPolicy.TabFocus and candidate.isVisible()):
        candidate = candidate.nextInFocusChain()
    assert candidate is not None
    return candidate


def test_the_keyboard_meets_the_notices_top_to_bottom(make_app: MakeApp) -> None:
    """A GUI audit's case: Tab went from the newest notice, on top, to the
    oldest, at the bottom, and then up again."""
    app = make_app()
    app.window.show()
    bar = app.window.notice_bar
    app.notices.post("info", "first")
    app.notices.post("info", "second")
    [more] = [b for b in bar.findChildren(QPushButton) if b.isVisible()
              and visible_text(b).startswith("Show ")]
    more.click()
    shown = sorted((b for b in bar.findChildren(QPushButton) if b.isVisible()),
                   key=lambda b: b.mapTo(bar, b.rect().topLeft()).y())
    assert len(shown) == 3  # the two, over the disclaimer's "I understand"
    assert [next_tab_stop(button) for button in shown[:-1]] == shown[1:]


def test_undo_gives_the_focus_back_to_the_screen(make_app: MakeApp, clock: FakeClock) -> None:
    """After Undo or Dismiss the focus had gone to the next notice's button:
    after an Undo, a second Space acknowledged the disclaimer."""
    app = make_app()
    app.window.show()
    saved = app.diary.add_episode(Episode(started=clock.wall(), duration_s=60.0,
                                          place="calf", side="left"))
    assert saved is not None
    app.open_diary()
    app.diary_flow().delete(saved)
    [undo] = [b for b in app.window.notice_bar.findChildren(QPushButton)
              if b.isVisible() and visible_text(b) == "Undo"]
    undo.setFocus()
    assert app.window.focusWidget() is undo
    undo.click()
    focused = app.window.focusWidget()
    history = app.diary_flow().history
    assert history is not None and focused is not None
    assert history.isAncestorOf(focused) or focused is history


def test_the_disclaimer_stays_in_sight_until_understood(make_app: MakeApp) -> None:
    """A GUI audit's case: "Saved to your diary" and one more notice pushed
    the unacknowledged disclaimer behind "Show 1 more message"."""
    app = make_app()
    app.settings.update(disclaimer_accepted=False)
    app.window.show()
    bar = app.window.notice_bar
    app.notices.post("info", "Saved to your diary.")
    app.notices.post("info", "No sound output was found.")
    shown = [label.text() for label in sorted(
        (label for label in bar.findChildren(QLabel) if label.isVisible()),
        key=lambda label: label.mapTo(bar, label.rect().topLeft()).y())]
    assert shown[0].startswith("Cramp Coach gives first-aid") and len(shown) == 2
    assert shown[1] == "No sound output was found."  # the newest, under it


def test_a_short_window_shows_one_notice_and_keeps_the_rest(qtbot: QtBot) -> None:
    """At 1024×600 two long notices took a third of the window and pushed the
    diary's own buttons below its edge (seen in a screenshot): a short window
    shows one, and the other waits behind its button until the window grows."""
    from coach.ui.main_window import COMPACT_BELOW, MainWindow
    from coach.ui.notice_bar import NoticeBar

    notices = Notices()
    bar = NoticeBar(notices)
    window = MainWindow()
    window.set_notice_bar(bar)
    qtbot.addWidget(window)
    window.resize(1100, 760)
    window.show()
    notices.post("warning", "A routine file could not be loaded.")
    notices.post("info", "No sound output was found.")

    def more() -> list[str]:
        return [text for text in buttons(bar) if text.startswith("Show ")]

    assert len(shown(bar)) == 2 and more() == []
    window.resize(1024, COMPACT_BELOW.height() - 80)
    assert window.compact
    assert shown(bar) == ["No sound output was found."]  # the newest
    assert more() == ["Show 1 more message"]
    window.resize(1100, 760)
    assert len(shown(bar)) == 2 and more() == []

    # A pinned banner (the disclaimer, until understood) still has the newest
    # message, here an Undo, in sight under it.
    window.resize(1024, COMPACT_BELOW.height() - 80)
    bar.add_action("Not medical advice.", "I understand", pinned=True)
    bar.add_action("Deleted.", "Undo")
    assert shown(bar) == ["Not medical advice.", "Deleted."]
    assert more() == ["Show 2 more messages"]
