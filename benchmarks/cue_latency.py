"""Cue latency: from ``play()`` to the cue's sound reaching the sound server's
output, for the app's player, against starting the desktop's own WAV player
(``paplay``, ``pw-play``, ``aplay``: whichever are installed) for each cue,
measured in the same run on the same server.

A private PulseAudio server with a null sink is started (``tests/desktop.py``)
and its monitor recorded, each sample placed on the monotonic clock
(``tests/sink_monitor.py``). That placing is late by the recorder's own
delivery delay, never early, so every figure is an upper bound.

Rows:

- player, found: ``SoundPlayer.play()`` once the player has found its
  output (each cue still opens a stream of its own). This is every cue of a
  routine except the very first.
- player, new: a fresh process imports the sound module, calls
  ``make_player()`` and plays at once (importing miniaudio, finding the
  output, playing). The app pays this on the first cue if it makes the player
  only then.
- <program> per cue: a new process of that program for each cue.

Cues are the 0.3 s halfway bell, 0.6-0.7 s apart (seeded). "gaps" counts
cues that sounded longer than their file by over 2 ms: the output ran dry in
the middle and the rest came after a gap (a click in the bell); a player that
feeds a running stream every few milliseconds does that under load. ``--load`` adds two busy
processes and a thread that holds the GIL in this process, as a busy UI
thread would.

    python benchmarks/cue_latency.py [--cues 30] [--new 5] [--load] [--seed 1]

Target: the player's worst cue <= 50 ms.
"""

from __future__ import annotations

import argparse
import array
import multiprocessing
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coach import resources
from coach.services.sound import MiniaudioOutput, SoundPlayer
from tests.desktop import pulse_server
from tests.sink_monitor import LOUD, RATE, Recording, record_sink

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 0.050
CUE = "halfway"
MATCH_S = 0.5
"""An onset more than this long after a play() is not that cue's."""
EARLY_S = 0.005
GAP_S = 0.002

NEW_PLAYER = """
import sys, time
from coach.services.sound import make_player
reports = []
started = time.monotonic()
player = make_player(reports.append)
player.play("halfway")
print(started, flush=True)
time.sleep(3.0)  # the cue plays on the worker; a loaded machine imports slowly
sys.exit(1 if reports else 0)
"""


def _burn(stop: threading.Event | None = None) -> None:
    while stop is None or not stop.is_set():
        sum(i * i for i in range(10_000))


@dataclass(frozen=True)
class Heard:
    latency: float
    stretch: float
    """How much longer than its file the cue sounded."""


def loud_span(pcm: Sequence[int]) -> float:
    loud = [index for index, sample in enumerate(pcm) if abs(sample) >= LOUD]
    return (loud[-1] - loud[0]) / RATE if loud else 0.0


def file_span() -> float:
    with wave.open(str(resources.sound(CUE)), "rb") as wav:
        pcm = array.array("h")
        pcm.frombytes(wav.readframes(wav.getnframes()))
        return loud_span(pcm)


def heard(recording: Recording, calls: list[float]) -> list[Heard | None]:
    """For each play() time, the first onset after it (None: not heard)."""
    expected = file_span()
    onsets = [(recording.time_of(onset), onset) for onset in recording.onsets()]
    found: list[Heard | None] = []
    for call in calls:
        after = [(at, onset) for at, onset in onsets if call - EARLY_S <= at <= call + MATCH_S]
        if not after:
            found.append(None)
            continue
        at, onset = after[0]
        span = loud_span(recording.pcm[onset:onset + round(MATCH_S * RATE)])
        found.append(Heard(at - call, span - expected))
    return found


def spaced(client: dict[str, str], cues: int, rng: random.Random,
           play: Callable[[], None]) -> list[Heard | None]:
    with record_sink(client) as recorder:
        calls: list[float] = []
        for _ in range(cues):
            time.sleep(rng.uniform(0.6, 0.7))
            calls.append(time.monotonic())
            play()
        time.sleep(MATCH_S + 0.3)
        return heard(recorder.stop(), calls)


def player_open(client: dict[str, str], cues: int, rng: random.Random) -> list[Heard | None]:
    opened = threading.Event()

    def open_output() -> MiniaudioOutput:
        output = MiniaudioOutput()
        opened.set()
        return output

    reports: list[str] = []
    player = SoundPlayer(on_unavailable=reports.append, open_output=open_output)
    if not opened.wait(10):
        raise SystemExit(f"the player's output did not open: {reports}")
    try:
        return spaced(client, cues, rng, lambda: player.play(CUE))
    finally:
        player.close()


def player_new(client: dict[str, str], runs: int) -> list[Heard | None]:
    env = {**os.environ, **client, "PYTHONPATH": str(ROOT)}
    found: list[Heard | None] = []
    for _ in range(runs):
        with record_sink(client) as recorder:
            child = subprocess.run([sys.executable, "-c", NEW_PLAYER], env=env,
                                   capture_output=True, text=True, check=True)
            found += heard(recorder.stop(), [float(child.stdout)])
    return found


def per_process(client: dict[str, str], program: str, cues: int,
                rng: random.Random) -> list[Heard | None]:
    env = {**os.environ, **client}
    command = [program, str(resources.sound(CUE))]
    children: list[subprocess.Popen[bytes]] = []
    try:
        return spaced(client, cues, rng, lambda: children.append(
            subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)))
    finally:
        for child in children:
            child.wait()


def row(label: str, values: list[Heard | None]) -> str:
    found = [value for value in values if value is not None]
    count = f"{len(found)} of {len(values)}"
    if not found:
        return f"{label:24}{'':>10}{'':>10}{'':>10}{count:>10}"
    late = [value.latency for value in found]
    p90 = statistics.quantiles(late, n=10, method="inclusive")[-1] if len(late) > 1 else late[0]
    gaps = [value.stretch for value in found if value.stretch > GAP_S]
    gap = f"{len(gaps)} (<= {max(gaps) * 1000:.0f} ms)" if gaps else "0"
    return (f"{label:24}{statistics.median(late) * 1000:>8.1f}ms{p90 * 1000:>8.1f}ms"
            f"{max(late) * 1000:>8.1f}ms{count:>10}  {gap}")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cues", type=int, default=30, help="cues per row (default 30)")
    parser.add_argument("--new", type=int, default=5,
                        help="runs of the new-player row (default 5)")
    parser.add_argument("--load", action="store_true",
                        help="two busy processes and a GIL-holding thread")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    baselines = [name for name in ("paplay", "pw-play", "aplay") if shutil.which(name)]
    stop = threading.Event()
    burners: list[multiprocessing.Process] = []
    if args.load:
        threading.Thread(target=_burn, args=(stop,), daemon=True).start()
        burners = [multiprocessing.Process(target=_burn, daemon=True) for _ in range(2)]
        for burner in burners:
            burner.start()
    rows: list[tuple[str, list[Heard | None]]] = []
    try:
        with tempfile.TemporaryDirectory() as folder, pulse_server(Path(folder)) as client:
            os.environ.update(client)  # the player in this process uses the same server
            rng = random.Random(args.seed)
            rows.append(("player, found", player_open(client, args.cues, rng)))
            rows.append(("player, new", player_new(client, args.new)))
            for program in baselines:
                rows.append((f"{program} per cue", per_process(client, program, args.cues, rng)))
    finally:
        stop.set()
        for burner in burners:
            burner.terminate()
            burner.join()

    print(f"cue: {CUE}.wav; server: private PulseAudio, null sink; "
          f"load: {'2 busy processes + 1 GIL-holding thread' if args.load else 'none'}; "
          f"seed {args.seed}")
    if not baselines:
        print("no paplay, pw-play or aplay here: no per-process baseline")
    print()
    print(f"{'play() to sink':24}{'median':>10}{'p90':>10}{'max':>10}{'heard':>10}  gaps")
    for label, values in rows:
        print(row(label, values))
    print()
    worst = [value.latency for value in rows[0][1] if value is not None]
    met = len(worst) == len(rows[0][1]) and max(worst) <= TARGET_S
    print(f"player, found: worst {max(worst, default=float('nan')) * 1000:.1f} ms "
          f"(upper bound), target <= {TARGET_S * 1000:.0f} ms: {'PASS' if met else 'FAIL'}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
