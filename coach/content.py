"""Where the app's content comes from: the shipped files, then the user's own.

Shipped files come first so a user file can never replace a shipped protocol
by reusing its id; it is reported instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from coach import resources
from coach.core import paths
from coach.core.loader import load_library
from coach.core.model import Library


def display_name(path: Path) -> str:
    """Shipped files by their short project name, user files by full path."""
    try:
        return str(path.relative_to(resources.exercises_dir().parent))
    except ValueError:
        return str(path)


def load(extra: Iterable[Path] = ()) -> Library:
    sources = [resources.exercises_dir(), paths.user_content_dir(), *extra]
    return load_library([s for s in sources if s.exists()], resources.assets_dir(),
                        names=display_name)
