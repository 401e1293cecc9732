"""Where the app's content comes from: the shipped files, then the user's own.

Shipped files come first so a user file can never replace a shipped protocol
by reusing its id; it is reported instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from coach import __version__, resources
from coach.core import content_cache, paths
from coach.core.atomic import atomic_write_bytes
from coach.core.model import Library
from coach.core.sources import content_files


def display_name(path: Path) -> str:
    """Shipped files by their short project name, user files by full path."""
    try:
        return str(path.relative_to(resources.exercises_dir().parent))
    except ValueError:
        return str(path)


def load(extra: Iterable[Path] = ()) -> Library:
    """The validated library, from the cache when no source file has changed."""
    sources = [s for s in (resources.exercises_dir(), paths.user_content_dir(), *extra)
               if s.exists()]
    files = content_files(sources)
    try:
        cache_key = content_cache.key(files, __version__)
    except OSError:
        cache_key = ""
    cached = content_cache.read(paths.content_cache_file(), cache_key) if cache_key else None
    if cached is not None:
        return cached
    from coach.core.loader import load_library

    library = load_library(sources, resources.assets_dir(), names=display_name)
    if cache_key:
        content_cache.write(paths.content_cache_file(), cache_key, library)
    return library


class ImportProblem(Exception):
    """A routine file that cannot be imported, with every reason as text."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


def import_file(source: Path, *, overwrite: bool = False) -> Path:
    """Check a routine file exactly as the app would load it, then copy it into
    the user's routines folder. Nothing is copied unless it loads cleanly, so a
    prescribed routine either arrives whole or the user sees why not."""
    destination = paths.user_content_dir() / source.name
    if source.suffix.lower() not in (".yaml", ".yml"):
        raise ImportProblem([f"{source}: a routine file ends in .yaml or .yml"])
    if destination.exists() and not overwrite:
        raise FileExistsError(destination)
    # Load as if it were already installed: shipped files, the user's others,
    # and this one in place of any file it would replace.
    from coach.core.loader import load_library

    others = [p for p in content_files([paths.user_content_dir()]) if p.name != source.name]
    library = load_library([resources.exercises_dir(), *others, source],
                           resources.assets_dir(), names=display_name)
    mine = [str(e) for e in library.errors if e.file == display_name(source)]
    if mine:
        raise ImportProblem(mine)
    try:
        data = source.read_bytes()
        destination.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(destination, data)
    except OSError as exc:
        raise ImportProblem([f"{destination}: could not be written: "
                             f"{exc.strerror or exc}"]) from exc
    return destination
