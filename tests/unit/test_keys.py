"""Answer letters match by the key they sit on, whatever layout is on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from coach.core import i18n, keys


@pytest.fixture()
def russian() -> Iterator[None]:
    i18n.set_current("ru")
    yield
    i18n.set_current(i18n.DEFAULT)


def test_english_letters_and_the_russian_layout_of_the_same_key() -> None:
    assert keys.no() == "N"
    assert keys.pressed("n", keys.no()) and keys.pressed("N", keys.no())
    assert keys.pressed("т", keys.no())  # the N key with the Russian layout on
    assert not keys.pressed("y", keys.no())
    assert not keys.pressed("", keys.no()) and not keys.pressed("no", keys.no())


def test_russian_letters_by_their_key(russian: None) -> None:
    assert (keys.no(), keys.yes(), keys.passed(), keys.restart()) == ("Н", "Д", "П", "З")
    assert keys.pressed("н", keys.no()) and keys.pressed("Н", keys.no())
    assert keys.pressed("y", keys.no())  # Н is on the key marked Y
    assert not keys.pressed("n", keys.no())  # that key is Т
    assert not keys.pressed("y", keys.yes())  # never Yes on the Нет key
    assert keys.pressed("l", keys.yes())  # Д is on the key marked L
    assert keys.pressed("p", keys.restart())  # З is on P...
    assert not keys.pressed("p", keys.passed())  # ...so P is not Прошло
    assert keys.pressed("g", keys.passed())


def test_every_russian_answer_key_differs_on_a_screen(russian: None) -> None:
    emergency = {keys.LATIN_ON_KEY[k.lower()] for k in (keys.no(), keys.yes(), keys.passed(),
                                                         keys.restart())}
    quick_log = {keys.LATIN_ON_KEY[k.lower()] for k in (keys.left(), keys.right(), keys.both())}
    assert len(emergency) == 4 and len(quick_log) == 3


def test_a_shortcut_has_a_twin_on_a_cyrillic_layout() -> None:
    """The window's shortcuts, as a Russian-only keyboard sends them."""
    from coach.core.keys import on_cyrillic_layout
    from coach.ui import shortcuts

    assert on_cyrillic_layout("Ctrl+E") == "Ctrl+У"
    assert on_cyrillic_layout("Ctrl+,") == "Ctrl+Б"
    assert on_cyrillic_layout("Ctrl+Q") == "Ctrl+Й"
    assert on_cyrillic_layout("F1") is None and on_cyrillic_layout("E") is None
    twins = [on_cyrillic_layout(key) for keys in (shortcuts.EMERGENCY, shortcuts.ROUTINES,
                                                 shortcuts.DIARY, shortcuts.SETTINGS,
                                                 shortcuts.QUIT) for key in keys]
    assert [twin for twin in twins if twin] == ["Ctrl+У", "Ctrl+К", "Ctrl+В", "Ctrl+Б",
                                                "Ctrl+Й"]
