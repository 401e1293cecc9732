"""The one channel for messages meant for the person using the app.

Anything (the core, a background service, the UI) posts here, and whatever can
show messages subscribes. Having a single channel means a problem found at
start-up, before any window exists, is held until one does instead of being
lost, and a "show once" message is shown once no matter who posts it.

Callbacks run on the thread that posts. Subscribers that must touch widgets
(the Qt notice strip) hop to their own thread themselves, via a queued signal,
so this module stays free of any GUI toolkit.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, get_args

Level = Literal["info", "warning", "error"]
Callback = Callable[["Notice"], None]
Wording = str | Callable[[], str]
"""A message's words, or a function that words it in the current language:
a notice still on screen when the person changes the language is worded
again from it. Words are chosen where the message is made (this module
knows no language)."""


def worded(wording: Wording) -> str:
    """The words, in the language of the moment."""
    return wording() if callable(wording) else wording


class WordedError(Exception):
    """A failure whose message is for the person, kept as its wording so that
    a notice made from it is worded again when the language changes."""

    def __init__(self, wording: Wording) -> None:
        super().__init__(wording)
        self.wording = wording

    def __str__(self) -> str:
        return worded(self.wording)


_LOG = logging.getLogger(__name__)
_LOG_LEVELS = {"info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}


@dataclass(frozen=True)
class Notice:
    level: Level
    wording: Wording
    key: str | None = None
    """Notices sharing a key are shown only once per run (the first one wins)."""

    @property
    def text(self) -> str:
        return worded(self.wording)


class Notices:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[int, Callback] = {}
        self._next_token = 0
        self._held: list[Notice] = []
        self._seen_keys: set[str] = set()

    def post(self, level: Level, text: Wording, key: str | None = None) -> None:
        if level not in get_args(Level):
            raise ValueError(f"unknown notice level {level!r}")
        notice = Notice(level, text, key)
        with self._lock:
            if key is not None:
                if key in self._seen_keys:
                    return
                self._seen_keys.add(key)
            if not self._subscribers:
                self._held.append(notice)
            subscribers = list(self._subscribers.values())
        # Logged here, once, so the log has every message even if no window
        # ever shows it (headless runs, or a crash before the UI is up).
        _LOG.log(_LOG_LEVELS[level], "%s", notice.text)
        for callback in subscribers:
            self._deliver(callback, notice)

    def pending(self) -> tuple[Notice, ...]:
        """Hand over the notices held while nobody was subscribed, and forget
        them, so that they reach exactly one display."""
        with self._lock:
            held, self._held = tuple(self._held), []
        return held

    def subscribe(self, callback: Callback) -> Callable[[], None]:
        """Anything still held is delivered to ``callback`` straight away: a
        notice posted between a subscriber's :meth:`pending` and this call
        would otherwise fall through the gap. The returned function
        unsubscribes and may safely be called more than once."""
        with self._lock:
            token = self._next_token
            self._next_token += 1
            self._subscribers[token] = callback
            held, self._held = self._held, []
        for notice in held:
            self._deliver(callback, notice)

        def unsubscribe() -> None:
            with self._lock:
                self._subscribers.pop(token, None)

        return unsubscribe

    @staticmethod
    def _deliver(callback: Callback, notice: Notice) -> None:
        # A broken display must not turn a warning into a crash of whoever
        # posted it (often a background service); the notice is logged anyway.
        try:
            callback(notice)
        except Exception:
            _LOG.exception("a notice subscriber failed")
