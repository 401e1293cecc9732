"""Start-at-login in memory."""

from __future__ import annotations


class FakeAutostart:
    """In memory, for the settings page and CLI tests; give ``error`` to
    simulate a location that cannot be written."""

    def __init__(self, enabled: bool = False, error: OSError | None = None) -> None:
        self.enabled = enabled
        self.error = error

    path = "fake autostart"

    def is_enabled(self) -> bool:
        return self.enabled

    def enable(self) -> str:
        if self.error is not None:
            raise self.error
        self.enabled = True
        return self.path

    def disable(self) -> bool:
        if self.error is not None:
            raise self.error
        was_enabled, self.enabled = self.enabled, False
        return was_enabled
