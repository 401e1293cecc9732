"""Cue sounds: the shipped WAVs are what the generator makes and are gentle to
hear, and the player never blocks the caller and degrades quietly without audio.

The worker is driven through an injected output that waits on Events, so no
test sleeps and no test makes a noise; ``test_sound_real.py`` plays through a
real sound server."""

from __future__ import annotations

import importlib.util
import logging
import math
import queue
import struct
import subprocess
import sys
import threading
import wave
from pathlib import Path
from types import ModuleType

import pytest

from coach import resources
from coach.services.cues import PRIORITY_BY_KIND
from coach.services.sound import MAX_PENDING, NoOutput, SoundPlayer, whole_sound
from tests.fakes.sound import FakePlayer

WAIT = 5.0  # generous timeout for cross-thread handoffs; never reached when all is well
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_sounds.py"


def load_generator(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sounds", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up while the class is being built
    monkeypatch.setitem(sys.modules, "make_sounds", module)
    spec.loader.exec_module(module)
    return module


def samples(path: Path) -> tuple[wave.Wave_read, tuple[int, ...]]:
    with wave.open(str(path), "rb") as wav:
        frames = wav.readframes(wav.getnframes())
        return wav, struct.unpack(f"<{len(frames) // 2}h", frames)


# -- the sound files ------------------------------------------------------------

EXPECTED_SECONDS = {"start": 0.35, "end": 0.4, "tick": 0.08, "halfway": 0.3,
                    "switch": 0.4, "rep": 0.1, "reminder": 0.9}


def test_every_cue_kind_has_a_sound() -> None:
    assert set(PRIORITY_BY_KIND) == set(EXPECTED_SECONDS)
    for kind in PRIORITY_BY_KIND:
        assert resources.sound(kind).is_file(), kind


@pytest.mark.parametrize("cue", sorted(EXPECTED_SECONDS))
def test_sound_is_short_soft_mono_and_click_free(cue: str) -> None:
    wav, pcm = samples(resources.sound(cue))
    assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
    assert wav.getframerate() in (22050, 44100)
    assert len(pcm) / wav.getframerate() == pytest.approx(EXPECTED_SECONDS[cue], abs=0.01)
    peak_dbfs = 20 * math.log10(max(abs(s) for s in pcm) / 32767)
    assert peak_dbfs == pytest.approx(-6.0, abs=0.2)
    # Fades in from and out to silence: a jump at either end is a click.
    assert pcm[0] == 0 and pcm[-1] == 0
    assert max(abs(s) for s in pcm[:3] + pcm[-3:]) < 100


def test_sounds_are_small() -> None:
    total = sum(resources.sound(cue).stat().st_size for cue in EXPECTED_SECONDS)
    assert total < 200_000


def test_generator_reproduces_the_shipped_files_byte_for_byte(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generator = load_generator(monkeypatch)
    assert generator.main([str(tmp_path)]) == 0
    for cue in EXPECTED_SECONDS:
        assert (tmp_path / f"{cue}.wav").read_bytes() == resources.sound(cue).read_bytes(), (
            f"{cue}.wav is stale: run scripts/make_sounds.py")


# -- the player -----------------------------------------------------------------


class BlockingOutput:
    """Stands in for the sound output: each cue blocks until the test releases
    it. ``opened`` counts the times it was looked for; ``released`` is set
    when the worker lets its streams go."""

    def __init__(self) -> None:
        self.started: queue.Queue[str] = queue.Queue()
        self.release_cue = threading.Event()
        self.released_in_time: list[bool] = []
        self.opened = 0
        self.released = threading.Event()

    def __call__(self) -> BlockingOutput:
        self.opened += 1
        return self

    def play(self, sound: Path) -> None:
        self.released.clear()
        self.started.put(sound.stem)
        self.released_in_time.append(self.release_cue.wait(WAIT))

    def release(self) -> None:
        self.released.set()


class BrokenOutput:
    """Every cue fails (or, with ``fail_on_open``, finding the output does)."""

    def __init__(self, error: Exception, fail_on_open: bool = False) -> None:
        self.error = error
        self.fail_on_open = fail_on_open
        self.calls: list[str] = []

    def __call__(self) -> BrokenOutput:
        if self.fail_on_open:
            raise self.error
        return self

    def play(self, sound: Path) -> None:
        self.calls.append(sound.stem)
        raise self.error

    def release(self) -> None:
        pass


def fake_path(cue: str) -> Path:
    return Path("/nowhere") / f"{cue}.wav"


def test_play_returns_while_the_output_is_still_playing() -> None:
    output = BlockingOutput()
    player = SoundPlayer(fake_path, open_output=output)
    player.play("start")
    assert output.started.get(timeout=WAIT) == "start"
    player.play("tick")  # the worker is stuck inside the output; this must not wait
    output.release_cue.set()
    assert output.started.get(timeout=WAIT) == "tick"
    assert player.close(timeout=WAIT)
    # Had play() blocked, the output's wait would have timed out instead.
    assert output.released_in_time == [True, True]
    assert player.available


def test_cues_beyond_the_backlog_are_dropped_not_delayed() -> None:
    output = BlockingOutput()
    player = SoundPlayer(fake_path, open_output=output)
    player.play("start")
    assert output.started.get(timeout=WAIT) == "start"
    waiting = [f"cue{i}" for i in range(MAX_PENDING + 2)]
    for cue in waiting:
        player.play(cue)
    output.release_cue.set()
    heard = [output.started.get(timeout=WAIT) for _ in range(MAX_PENDING)]
    assert heard == waiting[:MAX_PENDING]
    assert player.close(timeout=WAIT)
    assert output.started.empty()


def test_the_output_is_found_at_once_and_let_go_when_cues_stop() -> None:
    output = BlockingOutput()
    output.release_cue.set()
    player = SoundPlayer(fake_path, open_output=output, idle_close_s=0.05)
    assert output.released.wait(WAIT)  # looked for before any cue, then idle
    player.play("tick")
    assert output.started.get(timeout=WAIT) == "tick"
    assert output.released.wait(WAIT)  # idle again after the cue
    assert player.close(timeout=WAIT)
    assert output.opened == 1
    assert player.available


def test_close_lets_the_output_go() -> None:
    output = BlockingOutput()
    player = SoundPlayer(fake_path, open_output=output)
    player.play("start")
    assert output.started.get(timeout=WAIT) == "start"
    assert not output.released.is_set()
    output.release_cue.set()
    assert player.close(timeout=WAIT)
    assert output.released.is_set()


def test_a_failing_output_is_reported_once_and_later_cues_are_dropped(
        caplog: pytest.LogCaptureFixture) -> None:
    reports: queue.Queue[str] = queue.Queue()
    output = BrokenOutput(OSError("device busy"))
    player = SoundPlayer(fake_path, on_unavailable=reports.put, open_output=output)
    with caplog.at_level(logging.WARNING, logger="coach.services.sound"):
        player.play("start")
        message = reports.get(timeout=WAIT)
        assert "device busy" in message
        assert not player.available
        player.play("end")
        player.play("tick")
        assert player.close(timeout=WAIT)
    assert output.calls == ["start"]
    assert reports.empty()
    assert len([r for r in caplog.records if "device busy" in r.getMessage()]) == 1


def test_no_output_is_found_out_before_the_first_cue() -> None:
    reports: queue.Queue[str] = queue.Queue()
    player = SoundPlayer(fake_path, on_unavailable=reports.put,
                         open_output=BrokenOutput(NoOutput("no card"), fail_on_open=True))
    assert "no card" in reports.get(timeout=WAIT)
    assert not player.available
    player.play("start")
    assert player.close(timeout=WAIT)
    assert reports.empty()


def test_a_failing_unavailable_callback_does_not_escape_the_worker() -> None:
    called = threading.Event()

    def callback(message: str) -> None:
        called.set()
        raise RuntimeError("UI went away")

    player = SoundPlayer(fake_path, on_unavailable=callback,
                         open_output=BrokenOutput(OSError("no device")))
    player.play("start")
    assert called.wait(WAIT)
    assert player.close(timeout=WAIT)
    assert not player.available


def test_close_stops_an_idle_worker_and_later_cues_are_ignored() -> None:
    output = BlockingOutput()
    player = SoundPlayer(fake_path, open_output=output)
    assert player.close(timeout=WAIT)
    player.play("start")
    assert output.started.empty()


def test_close_stops_a_busy_worker_once_its_cue_ends() -> None:
    output = BlockingOutput()
    player = SoundPlayer(fake_path, open_output=output)
    player.play("start")
    assert output.started.get(timeout=WAIT) == "start"
    for _ in range(MAX_PENDING):
        player.play("tick")
    output.release_cue.set()
    assert player.close(timeout=WAIT)


# -- what a cue's stream plays ---------------------------------------------------


def test_a_cue_stream_plays_the_whole_cue_at_once_then_silence() -> None:
    feed = whole_sound(b"\x01\x02" * 5)
    assert next(feed) == b""
    assert feed.send(8) == b"\x01\x02" * 5 + bytes(6)  # the first request: all of it
    assert feed.send(3) == bytes(6)


def test_a_cue_longer_than_a_request_carries_on_in_the_next() -> None:
    feed = whole_sound(b"\x01\x02" * 5)
    next(feed)
    assert feed.send(4) == b"\x01\x02" * 4
    assert feed.send(4) == b"\x01\x02" + bytes(6)


def test_importing_the_player_loads_no_audio_library() -> None:
    """The app imports this module while starting; miniaudio takes a quarter
    of a second to import cold (it brings urllib and email along), so it loads
    on the worker, as does ctypes for quietening libasound."""
    script = ("import sys, coach.services.sound\n"
              "print(','.join(m for m in ('miniaudio', '_cffi_backend', 'ctypes')"
              " if m in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""


# -- the stand-ins --------------------------------------------------------------


def test_fake_player_records_cues_and_drops_them_when_unavailable() -> None:
    player = FakePlayer()
    player.play("start")
    player.available = False
    player.play("end")
    assert player.played == ["start"]
