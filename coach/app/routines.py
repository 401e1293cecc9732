"""Routines as the person does them: their plan (get-ready time, safety
profile), and what each cue sounds like or says.

The screens only show a plan and forward the player's cues here; the wording
and the sound for each kind of moment live in this one place.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from coach.app.coaching import HOLD
from coach.core import i18n
from coach.core.engine import CueEvent
from coach.core.i18n import N_, _
from coach.core.model import Library
from coach.core.profile import parse_conditions
from coach.core.settings import Settings
from coach.core.timetable import CueKind, Plan, SegmentKind, personal_plan
from coach.services.cues import SPEECH_ONLY, Cue

SOUNDS: Final = MappingProxyType({
    CueKind.START: "start", CueKind.HALFWAY: "halfway", CueKind.TICK: "tick",
    CueKind.END: "end", CueKind.SWITCH: "switch", CueKind.REP: "rep",
    CueKind.GET_READY: "halfway", CueKind.REST: "halfway",
})
"""Which sound marks each routine cue. REST and GET_READY share the soft bell;
with a voice they speak what comes next instead."""

SWITCH_WORDS: Final = N_("Switch to the other leg")
"""Said by the voice, in the app's language (see :func:`routine_cue`)."""
# Translators: said by the voice as a set of repetitions to a beat begins, its
# instruction already read (in the rest before it, or for the first leg).
BEGIN: Final = N_("Begin.")


def plan_for(library: Library, routine_id: str, settings: Settings) -> Plan:
    """Raises KeyError for an unknown routine."""
    return personal_plan(library.routine(routine_id), library.exercise,
                         settings.get_ready_seconds, parse_conditions(settings.profile))


def minutes(plan: Plan) -> int:
    """The routine's length in whole minutes, from its plan: what "it takes
    about N minutes" says, never a number typed into a sentence."""
    return max(1, round(plan.total / 60))


class RoutineVoice:
    """The cues of one run of a routine. A set of repetitions has its
    instruction read in the get-ready or rest before it (the timetable's
    INSTRUCTION cue); its START then says only "Begin.", after the
    instruction, so the beat is heard from the first repetition. Only when
    that countdown ran to its end undisturbed: skipped or paused, the
    instruction may not have been heard whole, and START reads it."""

    def __init__(self) -> None:
        self._read: CueEvent | None = None

    def cue(self, event: CueEvent, voice: bool) -> Cue | None:
        cue = routine_cue(event, voice)
        kind = event.cue.kind
        if kind in (CueKind.REST, CueKind.GET_READY):
            # A countdown announced (again, on resuming from a pause, which
            # stopped the voice): no instruction heard in it yet.
            self._read = None
        elif kind is CueKind.INSTRUCTION and cue is not None:
            self._read = event
        elif (kind is CueKind.START and cue is not None and cue.text is not None
              and self._read_before(event)):
            return Cue(cue.kind, _(BEGIN), queue=True)
        return cue

    def _read_before(self, start: CueEvent) -> bool:
        read = self._read
        return (read is not None and read.segment_index == start.segment_index - 1
                and abs(start.due - read.due - read.segment.duration) < ON_TIME_S)


ON_TIME_S: Final = 0.5
"""How far from its plan a START may come after the countdown before it and
still count as that countdown run through (the engine's own lateness is
milliseconds; a skip or a pause moves it by seconds)."""


def routine_cue(event: CueEvent, voice: bool) -> Cue | None:
    """The cue for a moment of the routine; None when nothing should mark it
    (a rest without a voice: the end of the hold before it already did)."""
    kind = event.cue.kind
    text: str | None = None
    # The voice speaks the app's language: words written only in another
    # are shown on screen but not read out, as without a voice.
    words = event.cue.text.written_in(i18n.current()) if event.cue.text is not None else None
    if kind is CueKind.INSTRUCTION:
        # After "Rest. Next: …", never over it; the screen shows the steps anyway.
        return Cue(SPEECH_ONLY, words, queue=True) if voice and words else None
    if voice and words is not None:
        text = words
        if kind is CueKind.REST:
            # Translators: said by the voice in a rest; {exercise} is the next one's words.
            text = _("Rest. Next: {exercise}").format(exercise=text)
        elif kind is CueKind.GET_READY:
            # Translators: said by the voice before a routine; {exercise} is the first
            # exercise's words.
            text = _("Get ready: {exercise}").format(exercise=text)
    elif kind is CueKind.SWITCH and voice:
        text = _(SWITCH_WORDS)
    elif kind is CueKind.START and voice:
        # A later hold or set of the exercise: its instruction was read at the first.
        text = _(HOLD) if event.segment.kind is SegmentKind.HOLD else _(BEGIN)
    if kind is CueKind.REST and text is None:
        return None
    return Cue(SOUNDS[kind], text)
