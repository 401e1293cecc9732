"""Speech degrades to silence, and never speaks a language with another
language's voice. Which engine make_speaker picks, what Settings is told, and
QtSpeaker's engine and voice handling, driven through a stand-in
QtTextToSpeech module on machines without the Addons (speech-dispatcher itself
is met for real in tests/unit/test_speech_dispatcher.py)."""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from coach.services import speech
from coach.services.speech import (
    NO_ENGINE,
    VOICE_ADDON_MISSING,
    VOICE_OFF,
    NullSpeaker,
    QtSpeaker,
    SpeechDispatcherSpeaker,
    make_speaker,
    voice_status,
)
from tests.desktop import wait_for
from tests.fakes.speech import FakeSpeaker


@pytest.mark.skipif(speech.qt_speech_installed(), reason="PySide6-Addons is installed")
def test_qt_speech_without_the_addons_is_unavailable_and_harmless(qapp: QApplication) -> None:
    speaker = QtSpeaker()
    assert speaker.available is False
    assert speaker.reason == VOICE_ADDON_MISSING
    assert not speaker.can_speak("en")
    speaker.say("Pull your toes towards you")
    speaker.stop()
    assert speaker.speaking is False


@pytest.mark.skipif(not speech.qt_speech_installed(), reason="PySide6-Addons is not installed")
def test_with_the_addons_a_speaker_is_made_whatever_the_engine(qapp: QApplication) -> None:
    speaker = QtSpeaker()
    assert isinstance(speaker.available, bool)
    assert (speaker.reason is None) == speaker.available
    assert speaker.speaking is False
    speaker.stop()


def test_speech_switched_off_is_a_null_speaker() -> None:
    speaker = make_speaker(False)
    assert isinstance(speaker, NullSpeaker)
    assert not speaker.available and not speaker.can_speak("en")
    assert speaker.reason == VOICE_OFF
    speaker.say("anything")
    assert not speaker.speaking


def test_fake_speaker_records_and_finishes() -> None:
    speaker = FakeSpeaker()
    speaker.say("Breathe out")
    assert speaker.speaking and speaker.spoken == ["Breathe out"]
    speaker.stop()
    assert not speaker.speaking
    mute = FakeSpeaker(available=False)
    mute.say("ignored")
    assert mute.spoken == [] and not mute.speaking


# -- which engine ----------------------------------------------------------------------


@pytest.fixture
def no_programs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PATH with nothing on it: whatever is chosen cannot start a real server."""
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("SPEECHD_ADDRESS", raising=False)


def engines(monkeypatch: pytest.MonkeyPatch, *, speechd: bool, qt: bool) -> None:
    monkeypatch.setattr(speech, "speech_dispatcher_installed", lambda: speechd)
    monkeypatch.setattr(speech, "qt_speech_installed", lambda: qt)


@pytest.mark.usefixtures("no_programs")
def test_speech_dispatcher_comes_first(monkeypatch: pytest.MonkeyPatch,
                                       qapp: QApplication) -> None:
    engines(monkeypatch, speechd=True, qt=True)
    speaker = make_speaker(True)
    assert isinstance(speaker, SpeechDispatcherSpeaker)
    wait_for(lambda: not speaker.starting, 10, "the speaker giving up")
    assert not speaker.available
    assert speaker.reason is not None and "not installed" in speaker.reason
    speaker.close()


def test_qt_speech_when_there_is_no_speech_dispatcher(monkeypatch: pytest.MonkeyPatch,
                                                      qapp: QApplication) -> None:
    engines(monkeypatch, speechd=False, qt=True)
    assert isinstance(make_speaker(True), QtSpeaker)


def test_no_engine_at_all_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    engines(monkeypatch, speechd=False, qt=False)
    speaker = make_speaker(True)
    assert isinstance(speaker, NullSpeaker)
    assert speaker.reason == NO_ENGINE
    assert not speaker.can_speak("en")


def test_speech_dispatcher_is_found_on_the_path_or_by_its_socket(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    programs = tmp_path / "bin"
    programs.mkdir()
    monkeypatch.setenv("PATH", str(programs))
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{tmp_path / 'speechd.sock'}")
    assert not speech.speech_dispatcher_installed()
    (tmp_path / "speechd.sock").touch()
    assert speech.speech_dispatcher_installed()
    (tmp_path / "speechd.sock").unlink()
    server = programs / "speech-dispatcher"
    server.write_text("#!/bin/sh\n")
    server.chmod(0o755)
    assert speech.speech_dispatcher_installed()


# -- what Settings says ------------------------------------------------------------------


def test_settings_says_the_voice_reads_english_when_it_can() -> None:
    status = voice_status(FakeSpeaker(languages=("en",)), "en")
    assert status == "Instructions are read aloud in English."


def test_settings_says_when_there_is_no_voice_for_the_language() -> None:
    status = voice_status(FakeSpeaker(languages=("en",)), "ru")
    assert "No Russian voice is installed" in status and "cue sounds" in status


def test_settings_gives_the_reason_a_voice_does_not_work() -> None:
    broken = FakeSpeaker(available=False)
    broken.reason = "speech-dispatcher could not start: no sound"
    assert voice_status(broken, "en") == ("Instructions are not read aloud: "
                                          "speech-dispatcher could not start: no sound.")
    assert voice_status(NullSpeaker(NO_ENGINE), "en") == (
        f"Instructions are not read aloud: {NO_ENGINE}.")


@pytest.mark.parametrize(("installed", "expected"), [
    (True, "Switch this on to hear each instruction read aloud."),
    (False, f"No voice is installed here: {speech.INSTALL_VOICE}."),
])
def test_with_the_voice_off_settings_says_what_switching_it_on_gives(
        monkeypatch: pytest.MonkeyPatch, installed: bool, expected: str) -> None:
    engines(monkeypatch, speechd=installed, qt=False)
    assert voice_status(NullSpeaker(), "en") == expected
    assert voice_status(None, "en") == expected


# -- QtSpeaker against a stand-in QtTextToSpeech module --------------------------------


class StandInVoice:
    def __init__(self, name: str, locale: QLocale) -> None:
        self._name = name
        self._locale = locale

    def name(self) -> str:
        return self._name

    def locale(self) -> QLocale:
        return self._locale


class StandInEngine:
    """Mimics the parts of QTextToSpeech that QtSpeaker uses. Like Qt under a
    C locale, it starts with a voice for a language nobody asked for."""

    class State(enum.Enum):
        Ready = 0
        Speaking = 1
        Synthesizing = 2
        Paused = 3
        Error = 4

    # Per test: the fixture makes a fresh subclass with its own lists.
    engines: ClassVar[list[str]]
    instances: ClassVar[list[StandInEngine]]
    voices: ClassVar[list[StandInVoice]]
    initial_state: ClassVar[State] = State.Ready

    def __init__(self) -> None:
        self._state = self.initial_state
        self._voice = self.voices[0] if self.voices else StandInVoice("none", QLocale.c())
        self._locale = self._voice.locale()
        self.said: list[tuple[str, QLocale.Language]] = []
        """Each text, with the language of the voice it was said in."""
        self._listeners: list[Callable[[Any], None]] = []
        self.stateChanged = self  # the "signal": only connect() is used
        type(self).instances.append(self)

    @classmethod
    def availableEngines(cls) -> list[str]:
        return cls.engines

    def availableLocales(self) -> list[QLocale]:
        unique: list[QLocale] = []
        for voice in self.voices:
            if voice.locale() not in unique:
                unique.append(voice.locale())
        return unique

    def locale(self) -> QLocale:
        return self._locale

    def setLocale(self, locale: QLocale) -> None:
        self._locale = locale
        matching = [voice for voice in self.voices if voice.locale() == locale]
        if matching:
            self._voice = matching[0]

    def availableVoices(self) -> list[StandInVoice]:
        return [voice for voice in self.voices if voice.locale() == self._locale]

    def voice(self) -> StandInVoice:
        return self._voice

    def setVoice(self, voice: StandInVoice) -> None:
        self._voice = voice

    def connect(self, slot: Callable[[Any], None]) -> None:
        self._listeners.append(slot)

    def change(self, state: State) -> None:
        self._state = state
        for slot in self._listeners:
            slot(state)

    def state(self) -> State:
        return self._state

    def errorString(self) -> str:
        return "daemon gone" if self._state is self.State.Error else ""

    def say(self, text: str) -> None:
        self.said.append((text, self._voice.locale().language()))
        self.change(self.State.Speaking)

    def stop(self) -> None:
        self.change(self.State.Ready)


MANIPURI = StandInVoice("Bishnupriya Manipuri", QLocale("mni_IN"))
BRITISH = StandInVoice("English (Great Britain)", QLocale("en_GB"))
AMERICAN = StandInVoice("English (America)", QLocale("en_US"))
RUSSIAN = StandInVoice("Russian", QLocale("ru_RU"))


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> type[StandInEngine]:
    module = ModuleType("PySide6.QtTextToSpeech")
    engine = type("QTextToSpeech", (StandInEngine,),
                  {"instances": [], "engines": ["stand-in"], "voices": [MANIPURI, BRITISH]})
    setattr(module, "QTextToSpeech", engine)  # noqa: B010  (a module made here)
    monkeypatch.setitem(sys.modules, "PySide6.QtTextToSpeech", module)
    return engine


def test_a_working_engine_speaks_and_reports_speaking(stand_in: type[StandInEngine]) -> None:
    speaker = QtSpeaker()
    assert speaker.available and speaker.reason is None
    speaker.say("Pull your toes towards you")
    assert speaker.speaking
    assert [text for text, _ in stand_in.instances[0].said] == ["Pull your toes towards you"]
    speaker.stop()
    assert not speaker.speaking


def test_english_is_read_by_an_english_voice_whatever_the_engine_started_with(
        stand_in: type[StandInEngine]) -> None:
    speaker = QtSpeaker()
    speaker.say("Pull your toes towards you", language="en")
    assert stand_in.instances[0].said == [("Pull your toes towards you",
                                           QLocale.Language.English)]


def test_a_language_without_a_voice_is_never_spoken(stand_in: type[StandInEngine]) -> None:
    speaker = QtSpeaker()
    assert speaker.can_speak("en")
    assert not speaker.can_speak("ru")
    assert not speaker.can_speak("xx")
    speaker.say("Потяните носок на себя", language="ru")
    assert stand_in.instances[0].said == []
    assert not speaker.speaking


def test_each_sentence_gets_a_voice_for_its_own_language(
        stand_in: type[StandInEngine]) -> None:
    stand_in.voices = [MANIPURI, BRITISH, RUSSIAN]
    speaker = QtSpeaker()
    assert speaker.can_speak("ru")
    speaker.say("Потяните носок на себя", language="ru")
    speaker.say("Hold.", language="en", queue=True)
    assert stand_in.instances[0].said == [("Потяните носок на себя", QLocale.Language.Russian),
                                          ("Hold.", QLocale.Language.English)]


def test_the_desktops_own_dialect_is_preferred(stand_in: type[StandInEngine],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    stand_in.voices = [MANIPURI, BRITISH, AMERICAN]
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("en_US")))
    speaker = QtSpeaker()
    speaker.say("Hold.", language="en")
    assert stand_in.instances[0].locale() == QLocale("en_US")


def test_an_engine_whose_locale_keeps_a_foreign_voice_stays_silent(
        stand_in: type[StandInEngine], monkeypatch: pytest.MonkeyPatch) -> None:
    stand_in.voices = [MANIPURI, BRITISH]
    speaker = QtSpeaker()
    engine = stand_in.instances[0]
    monkeypatch.setattr(engine, "availableVoices", lambda: [MANIPURI])
    monkeypatch.setattr(engine, "setLocale", lambda locale: None)
    speaker.say("Pull your toes towards you", language="en")
    assert engine.said == []


def test_no_engine_installed_means_unavailable(stand_in: type[StandInEngine]) -> None:
    stand_in.engines = []
    speaker = QtSpeaker()
    assert not speaker.available
    assert speaker.reason == NO_ENGINE
    speaker.say("ignored")
    assert not speaker.speaking


def test_an_engine_without_voices_means_unavailable(stand_in: type[StandInEngine]) -> None:
    stand_in.voices = []
    speaker = QtSpeaker()
    assert not speaker.available
    assert speaker.reason is not None and "no voices" in speaker.reason


def test_an_engine_in_error_at_start_means_unavailable(stand_in: type[StandInEngine]) -> None:
    stand_in.initial_state = StandInEngine.State.Error
    speaker = QtSpeaker()
    assert not speaker.available
    assert speaker.reason is not None and "daemon gone" in speaker.reason
    speaker.say("ignored")
    assert stand_in.instances[0].said == []


def test_an_engine_that_fails_later_stops_being_used(stand_in: type[StandInEngine]) -> None:
    speaker = QtSpeaker()
    stand_in.instances[0].change(StandInEngine.State.Error)
    assert not speaker.available and not speaker.can_speak("en")
    speaker.say("ignored")
    assert stand_in.instances[0].said == []


def test_an_engine_that_raises_on_construction_is_contained(
        stand_in: type[StandInEngine], monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: StandInEngine) -> None:
        raise RuntimeError("plugin failed to load")

    monkeypatch.setattr(stand_in, "__init__", broken)
    speaker = QtSpeaker()
    assert not speaker.available
    assert speaker.reason is not None and "plugin failed" in speaker.reason
