"""Cue sounds through a real sound server: heard on time where there is an
output, and shown where there is none.

Each test starts its own PulseAudio server (``tests.desktop``) whose only
output is a null sink, and records that sink's monitor (``tests.sink_monitor``),
so what is checked is what a speaker would have been given, and when. The
bedtime routine plays in real time for 20 s: that is what is being measured.
Every other wait is on a condition with a deadline.
"""

from __future__ import annotations

import queue
import subprocess
import threading
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach import resources
from coach.app import content
from coach.app.routines import routine_cue
from coach.core.clock import SystemClock
from coach.core.engine import CueEvent, RoutineEngine
from coach.core.timetable import build_plan
from coach.services.cues import Cue, CueDispatcher
from coach.services.sound import MiniaudioOutput, SoundPlayer, make_player
from tests.desktop import pulse_server, wait_for
from tests.sink_monitor import Recording, record_sink

PLAYED_S = 20.0
LATE_S = 0.050
"""A cue must be heard within this long of its planned time."""
EARLY_S = 0.005
"""Allowance for placing a sample on the monotonic clock (see tests.sink_monitor)."""
WAIT = 10.0


@pytest.fixture
def sound_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    with pulse_server(tmp_path) as client:
        for name, value in client.items():
            monkeypatch.setenv(name, value)
        yield client


@pytest.fixture
def no_sound_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No sound server where the client looks, and an ALSA with no devices
    even on a machine that has a sound card (this container has none)."""
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path / 'no-server'}")
    empty = tmp_path / "asound.conf"
    empty.write_text("")
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(empty))


def opened_player(reports: queue.Queue[str]) -> SoundPlayer:
    """The real player, returned once its output is open, as it is long before
    a routine's first cue in the app (the first cue must not wait for it)."""
    opened = threading.Event()

    def open_output() -> MiniaudioOutput:
        output = MiniaudioOutput()
        opened.set()
        return output

    player = SoundPlayer(on_unavailable=reports.put, open_output=open_output)
    wait_for(lambda: opened.is_set() or not reports.empty(), WAIT, "the sound output opening")
    assert reports.empty(), reports.get()
    return player


def play_bedtime(dispatcher: CueDispatcher, seconds: float) -> list[tuple[float, str]]:
    """Walks the shipped bedtime routine on the real clock, as the routine
    screen does; returns each cue's planned time and sound."""
    library = content.load()
    plan = build_plan(library.routine("bedtime"), library.exercise, 5)
    engine = RoutineEngine(plan, SystemClock())
    planned: list[tuple[float, str]] = []

    def emit(events: list[CueEvent]) -> None:
        for event in events:
            cue = routine_cue(event, voice=False)
            if cue is not None and event.due < end:
                planned.append((event.due, cue.kind))
                dispatcher.emit(cue)

    end = time.monotonic() + seconds
    emit(engine.start())
    while (now := time.monotonic()) < end:
        wakeup = engine.next_wakeup()
        assert wakeup is not None, "the routine ended early"
        time.sleep(min(wakeup, end - now))
        emit(engine.tick())
    return planned


def cue_seconds(kind: str) -> float:
    with wave.open(str(resources.sound(kind)), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def describe(planned: list[tuple[float, str]], heard: list[float], origin: float) -> str:
    return (f"planned {[(round(due - origin, 3), kind) for due, kind in planned]}, "
            f"heard {[round(at - origin, 3) for at in heard]}")


def test_the_bedtime_routine_is_heard_on_time(sound_server: dict[str, str]) -> None:
    reports: queue.Queue[str] = queue.Queue()
    flashed: list[Cue] = []
    player = opened_player(reports)
    dispatcher = CueDispatcher(player, None, muted=lambda: False, on_visual=flashed.append,
                               clock=time.monotonic)
    with record_sink(sound_server) as recorder:
        planned = play_bedtime(dispatcher, PLAYED_S)
        recording = recorder.stop()
    assert player.close(timeout=WAIT)

    assert reports.empty(), reports.get()
    assert flashed == []
    # get-ready, its three ticks, the start of the first hold and its halfway bell
    assert [kind for _, kind in planned] == ["halfway", "tick", "tick", "tick", "start",
                                              "halfway"]
    check_heard_as_planned(recording, planned)


def check_heard_as_planned(recording: Recording, planned: list[tuple[float, str]]) -> None:
    heard = [recording.time_of(onset) for onset in recording.onsets()]
    origin = planned[0][0]
    context = describe(planned, heard, origin)
    assert len(heard) == len(planned), context
    for (due, kind), at in zip(planned, heard, strict=True):
        assert due - EARLY_S <= at <= due + LATE_S, (
            f"{kind} due at {due - origin:.3f} s was heard {1000 * (at - due):+.1f} ms "
            f"from then; {context}")
    # Nothing is heard outside the planned cues: no repeats, no noise.
    sounding = [(due - EARLY_S, due + LATE_S + cue_seconds(kind)) for due, kind in planned]
    stray = [at for at in recording.loud_times()
             if not any(start <= at <= end for start, end in sounding)]
    assert stray == [], f"sound at {[round(at - origin, 3) for at in stray[:5]]} s; {context}"


def test_without_any_sound_output_cues_flash_and_one_notice_is_given(
        no_sound_at_all: None, capfd: pytest.CaptureFixture[str]) -> None:
    reports: queue.Queue[str] = queue.Queue()
    flashed: list[Cue] = []
    player = make_player(reports.put)
    message = reports.get(timeout=WAIT)
    assert "no sound output" in message.lower()
    assert not player.available
    dispatcher = CueDispatcher(player, None, muted=lambda: False, on_visual=flashed.append,
                               clock=time.monotonic)
    dispatcher.emit(Cue("start"))
    dispatcher.emit(Cue("tick"))
    assert [cue.kind for cue in flashed] == ["start", "tick"]
    assert isinstance(player, SoundPlayer) and player.close(timeout=WAIT)
    assert reports.empty()
    out, err = capfd.readouterr()
    assert "ALSA lib" not in out + err  # libasound's thirty lines of complaint


def test_a_server_with_only_its_placeholder_output_counts_as_none(
        sound_server: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """What PulseAudio and PipeWire offer when there is no sound card: a
    "Dummy Output" that takes sound and plays it nowhere."""
    monkeypatch.delenv("PULSE_SINK")  # the server's default output, as on a desktop
    subprocess.run(["pactl", "unload-module", "module-null-sink"], check=True,
                   capture_output=True)
    wait_for(lambda: "auto_null" in subprocess.run(
        ["pactl", "list", "short", "sinks"], capture_output=True, text=True).stdout,
        WAIT, "the placeholder output appearing")
    reports: queue.Queue[str] = queue.Queue()
    player = make_player(reports.put)
    assert "Dummy Output" in reports.get(timeout=WAIT)
    assert not player.available


def player_outliving_its_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                reports: queue.Queue[str]) -> tuple[SoundPlayer, dict[str, str]]:
    """The real player, opened on a sound server that has stopped since; and
    the environment that reached that server."""
    with pulse_server(tmp_path) as client:
        for name, value in client.items():
            monkeypatch.setenv(name, value)
        return opened_player(reports), client


def test_a_sound_server_that_goes_away_turns_sound_off(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reports: queue.Queue[str] = queue.Queue()
    player, _ = player_outliving_its_server(tmp_path, monkeypatch, reports)
    player.play("tick")  # its stream cannot be opened
    assert "no sound output" in reports.get(timeout=WAIT).lower()
    assert not player.available
    player.play("tick")
    assert player.close(timeout=WAIT)
    assert reports.empty()


def test_after_the_sound_server_restarts_cues_are_heard_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As when PipeWire or PulseAudio is restarted under a running app."""
    reports: queue.Queue[str] = queue.Queue()
    player, client = player_outliving_its_server(tmp_path, monkeypatch, reports)
    with pulse_server(tmp_path) as again, record_sink(again) as recorder:
        assert again == client  # the same address, as after a restart
        player.play("start")
        wait_for(lambda: bool(recorder.snapshot().onsets()), WAIT, "the cue after the restart")
        assert player.close(timeout=WAIT)  # lets the cue finish while the server runs
        assert len(recorder.stop().onsets()) == 1
    assert player.available
    assert reports.empty()
