"""A routine from the list to the record, through the real widgets and keys,
on a fake clock: start, the countdown moves, pause stops it, resume, finish."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from coach.app import content
from coach.app.navigation import Screen
from coach.core import paths
from coach.core.engine import State
from coach.core.model import (
    Caution,
    Evidence,
    Exercise,
    Library,
    Provenance,
    Routine,
    RoutineItem,
    Sides,
    Text,
)
from coach.core.timetable import SegmentKind
from coach.ui.app import CoachApp
from coach.ui.basics import Illustration
from coach.ui.player_screen import PlayerScreen
from coach.ui.widgets import visible_text
from tests.fakes.sound import FakePlayer
from tests.fakes.speech import FakeSpeaker
from tests.fakes.timers import FakeTimers
from tests.gui.conftest import MakeApp, shown_text

SOURCE = Provenance(Evidence.MIXED, "Hallegraeff 2012")
HOLD = Exercise(id="hold", title=Text.plain("Wall stretch"), steps=(Text.plain("Lean."),),
                provenance=SOURCE, image="images/place_calf.svg", sides=Sides.EACH, hold=20)
REPS = Exercise(id="reps", title=Text.plain("Ankle circles"), steps=(Text.plain("Circle."),),
                provenance=SOURCE, image="images/place_foot.svg", reps=4, tempo=2)
SHORT = Routine(id="short", title=Text.plain("Short"), rest=10,
                items=(RoutineItem("hold"), RoutineItem("reps")))
LIBRARY = Library(exercises=(HOLD, REPS), routines=(SHORT,))


def open_player(app: CoachApp, qtbot: QtBot) -> PlayerScreen:
    app.open_routines()
    flow = app.routine_flow()
    assert flow.routines is not None
    QTest.keyClick(flow.routines, Qt.Key.Key_Return)
    assert flow.player is not None
    return flow.player


@pytest.mark.parametrize("away", ["emergency", "home", "window closed"])
def test_a_routine_left_running_pauses_and_falls_silent(
        away: str, make_app: MakeApp, qtbot: QtBot, timers: FakeTimers) -> None:
    """A routine audit's case: a cramp mid-routine, F1, and the routine went
    on reading its instructions over emergency mode's; the same after the
    window was closed to the tray, or home was shown."""
    speaker = FakeSpeaker()
    app = make_app(LIBRARY, speaker=speaker, tray=True)
    app.settings.update(voice=True)
    app.window.show()
    player = open_player(app, qtbot)
    timers.advance(8)
    assert player.engine.snapshot().state is State.RUNNING
    if away == "emergency":
        app.open_emergency()
    elif away == "home":
        app.go_home()
    else:
        app.window.close()
    assert player.engine.state is State.PAUSED and not speaker.speaking
    said = len(speaker.spoken)
    timers.advance(120)
    assert player.engine.state is State.PAUSED and len(speaker.spoken) == said


def test_skipping_past_the_last_exercise_silences_it(
        make_app: MakeApp, qtbot: QtBot, timers: FakeTimers) -> None:
    """A routine audit's case: Right on the last exercise ended the routine
    with its instruction still being read under "Well done"."""
    speaker = FakeSpeaker()
    app = make_app(LIBRARY, speaker=speaker)
    app.settings.update(voice=True)
    player = open_player(app, qtbot)
    timers.advance(6)  # past the get-ready, into the first exercise
    QTest.keyClick(player, Qt.Key.Key_Right)  # to the last exercise, counted in
    for _ in range(20):  # until it begins, its instruction being read
        view = player.engine.snapshot()
        if view.exercise_number == 2 and view.segment.kind is not SegmentKind.REST:
            break
        timers.advance(1)
    assert player.engine.snapshot().exercise_number == 2 and speaker.speaking
    QTest.keyClick(player, Qt.Key.Key_Right)
    assert player.engine.snapshot().state is State.FINISHED
    assert not speaker.speaking


def test_keyboard_run_with_pause_resume_and_record(
        make_app: MakeApp, qtbot: QtBot, timers: FakeTimers) -> None:
    player_sound = FakePlayer()
    app = make_app(LIBRARY, player=player_sound)
    app.settings.update(get_ready_seconds=3)
    player = open_player(app, qtbot)
    plan = player.engine.plan
    # get-ready 3 + left 20 + switch 5 + right 20 + rest 10 + reps 8 = 66 s
    assert plan.total == 66
    assert player.engine.state is State.RUNNING
    assert "Starting" in shown_text(player)
    timers.advance(3 + 5)
    assert player.countdown.number.text() == "0:15"
    assert "left leg" in player.countdown.phase.text()
    assert "Exercise 1 of 2" in shown_text(player)
    assert "start" in player_sound.played

    assert timers.armed(player)  # the countdown's next tick
    QTest.keyClick(player, Qt.Key.Key_Space)  # pause: the clock stops
    assert player.engine.snapshot().state is State.PAUSED
    assert not timers.armed(player)  # nothing left to wake it
    timers.advance(100)
    player.refresh()
    assert player.countdown.number.text() == "0:15"
    QTest.keyClick(player, Qt.Key.Key_Space)  # resume
    assert player.engine.state is State.RUNNING

    timers.advance(15 + 5 + 20 + 10 + 3)
    assert player.countdown.number.text() == "2/4"
    assert "Exercise 2 of 2" in shown_text(player)
    with qtbot.waitSignal(app.routine_flow().recorded, timeout=0) as recorded:
        timers.advance(6)
    session = recorded.args[0]
    assert session.completed and session.routine_id == "short"
    assert session.duration_s == plan.total
    assert "Space  Done" in {visible_text(b) for b in player.findChildren(QPushButton)
                             if b.isVisibleTo(player)}
    diary = app.diary.diary()
    assert diary is not None and diary.routine_sessions()[0].routine_id == "short"


def test_skip_back_and_stop_by_keyboard(make_app: MakeApp, qtbot: QtBot,
                                       timers: FakeTimers) -> None:
    app = make_app(LIBRARY, player=FakePlayer())
    player = open_player(app, qtbot)
    QTest.keyClick(player, Qt.Key.Key_Right)  # skip get-ready to the first exercise
    assert player.engine.snapshot().exercise_number == 1
    QTest.keyClick(player, Qt.Key.Key_Right)  # the next one, counted in first
    view = player.engine.snapshot()
    assert view.segment.kind is SegmentKind.REST and view.segment.next_exercise is not None
    assert view.remaining_seconds == app.settings.current.get_ready_seconds
    timers.advance(view.remaining_seconds)
    assert player.engine.snapshot().exercise_number == 2
    QTest.keyClick(player, Qt.Key.Key_Left)
    assert player.engine.snapshot().exercise_number == 1
    with qtbot.waitSignal(app.routine_flow().recorded, timeout=0) as recorded:
        QTest.keyClick(player, Qt.Key.Key_Escape)
    assert recorded.args[0].completed is False


def test_muted_cues_flash_instead(make_app: MakeApp, qtbot: QtBot,
                                  timers: FakeTimers) -> None:
    sound = FakePlayer()
    app = make_app(LIBRARY, player=sound)
    app.settings.update(sound=False, get_ready_seconds=3)
    player = open_player(app, qtbot)
    timers.advance(3)
    assert player.countdown.number.property("flash") is True
    timers.advance(1)
    assert player.countdown.number.property("flash") is False  # the flash ends by itself
    assert sound.played == []


def test_importing_a_broken_routine_names_file_and_line(
        make_app: MakeApp, qtbot: QtBot, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(content.load())
    app.open_routines()
    screen = app.routine_flow().routines
    assert screen is not None
    broken = tmp_path / "prescribed.yaml"
    broken.write_text("routines:\n  - id: prescribed\n    title: From my physio\n"
                      "    items:\n      - wall-calf-stretch\n      - calf-rasies\n")
    shown: list[str] = []

    def capture(box: QMessageBox) -> int:
        shown.append(box.informativeText() + "\n" + box.detailedText())
        return 0

    with monkeypatch.context() as patch:
        patch.setattr(QMessageBox, "exec", capture)
        screen.import_path(str(broken))
    assert shown and "prescribed.yaml:6:" in shown[0] and "calf-raises" in shown[0]
    assert not (paths.user_content_dir() / "prescribed.yaml").exists()

    broken.write_text(broken.read_text().replace("calf-rasies", "calf-raises"))
    with monkeypatch.context() as patch:
        patch.setattr(QMessageBox, "information", lambda *args: 0)
        screen.import_path(str(broken))
    assert (paths.user_content_dir() / "prescribed.yaml").exists()
    assert any(r.id == "prescribed" for r in app.content.library.routines)


def test_pausing_stops_the_voice(make_app: MakeApp, qtbot: QtBot,
                                 timers: FakeTimers) -> None:
    from tests.fakes.speech import FakeSpeaker

    speaker = FakeSpeaker()
    app = make_app(LIBRARY, player=FakePlayer(), speaker=speaker)
    app.settings.update(voice=True, get_ready_seconds=3)
    player = open_player(app, qtbot)
    timers.advance(3)
    assert speaker.spoken
    speaker.speaking = True
    QTest.keyClick(player, Qt.Key.Key_Space)
    assert speaker.speaking is False


def test_with_a_voice_a_set_is_explained_in_the_rest_before_its_beat(
        make_app: MakeApp, qtbot: QtBot, timers: FakeTimers) -> None:
    """Through the real player and cue board: the rest before "Ankle circles"
    says what comes and how, and the set starts with "Begin."."""
    speaker = FakeSpeaker()
    app = make_app(LIBRARY, player=FakePlayer(), speaker=speaker)
    app.settings.update(voice=True, get_ready_seconds=3)
    player = open_player(app, qtbot)
    player.start()
    for _second in range(60):
        if player.engine.snapshot().segment.kind is SegmentKind.REPS:
            break
        speaker.speaking = False  # each utterance ends before the next moment
        timers.advance(1)
    rest = speaker.spoken.index("Rest. Next: Ankle circles")
    assert speaker.spoken[rest:] == ["Rest. Next: Ankle circles", "Circle.", "Begin."]
    assert speaker.queued[rest + 1:] == [True, True]


STANDING = Exercise(id="standing", title=Text.plain("Standing calf raise"),
                    steps=(Text.plain("Rise."),), provenance=SOURCE,
                    image="images/place_calf.svg", hold=20, cautions=frozenset({Caution.BALANCE}))
WITH_STANDING = Routine(id="mixed", title=Text.plain("Mixed"), rest=10,
                        items=(RoutineItem("standing"), RoutineItem("reps")))
ONLY_STANDING = Routine(id="only", title=Text.plain("Only standing"), rest=10,
                        items=(RoutineItem("standing"),))


def get_ready(player: PlayerScreen) -> float:
    first = player.engine.plan.segments[0]
    assert first.kind is SegmentKind.GET_READY
    return first.duration


def test_a_routine_waiting_to_start_follows_a_settings_change(
        make_app: MakeApp, qtbot: QtBot, timers: FakeTimers) -> None:
    """A routine audit's case: a routine opened from the reminder and not yet
    started kept the plan it was opened with, so "unsteady on my feet" ticked
    in Settings before Start still began with a standing exercise."""
    app = make_app(Library(exercises=(STANDING, REPS), routines=(WITH_STANDING, ONLY_STANDING)))
    app.window.show()
    flow = app.routine_flow()
    flow.open_routine("mixed")
    assert flow.player is not None and flow.player.engine.state is State.READY
    assert [e.id for e in flow.player.engine.plan.exercises] == ["standing", "reps"]

    app.settings.update(profile=frozenset({"unsteady"}), get_ready_seconds=3)
    player = flow.player
    assert player is not None and app.navigation.current() is Screen.PLAYER
    assert player.engine.snapshot().state is State.READY
    assert [e.id for e in player.engine.plan.exercises] == ["reps"]
    assert get_ready(player) == 3
    QTest.keyClick(player, Qt.Key.Key_Space)  # Start: the new plan runs
    assert player.engine.state is State.RUNNING
    timers.advance(3)
    assert "Ankle circles" in shown_text(player)

    # Once under way, a routine keeps its plan; the next one follows.
    app.settings.update(profile=frozenset(), get_ready_seconds=5)
    assert flow.player is player and get_ready(player) == 3


def test_someone_unsteady_is_shown_and_told_only_the_seated_way(
        make_app: MakeApp, qtbot: QtBot, timers: FakeTimers) -> None:
    """A routine audit's case: "Done sitting" among the flags, under the
    standing steps, a standing figure and a voice saying "Rise"."""
    seated = replace(STANDING, supported=Text.plain("Sit, and lift your heels only."))
    speaker = FakeSpeaker()
    app = make_app(Library(exercises=(seated,), routines=(ONLY_STANDING,)), speaker=speaker)
    app.settings.update(profile=frozenset({"unsteady"}), voice=True)
    app.window.show()
    app.open_routines()
    flow = app.routine_flow()
    assert flow.routines is not None
    assert ("1 of them is done in its safer version, which the routine shows and says "
            "when it comes." in shown_text(flow.routines))
    flow.open_routine("only")
    player = flow.player
    assert player is not None
    QTest.keyClick(player, Qt.Key.Key_Space)
    timers.advance(5)
    shown = shown_text(player)
    assert "Sit, and lift your heels only." in shown and "Rise." not in shown
    assert "Not standing, because you are unsteady on your feet." in shown
    drawings = [d for d in player.findChildren(Illustration) if d.isVisibleTo(player)]
    assert drawings == []  # it has no drawing of its own: none, not the standing one
    said = " ".join(speaker.spoken)
    assert "Sit, and lift your heels only." in said and "Rise." not in said


LONG = Exercise(id="long", title=Text.plain("Long calf hold"), steps=(Text.plain("Hold."),),
                provenance=SOURCE, image="images/place_calf.svg", hold=60, reps=3,
                sides=Sides.EACH)
LONG_STANDING = replace(STANDING, hold=60, reps=3)
EVENING = Routine(id="evening", title=Text.plain("Evening"), rest=10,
                  description=Text.plain("Slow holds for the calves."),
                  items=(RoutineItem("long"), RoutineItem("standing")))


def test_the_list_says_how_long_a_routine_takes_as_the_person_will_do_it(
        make_app: MakeApp, qtbot: QtBot) -> None:
    """From the plan, never from the description: with a standing exercise
    left out for the safety profile the routine is shorter, and says so."""
    app = make_app(Library(exercises=(LONG, LONG_STANDING), routines=(EVENING,)))
    app.window.show()
    app.open_routines()
    flow = app.routine_flow()
    assert flow.routines is not None
    # get ready 5; each side 3 x 60 + 2 x 5 relax, 5 to switch: 385; rest 10;
    # the standing one 3 x 60 + 2 x 5: 190. 590 s, about 10 minutes.
    assert "It takes about 10 minutes. Slow holds for the calves." in shown_text(flow.routines)
    app.settings.update(profile=frozenset({"unsteady"}))
    # 5 + 385 = 390 s without the standing one: about 6 minutes.
    assert "It takes about 6 minutes." in shown_text(flow.routines)


def test_a_waiting_routine_the_new_profile_empties_goes_back_to_the_list(
        make_app: MakeApp, qtbot: QtBot) -> None:
    app = make_app(Library(exercises=(STANDING, REPS), routines=(WITH_STANDING, ONLY_STANDING)))
    app.window.show()
    flow = app.routine_flow()
    flow.open_routine("only")
    assert flow.player is not None
    app.settings.update(profile=frozenset({"unsteady"}))
    assert flow.player is None and app.navigation.current() is Screen.ROUTINES
    assert "Every exercise in this routine is left out" in shown_text(app.window.notice_bar)


def test_a_waiting_routine_follows_its_file_until_it_starts(
        make_app: MakeApp, qtbot: QtBot) -> None:
    """The physio's routine, opened and waiting, was changed (imported again)
    or removed: it begins as the file now says, or the list is shown."""
    mine = paths.user_content_dir() / "prescribed.yaml"
    mine.parent.mkdir(parents=True, exist_ok=True)
    mine.write_text("routines:\n  - id: prescribed\n    title: From my physio\n"
                    "    items:\n      - wall-calf-stretch\n")
    app = make_app(content.load())
    app.window.show()
    flow = app.routine_flow()
    flow.open_routine("prescribed")
    assert flow.player is not None
    assert [e.id for e in flow.player.engine.plan.exercises] == ["wall-calf-stretch"]

    mine.write_text(mine.read_text() + "      - calf-raises\n")
    app.content.reload()
    assert flow.player is not None and app.navigation.current() is Screen.PLAYER
    assert [e.id for e in flow.player.engine.plan.exercises] == ["wall-calf-stretch",
                                                                 "calf-raises"]
    app.go_home()  # changed out of sight, it stays out of sight
    app.settings.update(get_ready_seconds=3)
    assert app.navigation.current() is Screen.HOME
    assert flow.player is not None and get_ready(flow.player) == 3
    flow.open_routine("prescribed")
    mine.unlink()
    app.content.reload()
    assert flow.player is None and app.navigation.current() is Screen.ROUTINES
