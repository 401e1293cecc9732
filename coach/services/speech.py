"""Spoken instructions, when an optional Qt module and a speech engine exist.

QtTextToSpeech ships in the PySide6-Addons wheel (``pip install .[voice]``),
which most installs will not have, and even with it a desktop may have no
engine (on Linux, speech-dispatcher). Neither is an error: ``available`` is
False, nothing is spoken, and the words stay on screen. Qt is imported only
inside :class:`QtSpeaker`, so importing this module for the :class:`Speaker`
protocol works in the CLI and the core's tests without Qt.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any, Protocol

log = logging.getLogger(__name__)

VOICE_ADDON_MISSING = ("the voice add-on is not installed "
                       "(pip install 'cramp-coach[voice]' brings PySide6-Addons)")


class Speaker(Protocol):
    @property
    def available(self) -> bool:
        """False when nothing can be spoken, so callers rely on sound and text."""
        ...

    @property
    def speaking(self) -> bool:
        """True while words are being synthesised or spoken."""
        ...

    def say(self, text: str, *, queue: bool = False) -> None:
        """Speak ``text``, cutting off anything still being spoken (the newer
        instruction is the one that matches the screen), or with ``queue``
        after it; never raises."""
        ...

    def stop(self) -> None:
        """Fall silent at once."""
        ...


class QtSpeaker:
    """Speech through QTextToSpeech.

    Make and use it on the Qt GUI thread after the QApplication exists: the
    engine reports its state through signals delivered by that event loop.
    ``reason`` says why speech is unavailable, for the settings page.
    """

    def __init__(self) -> None:
        self._tts: Any = None
        self._busy_states: tuple[Any, ...] = ()
        self._error_state: Any = None
        self.reason: str | None = self._start()
        if self.reason is not None:
            log.info("Speech is unavailable: %s", self.reason)

    @property
    def available(self) -> bool:
        return self.reason is None

    @property
    def speaking(self) -> bool:
        return self.available and self._tts.state() in self._busy_states

    def say(self, text: str, *, queue: bool = False) -> None:
        if not self.available:
            return
        if queue and hasattr(self._tts, "enqueue"):  # Qt 6.6 and later
            self._tts.enqueue(text)
        else:
            self._tts.say(text)

    def stop(self) -> None:
        if self.available:
            self._tts.stop()

    def _start(self) -> str | None:
        # import_module rather than an import statement: the module is optional,
        # and mypy must pass whether or not the Addons wheel is installed.
        try:
            qtts = importlib.import_module("PySide6.QtTextToSpeech")
        except ImportError:
            return VOICE_ADDON_MISSING
        from PySide6.QtCore import QCoreApplication

        if QCoreApplication.instance() is None:
            return "speech needs the Qt application to be running"
        engine_class = qtts.QTextToSpeech
        try:
            if not engine_class.availableEngines():
                return "no speech engine is installed (on Linux, install speech-dispatcher)"
            tts = engine_class()
        except Exception as exc:  # an engine plugin failing must not stop the app
            return f"the speech engine failed to start: {exc}"
        state = engine_class.State
        if tts.state() == state.Error:
            return f"the speech engine failed to start: {tts.errorString() or 'unknown error'}"
        self._tts = tts
        self._busy_states = (state.Speaking, state.Synthesizing)
        self._error_state = state.Error
        tts.stateChanged.connect(self._state_changed)
        return None

    def _state_changed(self, state: Any) -> None:
        # Some engines only fail once they try to speak (a speech daemon that
        # died, no audio device); from then on, stop claiming we can talk.
        if state == self._error_state and self.reason is None:
            self.reason = f"the speech engine failed: {self._tts.errorString() or 'unknown error'}"
            log.warning("Speech stopped working: %s", self.reason)


class NullSpeaker:
    """Speech switched off in the settings."""

    available = False
    speaking = False

    def say(self, text: str, *, queue: bool = False) -> None:
        """Speech is off: the text stays on screen only."""

    def stop(self) -> None:
        """Nothing is ever spoken, so there is nothing to stop."""


def make_speaker(enabled: bool) -> Speaker:
    """The speaker for the user's setting; a QtSpeaker that turned out
    unavailable is still returned, so the settings page can say why."""
    return QtSpeaker() if enabled else NullSpeaker()
