"""Plays a :class:`~coach.core.timetable.Plan` against a monotonic clock.

The engine keeps one number per segment, the monotonic time it began (moved
on by pauses), and derives everything shown from it and the segment's
duration, never from counting ticks. A segment ends at a deadline and the next
one begins at that same deadline, not when a tick noticed it, so a late or
irregular tick can delay what the person sees or hears but never lengthens or
shortens the routine. The Qt layer only wakes it: it arms one timer for
:meth:`RoutineEngine.next_wakeup`, calls :meth:`RoutineEngine.tick`, plays the
returned cues and renders :meth:`RoutineEngine.snapshot`.

A tick that arrives late may find several cues due at once. Playing them all
would be a burst of stale sounds, so they are collapsed: only the cues due at
the latest due instant are kept (an END together with the next segment's
announcement, say), plus the announcement of the segment the engine is now in
if it is still running, because its instruction must still be heard. Every
other due cue is dropped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from coach.core.clock import Clock
from coach.core.timetable import ANNOUNCEMENTS, Cue, Plan, Segment, SegmentKind

EPSILON = 1e-9
"""Float noise allowance: a deadline computed by chained additions may land a
hair after the clock reading that was meant to reach it."""

BACK_GRACE_S = 3.0
"""Within this long of an exercise's start, back means the previous one, like
a music player; later it means "again from the top"."""

MIN_WAKEUP_S = 0.001
"""Qt timers count whole milliseconds; a shorter wait would be armed as zero."""


class State(str, Enum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"


@dataclass(frozen=True)
class CueEvent:
    """A cue whose time has come. ``due`` is the monotonic time it was meant
    for, so the player can tell how late it is."""

    cue: Cue
    segment_index: int
    segment: Segment
    due: float


@dataclass(frozen=True)
class View:
    """What the routine screen shows. ``remaining_seconds`` is the big
    countdown (ceiling of the time left in the segment); ``rep_number`` is the
    repetition under way for REPS and the hold number otherwise;
    ``exercise_number`` is 1-based, 0 during get-ready; ``total_remaining``
    is the whole routine's time left in seconds, for a clock-style display."""

    state: State
    segment: Segment
    segment_index: int
    remaining_seconds: int
    elapsed_in_segment: float
    rep_number: int
    exercise_number: int
    exercise_total: int
    total_remaining: float
    progress: float


@dataclass(frozen=True)
class Outcome:
    """What the diary records. ``active_s`` is the time the routine actually
    ran, pauses excluded: exactly the plan's total for a routine run to the end
    without skip or back. ``elapsed_s`` is from start to finish or stop,
    pauses included. ``completed`` means the routine reached its end (skipping
    the last exercise counts), rather than being stopped."""

    routine_id: str
    completed: bool
    started: datetime
    active_s: float
    elapsed_s: float


def _ceil(seconds: float) -> int:
    return max(0, math.ceil(seconds - EPSILON))


def _until_display_changes(left: float) -> float:
    """Time until ``_ceil(left)`` drops by one as ``left`` runs down."""
    return left - (_ceil(left) - 1)


class RoutineEngine:
    def __init__(self, plan: Plan, clock: Clock) -> None:
        if not plan.segments:
            raise ValueError("the plan has no exercises to play")
        self._plan = plan
        self._clock = clock
        self._state = State.READY
        self._index = 0
        self._segment_start = 0.0
        self._next_cue = 0
        self._active_before = 0.0
        self._frozen_at = 0.0
        self._started_at = 0.0
        self._ended_at = 0.0
        self._started_wall: datetime | None = None

    @property
    def plan(self) -> Plan:
        return self._plan

    @property
    def state(self) -> State:
        return self._state

    # -- queries ---------------------------------------------------------------

    def _elapsed(self) -> float:
        """Time into the current segment: frozen while paused or stopped."""
        segment = self._plan.segments[self._index]
        if self._state is State.READY:
            return 0.0
        if self._state is State.FINISHED:
            return segment.duration
        now = self._clock.monotonic() if self._state is State.RUNNING else self._frozen_at
        return min(max(now - self._segment_start, 0.0), segment.duration)

    def _total_remaining(self, elapsed: float) -> float:
        if self._state is State.FINISHED:
            return 0.0
        return max(0.0, self._plan.total - self._plan.starts[self._index] - elapsed)

    def snapshot(self) -> View:
        """Call after :meth:`tick`: a snapshot never advances the engine, so
        without a tick it can show a segment whose deadline has passed."""
        segment = self._plan.segments[self._index]
        elapsed = self._elapsed()
        rep = segment.rep
        if segment.kind is SegmentKind.REPS and segment.exercise and segment.exercise.tempo:
            rep = min(segment.reps, int(elapsed / segment.exercise.tempo + EPSILON) + 1)
        total_remaining = self._total_remaining(elapsed)
        return View(
            state=self._state,
            segment=segment,
            segment_index=self._index,
            remaining_seconds=_ceil(segment.duration - elapsed),
            elapsed_in_segment=elapsed,
            rep_number=rep,
            exercise_number=0 if segment.exercise_index is None else segment.exercise_index + 1,
            exercise_total=len(self._plan.exercises),
            total_remaining=total_remaining,
            progress=1.0 - total_remaining / self._plan.total,
        )

    def next_wakeup(self) -> float | None:
        """Seconds until what is shown or heard next changes: the segment's
        countdown or the routine's time left reaching its next whole second,
        the next cue, or the segment's end. None when nothing will change on
        its own (not running)."""
        if self._state is not State.RUNNING:
            return None
        segment = self._plan.segments[self._index]
        elapsed = self._clock.monotonic() - self._segment_start
        left = segment.duration - elapsed
        waits = [left, _until_display_changes(left),
                 _until_display_changes(self._total_remaining(elapsed))]
        if self._next_cue < len(segment.cues):
            waits.append(segment.cues[self._next_cue].at - elapsed)
        return max(min(waits), MIN_WAKEUP_S)

    def outcome(self) -> Outcome | None:
        """None until a started routine has finished or been stopped."""
        if self._state not in (State.FINISHED, State.STOPPED) or self._started_wall is None:
            return None
        active = self._active_before
        if self._state is State.STOPPED:
            active += self._elapsed()
        return Outcome(
            routine_id=self._plan.routine.id,
            completed=self._state is State.FINISHED,
            started=self._started_wall,
            active_s=active,
            elapsed_s=self._ended_at - self._started_at,
        )

    # -- time ------------------------------------------------------------------

    def tick(self) -> list[CueEvent]:
        """Catch up with the clock, through as many segments as have ended,
        and return the cues that came due, collapsed as the module explains."""
        return self._collapse(self._advance())

    def _advance(self) -> list[CueEvent]:
        if self._state is not State.RUNNING:
            return []
        now = self._clock.monotonic() + EPSILON
        due: list[CueEvent] = []
        segments = self._plan.segments
        while True:
            segment = segments[self._index]
            while (self._next_cue < len(segment.cues)
                   and self._segment_start + segment.cues[self._next_cue].at <= now):
                cue = segment.cues[self._next_cue]
                due.append(CueEvent(cue, self._index, segment, self._segment_start + cue.at))
                self._next_cue += 1
            deadline = self._segment_start + segment.duration
            if deadline > now:
                break
            # Added whole, in plan order, so a full run sums to exactly plan.total.
            self._active_before += segment.duration
            if self._index + 1 == len(segments):
                self._state = State.FINISHED
                self._ended_at = deadline
                break
            self._index += 1
            self._segment_start = deadline
            self._next_cue = 0
        return due

    def _collapse(self, due: list[CueEvent]) -> list[CueEvent]:
        if len(due) < 2:
            return due
        latest = due[-1].due - EPSILON
        return [event for event in due
                if event.due >= latest
                or (self._state is State.RUNNING and event.segment_index == self._index
                    and event.cue.kind in ANNOUNCEMENTS)]

    # -- controls --------------------------------------------------------------
    # Each control first catches up with the clock, so it acts on where the
    # routine really is, and returns the cues due after it. Skip and back drop
    # the cues that came due before them: the person has moved on, and a tick
    # or END of the segment left behind would only blur the new START.

    def start(self) -> list[CueEvent]:
        if self._state is not State.READY:
            return []
        self._started_at = self._segment_start = self._clock.monotonic()
        self._started_wall = self._clock.wall()
        self._state = State.RUNNING
        return self.tick()

    def pause(self) -> list[CueEvent]:
        events = self.tick()
        if self._state is State.RUNNING:
            self._frozen_at = self._clock.monotonic()
            self._state = State.PAUSED
        return events

    def resume(self) -> list[CueEvent]:
        """The segment's announcement comes again first (the instruction, the
        rest's next exercise): pausing stopped the voice, perhaps halfway
        through it, and an exercise's instruction is read only once."""
        if self._state is not State.PAUSED:
            return []
        self._segment_start += self._clock.monotonic() - self._frozen_at
        self._state = State.RUNNING
        segment, index = self._plan.segments[self._index], self._index
        due = self.tick()
        again = [CueEvent(cue, index, segment, self._clock.monotonic())
                 for cue in segment.cues[:1] if cue.kind in ANNOUNCEMENTS
                 and not any(event.cue is cue for event in due)]
        return [*again, *due]

    def skip(self) -> list[CueEvent]:
        """To the next exercise's first segment (from get-ready, the first
        exercise's); from the last exercise, to the end. In the count-in to an
        exercise (the end of the rest before it), past that one."""
        self._advance()
        if self._state not in (State.RUNNING, State.PAUSED):
            return []
        segment = self._plan.segments[self._index]
        current = segment.exercise_index
        following = 0 if current is None else current + 1
        if (segment.kind is SegmentKind.REST
                and self._elapsed() >= segment.duration - self._plan.segments[0].duration):
            following += 1  # already counting that one in: a second press skips it
        if following >= len(self._plan.exercises):
            self._active_before += self._elapsed()
            self._index = len(self._plan.segments) - 1
            self._ended_at = self._clock.monotonic()
            self._state = State.FINISHED
            return []
        target = self._plan.first_segment(following)
        self._jump(*self._lead_in(target))
        return self.tick()

    def _lead_in(self, target: int) -> tuple[int, float]:
        """Where a skip to segment ``target`` lands: in the rest before it,
        with only the get-ready time left, so the next exercise is announced
        and counted in rather than its hold starting at once."""
        rest = target - 1
        segments = self._plan.segments
        if rest < 0 or segments[rest].kind is not SegmentKind.REST:
            return target, 0.0
        get_ready = segments[0].duration
        into = max(0.0, segments[rest].duration - get_ready)
        if rest == self._index:  # skipped from that rest: never back in time
            into = max(into, min(self._elapsed(), segments[rest].duration))
        return rest, into

    def back(self) -> list[CueEvent]:
        """To the start of the current exercise, or of the previous one when
        within :data:`BACK_GRACE_S` of the current one's start. The first
        exercise has no previous one, so it restarts; get-ready restarts too."""
        self._advance()
        if self._state not in (State.RUNNING, State.PAUSED):
            return []
        current = self._plan.segments[self._index].exercise_index
        target = 0
        if current is not None:
            target = self._plan.first_segment(current)
            into = self._plan.starts[self._index] + self._elapsed() - self._plan.starts[target]
            if into <= BACK_GRACE_S and current > 0:
                target = self._plan.first_segment(current - 1)
        self._jump(target)
        return self.tick()

    def stop(self) -> None:
        """A routine whose last deadline has already passed counts as finished."""
        self.tick()
        if self._state in (State.FINISHED, State.STOPPED):
            return
        now = self._clock.monotonic()
        if self._state is State.RUNNING:
            self._frozen_at = now
        self._ended_at = now
        self._state = State.STOPPED

    def _jump(self, index: int, into: float = 0.0) -> None:
        """Begin segment ``index`` now (``into`` seconds in), or, when paused,
        at the moment of the pause, so it starts on resume. Its announcement
        still sounds; the seconds skipped over do not count as active."""
        self._active_before += self._elapsed() - into
        base = (self._clock.monotonic() if self._state is State.RUNNING else self._frozen_at)
        self._segment_start = base - into
        self._index = index
        self._next_cue = 0
