"""Timers that a fake clock fires: a test moves time with
:meth:`FakeTimers.advance`, and every timer due on the way fires in order, at
its own moment (the clock reads that moment while its callback runs), so the
code under test sees exactly what a real, punctual event loop would show it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from coach.ui.timers import Precision
from tests.fakes.clock import FakeClock


class FakeTimer:
    def __init__(self, owner: FakeTimers, parent: QObject, callback: Callable[[], None],
                 repeat: bool) -> None:
        self._owner = owner
        self.parent = parent
        self._callback = callback
        self._repeat = repeat
        self.interval_ms = 0
        self.due: float | None = None
        # A timer dies with its parent, as a QTimer does.
        parent.destroyed.connect(lambda *_args: self._forget())

    def start(self, ms: int) -> None:
        self.interval_ms = max(0, ms)
        self.due = self._owner.clock.monotonic() + self.interval_ms / 1000

    def stop(self) -> None:
        self.due = None

    def is_active(self) -> bool:
        return self.due is not None

    def fire(self) -> None:
        if self._repeat:
            assert self.due is not None
            self.due += max(self.interval_ms, 1) / 1000
        else:
            self.due = None
        self._callback()

    def _forget(self) -> None:
        self.due = None
        self._owner.timers.discard(self)


class FakeTimers:
    """The factory the app is given in tests, bound to the test's clock."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.timers: set[FakeTimer] = set()

    def make(self, parent: QObject, callback: Callable[[], None], *, repeat: bool = False,
             precision: Precision = Precision.NORMAL) -> Any:
        timer = FakeTimer(self, parent, callback, repeat)
        self.timers.add(timer)
        return timer

    def armed(self, parent: QObject) -> list[FakeTimer]:
        """``parent``'s timers that will still fire: none means nothing can
        wake it."""
        return [timer for timer in self.timers if timer.parent is parent and timer.is_active()]

    def advance(self, seconds: float) -> None:
        """Move the clock on by ``seconds``, firing every timer that falls due
        on the way, earliest first, each at its own moment."""
        target = self.clock.monotonic() + seconds
        for _ in range(1_000_000):
            due = [t for t in self.timers if t.due is not None and t.due <= target + 1e-9]
            if not due:
                break
            timer = min(due, key=lambda t: t.due or 0.0)
            assert timer.due is not None
            step = timer.due - self.clock.monotonic()
            if step > 0:
                self.clock.advance(step)
            timer.fire()
        else:
            raise RuntimeError("a timer keeps firing without time passing")
        left = target - self.clock.monotonic()
        if left > 0:
            self.clock.advance(left)

    def pending(self) -> list[float]:
        """Seconds until each active timer fires, soonest first (for asserts)."""
        now = self.clock.monotonic()
        return sorted(t.due - now for t in self.timers if t.due is not None)
