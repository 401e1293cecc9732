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
from coach.services.cues import Cue

SOUNDS: Final = MappingProxyType({
    CueKind.START: "start", CueKind.HALFWAY: "halfway", CueKind.TICK: "tick",
    CueKind.END: "end", CueKind.SWITCH: "switch", CueKind.REP: "rep",
    CueKind.GET_READY: "halfway", CueKind.REST: "halfway",
})
"""Which sound marks each routine cue. REST and GET_READY share the soft bell;
with a voice they speak what comes next instead."""

SWITCH_WORDS: Final = N_("Switch to the other leg")
"""Said by the voice, in the app's language (see :func:`routine_cue`)."""
# Translators: said by the voice as a set of repetitions to a beat begins (the
# second leg's, whose instruction was read for the first).
BEGIN: Final = N_("Begin.")


def plan_for(library: Library, routine_id: str, settings: Settings) -> Plan:
    """Raises KeyError for an unknown routine."""
    return personal_plan(library.routine(routine_id), library.exercise,
                         settings.get_ready_seconds, parse_conditions(settings.profile))


def minutes(plan: Plan) -> int:
    """The routine's length in whole minutes, from its plan: what "it takes
    about N minutes" says, never a number typed into a sentence."""
    return max(1, round(plan.total / 60))


def routine_cue(event: CueEvent, voice: bool) -> Cue | None:
    """The cue for a moment of the routine; None when nothing should mark it
    (a rest without a voice: the end of the hold before it already did)."""
    kind = event.cue.kind
    text: str | None = None
    # The voice speaks the app's language: words written only in another
    # are shown on screen but not read out, as without a voice.
    words = event.cue.text.written_in(i18n.current()) if event.cue.text is not None else None
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
