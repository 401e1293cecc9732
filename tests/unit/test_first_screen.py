"""The place buttons kept for the next start for a cramp: written as the app
shows them, read back only for the same language, and refused whole, never
half-used, when anything about the file is not what this version writes."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from coach import resources
from coach.core import first_screen, paths
from coach.core.emergency import places as shown_places
from coach.core.first_screen import MAX_PLACES, SIZE_LIMIT, Place, places_of, read, remember
from coach.core.loader import load_library

PLACES = (Place("Calf", "images/place_calf.svg", False),
          Place("Foot & toes", "images/place_foot.svg", False),
          Place("In water", "images/place_water.svg", True))


def kept() -> Path:
    return paths.first_screen_file()


def test_what_is_kept_is_read_back_in_its_language_only() -> None:
    assert read(kept(), "en") is None  # nothing kept yet
    remember(kept(), "en", PLACES)
    assert read(kept(), "en") == PLACES
    assert read(kept(), "ru") is None  # words in another language: the ordinary start


def test_the_same_places_are_not_written_again() -> None:
    remember(kept(), "en", PLACES)
    os.utime(kept(), ns=(1_000_000_000, 1_000_000_000))
    remember(kept(), "en", PLACES)
    assert kept().stat().st_mtime_ns == 1_000_000_000
    remember(kept(), "ru", PLACES)
    assert read(kept(), "ru") == PLACES and read(kept(), "en") is None


def test_no_places_keep_nothing() -> None:
    """The guides failed to load: the next start must show what this one
    did (the advice that stands in for them), not buttons from before."""
    remember(kept(), "en", PLACES)
    remember(kept(), "en", ())
    assert not kept().exists()


def test_the_shipped_guides_give_the_buttons_emergency_mode_shows() -> None:
    library = load_library([resources.exercises_dir()], resources.assets_dir())
    places = places_of(shown_places(library))
    assert [place.title for place in places] == [
        "Calf", "Foot & toes", "Front of thigh", "Back of thigh", "In water"]
    assert [place.read_ahead for place in places] == [False] * 4 + [True]
    assert all(place.image.startswith("images/place_") for place in places)
    remember(kept(), "en", places)
    assert read(kept(), "en") == places


def document(places: object, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {"format": first_screen.FORMAT, "language": "en",
                               "places": places}
    data.update(changes)
    return data


def place(**changes: object) -> dict[str, object]:
    item: dict[str, object] = {"title": "Calf", "image": "images/place_calf.svg",
                               "read_ahead": False}
    item.update(changes)
    return item


@pytest.mark.parametrize("content", [
    "", "{", "[]", "null", json.dumps({"format": 1}),
    json.dumps(document([place()], extra=1)),
    json.dumps(document([place()], format=2)),
    json.dumps(document([place()], format=True)),
    json.dumps(document([])),
    json.dumps(document([place()] * (MAX_PLACES + 1))),
    json.dumps(document({"title": "Calf"})),
    json.dumps(document([place(extra=1)])),
    json.dumps(document([place(title="")])),
    json.dumps(document([place(title="x" * 201)])),
    json.dumps(document([place(title="Calf\nnow")])),
    json.dumps(document([place(title=5)])),
    json.dumps(document([place(image="../../../etc/passwd")])),
    json.dumps(document([place(image="images/../../secret.svg")])),
    json.dumps(document([place(image="/usr/share/icons/x.svg")])),
    json.dumps(document([place(image="images/place_calf.png")])),
    json.dumps(document([place(image=None)])),
    json.dumps(document([place(read_ahead="no")])),
    json.dumps(document([place(read_ahead=1)])),
    json.dumps(document([place(read_ahead=True)])),  # nothing but cards to read
    json.dumps(document([place(read_ahead=True), place()])),  # a card before a guide
    "[" * 100_000 + "]" * 100_000,
])
def test_a_file_this_version_did_not_write_is_refused_whole(content: str) -> None:
    kept().parent.mkdir(parents=True)
    kept().write_text(content, encoding="utf-8")
    assert read(kept(), "en") is None


def test_a_file_too_large_is_not_read() -> None:
    kept().parent.mkdir(parents=True)
    padding = " " * SIZE_LIMIT
    kept().write_text(json.dumps(document([place()])) + padding, encoding="utf-8")
    assert read(kept(), "en") is None


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_what_is_not_a_file_is_neither_waited_on_nor_read(kind: str) -> None:
    kept().parent.mkdir(parents=True)
    if kind == "fifo":
        os.mkfifo(kept())
    elif kind == "folder":
        kept().mkdir()
    else:
        kept().symlink_to("/dev/zero")
    done: list[object] = []
    reader = threading.Thread(target=lambda: done.append(read(kept(), "en")), daemon=True)
    reader.start()
    reader.join(5)
    assert done == [None]


def test_a_failed_write_says_so_and_leaves_no_half_file(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    with pytest.raises(OSError):
        remember(blocked / "first-screen.json", "en", PLACES)
