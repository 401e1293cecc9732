"""Wakes the reminder logic at the right moments, and at no others.

One single-shot timer is armed for the next reminder. Sleep and clock changes
can make that timer wrong, so they are detected too: by logind's
``PrepareForSleep`` signal where the system bus has it (an immediate re-check on
wake), and in any case by comparing the wall clock with the monotonic clock
once a minute, which also notices a change of time zone. Nothing else runs
while waiting, so the app costs nothing between bedtimes.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from coach.core.clock import Clock
from coach.ui.timers import Precision, Timers

log = logging.getLogger(__name__)

WATCH_INTERVAL_MS = 60_000
JUMP_TOLERANCE_S = 5.0
MAX_TIMER_MS = 24 * 3600 * 1000
"""Qt timers take a 32-bit millisecond count; a longer wait is re-armed on the way."""


class ReminderClock(QObject):
    """Emits ``due`` when the armed moment arrives and ``recheck`` after a
    suspend, a clock jump or a zone change."""

    due = Signal()
    recheck = Signal()

    def __init__(self, clock: Clock, zone_key: Callable[[], str], timers: Timers,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._zone_key = zone_key
        self._target: float | None = None
        self._fire = timers.make(self, self._on_fire, precision=Precision.PRECISE)
        self._watch = timers.make(self, self.check_clock, repeat=True,
                                  precision=Precision.COARSE)
        self._baseline = self._offset()
        self._zone = zone_key()

    def start(self) -> None:
        self._baseline = self._offset()
        self._zone = self._zone_key()
        self._watch.start(WATCH_INTERVAL_MS)
        self._listen_for_sleep()

    def stop(self) -> None:
        self._fire.stop()
        self._watch.stop()

    def arm(self, seconds: float | None) -> None:
        """Wake in ``seconds`` (None: nothing to wait for)."""
        self._fire.stop()
        if seconds is None:
            self._target = None
            return
        self._target = self._clock.monotonic() + max(0.0, seconds)
        self._start_fire_timer()

    def _start_fire_timer(self) -> None:
        assert self._target is not None
        wait = self._target - self._clock.monotonic()
        self._fire.start(min(MAX_TIMER_MS, max(0, math.ceil(wait * 1000))))

    def _on_fire(self) -> None:
        if self._target is not None and self._clock.monotonic() < self._target - 0.001:
            self._start_fire_timer()  # a long wait, re-armed in 24-hour pieces
            return
        self._target = None
        self.due.emit()

    def _offset(self) -> float:
        return self._clock.wall().timestamp() - self._clock.monotonic()

    def check_clock(self) -> None:
        """Wall time moved differently from monotonic time (suspend on some
        systems, or someone set the clock), or the zone changed: re-check."""
        offset, zone = self._offset(), self._zone_key()
        jumped = abs(offset - self._baseline) > JUMP_TOLERANCE_S
        if jumped or zone != self._zone:
            log.info("clock or zone changed (offset %+.1f s, zone %s -> %s)",
                     offset - self._baseline, self._zone, zone)
            self._baseline, self._zone = offset, zone
            self.recheck.emit()

    def _listen_for_sleep(self) -> bool:
        """logind says when the machine wakes; where there is no system bus,
        the once-a-minute clock check notices the jump instead."""
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:
            return False
        bus = QDBusConnection.systemBus()
        if not bus.isConnected():
            return False
        return bool(bus.connect("org.freedesktop.login1", "/org/freedesktop/login1",
                                "org.freedesktop.login1.Manager", "PrepareForSleep",
                                self, b"1_on_prepare_for_sleep(bool)"))

    @Slot(bool)
    def _on_prepare_for_sleep(self, going_to_sleep: bool) -> None:
        if not going_to_sleep:
            self._baseline = self._offset()
            self.recheck.emit()
