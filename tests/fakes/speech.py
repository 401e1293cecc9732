"""A speaker that records instead of speaking."""

from __future__ import annotations


class FakeSpeaker:
    """Records what would be said. ``speaking`` turns on with :meth:`say` and
    stays on until :meth:`stop` or the test sets it False (the speech "ends")."""

    def __init__(self, available: bool = True) -> None:
        self.available = available
        self.speaking = False
        self.spoken: list[str] = []
        self.queued: list[bool] = []
        """For each entry of ``spoken``: whether it waited for earlier speech."""

    def say(self, text: str, *, queue: bool = False) -> None:
        if self.available:
            self.spoken.append(text)
            self.queued.append(queue)
            self.speaking = True

    def stop(self) -> None:
        self.speaking = False
