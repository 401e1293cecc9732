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

from collections.abc import Callable, Sequence

from coach.core import keys
from coach.core.emergency import Cue as Moment
from coach.core.emergency import View
from coach.core.i18n import N_, _
from coach.core.model import Library
from coach.services.cues import SPEECH_ONLY, Cue

# What the voice says, in English, marked for the catalogue: spoken in the
# app's language (see :func:`emergency_cues`).
# Translators: said by the voice as a stretch's hold begins.
HOLD = N_("Hold.")
# Translators: said by the voice when ten seconds of a hold are left.
TEN_SECONDS = N_("Ten seconds.")
# Translators: said by the voice as a hold ends.
RELAX = N_("Relax.")
# Translators: said by the voice before the next step's instruction.
NEXT = N_("Next.")


def answer_clot_check() -> str:
    """The letters are the buttons' own (:mod:`coach.core.keys`)."""
    # Translators: said by the voice on the blood-clot question; {no} and {yes} are
    # the keys printed on the No and Yes buttons ("N", "Y").
    return _("Press {no} for no, or {yes} for yes.").format(no=keys.no(), yes=keys.yes())


def passed_hint() -> str:
    # Translators: said by the voice; {key} is the key that says the cramp is over,
    # as printed on its button ("P").
    return _("It has passed? Press {key}.").format(key=keys.passed())


_SOUNDS = {Moment.START: "start", Moment.END: "end", Moment.DONE: "end"}
"""The moments that had a sound before there was a voice; they keep it."""


def step_words(view: View, library: Library) -> str:
    """The instruction as shown: the seated version first when the session
    chose it, and the warning before standing up when it is due."""
    shown = view.step
    if shown is None:
        return ""
    words = str(shown.instruction)
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
                words = (f"{question} {answer_clot_check()}" if question
                         else answer_clot_check())
            said_before = any(cue.text for cue in cues)
            cues.append(Cue(SPEECH_ONLY, preface + words, queue=said_before))
            preface = ""
            continue
        said: Callable[[], str] | None = {
            Moment.START: lambda: _(HOLD), Moment.TEN_LEFT: lambda: _(TEN_SECONDS),
            Moment.END: lambda: _(RELAX), Moment.PASSED_HINT: passed_hint}.get(moment)
        cues.append(Cue(_SOUNDS.get(moment, SPEECH_ONLY), said() if said else None,
                        queue=True))
    return cues
