"""A start for a cramp: the place buttons painted first, the app loaded after.

Someone woken by a cramp starts Cramp Coach and waits for the place buttons.
All the app loads before they show is time spent waiting in pain, and most
of it the buttons do not need: the guides, the settings store, the diary's
rules, the tray. So a start for a cramp paints them from what the last start
kept (:mod:`coach.core.first_screen`), in the window the app goes on with,
in its language and look. Then the app loads, and the emergency screen takes
their place (:class:`coach.ui.places.FirstScreen`).

Only what that paint needs is imported here; ``benchmarks/startup.py``
measures the time to it against a bare PySide6 window.
"""

from __future__ import annotations

import time
from typing import NamedTuple

from PySide6.QtWidgets import QApplication

from coach.app.navigation import Screen
from coach.core import first_screen, paths
from coach.core.early_settings import read_early
from coach.core.i18n import _
from coach.ui import theme
from coach.ui.language import speak
from coach.ui.main_window import (
    MainWindow,
    is_compact,
    open_window,
    opens_compact,
    placement_bytes,
)
from coach.ui.places import TITLE, FirstScreen


class FirstPaint(NamedTuple):
    """The window on show and its first screen, which the app takes on
    (:class:`coach.ui.app.CoachApp`)."""

    window: MainWindow
    screen: FirstScreen


def paint_first(qapp: QApplication, language: str | None,
                look: str | None) -> FirstPaint | None:
    """The place buttons on show, or None when the last start kept none in
    this language (the first start, a new language, guides that failed to
    load): the app then starts the ordinary way. ``language`` and ``look``
    are the command line's ``--lang`` and ``--theme``."""
    early = read_early(paths.settings_file())
    places = first_screen.read(paths.first_screen_file(), speak(language or early.language))
    if places is None:
        return None
    # The app's own local time and zone say the same for "is it night?".
    palette = theme.choose(look or early.theme, time.localtime().tm_hour)
    theme.apply(qapp, palette, opens_compact(qapp))  # before the widgets: styled once
    window = open_window(placement_bytes(early.placement))
    theme.apply(qapp, palette, is_compact(window.size()))  # a small window kept from before
    screen = FirstScreen(places)
    window.add_screen(Screen.EMERGENCY, screen, _(TITLE))
    window.show_screen(Screen.EMERGENCY)
    window.bring_to_front()
    return FirstPaint(window, screen)
