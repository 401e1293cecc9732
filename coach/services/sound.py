"""Cue sounds, played off the UI thread.

Playing a sound must never stall a countdown or the buttons, and a machine with
no audio at all (a container, a server, a desktop whose sound card is gone) is
normal rather than an error: the cue dispatcher shows a visual flash instead.
So the UI thread only puts a cue name on a queue; a daemon worker thread owns
the sound output, including importing it.

The output is miniaudio, in this process: it speaks to PulseAudio (and so to
PipeWire, through its PulseAudio service), ALSA or JACK on Linux, WASAPI,
DirectSound or WinMM on Windows and CoreAudio on macOS, with no helper program
to install and no process started per cue. Each cue gets a stream of its own
whose buffer holds the whole cue, handed over before the stream starts: the
sound server has all of it at once, so a busy machine or a thread holding the
GIL can delay a cue's start but never put a gap inside it (a stream kept
running and fed every 10 ms did, under load). Opening a stream takes a few
milliseconds. A cue's stream stays open, playing silence and asking for more
about once a second, until the next cue has started or :data:`IDLE_CLOSE_S`
has passed, so the sound card stays awake through a routine instead of
sleeping and waking (slowly, sometimes with a pop) between its cues.

Whether there is an output is found out by opening a stream as soon as the
player is made, so a machine without sound is known before the first cue.
miniaudio's "null" backend, which accepts sound and plays it nowhere, is never
used, and a sound server whose only output is its placeholder (``auto_null``,
"Dummy Output": what PulseAudio and PipeWire offer when there is no sound
card) counts as no output. A cue whose stream cannot be opened (the server has
gone) turns the player off for good, reported once; later cues are shown. A
server that restarts between cues is simply used again.

Playback is one cue at a time, in order: the next starts when the one before
has had its length, so an "end" and the next "start" due together are both
heard. The queue is short, so if the output stalls, new cues are dropped
instead of being played long after the moment they were meant to mark.

No PySide6 here: the CLI (reminders from a terminal, tests) plays cues too.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import math
import queue
import sys
import threading
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any, Protocol

from coach import resources

log = logging.getLogger(__name__)

MAX_PENDING = 3
"""Cues allowed to wait behind the one playing; more than that are stale."""

RATE = 22050
"""The stream's rate: the cue files' own (``scripts/make_sounds.py``), so they
play unconverted; the sound server converts for the card."""

IDLE_CLOSE_S = 60.0
"""Close the last cue's stream after this long without another (see the
module docstring); the gaps inside a routine are shorter."""

TAIL_S = 0.25
"""How long a finished cue's stream is kept at the least, so that what is
still on its way to the speaker is not cut off."""

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
    """A sound output found to work, used by one thread at a time."""

    def play(self, sound: Path) -> None:
        """Start the file and return when it has had its length; raise if it
        cannot be played."""
        ...

    def release(self) -> None:
        """Close whatever is still open; the next :meth:`play` opens anew."""
        ...


OpenOutput = Callable[[], Output]
"""Finds the output, raising (:class:`NoOutput` or anything else) if there is none."""


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


def whole_sound(pcm: bytes) -> Generator[bytes, int, None]:
    """What a cue's stream plays, mono 16-bit: the cue, then silence. Sent the
    number of frames wanted, it yields exactly that many. It runs on the audio
    thread, so it must not wait or raise. Prime it with ``next()``."""
    frames = yield b""
    rest = pcm
    while True:
        wanted = frames * 2
        chunk, rest = rest[:wanted], rest[wanted:]
        frames = yield chunk + bytes(wanted - len(chunk))


class MiniaudioOutput:
    """Cues through miniaudio, mono 16-bit at :data:`RATE`, a stream each.

    Made on the worker thread: importing miniaudio takes a tenth of a second
    or more (it brings urllib and email along)."""

    def __init__(self) -> None:
        _quiet_alsa()
        import miniaudio

        self._miniaudio: Any = miniaudio
        # Every real backend this build has, in miniaudio's order of preference;
        # leaving out NULL is what makes "no output" an error instead of silence.
        self._backends = [backend for backend in miniaudio.Backend
                          if backend not in (miniaudio.Backend.NULL, miniaudio.Backend.CUSTOM)]
        self._decoded: dict[Path, bytes] = {}
        self._open: list[tuple[float, Any]] = []
        """Streams still open, each with the time it may be closed."""
        probe = self._stream(0.1)
        try:
            self._refuse_placeholder(probe.backend)
        finally:
            probe.close()
        log.debug("sound output found (%s)", probe.backend)

    def _stream(self, seconds: float) -> Any:
        """A stream whose buffer holds ``seconds`` of sound. It asks for a
        whole buffer when started, and again as each one plays out."""
        miniaudio = self._miniaudio
        try:
            return miniaudio.PlaybackDevice(
                output_format=miniaudio.SampleFormat.SIGNED16, nchannels=1, sample_rate=RATE,
                buffersize_msec=math.ceil(seconds * 1000), backends=self._backends,
                app_name=APP_NAME)
        except miniaudio.MiniaudioError as exc:
            raise NoOutput(f"no sound output could be opened ({exc.args[0]})") from exc

    def _refuse_placeholder(self, backend: str) -> None:
        """A stream opens on a placeholder sink as on a real one; only the
        server's list of outputs tells them apart."""
        miniaudio = self._miniaudio
        if backend != "PulseAudio":
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
        pcm = self._pcm(sound)
        seconds = len(pcm) / 2 / RATE
        stream = self._stream(seconds + 0.02)
        try:
            feed = whole_sound(pcm)
            next(feed)
            stream.start(feed)
        except BaseException:
            stream.close()
            raise
        now = time.monotonic()
        # The cue before is over by now: close it, keeping the new one (and
        # with it the sound card) running until the next cue starts.
        self._close_until(now)
        self._open.append((now + seconds + TAIL_S, stream))
        time.sleep(seconds)  # the cue's own length: cues never overlap

    def _close_until(self, moment: float) -> None:
        keep: list[tuple[float, Any]] = []
        for closable, stream in self._open:
            if closable <= moment:
                stream.close()
            else:
                keep.append((closable, stream))
        self._open = keep

    def release(self) -> None:
        self._close_until(math.inf)


# -- the player ----------------------------------------------------------------------


class SoundPlayer:
    """Plays cues on a daemon worker thread, through an output it finds.

    The worker looks for the output as soon as the player is made. Until that
    has failed, ``available`` is optimistically True. The first failure (no
    output, or any error while playing: a broken output cannot be told apart
    from a missing one) is logged once, reported once through
    ``on_unavailable``, and turns the player off for good; later cues are
    dropped quietly (the dispatcher shows them).

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
        # An open stream's audio thread calls into Python for every buffer;
        # one doing so while the interpreter is torn down crashes the process
        # on its way out. So the worker closes its streams before that.
        atexit.register(self.close)

    def play(self, cue: str) -> None:
        if not self.available or self._closed.is_set():
            return
        try:
            self._pending.put_nowait(cue)
        except queue.Full:
            log.debug("sound backlog full, dropped cue %r", cue)

    def close(self, timeout: float = 2.0) -> bool:
        """Stop the worker once the cue it is playing ends, dropping waiting
        cues and closing its streams; True if it stopped within ``timeout``.
        Called at exit too (see ``__init__``)."""
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
            output = self._open_output()
        except Exception as exc:
            self._give_up(f"Sound is unavailable: {exc}")
            return
        try:
            while True:
                try:
                    cue = self._pending.get(timeout=self._idle_close_s)
                except queue.Empty:
                    _release(output)
                    continue
                if cue is None or self._closed.is_set():
                    return
                try:
                    output.play(self._sound_path(cue))
                except Exception as exc:
                    self._give_up(f"Sound stopped working (cue {cue!r}): {exc}")
                    return
        finally:
            _release(output)

    def _give_up(self, message: str) -> None:
        self.available = False
        log.warning("%s; cues will be shown instead of heard", message)
        if self._on_unavailable is not None:
            try:
                self._on_unavailable(message)
            except Exception:
                log.exception("on_unavailable callback failed")


def _release(output: Output) -> None:
    try:
        output.release()
    except Exception:
        log.exception("closing the sound output failed")


def make_player(on_unavailable: Callable[[str], None]) -> CuePlayer:
    """The player the app uses: the shipped cue sounds through miniaudio."""
    return SoundPlayer(on_unavailable=on_unavailable)


