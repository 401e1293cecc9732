"""Hands-free emergency mode: what the voice says, and when, on a fake clock.

The session, the wording and the cue dispatcher are the real ones; only the
speaker, the sound player and the clock are fakes.
"""

from __future__ import annotations

from coach.app.coaching import emergency_cues
from coach.core.emergency import Cue as Moment
from coach.core.emergency import EmergencySession
from coach.services.cues import CueDispatcher
from tests.fakes.clock import FakeClock
from tests.fakes.sound import FakePlayer
from tests.fakes.speech import FakeSpeaker
from tests.unit.test_emergency import LIBRARY


class Rig:
    """Drives the session second by second, as the screen's timer would."""

    def __init__(self, voice: bool = True) -> None:
        self.clock = FakeClock()
        self.start = self.clock.monotonic()
        self.session = EmergencySession(LIBRARY, self.clock)
        self.speaker = FakeSpeaker(available=voice)
        self.player = FakePlayer()
        self.heard: list[tuple[float, str, bool]] = []
        self.sounds: list[tuple[float, str]] = []
        self.flashed: list[str] = []
        self.dispatcher = CueDispatcher(self.player, self.speaker, lambda: False,
                                        lambda cue: self.flashed.append(cue.kind),
                                        self.clock.monotonic)

    def act(self, moments: list[Moment]) -> None:
        before = (len(self.speaker.spoken), len(self.player.played))
        for cue in emergency_cues(moments, self.session.view(), LIBRARY):
            self.dispatcher.emit(cue)
        now = self.clock.monotonic() - self.start
        for text, queued in zip(self.speaker.spoken[before[0]:],
                                self.speaker.queued[before[0]:], strict=True):
            self.heard.append((now, text, queued))
        self.sounds += [(now, sound) for sound in self.player.played[before[1]:]]
        self.speaker.speaking = False  # each utterance is over by the next second

    def run(self, seconds: int) -> None:
        for _ in range(seconds):
            self.clock.advance(1)
            self.act(self.session.tick())


def test_the_spoken_calf_protocol_matches_its_plan() -> None:
    rig = Rig()
    rig.act(rig.session.choose("calf"))
    rig.act(rig.session.answer_clot_check(False))
    rig.run(70)
    rig.act(rig.session.next())  # "stand" has no hold: the person moves on
    rig.run(5)
    rig.act(rig.session.passed())
    assert rig.heard == [
        (0, "Apart from this cramp: is one leg swollen? Press N for no, or Y for yes.", False),
        (0, "pull", False),
        (3, "Hold.", True),
        (23, "Ten seconds.", True),
        (33, "Relax.", True),
        (36, "Hold.", True),
        (56, "Ten seconds.", True),
        (66, "It has passed? Press P.", True),
        (66, "Next. stand", True),
        (70, "massage", False),
        (73, "Hold.", True),
    ]
    assert rig.sounds == [(66, "end")]  # the end of the step still chimes


def test_without_a_voice_the_sounds_and_flashes_stay() -> None:
    rig = Rig(voice=False)
    rig.act(rig.session.choose("calf"))
    rig.act(rig.session.answer_clot_check(False))
    rig.run(70)
    assert rig.heard == []
    assert rig.sounds == [(3, "start"), (33, "end"), (36, "start"), (66, "end")]
    assert rig.flashed == []
