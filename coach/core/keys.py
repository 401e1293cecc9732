"""The letters that answer emergency mode and the quick log, in the app's
language: printed on the buttons ("Н  Нет") and said by the voice ("Press Н
for no"), so both come from here.

A letter is matched by the key it sits on, whatever layout is switched on:
in Russian, Н is on the key marked Y, so "y" typed with the English layout
means Нет, and "n" (the key marked Т) means nothing; in English, "т" typed
with the Russian layout is the N key. Matching the English first letter
instead would make the key marked Н answer Yes with the English layout on.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from coach.core.i18n import pgettext

_RUSSIAN: Final = "йцукенгшщзхъфывапролджэячсмитьбю"
_SAME_KEY_LATIN: Final = "qwertyuiop[]asdfghjkl;'zxcvbnm,."
LATIN_ON_KEY: Final = MappingProxyType(dict(zip(_RUSSIAN, _SAME_KEY_LATIN, strict=True)))
"""For each letter of a Cyrillic layout (ЙЦУКЕН), the Latin character on
the same key of a QWERTY keyboard."""
_CYRILLIC_ON_KEY: Final = MappingProxyType(dict(zip(_SAME_KEY_LATIN, _RUSSIAN, strict=True)))


def on_cyrillic_layout(shortcut: str) -> str | None:
    """The same keys pressed with a Cyrillic layout on ("Ctrl+E" is
    "Ctrl+У"), or None when its last key is not a letter there. With a
    Latin layout installed too, Qt matches Ctrl+E whichever layout is on;
    with only a Cyrillic one (nothing else to type in), it sees Ctrl+У."""
    *modifiers, key = shortcut.split("+")
    letter = _CYRILLIC_ON_KEY.get(key.lower()) if len(key) == 1 else None
    return "+".join([*modifiers, letter.upper()]) if letter and modifiers else None


def no() -> str:
    # Translators: the key that answers "No", printed on its button ("N  No") and
    # said by the voice; the first letter of your "No", on your keyboard.
    return pgettext("key for No", "N")


def yes() -> str:
    # Translators: the key that answers "Yes", printed on its button ("Y  Yes").
    return pgettext("key for Yes", "Y")


def passed() -> str:
    # Translators: the key for "It has passed" (the cramp is over).
    return pgettext("key for It has passed", "P")


def restart() -> str:
    # Translators: the key for "Restart hold".
    return pgettext("key for Restart hold", "R")


def left() -> str:
    # Translators: the key for "Left leg" in the quick log.
    return pgettext("key for Left leg", "L")


def right() -> str:
    # Translators: the key for "Right leg" in the quick log.
    return pgettext("key for Right leg", "R")


def both() -> str:
    # Translators: the key for "Both legs" in the quick log.
    return pgettext("key for Both legs", "B")


def _key(character: str) -> str:
    lower = character.lower()
    return LATIN_ON_KEY.get(lower, lower)


def pressed(typed: str, letter: str) -> bool:
    """Whether ``typed`` (a key event's text) came from the key ``letter``
    is printed on, in whichever layout."""
    return len(typed) == 1 and _key(typed) == _key(letter)
