"""Injected time.

Engines never call :mod:`time` directly: they take a :class:`Clock`, so tests
drive a :class:`FakeClock` instead of sleeping, and countdowns are always
derived from monotonic deadlines rather than from counting ticks.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Protocol

_BOOTTIME: int | None = getattr(time, "CLOCK_BOOTTIME", None)


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a clock that never jumps (for countdowns). It stops
        while the computer sleeps, so a routine resumes where it was."""

    def since_boot(self) -> float:
        """Seconds on a clock that never jumps and goes on while the computer
        sleeps: for what must measure real time through a suspend, such as
        how long a cramp has lasted (an automatic suspend can come in the
        middle of one)."""

    def wall(self) -> datetime:
        """The current aware UTC time (for dates, diaries and reminders)."""


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def since_boot(self) -> float:
        # CLOCK_BOOTTIME on Linux; elsewhere the monotonic clock (on Windows
        # it already counts sleep).
        if _BOOTTIME is not None:
            return time.clock_gettime(_BOOTTIME)
        return time.monotonic()

    def wall(self) -> datetime:
        return datetime.now(timezone.utc)
