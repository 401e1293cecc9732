"""Where the app's content comes from: the shipped files, then the user's own.

Shipped files come first so a user file can never replace a shipped exercise
by reusing its id; it is reported instead. The user's files may add routines
and exercises only (the loader refuses anything else in them), so emergency
mode always shows the shipped protocols.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from coach import __version__, resources
from coach.core import content_cache, paths
from coach.core.atomic import atomic_write_bytes
from coach.core.i18n import _
from coach.core.model import Library
from coach.core.notices import Notices
from coach.core.safe_io import read_regular
from coach.core.sources import content_files, find_content


def display_name(path: Path) -> str:
    """Shipped files by their short project name, user files by full path."""
    try:
        return str(path.relative_to(resources.exercises_dir().parent))
    except ValueError:
        return str(path)


def load(extra: Iterable[Path] = ()) -> Library:
    """The validated library, from the cache when no source file has changed.

    The cache is skipped while something cannot be listed (an unreadable
    routines folder, a pipe named like a routine file): the library then has
    errors, so it is not cached either, and the problem is reported afresh on
    every start until it is fixed."""
    shipped = [resources.exercises_dir()]
    user = [paths.user_content_dir(), *extra]
    found = find_content([*shipped, *user])
    try:
        cache_key = "" if found.problems else content_cache.key(found.files, __version__)
    except OSError:
        cache_key = ""
    cached = content_cache.read(paths.content_cache_file(), cache_key) if cache_key else None
    if cached is not None:
        return cached
    from coach.core.loader import load_library

    library = load_library(shipped, resources.assets_dir(), user=user, names=display_name)
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
    shipped = resources.exercises_dir()
    if source.suffix.lower() not in (".yaml", ".yml"):
        raise ImportProblem([_("{path}: a routine file ends in .yaml or .yml").format(
            path=source)])
    if Path(os.path.realpath(source)).is_relative_to(os.path.realpath(shipped)):
        raise ImportProblem([_("{path}: this file comes with Cramp Coach and is loaded "
                               "already; there is nothing to import").format(path=source)])
    # lexists: a folder we may not look into is not "taken"; writing to it
    # fails below with the reason.
    if os.path.lexists(destination) and not overwrite:
        raise FileExistsError(destination)
    # Load as if it were already installed: shipped files, the user's others,
    # and this one in place of any file it would replace.
    from coach.core.loader import MAX_FILE_BYTES, load_library

    others = [p for p in content_files([paths.user_content_dir()]) if p.name != source.name]
    library = load_library([shipped], resources.assets_dir(), user=[*others, source],
                           names=display_name)
    mine = [str(e) for e in library.errors if e.file == display_name(source)]
    if mine:
        raise ImportProblem(mine)
    try:
        data = read_regular(source, MAX_FILE_BYTES)
    except OSError as exc:
        # Translators: {reason} is the system's reason, e.g. "Permission denied".
        raise ImportProblem([_("{path}: cannot be read: {reason}").format(
            path=source, reason=exc.strerror or exc)]) from exc
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(destination, data)
    except OSError as exc:
        # Translators: {reason} is the system's reason, e.g. "Permission denied".
        raise ImportProblem([_("{path}: could not be written: {reason}").format(
            path=destination, reason=exc.strerror or exc)]) from exc
    return destination


Listener = Callable[[Library], None]


class ContentModel:
    """The library the app shows, and the one way to read it again (after an
    import): whoever shows content subscribes, so a new routine appears
    everywhere at once and emergency mode is rebuilt from the new protocols."""

    def __init__(self, notices: Notices, library: Library | None = None,
                 loader: Callable[[], Library] = load) -> None:
        self._notices = notices
        self._loader = loader
        self._library = library if library is not None else loader()
        self._listeners: list[Listener] = []
        self.report_problems()

    @property
    def library(self) -> Library:
        return self._library

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def reload(self) -> Library:
        self._library = self._loader()
        self.report_problems()
        for listener in list(self._listeners):
            listener(self._library)
        return self._library

    def report_problems(self) -> None:
        """One notice for everything that did not load, keyed by the problems
        so it is not repeated while they stay the same."""
        library = self._library
        if not library.errors:
            return
        files = library.skipped_files or tuple(dict.fromkeys(e.file for e in library.errors))
        first = library.errors[0]
        self._notices.post(
            "warning",
            # Translators: {files} are file names; {problem} is the first problem as
            # "file:line: message". Keep 'cramp-coach validate' as it is: it is a command.
            lambda: _("Some content could not be loaded and was skipped ({files}). First "
                      "problem: {problem}. Run 'cramp-coach validate' for the full "
                      "list.").format(files=", ".join(files), problem=first),
            key=f"content-errors-{len(library.errors)}-{','.join(files)}")
