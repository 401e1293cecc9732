"""A clock that only moves when a test moves it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


class FakeClock:
    """A clock that only moves when told to; wall, monotonic and since-boot
    time move together unless :meth:`jump_wall` simulates a system clock
    change or :meth:`suspend` a sleep."""

    def __init__(self, wall: datetime | None = None, monotonic: float = 1000.0) -> None:
        self._mono = monotonic
        self._slept = 0.0
        self._wall = wall or datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)
        if self._wall.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")

    def monotonic(self) -> float:
        return self._mono

    def since_boot(self) -> float:
        return self._mono + self._slept

    def suspend(self, seconds: float) -> None:
        """The computer sleeps: the wall clock and the boot clock go on, the
        monotonic clock (as Linux's CLOCK_MONOTONIC) stands still."""
        self._slept += seconds
        self._wall += timedelta(seconds=seconds)

    def wall(self) -> datetime:
        return self._wall

    def advance(self, seconds: float) -> None:
        self._mono += seconds
        self._wall += timedelta(seconds=seconds)

    def jump_wall(self, delta: timedelta) -> None:
        self._wall += delta
