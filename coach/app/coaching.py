"""What the coach says and plays at each moment of emergency mode.

The session (:mod:`coach.core.emergency`) decides *when* something happens;
this module decides how it sounds: the sound for each moment, and the words
when a voice is on. Keeping the wording here, once, means the screen, the
voice and the tests agree on it.

Speech never talks over itself. New screen content (a new step, the clot
check) replaces anything still being said from before, because what is on
screen has changed, unless something earlier in the same batch is being said
for it ("it has passed? press P", then "next: ..."); everything else waits its
turn (``queue``), so "hold" never cuts an instruction short.
"""

from __future__ import annotations

from collections.abc import Sequence

from coach.core.emergency import Cue as Moment
from coach.core.emergency import View
from coach.core.i18n import N_, _
from coach.core.model import Library
from coach.services.cues import SPEECH_ONLY, Cue

# What the voice says, in English, marked for the catalogue: spoken in the
# app's language (see :func:`emergency_cues`).
ANSWER_CLOT_CHECK = N_("Press N for no, or Y for yes.")
# Translators: said by the voice as a stretch's hold begins.
HOLD = N_("Hold.")
# Translators: said by the voice when ten seconds of a hold are left.
TEN_SECONDS = N_("Ten seconds.")
# Translators: said by the voice as a hold ends.
RELAX = N_("Relax.")
# Translators: said by the voice before the next step's instruction.
NEXT = N_("Next.")
# Translators: said by the voice; P is the key that says the cramp is over.
PASSED_HINT = N_("It has passed? Press P.")

_SOUNDS = {Moment.START: "start", Moment.END: "end", Moment.DONE: "end"}
"""The moments that had a sound before there was a voice; they keep it."""


def step_words(view: View, library: Library) -> str:
    """The instruction as shown: the seated version first when the session
    chose it, and the warning before standing up when it is due."""
    shown = view.step
    if shown is None:
        return ""
    step = shown.step
    words = str(step.supported) if shown.seated and step.supported else str(step.instruction)
    if shown.stand_up_next and library.night_safety is not None:
        words += " " + str(library.night_safety.text)
    return words


def emergency_cues(moments: Sequence[Moment], view: View, library: Library) -> list[Cue]:
    """The cues for what one action or tick of the session brought, in order.
    ``view`` is the session's view after that action."""
    cues: list[Cue] = []
    preface = ""
    for moment in moments:
        if moment is Moment.NEXT:
            preface = _(NEXT) + " "
            continue
        if moment in (Moment.STEP, Moment.CHECK):
            if moment is Moment.STEP:
                words = step_words(view, library)
            else:
                question = library.clot_check.question if library.clot_check else None
                words = (f"{question} {_(ANSWER_CLOT_CHECK)}" if question
                         else _(ANSWER_CLOT_CHECK))
            said_before = any(cue.text for cue in cues)
            cues.append(Cue(SPEECH_ONLY, preface + words, queue=said_before))
            preface = ""
            continue
        said = {Moment.START: HOLD, Moment.TEN_LEFT: TEN_SECONDS, Moment.END: RELAX,
                Moment.PASSED_HINT: PASSED_HINT}.get(moment)
        cues.append(Cue(_SOUNDS.get(moment, SPEECH_ONLY), _(said) if said else None,
                        queue=True))
    return cues
