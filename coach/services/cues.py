"""Which cues are heard, which are only seen, and what may talk over what.

The routine player and emergency mode emit every cue here and never ask
whether sound is on, working, or busy: that decision is made in one place, so
"a countdown tick never cuts off a spoken instruction" and "with sound muted, a
visual flash marks each cue" hold everywhere.

Priorities (higher wins)::

    SPEECH  4   any cue carrying text to speak (an instruction)
    HIGH    3   start, end, switch
    MEDIUM  2   halfway, reminder
    LOW     1   tick, rep

Rules, checked in this order for each cue:

0. A words-only cue (kind ``speech``: "ten seconds", "it has passed? press
   P") exists only for the voice. Without a voice for its language it is
   dropped, not flashed: the screen already shows what it would say.
1. Muted: nothing is played or spoken; the cue is flashed.
2. A cue with text, and a speaker that can speak the cue's ``language``:
   the text is spoken *instead of* the cue's sound (the voice is the cue). It
   replaces speech still in progress (the newer instruction is the one that
   matches the screen), unless the cue says ``queue``: then it waits for that
   speech, so "hold" never cuts an instruction short and speech never
   overlaps. With no voice for the language (say, Russian words and only an
   English voice), the cue goes on as if there were no voice at all: words
   read by a voice for another language are noise, the cue's sound is not.
3. Speech in progress: a cue below SPEECH is not played, so it cannot talk over
   the instruction; it is flashed instead. Only a cue above SPEECH could
   interrupt speech, and there is none.
4. The player is unavailable (no audio, or sound switched off): flashed.
5. Otherwise the cue's sound is played.

So a cue is flashed exactly when it is not heard. "Speech in progress" means
the speaker reports speaking, or, until it has reported speaking once for
the current text, a time estimated from the text's length: engines start
asynchronously and read as silent for a moment after ``say``.

Pure logic with injected player, speaker, clock and callbacks; no Qt.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from types import MappingProxyType

from coach.core.model import DEFAULT_LANGUAGE
from coach.services.sound import CuePlayer
from coach.services.speech import Speaker

WORDS_PER_SECOND = 2.5
"""A typical engine's default rate (150 words a minute)."""
SPEECH_LEAD_IN_S = 0.5
"""Time an engine may take to start talking."""


class Priority(IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    SPEECH = 4


SPEECH_ONLY = "speech"
"""The kind of a cue that is only words (see rule 0)."""

PRIORITY_BY_KIND: Mapping[str, Priority] = MappingProxyType({
    "start": Priority.HIGH,
    "end": Priority.HIGH,
    "switch": Priority.HIGH,
    "halfway": Priority.MEDIUM,
    "reminder": Priority.MEDIUM,
    "tick": Priority.LOW,
    "rep": Priority.LOW,
})


@dataclass(frozen=True)
class Cue:
    """A moment worth marking. ``kind`` names the sound (``assets/sounds/<kind>.wav``),
    or is :data:`SPEECH_ONLY`; ``text``, when given, is an instruction to speak,
    written in ``language`` (the voice must be one for it); ``queue`` lets it
    wait for speech in progress instead of cutting it off."""

    kind: str
    text: str | None = None
    queue: bool = False
    language: str = DEFAULT_LANGUAGE

    def __post_init__(self) -> None:
        # Fail where the typo is made, not silently at play time.
        if self.kind not in PRIORITY_BY_KIND and self.kind != SPEECH_ONLY:
            raise ValueError(f"unknown cue kind {self.kind!r}")
        if self.kind == SPEECH_ONLY and not self.text:
            raise ValueError("a words-only cue needs its words")

    @property
    def priority(self) -> Priority:
        return Priority.SPEECH if self.text else PRIORITY_BY_KIND[self.kind]


def speech_estimate(text: str) -> float:
    """Seconds the text will probably take to say, erring long: a tick
    dropped by mistake costs less than one that talks over an instruction."""
    return SPEECH_LEAD_IN_S + len(text.split()) / WORDS_PER_SECOND


class CueDispatcher:
    """Applies the rules in the module docstring. Call from the UI thread;
    ``on_visual`` is called synchronously from :meth:`emit`."""

    def __init__(self, player: CuePlayer, speaker: Speaker | None,
                 muted: Callable[[], bool], on_visual: Callable[[Cue], None],
                 clock: Callable[[], float]) -> None:
        self._player = player
        self._speaker = speaker
        self._muted = muted
        self._on_visual = on_visual
        self._clock = clock
        self._estimate_end = -math.inf
        self._engine_reported = False

    def emit(self, cue: Cue) -> None:
        speaker = self._speaker
        voice = speaker is not None and speaker.can_speak(cue.language)
        if cue.kind == SPEECH_ONLY and (not voice or self._muted()):
            return
        if self._muted():
            self._on_visual(cue)
            return
        now = self._clock()
        if cue.text and speaker is not None and voice:
            speaker.say(cue.text, language=cue.language, queue=cue.queue)
            start = max(now, self._estimate_end) if cue.queue else now
            self._estimate_end = start + speech_estimate(cue.text)
            self._engine_reported = False
            return
        if cue.priority < Priority.SPEECH and self._speech_in_progress(now):
            self._on_visual(cue)
            return
        if not self._player.available:
            self._on_visual(cue)
            return
        self._player.play(cue.kind)

    def silence(self) -> None:
        """Stop speaking now (the user muted, paused or left the routine), so
        the next cue is heard instead of being held back behind the estimate."""
        if self._speaker is not None:
            self._speaker.stop()
        self._estimate_end = -math.inf

    def _speech_in_progress(self, now: float) -> bool:
        speaker = self._speaker
        if speaker is None or not speaker.available:
            return False
        if speaker.speaking:
            self._engine_reported = True
            return True
        # Once the engine has said it was speaking, its "done" is the truth;
        # before that, silence may just mean it has not started yet.
        return not self._engine_reported and now < self._estimate_end
