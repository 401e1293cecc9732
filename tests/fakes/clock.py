"""A clock that only moves when a test moves it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


class FakeClock:
    """A clock that only moves when told to; wall and monotonic move together
    unless :meth:`jump_wall` simulates a system clock change or a suspend."""

    def __init__(self, wall: datetime | None = None, monotonic: float = 1000.0) -> None:
        self._mono = monotonic
        self._wall = wall or datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)
        if self._wall.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")

    def monotonic(self) -> float:
        return self._mono

    def wall(self) -> datetime:
        return self._wall

    def advance(self, seconds: float) -> None:
        self._mono += seconds
        self._wall += timedelta(seconds=seconds)

    def jump_wall(self, delta: timedelta) -> None:
        self._wall += delta
