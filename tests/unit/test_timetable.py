"""The timetable: which segments a routine unrolls into, and exactly which
cues each one carries and when."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coach.core.model import (
    Caution,
    Evidence,
    Exercise,
    Provenance,
    Routine,
    RoutineItem,
    Side,
    Sides,
    Text,
)
from coach.core.timetable import Cue, CueKind, Exclude, Plan, SegmentKind, build_plan

SOURCE = Provenance(Evidence.MIXED, "test")


def exercise(exercise_id: str, *, hold: int | None = None, reps: int = 1,
             tempo: float | None = None, sides: Sides = Sides.BOTH,
             cautions: frozenset[Caution] = frozenset()) -> Exercise:
    return Exercise(id=exercise_id, title=Text.plain(exercise_id.title()),
                    steps=(Text.plain(f"Do {exercise_id}."), Text.plain("Breathe.")),
                    provenance=SOURCE, image=f"images/{exercise_id}.svg", sides=sides,
                    hold=hold, reps=reps, tempo=tempo, cautions=cautions)


CALF = exercise("calf", hold=30)
SHORT = exercise("short", hold=10)
LUNGE = exercise("lunge", hold=20, reps=3)
RAISES = exercise("raises", tempo=2, reps=5)
WALL = exercise("wall", hold=30, reps=2, sides=Sides.EACH)
CIRCLES = exercise("circles", tempo=1.5, reps=4, sides=Sides.EACH)
MASSAGE = exercise("massage", hold=20, cautions=frozenset({Caution.VARICOSE_VEINS}))
ALL = {e.id: e for e in (CALF, SHORT, LUNGE, RAISES, WALL, CIRCLES, MASSAGE)}


def routine(*items: str | RoutineItem, rest: int = 15) -> Routine:
    return Routine(id="r", title=Text.plain("R"), rest=rest,
                   items=tuple(RoutineItem(i) if isinstance(i, str) else i for i in items))


def plan(*items: str | RoutineItem, rest: int = 15, get_ready: int = 5,
         exclude: Exclude | None = None, switch_pause: float = 5, relax: float = 5) -> Plan:
    return build_plan(routine(*items, rest=rest), ALL, get_ready, exclude=exclude,
                      switch_pause=switch_pause, relax=relax)


def timeline(cues: tuple[Cue, ...]) -> list[tuple[float, CueKind]]:
    return [(cue.at, cue.kind) for cue in cues]


def kinds(p: Plan) -> list[SegmentKind]:
    return [segment.kind for segment in p.segments]


def test_a_30_second_hold_has_start_halfway_three_ticks_and_end() -> None:
    hold = plan("calf").segments[1]
    assert hold.kind is SegmentKind.HOLD and hold.duration == 30
    assert timeline(hold.cues) == [
        (0, CueKind.START), (15, CueKind.HALFWAY),
        (27, CueKind.TICK), (28, CueKind.TICK), (29, CueKind.TICK), (30, CueKind.END)]


def test_start_carries_the_instruction_to_speak_and_other_hold_cues_carry_none() -> None:
    hold = plan("calf").segments[1]
    assert hold.cues[0].text == Text.plain("Do calf. Breathe.")
    assert all(cue.text is None for cue in hold.cues[1:])


def test_the_instruction_keeps_every_language_and_falls_back_per_step() -> None:
    bilingual = Exercise(id="b", title=Text.plain("B"), provenance=SOURCE, image="b.svg",
                         hold=5, steps=(Text((("en", "Sit."), ("ru", "Сядьте."))),
                                        Text.plain("Breathe.")))
    p = build_plan(routine("b"), {"b": bilingual}, 3)
    text = p.segments[1].cues[0].text
    assert text is not None
    assert text.get("en") == "Sit. Breathe." and text.get("ru") == "Сядьте. Breathe."


def test_halfway_only_for_holds_of_twenty_seconds_or_more() -> None:
    assert timeline(plan("short").segments[1].cues) == [
        (0, CueKind.START), (7, CueKind.TICK), (8, CueKind.TICK), (9, CueKind.TICK),
        (10, CueKind.END)]
    assert (10, CueKind.HALFWAY) in timeline(plan("lunge").segments[1].cues)


def test_a_very_short_hold_has_no_tick_at_its_start() -> None:
    tiny = build_plan(routine("tiny"), {"tiny": exercise("tiny", hold=2)}, 3)
    assert timeline(tiny.segments[1].cues) == [
        (0, CueKind.START), (1, CueKind.TICK), (2, CueKind.END)]


def test_repeated_holds_are_separated_by_relax_gaps() -> None:
    p = plan("lunge")
    assert kinds(p) == [SegmentKind.GET_READY, SegmentKind.HOLD, SegmentKind.RELAX,
                        SegmentKind.HOLD, SegmentKind.RELAX, SegmentKind.HOLD]
    assert [s.rep for s in p.segments[1:]] == [1, 2, 2, 3, 3]
    assert all(s.reps == 3 and s.exercise_index == 0 for s in p.segments[1:])
    relax = p.segments[2]
    assert relax.duration == 5 and relax.cues == ()


def test_tempo_reps_have_a_rep_cue_at_every_tempo_multiple_and_no_ticks() -> None:
    reps = plan("raises").segments[1]
    assert reps.kind is SegmentKind.REPS and reps.duration == 10 and reps.reps == 5
    assert timeline(reps.cues) == [
        (0, CueKind.START), (0, CueKind.REP), (2, CueKind.REP), (4, CueKind.REP),
        (6, CueKind.REP), (8, CueKind.REP), (10, CueKind.END)]


def test_sides_each_does_all_left_holds_then_switches_to_the_right() -> None:
    p = plan("wall")
    assert kinds(p)[1:] == [SegmentKind.HOLD, SegmentKind.RELAX, SegmentKind.HOLD,
                            SegmentKind.SWITCH,
                            SegmentKind.HOLD, SegmentKind.RELAX, SegmentKind.HOLD]
    assert [s.side for s in p.segments[1:]] == [Side.LEFT] * 3 + [Side.RIGHT] * 4
    switch = p.segments[4]
    assert switch.duration == 5 and switch.rep == 1
    assert timeline(switch.cues) == [(0, CueKind.SWITCH)]


def test_sides_each_with_tempo_is_one_rep_set_per_side() -> None:
    p = plan("circles")
    assert kinds(p)[1:] == [SegmentKind.REPS, SegmentKind.SWITCH, SegmentKind.REPS]
    assert [s.side for s in p.segments[1:]] == [Side.LEFT, Side.RIGHT, Side.RIGHT]
    assert [c.at for c in p.segments[3].cues if c.kind is CueKind.REP] == [0, 1.5, 3, 4.5]


def test_both_sides_exercises_have_no_side() -> None:
    assert plan("calf").segments[1].side is None


def test_zero_switch_pause_and_relax_leave_the_gaps_out() -> None:
    p = plan("wall", "lunge", switch_pause=0, relax=0)
    assert SegmentKind.SWITCH not in kinds(p) and SegmentKind.RELAX not in kinds(p)


def test_get_ready_comes_first_with_the_first_exercise_to_announce() -> None:
    for seconds, ticks in ((3, [1, 2]), (5, [2, 3, 4]), (10, [7, 8, 9])):
        ready = plan("calf", "raises", get_ready=seconds).segments[0]
        assert ready.kind is SegmentKind.GET_READY and ready.duration == seconds
        assert ready.exercise_index is None and ready.next_exercise == CALF
        assert ready.cues[0] == Cue(0, CueKind.GET_READY, CALF.title)
        assert timeline(ready.cues[1:]) == [(t, CueKind.TICK) for t in ticks]


def test_a_set_of_repetitions_is_explained_in_the_countdown_before_it() -> None:
    """A routine audit's case: read at the set's START, the instruction
    talked over the first beats, and by ear the first set was lost. It is
    read in the get-ready or rest before it too; a hold's is not (one holds
    while listening), and neither is a set with no countdown before it."""
    instruction = Text.plain("Do raises. Breathe.")
    ready = plan("raises", "calf").segments[0]
    assert ready.cues[:2] == (Cue(0, CueKind.GET_READY, RAISES.title),
                              Cue(0, CueKind.INSTRUCTION, instruction))
    p = plan("calf", "raises", "wall")
    rests = [segment for segment in p.segments if segment.kind is SegmentKind.REST]
    assert [cue.kind for cue in rests[0].cues[:2]] == [CueKind.REST, CueKind.INSTRUCTION]
    assert CueKind.INSTRUCTION not in [cue.kind for cue in rests[1].cues]  # before a hold
    reps = next(segment for segment in p.segments if segment.kind is SegmentKind.REPS)
    assert reps.cues[0] == Cue(0, CueKind.START, instruction)  # still, for a skip
    no_rest = build_plan(routine(RoutineItem("calf", rest=0), "raises"), ALL, 5)
    assert CueKind.INSTRUCTION not in [cue.kind for segment in no_rest.segments
                                       for cue in segment.cues]


def test_get_ready_must_be_one_of_the_offered_choices() -> None:
    with pytest.raises(ValueError, match="get-ready"):
        plan("calf", get_ready=4)


def test_rest_between_exercises_but_not_after_the_last() -> None:
    p = plan("calf", "raises", "short")
    assert kinds(p) == [SegmentKind.GET_READY, SegmentKind.HOLD, SegmentKind.REST,
                        SegmentKind.REPS, SegmentKind.REST, SegmentKind.HOLD]
    rest = p.segments[2]
    assert rest.duration == 15 and rest.exercise_index == 0 and rest.exercise == CALF
    assert rest.next_exercise == RAISES
    assert timeline(rest.cues) == [(0, CueKind.REST), (0, CueKind.INSTRUCTION),
                                   (12, CueKind.TICK), (13, CueKind.TICK), (14, CueKind.TICK)]
    assert rest.cues[0].text == RAISES.title


def test_item_rest_overrides_the_routine_rest_and_zero_means_none() -> None:
    p = plan(RoutineItem("calf", rest=40), RoutineItem("raises", rest=0), "short", rest=20)
    assert [s.duration for s in p.segments if s.kind is SegmentKind.REST] == [40]
    p = plan("calf", "raises", rest=0)
    assert SegmentKind.REST not in kinds(p)


def test_routine_item_overrides_hold_and_reps() -> None:
    p = plan(RoutineItem("lunge", hold=45, reps=2))
    assert p.exercises[0].hold == 45 and p.exercises[0].reps == 2
    holds = [s for s in p.segments if s.kind is SegmentKind.HOLD]
    assert [s.duration for s in holds] == [45, 45]
    assert (22.5, CueKind.HALFWAY) in timeline(holds[0].cues)
    p = plan(RoutineItem("raises", reps=3))
    assert p.segments[1].duration == 6


def test_exclude_by_predicate_or_by_ids_skips_exercises_and_records_them() -> None:
    def hidden(e: Exercise) -> bool:
        return Caution.VARICOSE_VEINS in e.cautions

    for exclude in (hidden, frozenset({"massage"})):
        p = plan("calf", "massage", "short", exclude=exclude)
        assert [e.id for e in p.exercises] == ["calf", "short"]
        assert p.excluded == ("massage",)
        rest = p.segments[2]
        assert rest.kind is SegmentKind.REST and rest.next_exercise == SHORT
        assert [s.exercise_index for s in p.segments if s.kind is SegmentKind.HOLD] == [0, 1]


def test_excluding_everything_leaves_an_empty_plan() -> None:
    p = plan("massage", exclude={"massage"})
    assert p.exercises == () and p.segments == () and p.total == 0
    assert p.excluded == ("massage",)


def test_exercises_may_come_from_a_lookup_function() -> None:
    p = build_plan(routine("calf"), ALL.__getitem__, 3)
    assert p.exercises == (CALF,)
    with pytest.raises(KeyError):
        build_plan(routine("nope"), ALL.__getitem__, 3)


def test_an_exercise_with_neither_hold_nor_tempo_is_refused() -> None:
    with pytest.raises(ValueError, match="neither"):
        build_plan(routine("x"), {"x": exercise("x")}, 3)


def test_starts_and_total_follow_the_segments() -> None:
    p = plan("wall", "raises", get_ready=10)
    durations = [s.duration for s in p.segments]
    assert p.total == sum(durations) == 10 + (30 + 5 + 30) * 2 + 5 + 15 + 10
    assert p.starts == tuple(sum(durations[:i]) for i in range(len(durations)))


def test_first_segment_of_each_exercise() -> None:
    p = plan("calf", "wall", "raises")
    assert [p.first_segment(i) for i in range(3)] == [1, 3, 11]
    assert p.segments[3].kind is SegmentKind.HOLD and p.segments[3].side is Side.LEFT
    with pytest.raises(IndexError):
        p.first_segment(3)


def test_the_instruction_is_read_once_an_exercise() -> None:
    """A routine audit's case: read again at every hold, "Toes toward you"
    (10.9 s spoken) outlasted its 10-second holds and hid their end."""
    starts = [cue.text for segment in plan("wall", "circles").segments
              for cue in segment.cues if cue.kind is CueKind.START]
    # wall: two holds a side; circles: one set a side
    assert [text is not None for text in starts] == [True, False, False, False, True, False]


def test_someone_unsteady_gets_a_routine_as_emergency_mode_would_give_it() -> None:
    """A profile audit's case: with "unsteady on my feet" ticked, a routine
    still had heel and toe walking (standing, no seated version), flagged
    only "hold on", where emergency mode leaves such a step out."""
    from coach.app import content
    from coach.core.profile import SEATED_BECAUSE_UNSTEADY, UNSTEADY_LEFT_OUT, Condition
    from coach.core.timetable import personal_plan

    library = content.load()
    mine = routine("heel-toe-walk", "wall-calf-stretch")
    plan = personal_plan(mine, library.exercise, 5, frozenset({Condition.UNSTEADY}))
    assert [e.id for e in plan.exercises] == ["wall-calf-stretch"]
    assert plan.excluded == ("heel-toe-walk",)
    assert SEATED_BECAUSE_UNSTEADY in plan.flags["wall-calf-stretch"]
    assert UNSTEADY_LEFT_OUT not in str(plan.flags)


@pytest.mark.parametrize(("condition", "exercise_id", "image"), [
    ("unsteady", "wall-calf-stretch", "images/calf_pull_toes.svg"),
    ("unsteady", "calf-raises", "images/ex_seated_heel_raises.svg"),
    ("unsteady", "calf-raises", None),  # as if its seated drawing were missing
    ("pregnancy", "straight-leg-raise", "images/ex_seated_hamstring_stretch.svg"),
])
def test_an_exercise_done_its_supported_way_shows_and_says_only_that_way(
        condition: str, exercise_id: str, image: str | None) -> None:
    """A routine audit's case: for someone unsteady, the player showed "Wall
    calf stretch" with its standing steps and a figure standing at a wall,
    and read out "Stand facing a wall…", with "Done sitting" below in the
    flags. The supported version's words are now the steps, shown and
    spoken, with its own drawing or none; "hold on to something steady"
    goes, as nothing is done standing."""
    from coach.app import content
    from coach.core.model import Caution
    from coach.core.profile import RULES, Condition
    from coach.core.timetable import personal_plan

    hold_on = next(rule.reason for rule in RULES if rule.caution is Caution.BALANCE)

    library = content.load()
    written = library.exercise(exercise_id)
    assert written.supported is not None
    if image is None:
        written = replace(written, supported_image=None)
    plan = personal_plan(routine(exercise_id), lambda _id: written, 5,
                         frozenset({Condition(condition)}))
    (done,) = plan.exercises
    assert done.steps == (written.supported,) and done.image == image
    assert done.title == written.title and done.hold == written.hold
    spoken = [cue.text for segment in plan.segments for cue in segment.cues if cue.text]
    assert set(spoken[1:]) == {written.supported}, spoken  # after "get ready"
    if condition == "unsteady":
        assert hold_on not in plan.flags[exercise_id]
    assert plan.supported == {exercise_id}
    steady = personal_plan(routine(exercise_id), lambda _id: written, 5, frozenset())
    assert steady.exercises[0].steps == written.steps and not steady.supported
