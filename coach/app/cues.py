"""The one place cues go: sound, voice and flash behind one object the screens
share, made on the first cue (finding the audio backend takes a while and the
first screen must not wait for it) and made again when the person switches
the voice or the sound on or off in Settings (it subscribes to them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from coach.app.settings import SettingsModel
from coach.core import i18n
from coach.core.clock import Clock
from coach.core.settings import Settings
from coach.services.cues import Cue, CueDispatcher
from coach.services.sound import CuePlayer
from coach.services.speech import Speaker


class CueBoard:
    """``make_player`` and ``make_speaker`` build the real side effects (or a
    test's fakes); ``flash`` shows a cue that is not heard."""

    def __init__(self, settings: SettingsModel, clock: Clock,
                 make_player: Callable[[], CuePlayer],
                 make_speaker: Callable[[bool], Speaker]) -> None:
        self._settings = settings
        self._clock = clock
        self._make_player = make_player
        self._make_speaker = make_speaker
        self._player: CuePlayer | None = None
        self._speaker: Speaker | None = None
        self._dispatcher: CueDispatcher | None = None
        self.flash: Callable[[], None] = lambda: None
        settings.subscribe(self._voice_changed, ["voice"])

    @property
    def speaker(self) -> Speaker | None:
        """The speaker in use, once made (for Settings to say why it is silent)."""
        return self._speaker

    def _ready(self) -> CueDispatcher:
        if self._dispatcher is None:
            if self._player is None:
                self._player = self._make_player()
            if self._speaker is None:
                self._speaker = self._make_speaker(self._settings.current.voice)
            self._dispatcher = CueDispatcher(
                self._player, self._speaker, muted=lambda: not self._settings.current.sound,
                on_visual=lambda _cue: self.flash(), clock=self._clock.monotonic)
        return self._dispatcher

    def prepare(self) -> None:
        """Make the player and the speaker now: a speaker takes up to a second
        to connect, and until then it truthfully cannot speak, so the first
        instruction would only get its sound. Called when a guide opens."""
        self._ready()

    def emit(self, cues: Iterable[Cue]) -> None:
        """Words go to the voice of the app's language: every instruction is
        worded in it when the cue is made (the catalogue, or the content's
        text in that language), so a Russian app speaks Russian."""
        dispatcher = self._ready()
        language = i18n.current()
        for cue in cues:
            dispatcher.emit(cue if cue.text is None else replace(cue, language=language))

    def silence(self) -> None:
        """Stop any instruction being spoken (pause, stop, leaving a guide)."""
        if self._dispatcher is not None:
            self._dispatcher.silence()

    @property
    def voice(self) -> bool:
        """Words will be spoken (the setting is on and a voice exists)."""
        if not self._settings.current.voice:
            return False
        self._ready()
        return self._speaker is not None and self._speaker.can_speak(i18n.current())

    def _voice_changed(self, _settings: Settings, _changed: frozenset[str]) -> None:
        self.silence()
        self._speaker = None
        self._dispatcher = None
