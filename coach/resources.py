"""The one place that finds the files Cramp Coach ships.

From an installed wheel the content lives inside the package (``coach/_data``,
placed there by the build); from a source checkout it is the top-level
``exercises/``, ``assets/`` and ``packaging/`` folders beside the package.
Everything else asks this module, so the two layouts never leak into the rest
of the code.
"""

from __future__ import annotations

from pathlib import Path


def _root(name: str) -> Path:
    package = Path(__file__).parent
    bundled = package / "_data" / name
    if bundled.is_dir():
        return bundled
    return package.parent / name


def exercises_dir() -> Path:
    return _root("exercises")


def assets_dir() -> Path:
    return _root("assets")


def packaging_dir() -> Path:
    """The launcher and AppStream metainfo that ``cramp-coach install-desktop``
    puts in place: shipped in the wheel, since pip and pipx install no menu
    entry of their own."""
    return _root("packaging")


def asset(relative: str) -> Path:
    return assets_dir() / relative


def sound(name: str) -> Path:
    return assets_dir() / "sounds" / f"{name}.wav"


def icon_path() -> Path:
    return assets_dir() / "icons" / "cramp-coach.svg"
