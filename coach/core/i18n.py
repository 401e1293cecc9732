"""The language the app speaks, in one place the core can read without Qt.

Everything a person reads is worded in :data:`current` language: dates and
numbers by :mod:`coach.core.wording` (through Babel's CLDR data), sentences
by the message catalogues. Changing the language tells every subscriber, so a
screen can re-word itself without a restart.
"""

from __future__ import annotations

from collections.abc import Callable

DEFAULT = "en"

_current = DEFAULT
_listeners: list[Callable[[str], None]] = []


def current() -> str:
    """A language code such as "en" or "ru"."""
    return _current


def set_current(language: str) -> None:
    global _current
    if language == _current:
        return
    _current = language
    for listener in list(_listeners):
        listener(language)


def subscribe(listener: Callable[[str], None]) -> Callable[[], None]:
    _listeners.append(listener)

    def unsubscribe() -> None:
        if listener in _listeners:
            _listeners.remove(listener)

    return unsubscribe
