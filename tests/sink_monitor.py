"""What reached a PulseAudio sink, and when, on the monotonic clock.

A test of cue timing has to compare the moment a cue was due (a
``time.monotonic()`` reading) with the moment its sound reached the output.
``parecord`` records the sink's monitor but stamps no times, so the recorder
reads its raw output through a pipe in small blocks and notes when each block
arrived. A block can only arrive after its last sample was played, so
``arrival - (samples after this one) / rate`` is an upper bound on when any
sample in it was played. Taking the smallest such bound from the blocks just
after a sample gives a time that is late by at most the recorder's own
delivery delay (a few milliseconds), never early: a cue measured as on time
was on time. Looking only a short way ahead keeps any drift between the
sink's clock and the monotonic clock out of the result.

Used by the real-sound tests and by ``benchmarks/cue_latency.py``.
"""

from __future__ import annotations

import array
import bisect
import os
import subprocess
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

from tests.desktop import NULL_SINK, require, wait_for

RATE = 22050
"""The cue files' own rate: recording at it costs the sink no resampling work."""

LOUD = 1000
"""About -30 dBFS: far above the null sink's digital silence (exactly 0) and
far below any cue's -6 dBFS peak, whose fade-in crosses it within a
millisecond."""

QUIET_BEFORE_ONSET_S = 0.2
"""An onset is the first loud sample after this long of quiet, so the gap
between the two notes of one cue does not count as a second cue."""

LOOK_AHEAD_S = 0.5
"""How far after a sample the blocks used to place it may end."""


@dataclass(frozen=True)
class Recording:
    """Mono 16-bit samples at :data:`RATE`, and ``arrivals``: for each block
    read, the monotonic time it arrived and the number of samples recorded up
    to its end."""

    pcm: array.array[int]
    arrivals: tuple[tuple[float, int], ...]

    @cached_property
    def _ends(self) -> list[int]:
        return [end for _, end in self.arrivals]

    @cached_property
    def _origins(self) -> list[float]:
        """For each block, the monotonic time of sample 0 as seen from the
        blocks that end within :data:`LOOK_AHEAD_S` after it: the smallest
        bound, found with a sliding-window minimum from the last block back."""
        bounds = [arrived - end / RATE for arrived, end in self.arrivals]
        ahead = LOOK_AHEAD_S * RATE
        origins = [0.0] * len(bounds)
        window: deque[int] = deque()  # block numbers, their bounds increasing
        last = len(bounds)
        for block in range(len(bounds) - 1, -1, -1):
            while window and bounds[window[-1]] >= bounds[block]:
                window.pop()
            window.append(block)
            while last - 1 > block and self._ends[last - 1] > self._ends[block] + ahead:
                last -= 1
                if window[0] == last:
                    window.popleft()
            origins[block] = bounds[window[0]]
        return origins

    def time_of(self, index: int) -> float:
        """When sample ``index`` was played, as a monotonic time (see the module
        docstring for why this is never early)."""
        block = bisect.bisect_left(self._ends, index + 1)
        if block == len(self._ends):
            raise ValueError(f"sample {index} is past the end of the recording")
        return self._origins[block] + index / RATE

    def onsets(self) -> list[int]:
        """Sample indexes where a sound starts."""
        found: list[int] = []
        last_loud = -len(self.pcm)
        quiet = round(QUIET_BEFORE_ONSET_S * RATE)
        for index, sample in enumerate(self.pcm):
            if abs(sample) >= LOUD:
                if index - last_loud > quiet:
                    found.append(index)
                last_loud = index
        return found

    def loud_times(self) -> list[float]:
        """The times of all loud samples, for checking that nothing sounded
        where nothing was planned."""
        return [self.time_of(index) for index, sample in enumerate(self.pcm)
                if abs(sample) >= LOUD]


class SinkRecorder:
    """A running ``parecord`` of a sink's monitor; see :func:`record_sink`."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        self._process = process
        self._fd = process.stdout.fileno()
        self._lock = threading.Lock()
        self._data = bytearray()
        self._arrivals: list[tuple[float, int]] = []
        self._stopped: Recording | None = None
        self._thread = threading.Thread(target=self._read, name="sink-monitor", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while block := os.read(self._fd, 1 << 16):
            arrived = time.monotonic()
            with self._lock:
                self._data += block
                self._arrivals.append((arrived, len(self._data) // 2))

    def snapshot(self) -> Recording:
        """What has been recorded so far; the recording goes on."""
        with self._lock:
            data = bytes(self._data[:len(self._data) // 2 * 2])
            arrivals = tuple(self._arrivals)
        pcm = array.array("h")
        pcm.frombytes(data)
        return Recording(pcm, arrivals)

    def stop(self) -> Recording:
        """Stop recording (once) and return the whole recording."""
        if self._stopped is None:
            self._process.terminate()
            self._process.wait(timeout=5)
            self._thread.join(timeout=5)
            self._stopped = self.snapshot()
        return self._stopped


@contextmanager
def record_sink(env: Mapping[str, str], sink: str = NULL_SINK) -> Iterator[SinkRecorder]:
    """Record ``sink``'s monitor until the recorder is stopped or the block
    ends. Returns once the first block has arrived, so nothing played after
    entering is missed."""
    require("parecord")
    process = subprocess.Popen(
        ["parecord", "--raw", f"--device={sink}.monitor", f"--rate={RATE}", "--channels=1",
         "--format=s16le", "--latency-msec=5"],
        env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    recorder = SinkRecorder(process)
    try:
        wait_for(lambda: bool(recorder.snapshot().arrivals) or process.poll() is not None, 10,
                 "the sink's monitor delivering sound")
        if process.poll() is not None:
            raise RuntimeError(f"parecord exited with {process.returncode}")
        yield recorder
    finally:
        recorder.stop()
