"""Which content files exist: folders expanded to the YAML files in them.

Kept apart from the loader so the content cache can check its key without
importing the YAML parser at start-up.

Only regular files are ever listed. A FIFO would block whoever opens it and a
link to ``/dev/zero`` never ends, so anything else is reported instead, found
by ``stat`` alone: nothing is opened here, so listing never blocks. A folder
that cannot be read is reported too, and the rest still loads, so the app
starts with the content it can read and says why the rest is missing.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

CONTENT_SUFFIXES = (".yaml", ".yml")
_MISSING = (errno.ENOENT, errno.ENOTDIR)


@dataclass(frozen=True)
class Found:
    """The files to read, what could not be listed and why, and the named
    paths with nothing there (normal for a routines folder not made yet; an
    error only where the user named the path)."""

    files: tuple[Path, ...] = ()
    problems: tuple[tuple[Path, str], ...] = ()
    missing: tuple[Path, ...] = ()


def find_content(paths: Iterable[Path], *, skip: Iterable[Path] = ()) -> Found:
    """Expand folders to the YAML files directly inside them, in name order,
    each file once even when named twice, or when it is one of ``skip``
    (files already listed from a source that takes precedence)."""
    files: list[Path] = []
    problems: list[tuple[Path, str]] = []
    missing: list[Path] = []
    seen = {os.path.realpath(path) for path in skip}

    def add(path: Path, mode: int) -> None:
        if not stat.S_ISREG(mode):
            problems.append((path, f"not a regular file (it is {_kind(mode)}); content "
                                   "files are plain .yaml text files, so it was skipped"))
            return
        identity = os.path.realpath(path)
        if identity not in seen:
            seen.add(identity)
            files.append(path)

    for path in paths:
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            if exc.errno in _MISSING:
                missing.append(path)
            else:
                problems.append((path, f"cannot be read ({_reason(exc)}), so it was "
                                       f"skipped{_advice(exc)}"))
            continue
        if not stat.S_ISDIR(mode):
            add(path, mode)
            continue
        try:
            entries = sorted(entry for entry in path.iterdir()
                             if entry.suffix.lower() in CONTENT_SUFFIXES)
        except OSError as exc:
            problems.append((path, f"this folder cannot be read ({_reason(exc)}), so none "
                                   f"of the files in it were loaded{_advice(exc)}"))
            continue
        for entry in entries:
            try:
                add(entry, entry.stat().st_mode)
            except OSError as exc:
                problems.append((entry, f"cannot be read ({_reason(exc)}), so it was "
                                        f"skipped{_advice(exc)}"))
    return Found(tuple(files), tuple(problems), tuple(missing))


def content_files(paths: Iterable[Path]) -> list[Path]:
    """Only the files of :func:`find_content`, for callers that report
    nothing about the rest."""
    return list(find_content(paths).files)


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _advice(exc: OSError) -> str:
    return "; check its permissions" if isinstance(exc, PermissionError) else ""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"
