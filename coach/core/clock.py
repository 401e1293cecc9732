"""Injected time.

Engines never call :mod:`time` directly: they take a :class:`Clock`, so tests
drive a :class:`FakeClock` instead of sleeping, and countdowns are always
derived from monotonic deadlines rather than from counting ticks.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a clock that never jumps (for countdowns)."""

    def wall(self) -> datetime:
        """The current aware UTC time (for dates, diaries and reminders)."""


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> datetime:
        return datetime.now(timezone.utc)
