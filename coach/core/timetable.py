"""A routine unrolled into a flat list of timed segments, each with its cues.

Everything that will happen, and when, is decided here before the routine
starts: the engine then only walks the list against a clock. Keeping the
schedule as data makes every cue testable without running time, lets the
screen show the time left in the whole routine, and means skip and back are
just jumps to another index.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TypeAlias

from coach.core.model import Exercise, Routine, RoutineItem, Side, Sides, Text
from coach.core.profile import Condition, Posture, assess, flags_as_done, standing_step

GET_READY_CHOICES = (3, 5, 10)
"""Seconds of get-ready countdown the settings offer."""

SWITCH_PAUSE_S = 5
RELAX_S = 5

MAX_PLAN_S = 2 * 60 * 60
"""The longest routine a plan is made for. A stretching routine takes
minutes; a shared file that asks for more (99,000 one-second holds, say)
would unroll into millions of segments, and the screens build plans on
their thread. The loader refuses such a routine (:class:`PlanTooLong`)."""
HALFWAY_MIN_S = 20
"""A halfway cue in a shorter hold would come too soon after the start to help."""

TICK_COUNT = 3


class SegmentKind(str, Enum):
    GET_READY = "get_ready"
    HOLD = "hold"
    REPS = "reps"
    RELAX = "relax"
    SWITCH = "switch"
    REST = "rest"


class CueKind(str, Enum):
    START = "start"
    HALFWAY = "halfway"
    TICK = "tick"
    END = "end"
    SWITCH = "switch"
    REP = "rep"
    REST = "rest"
    GET_READY = "get_ready"
    INSTRUCTION = "instruction"
    """Words only: a set of repetitions' instruction, read in the get-ready or
    rest before it, so that its beat is heard from the first repetition
    (see :func:`_countdown`). Not an announcement: come late, it is dropped,
    and the START reads the instruction instead."""


ANNOUNCEMENTS = frozenset({CueKind.START, CueKind.SWITCH, CueKind.REST, CueKind.GET_READY})
"""Cues that tell the person what the segment they are now in asks of them;
a late tick never drops the current segment's announcement."""


@dataclass(frozen=True)
class Cue:
    """``at`` is seconds from the segment's start. ``text`` is what to say:
    the instruction for START and INSTRUCTION, the next exercise's title for
    REST and GET_READY; it stays a :class:`Text` so the voice can pick the
    language."""

    at: float
    kind: CueKind
    text: Text | None = None


@dataclass(frozen=True)
class Segment:
    """One stretch of time with a single countdown.

    ``exercise_index`` (0-based in the plan) is the exercise the segment
    belongs to: a REST belongs to the exercise before it, so skip from a rest
    goes to the next exercise; GET_READY belongs to none. RELAX and SWITCH
    carry the ``side`` and ``rep`` of the hold that follows them, which is
    what the screen announces. ``next_exercise`` is set on REST and
    GET_READY, for "next up".
    """

    kind: SegmentKind
    duration: float
    cues: tuple[Cue, ...]
    exercise_index: int | None = None
    exercise: Exercise | None = None
    side: Side | None = None
    rep: int = 0
    reps: int = 0
    next_exercise: Exercise | None = None


@dataclass(frozen=True)
class Plan:
    """``exercises`` have the routine's overrides applied; ``excluded`` are
    the ids left out (for "2 exercises hidden by your safety profile").
    ``starts`` and ``total`` are derived, so they can never disagree with the
    segments."""

    routine: Routine
    exercises: tuple[Exercise, ...]
    segments: tuple[Segment, ...]
    excluded: tuple[str, ...] = ()
    flags: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Why an exercise kept in the plan needs care, by exercise id (the
    safety profile's reasons, shown with its supported version)."""
    supported: frozenset[str] = frozenset()
    """The ids of the exercises planned in their supported version
    (:meth:`~coach.core.model.Exercise.as_supported`)."""
    starts: tuple[float, ...] = field(init=False)
    total: float = field(init=False)

    def __post_init__(self) -> None:
        # A running sum in segment order: the engine adds durations in the same
        # order, so a routine run to the end reports exactly ``total``.
        starts: list[float] = []
        total = 0.0
        for segment in self.segments:
            starts.append(total)
            total += segment.duration
        object.__setattr__(self, "starts", tuple(starts))
        object.__setattr__(self, "total", total)

    def first_segment(self, exercise_index: int) -> int:
        for index, segment in enumerate(self.segments):
            if segment.exercise_index == exercise_index:
                return index
        raise IndexError(exercise_index)


Exclude: TypeAlias = Callable[[Exercise], bool] | AbstractSet[str]


class PlanTooLong(ValueError):
    """The routine would take longer than :data:`MAX_PLAN_S`; found while
    unrolling it, so the refusal costs at most that much plan."""


def build_plan(
    routine: Routine,
    exercises: Mapping[str, Exercise] | Callable[[str], Exercise],
    get_ready: int,
    exclude: Exclude | None = None,
    switch_pause: float = SWITCH_PAUSE_S,
    relax: float = RELAX_S,
) -> Plan:
    """Unroll ``routine`` into segments.

    ``exercises`` is a mapping or a lookup such as ``Library.exercise``.
    ``exclude`` (a predicate or a set of ids) leaves exercises out, so the
    safety profile can hide some without this module knowing its rules. A
    zero ``switch_pause`` or ``relax`` leaves that gap out. The plan may end
    up with no exercises; the caller says so instead of starting it.
    """
    if get_ready not in GET_READY_CHOICES:
        raise ValueError(f"get-ready must be one of {GET_READY_CHOICES} seconds, got {get_ready}")
    lookup = exercises.__getitem__ if isinstance(exercises, Mapping) else exercises
    hidden = _hider(exclude)
    # Each exercise's segments are made as it is chosen, so a routine too
    # long to plan is refused after at most MAX_PLAN_S of them.
    chosen: list[tuple[Exercise, float, list[Segment]]] = []
    excluded: list[str] = []
    planned = float(get_ready)
    for item in routine.items:
        exercise = with_overrides(lookup(item.exercise), item)
        if hidden(exercise):
            excluded.append(exercise.id)
            continue
        after = routine.rest if item.rest is None else item.rest
        these = _exercise_segments(len(chosen), exercise, switch_pause, relax)
        planned += sum(segment.duration for segment in these) + after
        if planned > MAX_PLAN_S:
            raise PlanTooLong(f"routine '{routine.id}' would take over {MAX_PLAN_S} seconds")
        chosen.append((exercise, after, these))
    if not chosen:
        return Plan(routine, (), (), tuple(excluded))

    first = chosen[0][0]
    segments = [Segment(SegmentKind.GET_READY, get_ready,
                        _countdown(CueKind.GET_READY, get_ready, first),
                        next_exercise=first)]
    for index, (exercise, rest, these) in enumerate(chosen):
        segments.extend(these)
        if index + 1 < len(chosen) and rest > 0:
            upcoming = chosen[index + 1][0]
            segments.append(Segment(SegmentKind.REST, rest,
                                    _countdown(CueKind.REST, rest, upcoming),
                                    exercise_index=index, exercise=exercise,
                                    next_exercise=upcoming))
    return Plan(routine, tuple(e for e, _, _ in chosen), tuple(segments), tuple(excluded))


def personal_plan(routine: Routine, exercises: Mapping[str, Exercise] | Callable[[str], Exercise],
                  get_ready: int, profile: frozenset[Condition]) -> Plan:
    """The routine as this person will do it: without what their safety
    profile hides, and with the reasons for what it flags. The same rules
    as emergency mode (:func:`coach.core.profile.assess`, and
    :func:`~coach.core.profile.standing_step` for someone unsteady on their
    feet: a standing exercise with no seated version is left out), applied
    here in the core. An exercise to be done its supported way (sitting, or
    in pregnancy not flat on the back) is planned as
    :meth:`~coach.core.model.Exercise.as_supported`, so the screen and the
    voice give only that way."""
    def posture(exercise: Exercise) -> tuple[Posture, str]:
        return standing_step(exercise.cautions, exercise.supported is not None, profile,
                             night=False, name=str(exercise.title))

    lookup = exercises.__getitem__ if isinstance(exercises, Mapping) else exercises
    # The rules judge each exercise as written; the plan holds it as it is done.
    originals: dict[str, Exercise] = {}
    supported: set[str] = set()

    def as_done(exercise_id: str) -> Exercise:
        exercise = originals.setdefault(exercise_id, lookup(exercise_id))
        if exercise.supported is not None and (
                assess(exercise.cautions, profile).supported
                or posture(exercise)[0] is Posture.SEATED_FIRST):
            supported.add(exercise_id)
            return exercise.as_supported()
        return exercise

    def left_out(exercise: Exercise) -> bool:
        original = originals[exercise.id]
        return (assess(original.cautions, profile).hidden
                or posture(original)[0] is Posture.LEFT_OUT)

    plan = build_plan(routine, as_done, get_ready, exclude=left_out)
    flags = {exercise.id: reasons for exercise in plan.exercises
             if (reasons := tuple(reason for reason in (
                 *flags_as_done(originals[exercise.id].cautions, profile,
                                standing=exercise.id not in supported),
                 posture(originals[exercise.id])[1]) if reason))}
    kept = {exercise.id for exercise in plan.exercises}
    return replace(plan, flags=flags, supported=frozenset(supported & kept))


def with_overrides(exercise: Exercise, item: RoutineItem) -> Exercise:
    """The exercise as this routine asks for it (hold and reps overridden)."""
    return replace(exercise,
                   hold=exercise.hold if item.hold is None else item.hold,
                   reps=exercise.reps if item.reps is None else item.reps)


def _hider(exclude: Exclude | None) -> Callable[[Exercise], bool]:
    if exclude is None:
        return lambda _: False
    if callable(exclude):
        return exclude
    ids = exclude
    return lambda exercise: exercise.id in ids


def _exercise_segments(index: int, exercise: Exercise, switch_pause: float,
                       relax: float) -> list[Segment]:
    """Left side first, all of its holds, then the switch, then the right."""
    sides: tuple[Side | None, ...] = (
        (Side.LEFT, Side.RIGHT) if exercise.sides is Sides.EACH else (None,))
    instruction: Text | None = _instruction(exercise)
    segments: list[Segment] = []
    for side in sides:
        if side is Side.RIGHT and switch_pause > 0:
            segments.append(Segment(SegmentKind.SWITCH, switch_pause,
                                    (Cue(0.0, CueKind.SWITCH),), index, exercise, side,
                                    rep=1, reps=exercise.reps))
        if exercise.hold is not None:
            for rep in range(1, exercise.reps + 1):
                if rep > 1 and relax > 0:
                    segments.append(Segment(SegmentKind.RELAX, relax, (), index, exercise,
                                            side, rep=rep, reps=exercise.reps))
                segments.append(Segment(SegmentKind.HOLD, exercise.hold,
                                        _hold_cues(exercise.hold, instruction), index,
                                        exercise, side, rep=rep, reps=exercise.reps))
                # Read once an exercise: read again on every hold, a long
                # instruction outlasted a short hold and hid its end.
                instruction = None
        elif exercise.tempo is not None:
            segments.append(Segment(SegmentKind.REPS, exercise.reps * exercise.tempo,
                                    _rep_cues(exercise.reps, exercise.tempo, instruction),
                                    index, exercise, side, rep=1, reps=exercise.reps))
            instruction = None
        else:
            raise ValueError(f"exercise '{exercise.id}' has neither a hold nor a tempo")
    return segments


def _instruction(exercise: Exercise) -> Text:
    """All steps as one utterance per language, falling back per step as
    :meth:`Text.get` does, so a partly translated exercise still reads whole."""
    languages = dict.fromkeys(lang for step in exercise.steps for lang, _ in step.values)
    return Text(tuple((lang, " ".join(step.get(lang) for step in exercise.steps))
                      for lang in languages))


def _ticks(duration: float) -> list[Cue]:
    """One per second over the last seconds, never at the segment's start,
    where the announcement already sounds."""
    times = (duration - k for k in range(TICK_COUNT, 0, -1))
    return [Cue(t, CueKind.TICK) for t in times if t > 0]


def _hold_cues(hold: float, instruction: Text | None) -> tuple[Cue, ...]:
    halfway = [Cue(hold / 2, CueKind.HALFWAY)] if hold >= HALFWAY_MIN_S else []
    return (Cue(0.0, CueKind.START, instruction), *halfway, *_ticks(hold),
            Cue(hold, CueKind.END))


def _rep_cues(reps: int, tempo: float, instruction: Text | None) -> tuple[Cue, ...]:
    """The REP beats are the rhythm, so there are no ticks to clash with them."""
    beats = [Cue(k * tempo, CueKind.REP) for k in range(reps)]
    return (Cue(0.0, CueKind.START, instruction), *beats, Cue(reps * tempo, CueKind.END))


def _countdown(kind: CueKind, duration: float, upcoming: Exercise) -> tuple[Cue, ...]:
    """Ticks count down to an exercise starting; the short relax and switch
    gaps end with the hold's own START, so they have none. Before a set of
    repetitions its instruction is read here too (:attr:`CueKind.INSTRUCTION`):
    read at its START, it talked over the first beats, and someone following
    by ear missed the first set. Its START keeps the instruction as well, for
    when this countdown was skipped or paused; the voice says it once
    (:class:`coach.app.routines.RoutineVoice`)."""
    announce = (Cue(0.0, CueKind.INSTRUCTION, _instruction(upcoming)),) if (
        upcoming.hold is None and upcoming.steps) else ()
    return (Cue(0.0, kind, upcoming.title), *announce, *_ticks(duration))
