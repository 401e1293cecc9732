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

from coach.core.i18n import _
from coach.core.safe_io import file_kind, kind_text

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
            # Translators: {kind} is what stands there instead, e.g. "a pipe" or "a folder".
            problems.append((path, _("not a regular file (it is {kind}); content files are "
                                     "plain .yaml text files, so it was skipped").format(
                kind=kind_text(file_kind(mode)))))
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
                problems.append((path, _skipped(exc)))
            continue
        if not stat.S_ISDIR(mode):
            add(path, mode)
            continue
        try:
            entries = sorted(entry for entry in path.iterdir()
                             if entry.suffix.lower() in CONTENT_SUFFIXES)
        except OSError as exc:
            problems.append((path, _folder_skipped(exc)))
            continue
        for entry in entries:
            try:
                add(entry, entry.stat().st_mode)
            except OSError as exc:
                problems.append((entry, _skipped(exc)))
    return Found(tuple(files), tuple(problems), tuple(missing))


def content_files(paths: Iterable[Path]) -> list[Path]:
    """Only the files of :func:`find_content`, for callers that report
    nothing about the rest."""
    return list(find_content(paths).files)


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _skipped(exc: OSError) -> str:
    """A file that cannot be read, with advice when permissions are to blame."""
    if isinstance(exc, PermissionError):
        # Translators: {reason} is the system's reason, e.g. "permission denied".
        return _("cannot be read ({reason}), so it was skipped; check its permissions").format(
            reason=_reason(exc))
    return _("cannot be read ({reason}), so it was skipped").format(reason=_reason(exc))


def _folder_skipped(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return _("this folder cannot be read ({reason}), so none of the files in it were "
                 "loaded; check its permissions").format(reason=_reason(exc))
    return _("this folder cannot be read ({reason}), so none of the files in it were "
             "loaded").format(reason=_reason(exc))
