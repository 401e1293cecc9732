"""Cue sounds: the shipped WAVs are what the generator makes and are gentle to
hear, and the player never blocks the caller and degrades quietly without audio.

The worker is driven through an injected backend that waits on Events, so no
test sleeps and no test makes a noise."""

from __future__ import annotations

import importlib.util
import logging
import math
import queue
import struct
import sys
import threading
import wave
from pathlib import Path
from types import ModuleType

import pytest

from coach import resources
from coach.services.cues import PRIORITY_BY_KIND
from coach.services.sound import MAX_PENDING, PlaysoundPlayer
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


class BlockingBackend:
    """Stands in for playsound: each call blocks until the test releases it."""

    def __init__(self) -> None:
        self.started: queue.Queue[str] = queue.Queue()
        self.release = threading.Event()
        self.released_in_time: list[bool] = []

    def __call__(self, path: Path) -> None:
        self.started.put(path.stem)
        self.released_in_time.append(self.release.wait(WAIT))


def fake_path(cue: str) -> Path:
    return Path("/nowhere") / f"{cue}.wav"


def test_play_returns_while_the_backend_is_still_playing() -> None:
    backend = BlockingBackend()
    player = PlaysoundPlayer(fake_path, play_func=backend)
    player.play("start")
    assert backend.started.get(timeout=WAIT) == "start"
    player.play("tick")  # the worker is stuck inside the backend; this must not wait
    backend.release.set()
    assert backend.started.get(timeout=WAIT) == "tick"
    assert player.close(timeout=WAIT)
    # Had play() blocked, the backend's wait would have timed out instead.
    assert backend.released_in_time == [True, True]
    assert player.available


def test_cues_beyond_the_backlog_are_dropped_not_delayed() -> None:
    backend = BlockingBackend()
    player = PlaysoundPlayer(fake_path, play_func=backend)
    player.play("start")
    assert backend.started.get(timeout=WAIT) == "start"
    waiting = [f"cue{i}" for i in range(MAX_PENDING + 2)]
    for cue in waiting:
        player.play(cue)
    backend.release.set()
    heard = [backend.started.get(timeout=WAIT) for _ in range(MAX_PENDING)]
    assert heard == waiting[:MAX_PENDING]
    assert player.close(timeout=WAIT)
    assert backend.started.empty()


def test_a_backend_error_is_reported_once_and_later_cues_are_dropped(
        caplog: pytest.LogCaptureFixture) -> None:
    calls: list[str] = []
    reports: queue.Queue[str] = queue.Queue()

    def broken(path: Path) -> None:
        calls.append(path.stem)
        raise OSError("device busy")

    player = PlaysoundPlayer(fake_path, on_unavailable=reports.put, play_func=broken)
    with caplog.at_level(logging.WARNING, logger="coach.services.sound"):
        player.play("start")
        message = reports.get(timeout=WAIT)
        assert "device busy" in message
        assert not player.available
        player.play("end")
        player.play("tick")
        assert player.close(timeout=WAIT)
    assert calls == ["start"]
    assert reports.empty()
    assert len([r for r in caplog.records if "device busy" in r.getMessage()]) == 1


def test_a_failing_unavailable_callback_does_not_escape_the_worker() -> None:
    called = threading.Event()

    def callback(message: str) -> None:
        called.set()
        raise RuntimeError("UI went away")

    def broken(path: Path) -> None:
        raise OSError("no device")

    player = PlaysoundPlayer(fake_path, on_unavailable=callback, play_func=broken)
    player.play("start")
    assert called.wait(WAIT)
    assert player.close(timeout=WAIT)
    assert not player.available


def test_close_stops_an_idle_worker_and_later_cues_are_ignored() -> None:
    backend = BlockingBackend()
    player = PlaysoundPlayer(fake_path, play_func=backend)
    assert player.close(timeout=WAIT)
    player.play("start")
    assert backend.started.empty()


def test_close_stops_a_busy_worker_once_its_cue_ends() -> None:
    backend = BlockingBackend()
    player = PlaysoundPlayer(fake_path, play_func=backend)
    player.play("start")
    assert backend.started.get(timeout=WAIT) == "start"
    for _ in range(MAX_PENDING):
        player.play("tick")
    backend.release.set()
    assert player.close(timeout=WAIT)


def test_default_player_without_audio_reports_once_without_noise(
        tmp_path: Path, capfd: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    """The real playsound3 path. On this machine (no backend) it fails at
    import; where a backend exists, the missing file fails the first cue
    instead. Either way: one report, nothing printed, and silence."""
    reports: queue.Queue[str] = queue.Queue()
    player = PlaysoundPlayer(lambda cue: tmp_path / f"{cue}.wav", on_unavailable=reports.put)
    player.play("start")
    message = reports.get(timeout=30)  # the backend probe may run helper programs
    assert message
    assert not player.available
    player.play("end")
    assert player.close(timeout=WAIT)
    assert reports.empty()
    out, err = capfd.readouterr()
    assert "No supported audio backends" not in out + err
    assert not [r for r in caplog.records if r.name.startswith("playsound3")]


# -- the stand-ins --------------------------------------------------------------


def test_fake_player_records_cues_and_drops_them_when_unavailable() -> None:
    player = FakePlayer()
    player.play("start")
    player.available = False
    player.play("end")
    assert player.played == ["start"]
