"""Cue sounds, played off the UI thread.

Playing a sound must never stall a countdown or the buttons, and a machine with
no audio at all (a container, a server, a desktop whose sound card is gone) is
normal rather than an error: the cue dispatcher shows a visual flash instead.
So the UI thread only puts a cue name on a queue; a daemon worker thread owns
the sound output, including importing it.

The output is miniaudio, in this process: it speaks to PulseAudio (and so to
PipeWire, through its PulseAudio service), ALSA or JACK on Linux, WASAPI,
DirectSound or WinMM on Windows and CoreAudio on macOS, with no helper program
to install and no process started per cue. The worker opens one stream and
keeps it running while cues keep coming, so a cue is handed to a stream that
is already playing silence and is heard one period (10 ms) plus the sound
server's buffer later. Opening takes a few milliseconds, so a stream idle for
:data:`IDLE_CLOSE_S` is closed and reopened on the next cue: a running stream
keeps the sound card awake and wakes this process a hundred times a second.
The gaps inside a routine are shorter than that, so its cues never wait for a
sound card to wake up. The price of a short buffer: the stream is fed from
Python every period, so a machine starved of CPU for longer than that (or a
thread holding the GIL as long) puts a gap inside a cue
(``benchmarks/cue_latency.py`` counts them).

Whether there is an output is found out by opening one, as soon as the player
is made, so a machine without sound is known before the first cue. miniaudio's
"null" backend, which accepts sound and plays it nowhere, is never used, and a
sound server whose only output is its placeholder (``auto_null``, "Dummy
Output": what PulseAudio and PipeWire offer when there is no sound card)
counts as no output. A stream that does not take a cue within
:data:`START_TIMEOUT_S` has lost its server, or its output is slow to wake:
it is replaced once (see :class:`SoundPlayer`); if that fails too, the
player turns off for good and says so once, and later cues are shown.

Playback is one cue at a time, in order: each ends before the next starts, so
an "end" and the next "start" due together are both heard. The queue is short,
so if the output stalls, new cues are dropped instead of being played long
after the moment they were meant to mark.

No PySide6 here: the CLI (reminders from a terminal, tests) plays cues too.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import sys
import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from coach import resources

log = logging.getLogger(__name__)

MAX_PENDING = 3
"""Cues allowed to wait behind the one playing; more than that are stale."""

RATE = 22050
"""The stream's rate: the cue files' own (``scripts/make_sounds.py``), so they
play unconverted; the sound server converts for the card."""

PERIOD_MS = 10
"""How often the stream asks for sound: the most a cue waits to start once
the worker has it."""

START_TIMEOUT_S = 3.0
"""A running stream asks for sound every period, but one just opened may wait
while the output wakes (a suspended sound card, a Bluetooth speaker: up to a
couple of seconds). One that has not taken a cue, or finished one, this long
after it was due is not being played by anything."""

IDLE_CLOSE_S = 60.0
"""Close the stream after this long without a cue (see the module docstring)."""

DUMMY_OUTPUTS = frozenset({"auto_null"})
"""Sink names that PulseAudio and PipeWire give the placeholder they offer
when there is no real output."""

APP_NAME = "Cramp Coach"


class CuePlayer(Protocol):
    @property
    def available(self) -> bool:
        """False once it is known that cues cannot be heard, so callers show them."""
        ...

    def play(self, cue: str) -> None:
        """Start the named cue and return at once; never raises."""
        ...


class NoOutput(RuntimeError):
    """There is nowhere for sound to go; the message says why."""


class Output(Protocol):
    """An open sound output, used by one thread at a time."""

    def play(self, sound: Path) -> None:
        """Play the file to the end, raising if it is not being heard."""
        ...

    def close(self) -> None:
        ...


OpenOutput = Callable[[], Output]
"""Opens the output, raising (:class:`NoOutput` or anything else) if there is none."""


# -- miniaudio ---------------------------------------------------------------------

def _ignore_alsa_error(_file: bytes | None, _line: int, _function: bytes | None, _err: int,
                       _fmt: bytes | None) -> None:
    """libasound prints every failed step of finding a device to stderr (thirty
    lines on a machine without a sound card, in the middle of a CLI's output);
    the one error miniaudio returns says the same, and it is what we report."""


_ALSA_LIBRARIES = ("libasound.so.2", "libasound.so")
"""The names miniaudio loads libasound by, in its order."""

_alsa_lock = threading.Lock()
_alsa_handler: object | None = None
"""The installed handler, kept alive for as long as libasound may call it."""


def _quiet_alsa() -> None:
    """Installs :func:`_ignore_alsa_error` in the libasound that miniaudio
    loads (the same shared object: the loader hands out one copy per process).
    Nothing else in this app uses ALSA, so its messages are ours to drop."""
    global _alsa_handler
    if not sys.platform.startswith("linux"):
        return
    with _alsa_lock:
        if _alsa_handler is not None:
            return
        import ctypes

        # snd_lib_error_handler_t ends in "...": the arguments before it are
        # all this needs, and they are passed the same way.
        handler_type = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                                        ctypes.c_int, ctypes.c_char_p)
        _alsa_handler = handler = handler_type(_ignore_alsa_error)
        for name in _ALSA_LIBRARIES:
            try:
                ctypes.CDLL(name).snd_lib_error_set_handler(handler)
            except (OSError, AttributeError):
                continue
            return
        # No libasound: miniaudio's ALSA backend is not there to complain either.


@dataclass
class QueuedSound:
    """A cue's samples handed to the stream; the audio thread sets the events."""

    pcm: bytes
    started: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)


def sound_stream(handoff: queue.SimpleQueue[QueuedSound]) -> Generator[bytes, int, None]:
    """What a running stream plays, mono 16-bit: each sound handed over, whole
    and in order, and silence between them. Sent the number of frames wanted,
    it yields exactly that many. It runs on the audio thread, so it must not
    wait or raise. Prime it with ``next()``."""
    frames = yield b""
    playing: QueuedSound | None = None
    offset = 0
    while True:
        wanted = frames * 2
        if playing is None:
            with contextlib.suppress(queue.Empty):
                playing = handoff.get_nowait()
                offset = 0
                playing.started.set()
        if playing is None:
            frames = yield bytes(wanted)
            continue
        chunk = playing.pcm[offset:offset + wanted]
        offset += len(chunk)
        if offset >= len(playing.pcm):
            playing.done.set()
            playing = None
        frames = yield chunk + bytes(wanted - len(chunk))


class MiniaudioOutput:
    """One running miniaudio playback stream, mono 16-bit at :data:`RATE`,
    fed by :func:`sound_stream` on miniaudio's audio thread."""

    def __init__(self) -> None:
        _quiet_alsa()
        import miniaudio  # type: ignore[import-untyped]

        self._miniaudio: Any = miniaudio
        self._handoff: queue.SimpleQueue[QueuedSound] = queue.SimpleQueue()
        self._decoded: dict[Path, bytes] = {}
        # Every real backend this build has, in miniaudio's order of preference;
        # leaving out NULL is what makes "no output" an error instead of silence.
        backends = [backend for backend in miniaudio.Backend
                    if backend not in (miniaudio.Backend.NULL, miniaudio.Backend.CUSTOM)]
        try:
            self._device: Any = miniaudio.PlaybackDevice(
                output_format=miniaudio.SampleFormat.SIGNED16, nchannels=1, sample_rate=RATE,
                buffersize_msec=PERIOD_MS, backends=backends, app_name=APP_NAME)
        except miniaudio.MiniaudioError as exc:
            raise NoOutput(f"no sound output could be opened ({exc.args[0]})") from exc
        try:
            self._refuse_placeholder()
            feed = sound_stream(self._handoff)
            next(feed)
            self._device.start(feed)
        except BaseException:
            self._device.close()
            raise
        log.debug("sound output open (%s)", self._device.backend)

    def _refuse_placeholder(self) -> None:
        """The stream opens on a placeholder sink as on a real one; only the
        server's list of outputs tells them apart."""
        miniaudio = self._miniaudio
        if self._device.backend != "PulseAudio":
            return
        try:
            listed = miniaudio.Devices(backends=[miniaudio.Backend.PULSEAUDIO]).get_playbacks()
        except miniaudio.MiniaudioError:
            log.debug("could not list the sound server's outputs", exc_info=True)
            return
        # A PulseAudio device id is the sink's name, NUL-terminated.
        names = {bytes(miniaudio.ffi.buffer(device["id"])).split(b"\0")[0].decode(errors="replace")
                 for device in listed}
        if names <= DUMMY_OUTPUTS:
            raise NoOutput("the sound server has no output device, only its placeholder "
                           "\"Dummy Output\"")

    def _pcm(self, sound: Path) -> bytes:
        pcm = self._decoded.get(sound)
        if pcm is None:
            decoded = self._miniaudio.decode_file(
                str(sound), output_format=self._miniaudio.SampleFormat.SIGNED16, nchannels=1,
                sample_rate=RATE)
            pcm = self._decoded[sound] = decoded.samples.tobytes()
        return pcm

    def play(self, sound: Path) -> None:
        playing = QueuedSound(self._pcm(sound))
        self._handoff.put(playing)
        if not playing.started.wait(START_TIMEOUT_S):
            raise NoOutput(f"the sound output took no sound for {START_TIMEOUT_S:g} s "
                           "(has the sound server stopped?)")
        if not playing.done.wait(len(playing.pcm) / 2 / RATE + START_TIMEOUT_S):
            raise NoOutput("the sound output stopped in the middle of a cue")

    def close(self) -> None:
        self._device.close()


# -- the player ----------------------------------------------------------------------


class SoundPlayer:
    """Plays cues on a daemon worker thread, through an output it opens.

    The worker opens the output as soon as the player is made. Until that has
    failed, ``available`` is optimistically True. An output that cannot be
    opened means there is none. One that fails while playing is replaced once,
    for the next cue (the failed cue is lost): a sound server that restarted,
    or a Bluetooth speaker slow to wake, plays again on a new stream. If the
    new one fails too, or cannot be opened, that is final: it is logged once,
    reported once through ``on_unavailable``, and turns the player off for
    good; later cues are dropped quietly (the dispatcher shows them).

    ``on_unavailable`` is called **from the worker thread**. A Qt caller must
    marshal it to the UI thread (emit a signal from a QObject living there, or
    post to it) before touching widgets or notices.
    """

    def __init__(self, sound_path: Callable[[str], Path] = resources.sound,
                 on_unavailable: Callable[[str], None] | None = None,
                 open_output: OpenOutput = MiniaudioOutput,
                 idle_close_s: float = IDLE_CLOSE_S) -> None:
        self.available = True
        self._sound_path = sound_path
        self._on_unavailable = on_unavailable
        self._open_output = open_output
        self._idle_close_s = idle_close_s
        self._pending: queue.Queue[str | None] = queue.Queue(MAX_PENDING)
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cue-sound", daemon=True)
        self._thread.start()

    def play(self, cue: str) -> None:
        if not self.available or self._closed.is_set():
            return
        try:
            self._pending.put_nowait(cue)
        except queue.Full:
            log.debug("sound backlog full, dropped cue %r", cue)

    def close(self, timeout: float = 2.0) -> bool:
        """Stop the worker once the cue it is playing ends, dropping waiting
        cues; True if it stopped within ``timeout``. The thread is a daemon, so
        an app that never calls this still exits."""
        self._closed.set()
        with contextlib.suppress(queue.Full):
            # Wakes a worker idle on an empty queue; a full queue means it is
            # busy playing and will see ``_closed`` next.
            self._pending.put_nowait(None)
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        # Broad excepts on purpose: whatever an output raises, the answer is the
        # same (cues are shown instead of heard) and the worker must not die loudly.
        try:
            output: Output | None = self._open_output()
        except Exception as exc:
            self._give_up(f"Sound is unavailable: {exc}")
            return
        retrying = False
        try:
            while True:
                try:
                    cue = self._pending.get(timeout=self._idle_close_s if output else None)
                except queue.Empty:
                    _close(output)
                    output = None
                    continue
                if cue is None or self._closed.is_set():
                    return
                if output is None:
                    try:
                        output = self._open_output()
                    except Exception as exc:
                        self._give_up(f"Sound is unavailable: {exc}")
                        return
                try:
                    output.play(self._sound_path(cue))
                except Exception as exc:
                    if retrying:
                        self._give_up(f"Sound stopped working (cue {cue!r}): {exc}")
                        return
                    log.info("sound output failed (cue %r): %s; a new one plays the next cue",
                             cue, exc)
                    _close(output)
                    output = None
                    retrying = True
                else:
                    retrying = False
        finally:
            _close(output)

    def _give_up(self, message: str) -> None:
        self.available = False
        log.warning("%s; cues will be shown instead of heard", message)
        if self._on_unavailable is not None:
            try:
                self._on_unavailable(message)
            except Exception:
                log.exception("on_unavailable callback failed")


def _close(output: Output | None) -> None:
    if output is not None:
        try:
            output.close()
        except Exception:
            log.exception("closing the sound output failed")


def make_player(on_unavailable: Callable[[str], None]) -> CuePlayer:
    """The player the app uses: the shipped cue sounds through miniaudio."""
    return SoundPlayer(on_unavailable=on_unavailable)


PlaysoundPlayer = SoundPlayer
"""The old name, which ``coach/ui/app.py`` still imports; remove it when the
app calls :func:`make_player`."""
