"""A desktop-wide shortcut that records instead of calling gsettings."""

from __future__ import annotations

from coach.services.desktop import DesktopError


class FakeShortcut:
    def __init__(self, taken: bool = False) -> None:
        self.keys: str | None = None
        self.taken = taken

    def current(self) -> str | None:
        return self.keys

    def add(self) -> str:
        if self.taken:
            raise DesktopError("Ctrl+Alt+C and Super+C are both taken.")
        self.keys = "Ctrl+Alt+C"
        return self.keys

    def remove(self) -> None:
        self.keys = None
