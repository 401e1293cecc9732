"""The window's keyboard shortcuts, in one place: the window binds them and
the buttons, tooltips and notices that mention them print them from here, so
a printed key is always the key that works."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

EMERGENCY = ("F1", "Ctrl+E")
"""F1 first: one key, no chord, for a hand that is holding a calf."""
ROUTINES = ("Ctrl+R",)
DIARY = ("Ctrl+D",)
SETTINGS = ("Ctrl+,",)
QUIT = ("Ctrl+Q",)


def shown(keys: tuple[str, ...]) -> str:
    """The first of ``keys`` as the desktop writes it (Qt's own words for
    the modifiers, translated with Qt's catalogue)."""
    return QKeySequence(keys[0]).toString(QKeySequence.SequenceFormat.NativeText)
