"""Speech degrades to silence: without the Addons wheel or an engine the app
runs on, and ``say`` is harmless. Where QtTextToSpeech is installed, making a
speaker must not crash whatever engine the machine has. A stand-in module
drives QtSpeaker's engine handling on machines without the Addons."""

from __future__ import annotations

import enum
import importlib.util
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any, ClassVar

import pytest
from PySide6.QtWidgets import QApplication

from coach.services.speech import VOICE_ADDON_MISSING, NullSpeaker, QtSpeaker, make_speaker
from tests.fakes.speech import FakeSpeaker


def has_qt_speech() -> bool:
    try:
        return importlib.util.find_spec("PySide6.QtTextToSpeech") is not None
    except ImportError:
        return False


@pytest.mark.skipif(has_qt_speech(), reason="PySide6-Addons is installed")
def test_without_the_addons_speech_is_unavailable_and_harmless(qapp: QApplication) -> None:
    speaker = make_speaker(True)
    assert isinstance(speaker, QtSpeaker)
    assert speaker.available is False
    assert speaker.reason == VOICE_ADDON_MISSING
    speaker.say("Pull your toes towards you")
    speaker.stop()
    assert speaker.speaking is False


@pytest.mark.skipif(not has_qt_speech(), reason="PySide6-Addons is not installed")
def test_with_the_addons_a_speaker_is_made_whatever_the_engine(qapp: QApplication) -> None:
    speaker = QtSpeaker()
    assert isinstance(speaker.available, bool)
    assert (speaker.reason is None) == speaker.available
    assert speaker.speaking is False
    speaker.stop()


def test_speech_switched_off_is_a_null_speaker() -> None:
    speaker = make_speaker(False)
    assert isinstance(speaker, NullSpeaker)
    assert not speaker.available
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


# -- QtSpeaker against a stand-in QtTextToSpeech module --------------------------


class StandInEngine:
    """Mimics the parts of QTextToSpeech that QtSpeaker uses."""

    class State(enum.Enum):
        Ready = 0
        Speaking = 1
        Synthesizing = 2
        Paused = 3
        Error = 4

    # Per test: the fixture makes a fresh subclass with its own lists.
    engines: ClassVar[list[str]]
    instances: ClassVar[list[StandInEngine]]
    initial_state: ClassVar[State] = State.Ready

    def __init__(self) -> None:
        self._state = self.initial_state
        self.said: list[str] = []
        self._listeners: list[Callable[[Any], None]] = []
        self.stateChanged = self  # the "signal": only connect() is used
        type(self).instances.append(self)

    @classmethod
    def availableEngines(cls) -> list[str]:
        return cls.engines

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
        self.said.append(text)
        self.change(self.State.Speaking)

    def stop(self) -> None:
        self.change(self.State.Ready)


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> type[StandInEngine]:
    module = ModuleType("PySide6.QtTextToSpeech")
    engine = type("QTextToSpeech", (StandInEngine,), {"instances": [], "engines": ["stand-in"]})
    module.QTextToSpeech = engine  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "PySide6.QtTextToSpeech", module)
    return engine


def test_a_working_engine_speaks_and_reports_speaking(stand_in: type[StandInEngine]) -> None:
    speaker = QtSpeaker()
    assert speaker.available and speaker.reason is None
    speaker.say("Pull your toes towards you")
    assert speaker.speaking
    assert stand_in.instances[0].said == ["Pull your toes towards you"]
    speaker.stop()
    assert not speaker.speaking


def test_no_engine_installed_means_unavailable(stand_in: type[StandInEngine]) -> None:
    stand_in.engines = []
    speaker = QtSpeaker()
    assert not speaker.available
    assert speaker.reason is not None and "no speech engine" in speaker.reason
    speaker.say("ignored")
    assert not speaker.speaking


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
    assert not speaker.available
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
