"""A cue player that records instead of playing."""

from __future__ import annotations


class FakePlayer:
    """Records the cues it was asked to play; set ``available`` to False to act
    like a machine without sound (cues are then dropped, as the real one does)."""

    def __init__(self, available: bool = True) -> None:
        self.available = available
        self.played: list[str] = []

    def play(self, cue: str) -> None:
        if self.available:
            self.played.append(cue)
