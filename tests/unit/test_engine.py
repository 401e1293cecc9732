"""The routine engine on a fake clock: countdowns derived from deadlines, pause,
skip and back, late ticks, wake-up times, and the outcome."""

from __future__ import annotations

import math
import random

import pytest

from coach.core.engine import MIN_WAKEUP_S, CueEvent, RoutineEngine, State
from coach.core.model import Evidence, Exercise, Provenance, Routine, RoutineItem, Sides, Text
from coach.core.timetable import CueKind, Plan, SegmentKind, build_plan
from tests.fakes.clock import FakeClock

SOURCE = Provenance(Evidence.MIXED, "test")


def exercise(exercise_id: str, *, hold: int | None = None, reps: int = 1,
             tempo: float | None = None, sides: Sides = Sides.BOTH) -> Exercise:
    return Exercise(id=exercise_id, title=Text.plain(exercise_id), steps=(Text.plain("Go."),),
                    provenance=SOURCE, image="x.svg", sides=sides, hold=hold, reps=reps,
                    tempo=tempo)


CALF = exercise("calf", hold=30)
RAISES = exercise("raises", tempo=2, reps=5)
WALL = exercise("wall", hold=20, reps=2, sides=Sides.EACH)
CIRCLES = exercise("circles", tempo=1.5, reps=3)
ALL = {e.id: e for e in (CALF, RAISES, WALL, CIRCLES)}


def make_plan(*ids: str, get_ready: int = 3, rest: int = 10) -> Plan:
    routine = Routine(id="evening", title=Text.plain("Evening"), rest=rest,
                      items=tuple(RoutineItem(i) for i in ids))
    return build_plan(routine, ALL, get_ready)


def started(*ids: str, get_ready: int = 3, rest: int = 10
            ) -> tuple[RoutineEngine, FakeClock, list[CueEvent]]:
    clock = FakeClock()
    engine = RoutineEngine(make_plan(*ids, get_ready=get_ready, rest=rest), clock)
    return engine, clock, engine.start()


def kinds(events: list[CueEvent]) -> list[CueKind]:
    return [event.cue.kind for event in events]


def run_on_time(engine: RoutineEngine, clock: FakeClock) -> list[CueEvent]:
    """Wake exactly when asked until the routine ends."""
    events: list[CueEvent] = []
    while (wait := engine.next_wakeup()) is not None:
        clock.advance(wait)
        events += engine.tick()
    return events


# -- countdown and display ------------------------------------------------------

def test_nothing_runs_before_start() -> None:
    clock = FakeClock()
    engine = RoutineEngine(make_plan("calf"), clock)
    clock.advance(50)
    assert engine.tick() == [] and engine.next_wakeup() is None
    view = engine.snapshot()
    assert view.state is State.READY and view.segment_index == 0
    assert view.remaining_seconds == 3 and view.total_remaining == engine.plan.total == 33
    assert view.progress == 0 and view.exercise_number == 0 and view.exercise_total == 1
    assert engine.outcome() is None


def test_start_announces_get_ready() -> None:
    engine, _, events = started("calf")
    assert kinds(events) == [CueKind.GET_READY]
    assert events[0].segment.kind is SegmentKind.GET_READY and events[0].due == 1000.0
    assert engine.start() == []


def test_countdown_is_derived_from_the_deadline() -> None:
    engine, clock, _ = started("calf")
    clock.advance(3)
    assert kinds(engine.tick()) == [CueKind.START]
    clock.advance(0.4)
    engine.tick()
    view = engine.snapshot()
    assert view.segment.kind is SegmentKind.HOLD and view.remaining_seconds == 30
    assert view.elapsed_in_segment == pytest.approx(0.4)
    clock.advance(0.6)
    assert engine.snapshot().remaining_seconds == 29
    clock.advance(25.5)
    assert engine.snapshot().remaining_seconds == 4
    assert engine.snapshot().exercise_number == 1


def test_on_time_ticks_deliver_every_cue_of_the_plan_in_order() -> None:
    engine, clock, events = started("wall", "raises", "calf")
    events += run_on_time(engine, clock)
    expected = [(i, cue) for i, segment in enumerate(engine.plan.segments)
                for cue in segment.cues]
    assert [(e.segment_index, e.cue) for e in events] == expected
    for event in events:
        assert event.due == pytest.approx(1000 + engine.plan.starts[event.segment_index]
                                          + event.cue.at)


def test_rep_number_is_derived_from_elapsed_time_and_tempo() -> None:
    engine, clock, _ = started("raises")
    clock.advance(3)
    engine.tick()
    seen = []
    for step in (0.0, 1.9, 0.1, 3.9, 4.0):
        clock.advance(step)
        engine.tick()
        seen.append(engine.snapshot().rep_number)
    assert seen == [1, 1, 2, 3, 5]


def test_total_remaining_is_the_plan_total_minus_active_time() -> None:
    engine, clock, _ = started("calf", "raises")
    for step in (2.5, 7.25, 30.0, 4.0):
        clock.advance(step)
        engine.tick()
        view = engine.snapshot()
        active = clock.monotonic() - 1000
        assert view.total_remaining == pytest.approx(engine.plan.total - active, abs=1e-9)
        assert view.progress == pytest.approx(active / engine.plan.total)


# -- pause -------------------------------------------------------------------------

def test_pause_stops_the_clock_and_resume_continues() -> None:
    engine, clock, _ = started("calf")
    clock.advance(10.3)
    engine.pause()
    before = engine.snapshot()
    assert before.state is State.PAUSED and before.remaining_seconds == 23
    clock.advance(100)
    assert engine.tick() == [] and engine.next_wakeup() is None
    after = engine.snapshot()
    assert after.remaining_seconds == 23 and after.total_remaining == before.total_remaining
    # The hold's instruction again: the pause stopped the voice, perhaps in it.
    assert kinds(engine.resume()) == [CueKind.START]
    assert engine.snapshot().remaining_seconds == 23
    clock.advance(0.7)
    assert engine.snapshot().remaining_seconds == 22
    clock.advance(22)
    assert kinds(engine.tick()) == [CueKind.END]
    assert engine.state is State.FINISHED


def test_cues_due_during_a_pause_wait_for_the_resume() -> None:
    engine, clock, _ = started("calf")
    clock.advance(2)
    engine.tick()
    clock.advance(1.5)
    engine.pause()
    clock.advance(60)
    assert engine.snapshot().segment.kind is SegmentKind.HOLD
    assert kinds(engine.resume()) == [CueKind.START]  # announced again, and only that
    assert engine.snapshot().elapsed_in_segment == pytest.approx(0.5)


# -- skip and back --------------------------------------------------------------------

def test_skip_from_get_ready_goes_to_the_first_exercise() -> None:
    engine, clock, _ = started("raises", "calf")
    clock.advance(1)
    events = engine.skip()
    assert kinds(events) == [CueKind.START, CueKind.REP]
    view = engine.snapshot()
    assert view.segment.kind is SegmentKind.REPS and view.remaining_seconds == 10


def test_skip_counts_the_next_exercise_in_with_the_get_ready_time() -> None:
    """Skipping from a hold lands in the rest before the next exercise with
    only the get-ready time left: it is announced and counted in, never
    started mid-breath."""
    engine, clock, _ = started("wall", "raises", "calf")
    clock.advance(3 + 5)
    engine.tick()
    assert engine.snapshot().segment.side is not None
    events = engine.skip()
    view = engine.snapshot()
    assert view.segment.kind is SegmentKind.REST and view.segment.next_exercise == RAISES
    assert view.remaining_seconds == 3  # the get-ready time
    assert kinds(events)[0] is CueKind.REST  # "Rest. Next: calf raises"
    clock.advance(3)
    assert CueKind.START in kinds(engine.tick())
    assert engine.snapshot().segment.exercise == RAISES
    clock.advance(10.5)
    engine.tick()
    assert engine.snapshot().segment.kind is SegmentKind.REST
    engine.skip()  # from that rest: to its last three seconds
    view = engine.snapshot()
    assert view.segment.kind is SegmentKind.REST and view.segment.next_exercise == CALF
    assert view.remaining_seconds == 3
    clock.advance(3)
    engine.tick()
    view = engine.snapshot()
    assert view.segment.exercise == CALF and view.exercise_number == 3
    assert view.remaining_seconds == 30


def test_skip_early_in_a_rest_goes_on_to_the_count_in() -> None:
    engine, clock, _ = started("raises", "calf")
    clock.advance(3 + 10 + 2)  # two seconds into the 15-second rest
    engine.tick()
    engine.skip()
    view = engine.snapshot()
    assert view.segment.kind is SegmentKind.REST and view.remaining_seconds == 3


def test_skip_in_a_count_in_skips_the_exercise_counted_in() -> None:
    """A routine audit's case: Right twice, to skip two exercises, stayed in
    the count-in of the first: the second press aimed at the same rest."""
    engine, clock, _ = started("raises", "wall", "calf")
    clock.advance(3 + 1)
    engine.tick()
    engine.skip()  # from raises: counted in to wall
    assert engine.snapshot().segment.next_exercise == WALL
    engine.skip()  # again: past wall, counted in to calf
    view = engine.snapshot()
    assert view.segment.kind is SegmentKind.REST and view.segment.next_exercise == CALF
    clock.advance(0.5)
    engine.tick()
    engine.skip()  # and in calf's count-in, past calf, the last: the end
    assert engine.state is State.FINISHED


def test_skip_from_the_last_exercise_finishes() -> None:
    engine, clock, _ = started("calf")
    clock.advance(8)
    engine.tick()
    engine.skip()
    assert engine.state is State.FINISHED
    outcome = engine.outcome()
    assert outcome is not None and outcome.completed and outcome.active_s == pytest.approx(8)
    view = engine.snapshot()
    assert view.total_remaining == 0 and view.progress == 1 and view.remaining_seconds == 0


def test_back_restarts_the_current_exercise_after_the_grace_period() -> None:
    engine, clock, _ = started("calf", "wall")
    clock.advance(3 + 30 + 10 + 20 + 4)
    engine.tick()
    assert engine.snapshot().segment.kind is SegmentKind.RELAX
    events = engine.back()
    assert kinds(events) == [CueKind.START]
    view = engine.snapshot()
    assert view.segment_index == engine.plan.first_segment(1) and view.remaining_seconds == 20


def test_back_within_the_grace_period_goes_to_the_previous_exercise() -> None:
    engine, clock, _ = started("calf", "wall")
    clock.advance(3 + 30 + 10 + 2.5)
    engine.tick()
    engine.back()
    assert engine.snapshot().segment.exercise == CALF


def test_back_from_a_rest_restarts_the_exercise_just_done() -> None:
    engine, clock, _ = started("calf", "wall")
    clock.advance(3 + 30 + 1)
    engine.tick()
    engine.back()
    assert engine.snapshot().segment_index == 1


def test_back_on_the_first_exercise_and_in_get_ready_restart_them() -> None:
    engine, clock, _ = started("calf", "wall")
    clock.advance(3 + 1)
    engine.tick()
    engine.back()
    assert engine.snapshot().segment_index == 1 and engine.snapshot().remaining_seconds == 30
    engine, clock, _ = started("calf")
    clock.advance(2)
    assert kinds(engine.back()) == [CueKind.GET_READY]
    assert engine.snapshot().remaining_seconds == 3


def test_skip_while_paused_stays_paused_and_counts_in_on_resume() -> None:
    engine, clock, _ = started("calf", "raises")
    clock.advance(10)
    engine.pause()
    clock.advance(40)
    assert engine.skip() == []
    view = engine.snapshot()
    assert view.state is State.PAUSED and view.segment.next_exercise == RAISES
    assert view.remaining_seconds == 3
    clock.advance(5)
    assert kinds(engine.resume()) == [CueKind.REST, CueKind.TICK]  # "Rest… next", "3"
    clock.advance(3)
    assert CueKind.START in kinds(engine.tick())
    clock.advance(10)
    engine.tick()
    outcome = engine.outcome()
    assert outcome is not None and outcome.completed
    assert outcome.active_s == pytest.approx(10 + 3 + 10)  # the skipped rest does not count
    assert outcome.elapsed_s == pytest.approx(10 + 45 + 3 + 10)


# -- stop and outcome -----------------------------------------------------------------

def test_stop_records_an_incomplete_outcome_with_active_and_elapsed_time() -> None:
    clock = FakeClock()
    engine = RoutineEngine(make_plan("calf"), clock)
    wall = clock.wall()
    engine.start()
    clock.advance(12)
    engine.pause()
    clock.advance(30)
    engine.resume()
    clock.advance(5)
    engine.stop()
    assert engine.state is State.STOPPED and engine.tick() == []
    outcome = engine.outcome()
    assert outcome is not None
    assert outcome.routine_id == "evening" and not outcome.completed
    assert outcome.started == wall
    assert outcome.active_s == pytest.approx(17) and outcome.elapsed_s == pytest.approx(47)
    clock.advance(100)
    assert engine.snapshot().remaining_seconds == 30 - 14
    assert engine.skip() == [] and engine.back() == [] and engine.resume() == []


def test_stop_after_the_last_deadline_counts_as_finished() -> None:
    engine, clock, _ = started("calf")
    clock.advance(40)
    engine.stop()
    outcome = engine.outcome()
    assert outcome is not None and outcome.completed and outcome.active_s == 33


def test_stop_before_start_has_no_outcome() -> None:
    engine = RoutineEngine(make_plan("calf"), FakeClock())
    engine.stop()
    assert engine.state is State.STOPPED and engine.outcome() is None


def test_an_empty_plan_cannot_be_played() -> None:
    routine = Routine(id="r", title=Text.plain("R"), items=(RoutineItem("calf"),))
    with pytest.raises(ValueError, match="no exercises"):
        RoutineEngine(build_plan(routine, ALL, 3, exclude={"calf"}), FakeClock())


@pytest.mark.parametrize("seed", range(20))
def test_late_irregular_ticks_never_gain_or_lose_time(seed: int) -> None:
    rng = random.Random(seed)
    engine, clock, _ = started("wall", "raises", "circles", "calf", get_ready=5)
    paused = 0.0
    while engine.state is not State.FINISHED:
        wait = engine.next_wakeup()
        assert wait is not None and wait > 0
        late = 7.0 if rng.random() < 0.1 else rng.uniform(0, 0.3)
        clock.advance(wait * rng.choice((0.3, 1.0, 1.0)) + late)
        engine.tick()
        view = engine.snapshot()
        assert 0 <= view.remaining_seconds <= math.ceil(view.segment.duration)
        if engine.state is State.RUNNING and rng.random() < 0.05:
            engine.pause()
            pause = rng.uniform(0, 20)
            clock.advance(pause)
            paused += pause
            engine.resume()
    outcome = engine.outcome()
    assert outcome is not None and outcome.completed
    assert abs(outcome.active_s - engine.plan.total) <= 1e-9
    assert abs(outcome.elapsed_s - (engine.plan.total + paused)) <= 1e-9


def test_a_run_exactly_on_time_reports_exactly_the_plan_total() -> None:
    engine, clock, _ = started("wall", "circles", "calf")
    run_on_time(engine, clock)
    outcome = engine.outcome()
    assert outcome is not None and outcome.active_s == engine.plan.total


# -- late ticks: collapsing -------------------------------------------------------------

def test_a_very_late_tick_crosses_many_segments_and_keeps_only_the_latest_cues() -> None:
    # get-ready 3 | hold 20 L | relax 5 | hold 20 L | switch 5 | hold 20 R ...
    engine, clock, _ = started("wall", "calf")
    clock.advance(3 + 20 + 5 + 20 + 5 + 12)
    events = engine.tick()
    assert kinds(events) == [CueKind.START, CueKind.HALFWAY]
    assert [e.segment_index for e in events] == [5, 5]
    assert events[1].due == 1000 + 3 + 20 + 5 + 20 + 5 + 10
    view = engine.snapshot()
    assert view.segment_index == 5 and view.segment.side is not None
    assert view.remaining_seconds == 8 and view.rep_number == 1


def test_a_late_tick_landing_on_a_boundary_gives_the_end_and_the_next_announcement() -> None:
    engine, clock, _ = started("wall")
    clock.advance(3 + 20 + 5 + 20)
    events = engine.tick()
    assert kinds(events) == [CueKind.END, CueKind.SWITCH]
    assert {e.due for e in events} == {1000 + 48}


def test_stale_ticks_within_a_segment_collapse_to_the_latest() -> None:
    engine, clock, _ = started("calf")
    clock.advance(3 + 26)
    engine.tick()
    clock.advance(2.5)
    events = engine.tick()
    assert kinds(events) == [CueKind.TICK]
    assert events[0].cue.at == 28


def test_stale_rep_beats_collapse_but_the_announcement_survives() -> None:
    engine, clock, _ = started("raises")
    clock.advance(3 + 4.5)
    events = engine.tick()
    assert kinds(events) == [CueKind.START, CueKind.REP]
    assert events[1].cue.at == 4
    assert engine.snapshot().rep_number == 3


def test_a_tick_after_the_end_reports_only_the_final_end() -> None:
    engine, clock, _ = started("calf", "raises")
    clock.advance(500)
    events = engine.tick()
    assert kinds(events) == [CueKind.END]
    assert events[0].segment.kind is SegmentKind.REPS
    assert engine.state is State.FINISHED and engine.next_wakeup() is None


# -- wake-ups -------------------------------------------------------------------------

def test_next_wakeup_follows_whole_second_changes_and_cues() -> None:
    engine, clock, _ = started("calf")
    assert engine.next_wakeup() == pytest.approx(1.0)
    clock.advance(0.4)
    assert engine.next_wakeup() == pytest.approx(0.6)
    clock.advance(0.6)
    engine.tick()
    clock.advance(0.999)
    assert engine.next_wakeup() == pytest.approx(0.001)


def test_next_wakeup_lands_on_fractional_tempo_beats() -> None:
    engine, clock, _ = started("circles", get_ready=3)
    clock.advance(3)
    engine.tick()
    offsets = []
    while (wait := engine.next_wakeup()) is not None:
        clock.advance(wait)
        engine.tick()
        offsets.append(round(clock.monotonic() - 1003, 9))
    # beats at 1.5 and 3; the countdown of 4.5 s changes at 0.5, 1.5, 2.5, 3.5, 4.5
    assert offsets == [0.5, 1.5, 2.5, 3.0, 3.5, 4.5]


def test_next_wakeup_is_never_below_a_millisecond_and_none_unless_running() -> None:
    engine, clock, _ = started("calf")
    clock.advance(3.5)
    assert engine.next_wakeup() == MIN_WAKEUP_S
    engine.pause()
    assert engine.next_wakeup() is None
    engine.resume()
    engine.stop()
    assert engine.next_wakeup() is None


def test_waking_only_when_asked_visits_every_displayed_second() -> None:
    engine, clock, _ = started("calf", rest=10)
    shown = [engine.snapshot().remaining_seconds]
    while (wait := engine.next_wakeup()) is not None:
        clock.advance(wait)
        engine.tick()
        shown.append(engine.snapshot().remaining_seconds)
    assert shown == [3, 2, 1, 30, *range(29, -1, -1)]
