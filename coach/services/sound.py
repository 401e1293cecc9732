"""Cue sounds, played off the UI thread.

Playing a sound must never stall a countdown or the buttons, and a machine with
no audio at all (a container, a server, a desktop whose sound daemon is gone) is
normal rather than an error: the cue dispatcher shows a visual flash instead.
So the UI thread only puts a cue name on a queue; a daemon worker thread owns
the audio backend, including importing it.

Playback is blocking and one cue at a time. playsound3 starts a player process
per sound; waiting for each cue to finish keeps cues in order and never stacks
several players on top of each other, and every cue is under a second. The
queue is short, so if the backend stalls, new cues are dropped instead of being
played long after the moment they were meant to mark.

No PySide6 here: the CLI (reminders from a terminal, tests) plays cues too.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

from coach import resources

log = logging.getLogger(__name__)

PlayFunc = Callable[[Path], None]
"""Plays one sound file to the end, raising if it cannot."""

MAX_PENDING = 3
"""Cues allowed to wait behind the one playing; more than that are stale."""

NO_BACKEND = ("no audio player was found (on Linux, install GStreamer's gst-play-1.0, "
              "ffmpeg's ffplay or ALSA's aplay)")


class CuePlayer(Protocol):
    @property
    def available(self) -> bool:
        """False once it is known that cues cannot be heard, so callers show them."""
        ...

    def play(self, cue: str) -> None:
        """Start the named cue and return at once; never raises."""
        ...


@contextlib.contextmanager
def _quiet_playsound3() -> Iterator[None]:
    """playsound3 warns through ``logging`` at import time when it finds no
    backend; with no handler configured that lands on stderr, in the middle of
    a CLI's output. Our own single log line says the same thing better."""
    logger = logging.getLogger("playsound3")
    quiet = logging.NullHandler()
    propagate = logger.propagate
    logger.addHandler(quiet)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(quiet)
        logger.propagate = propagate


def load_playsound() -> PlayFunc:
    """Import playsound3 and return its blocking player, or raise if this
    machine has no backend.

    The import probes for backends by running helper programs, which is slow:
    call this off the UI thread.
    """
    with _quiet_playsound3():
        import playsound3
    if playsound3.DEFAULT_BACKEND is None:
        raise RuntimeError(NO_BACKEND)

    def play(path: Path) -> None:
        playsound3.playsound(path, block=True)

    return play


class PlaysoundPlayer:
    """Plays cues on a daemon worker thread.

    The worker loads the backend as soon as the player is made, so a machine
    without sound is found out before the first cue. Until then ``available``
    is optimistically True. The first failure (no backend, or any error while
    playing: a broken backend cannot be told apart from a missing one) is
    logged once, reported once through ``on_unavailable``, and turns the player
    off for good; later cues are dropped quietly.

    ``on_unavailable`` is called **from the worker thread**. A Qt caller must
    marshal it to the UI thread (emit a signal from a QObject living there, or
    post to it) before touching widgets or notices.
    """

    def __init__(self, sound_path: Callable[[str], Path] = resources.sound,
                 on_unavailable: Callable[[str], None] | None = None,
                 play_func: PlayFunc | None = None) -> None:
        self.available = True
        self._sound_path = sound_path
        self._on_unavailable = on_unavailable
        self._pending: queue.Queue[str | None] = queue.Queue(MAX_PENDING)
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(play_func,),
                                        name="cue-sound", daemon=True)
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

    def _run(self, play_func: PlayFunc | None) -> None:
        # Broad excepts on purpose: whatever a backend raises, the answer is the
        # same (cues are shown instead of heard) and the worker must not die loudly.
        try:
            play = play_func or load_playsound()
        except Exception as exc:
            self._give_up(f"Sound is unavailable: {exc}")
            return
        while True:
            cue = self._pending.get()
            if cue is None or self._closed.is_set():
                return
            try:
                play(self._sound_path(cue))
            except Exception as exc:
                self._give_up(f"Sound stopped working (cue {cue!r}): {exc}")
                return

    def _give_up(self, message: str) -> None:
        self.available = False
        log.warning("%s; cues will be shown instead of heard", message)
        if self._on_unavailable is not None:
            try:
                self._on_unavailable(message)
            except Exception:
                log.exception("on_unavailable callback failed")
