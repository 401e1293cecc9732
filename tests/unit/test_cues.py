"""Cue dispatch: what is heard, what is spoken, what is only flashed, driven
by a fake player, a fake speaker and a clock the test moves by hand."""

from __future__ import annotations

import subprocess
import sys

import pytest

from coach.services.cues import (
    PRIORITY_BY_KIND,
    SPEECH_ONLY,
    Cue,
    CueDispatcher,
    Priority,
    speech_estimate,
)
from coach.services.speech import NullSpeaker, Speaker
from tests.fakes.sound import FakePlayer
from tests.fakes.speech import FakeSpeaker


class Rig:
    def __init__(self, player_available: bool = True,
                 speaker: Speaker | None = None) -> None:
        self.now = 100.0
        self.muted = False
        self.player = FakePlayer(available=player_available)
        self.speaker = FakeSpeaker() if speaker is None else speaker
        self.flashed: list[Cue] = []
        self.dispatcher = CueDispatcher(self.player, self.speaker, lambda: self.muted,
                                        self.flashed.append, lambda: self.now)

    def emit(self, kind: str, text: str | None = None) -> Cue:
        cue = Cue(kind, text)
        self.dispatcher.emit(cue)
        return cue


def test_priority_table() -> None:
    assert dict(PRIORITY_BY_KIND) == {
        "start": Priority.HIGH, "end": Priority.HIGH, "switch": Priority.HIGH,
        "halfway": Priority.MEDIUM, "reminder": Priority.MEDIUM,
        "tick": Priority.LOW, "rep": Priority.LOW,
    }
    assert Cue("tick", "Breathe out").priority is Priority.SPEECH
    assert max(Priority) is Priority.SPEECH  # nothing may interrupt speech


def test_unknown_cue_kind_fails_where_it_is_made() -> None:
    with pytest.raises(ValueError, match="beep"):
        Cue("beep")


def test_plain_cue_is_played_and_not_flashed() -> None:
    rig = Rig()
    rig.emit("start")
    assert rig.player.played == ["start"]
    assert rig.flashed == []


def test_muted_cues_are_flashed_never_played_or_spoken() -> None:
    rig = Rig()
    rig.muted = True
    tick = rig.emit("tick")
    spoken = rig.emit("switch", "Now the other leg")
    assert rig.flashed == [tick, spoken]
    assert rig.player.played == []
    assert isinstance(rig.speaker, FakeSpeaker)
    assert rig.speaker.spoken == []


def test_without_audio_every_cue_is_flashed() -> None:
    rig = Rig(player_available=False, speaker=NullSpeaker())
    cues = [rig.emit(kind) for kind in PRIORITY_BY_KIND]
    assert rig.flashed == cues


def test_instruction_is_spoken_instead_of_its_sound() -> None:
    speaker = FakeSpeaker()
    rig = Rig(speaker=speaker)
    rig.emit("start", "Pull your toes towards you")
    assert speaker.spoken == ["Pull your toes towards you"]
    assert rig.player.played == []
    assert rig.flashed == []


def test_instruction_falls_back_to_its_sound_without_a_voice() -> None:
    rig = Rig(speaker=FakeSpeaker(available=False))
    rig.emit("start", "Pull your toes towards you")
    assert rig.player.played == ["start"]


@pytest.mark.parametrize("kind", sorted(PRIORITY_BY_KIND))
def test_no_cue_sound_talks_over_an_instruction_but_it_is_still_shown(kind: str) -> None:
    speaker = FakeSpeaker()
    rig = Rig(speaker=speaker)
    rig.emit("start", "Hold the stretch and breathe slowly")
    cue = rig.emit(kind)
    assert rig.player.played == []
    assert rig.flashed == [cue]
    assert speaker.speaking


def test_cues_are_heard_again_once_the_engine_says_it_has_finished() -> None:
    speaker = FakeSpeaker()
    rig = Rig(speaker=speaker)
    rig.emit("start", "Hold the stretch and breathe slowly for thirty seconds")
    rig.emit("tick")
    speaker.speaking = False  # long before the estimate runs out
    rig.emit("tick")
    assert rig.player.played == ["tick"]


def test_before_the_engine_reports_speaking_the_estimate_holds_cues_back() -> None:
    speaker = FakeSpeaker()
    rig = Rig(speaker=speaker)
    text = "Hold the stretch and breathe slowly"
    rig.emit("start", text)
    speaker.speaking = False  # engines start asynchronously: still silent
    rig.now += speech_estimate(text) - 0.01
    rig.emit("tick")
    assert rig.player.played == []
    rig.now += 0.02
    rig.emit("tick")
    assert rig.player.played == ["tick"]


def test_a_newer_instruction_replaces_the_one_being_spoken() -> None:
    speaker = FakeSpeaker()
    rig = Rig(speaker=speaker)
    rig.emit("start", "Left leg")
    rig.emit("switch", "Now the right leg")
    assert speaker.spoken == ["Left leg", "Now the right leg"]
    assert rig.flashed == []


def test_silence_stops_speech_and_lets_the_next_cue_through() -> None:
    speaker = FakeSpeaker()
    rig = Rig(speaker=speaker)
    rig.emit("start", "Hold the stretch and breathe slowly")
    rig.dispatcher.silence()
    assert not speaker.speaking
    rig.emit("end")
    assert rig.player.played == ["end"]


def test_a_speaker_that_stops_working_no_longer_holds_cues_back() -> None:
    speaker = FakeSpeaker()
    rig = Rig(speaker=speaker)
    rig.emit("start", "Hold the stretch")
    speaker.available = False
    rig.emit("tick")
    assert rig.player.played == ["tick"]


def test_dispatcher_works_without_any_speaker() -> None:
    player = FakePlayer()
    flashed: list[Cue] = []
    dispatcher = CueDispatcher(player, None, lambda: False, flashed.append, lambda: 0.0)
    dispatcher.emit(Cue("start", "Pull your toes"))
    dispatcher.emit(Cue("tick"))
    dispatcher.silence()
    assert player.played == ["start", "tick"]
    assert flashed == []


def test_speech_estimate_grows_with_the_text() -> None:
    assert speech_estimate("one two three four five") > speech_estimate("one") > 0


def test_services_import_without_qt_or_audio() -> None:
    """The CLI and core use sound, cues and autostart without a display; speech
    may only import Qt when a speaker is made; miniaudio loads on the worker."""
    script = (
        "import sys\n"
        "import coach.services.sound, coach.services.cues, coach.services.autostart\n"
        "import coach.services.speech\n"
        "bad = sorted(m for m in sys.modules\n"
        "             if m.split('.')[0] in ('PySide6', 'shiboken6', 'miniaudio'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""


def test_a_words_only_cue_is_spoken_with_a_voice_and_dropped_without() -> None:
    speaker = FakeSpeaker()
    rig = Rig(speaker=speaker)
    rig.dispatcher.emit(Cue(SPEECH_ONLY, "Ten seconds."))
    assert speaker.spoken == ["Ten seconds."] and rig.player.played == []
    quiet = Rig(speaker=FakeSpeaker(available=False))
    quiet.dispatcher.emit(Cue(SPEECH_ONLY, "Ten seconds."))
    assert quiet.player.played == [] and quiet.flashed == []  # the screen shows it already


def test_a_words_only_cue_needs_words() -> None:
    with pytest.raises(ValueError, match="words"):
        Cue(SPEECH_ONLY)


def test_queued_speech_waits_and_keeps_sounds_off_until_it_is_all_said() -> None:
    speaker = FakeSpeaker()
    rig = Rig(speaker=speaker)
    rig.dispatcher.emit(Cue(SPEECH_ONLY, "Straighten your leg and pull your toes toward you."))
    rig.dispatcher.emit(Cue("start", "Hold.", queue=True))
    assert speaker.spoken[-1] == "Hold." and speaker.queued == [False, True]
    speaker.speaking = False  # the engine has not reported yet: the estimate holds
    both = speech_estimate("Straighten your leg and pull your toes toward you.") \
        + speech_estimate("Hold.")
    rig.now += both - 0.1
    rig.emit("tick")
    assert rig.player.played == [] and [c.kind for c in rig.flashed] == ["tick"]
    rig.now += 0.2
    rig.emit("tick")
    assert rig.player.played == ["tick"]


# -- the voice's language -------------------------------------------------------------


def test_a_cue_is_in_english_unless_told() -> None:
    assert Cue("start", "Hold.").language == "en"


def test_an_english_instruction_with_an_english_voice_is_spoken_in_english() -> None:
    speaker = FakeSpeaker(languages=("en",))
    rig = Rig(speaker=speaker)
    rig.dispatcher.emit(Cue("start", "Pull your toes towards you", language="en"))
    assert speaker.spoken == ["Pull your toes towards you"]
    assert speaker.spoken_languages == ["en"]
    assert rig.player.played == [] and rig.flashed == []


def test_a_russian_instruction_with_only_an_english_voice_plays_its_sound() -> None:
    speaker = FakeSpeaker(languages=("en",))
    rig = Rig(speaker=speaker)
    rig.dispatcher.emit(Cue("start", "Потяните носок на себя", language="ru"))
    assert speaker.spoken == []
    assert rig.player.played == ["start"]
    assert rig.flashed == []


def test_russian_words_only_with_only_an_english_voice_are_dropped() -> None:
    speaker = FakeSpeaker(languages=("en",))
    rig = Rig(speaker=speaker)
    rig.dispatcher.emit(Cue(SPEECH_ONLY, "Десять секунд.", language="ru"))
    assert speaker.spoken == [] and rig.player.played == [] and rig.flashed == []
    rig.emit("tick")  # and nothing was taken to be speaking
    assert rig.player.played == ["tick"]


def test_a_russian_instruction_with_a_russian_voice_is_spoken_in_russian() -> None:
    speaker = FakeSpeaker(languages=("en", "ru"))
    rig = Rig(speaker=speaker)
    rig.dispatcher.emit(Cue("start", "Потяните носок на себя", language="ru"))
    assert speaker.spoken == ["Потяните носок на себя"]
    assert speaker.spoken_languages == ["ru"]
    assert rig.player.played == []
