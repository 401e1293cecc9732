"""The place buttons as the last start showed them, kept so that the next
start for a cramp can paint them before the guides load.

Loading the guides means the content model and its cache: about a fifth of
the time to the first paint (``benchmarks/startup.py``). The buttons need
only their words and drawings, so every start of the app writes them here,
in the language it shows; a start for a cramp paints them from here at once,
and the emergency screen, built from the guides themselves a moment later,
takes their place (:mod:`coach.ui.places`).

This file is a cache, the app's own: nothing in it is a person's data, and
the next start writes it again. So a file that is unreadable, foreign or
tampered with is refused without a word (the start then takes the ordinary
way, from the guides), and it can name only a drawing among the shipped
ones. Nothing here imports the content model: that is the point.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from coach.core.safe_io import read_regular

if TYPE_CHECKING:
    from coach.core.model import Protocol

FORMAT = 1
SIZE_LIMIT = 64_000
"""Five places take under 1 kB; anything near this is not ours."""
MAX_PLACES = 20
"""Far more than the guides have (five): a bound on what a file may hold."""
MAX_TITLE = 200
_DRAWING = re.compile(r"images/[a-z0-9_]+\.svg")
_KEYS = {"format", "language", "places"}
_PLACE_KEYS = {"title", "image", "read_ahead"}


class Place(NamedTuple):
    """One place button: its words, its drawing (relative to the shipped
    assets, "" for none), and whether it is a card to read ahead rather
    than a guide."""

    title: str
    image: str
    read_ahead: bool


def places_of(protocols: Iterable[Protocol]) -> tuple[Place, ...]:
    """The buttons for these guides (:func:`coach.core.emergency.places`), in
    the app's language."""
    return tuple(Place(str(protocol.title), protocol.image or "", protocol.read_ahead)
                 for protocol in protocols)


def read(path: Path, language: str) -> tuple[Place, ...] | None:
    """The places kept for ``language``, or None: no file, another language,
    or anything about it that this version did not write."""
    try:
        data = json.loads(read_regular(path, SIZE_LIMIT))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or set(data) != _KEYS or type(data["format"]) is not int \
            or data["format"] != FORMAT \
            or data["language"] != language or not isinstance(data["places"], list):
        return None
    places = [_place(item) for item in data["places"]]
    if not 0 < len(places) <= MAX_PLACES or None in places:
        return None
    kept = tuple(place for place in places if place is not None)
    if all(place.read_ahead for place in kept) or list(kept) != sorted(
            kept, key=lambda place: place.read_ahead):
        return None
    return kept


def _place(item: object) -> Place | None:
    if not isinstance(item, dict) or set(item) != _PLACE_KEYS:
        return None
    title, image, read_ahead = item["title"], item["image"], item["read_ahead"]
    if not (isinstance(title, str) and 0 < len(title) <= MAX_TITLE and title.isprintable()):
        return None
    if not (isinstance(image, str) and (image == "" or _DRAWING.fullmatch(image))):
        return None
    if not isinstance(read_ahead, bool):
        return None
    return Place(title, image, read_ahead)


def remember(path: Path, language: str, places: tuple[Place, ...]) -> None:
    """Keep ``places`` for the next start, unless they are kept already; with
    none (the guides failed to load), keep nothing, so that the next start
    shows what this one did: the advice that stands in for the guides.
    Raises the OSError of a failed write; the caller decides what it is
    worth (a cache: a log line)."""
    if not 0 < len(places) <= MAX_PLACES:
        path.unlink(missing_ok=True)
        return
    if read(path, language) == places:
        return
    from coach.core.atomic import atomic_write_text  # only here: not before the paint

    data = {"format": FORMAT, "language": language,
            "places": [place._asdict() for place in places]}
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1))
