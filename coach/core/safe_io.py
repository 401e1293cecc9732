"""Reading files that someone else may have put there, without trusting them.

Content files are shared by email and forums, and the settings, reminder and
routine folders can hold anything a user (or another program) dropped there: a
FIFO, a symlink to ``/dev/zero``, a 50 MB file. Reading any of those the usual
way hangs (a FIFO blocks ``open`` until a writer appears) or eats memory
without end. So every read of a file we did not just write goes through
:func:`read_regular`, which

* opens without blocking (``O_NONBLOCK``: a FIFO with no writer opens at once),
* checks with ``fstat`` on the open descriptor, so a swap between check and
  read is impossible, that the file is a regular file,
* and reads at most ``limit`` bytes, refusing the file if there is more.

The exceptions are :class:`OSError` subclasses, so a caller that already
handles "cannot read" handles these too, and each carries a short reason that
can be shown as is.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from coach.core.i18n import N_, _, ngettext

_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
          | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
_CHUNK = 1 << 16


class NotARegularFile(OSError):
    """A FIFO, a device, a socket or a folder where a file was expected.
    ``kind`` is in English ("a folder"), to compare with; :func:`kind_text`
    words it for a sentence."""

    def __init__(self, path: Path, kind: str) -> None:
        # Translators: {kind} is what stands there instead, e.g. "a pipe" or "a folder".
        super().__init__(errno.EINVAL, _("not a regular file (it is {kind})").format(
            kind=_(kind)), str(path))
        self.kind = kind


class FileTooLarge(OSError):
    """More bytes than the caller's cap: refused without reading the rest."""

    def __init__(self, path: Path, limit: int) -> None:
        # Translators: {size} is a file size, e.g. "1 MB".
        super().__init__(errno.EFBIG, _("too large (over {size})").format(
            size=size_text(limit)), str(path))
        self.limit = limit


def size_text(limit: int) -> str:
    """"1 MB", "64 kB", "500 bytes": a limit in a sentence, in the current language."""
    if limit >= 1_000_000:
        return _("{size} MB").format(size=f"{limit / 1_000_000:g}")
    if limit >= 1_000:
        return _("{size} kB").format(size=f"{limit / 1_000:g}")
    return ngettext("{n} byte", "{n} bytes", limit).format(n=limit)


def kind_text(kind: str) -> str:
    """A :attr:`NotARegularFile.kind` in the current language."""
    return _(kind)


def file_kind(mode: int) -> str:
    """What stands where a file was expected, in English (see :func:`kind_text`)."""
    # Translators: what stands where a file was expected, in "it is {kind}".
    if stat.S_ISDIR(mode):
        return N_("a folder")
    if stat.S_ISFIFO(mode):
        return N_("a pipe")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return N_("a device")
    if stat.S_ISSOCK(mode):
        return N_("a socket")
    return N_("a special file")


def read_regular(path: Path, limit: int) -> bytes:
    """The whole content of the regular file at ``path`` (symlinks followed),
    at most ``limit`` bytes. Raises :class:`NotARegularFile`,
    :class:`FileTooLarge`, or the :class:`OSError` that ``open`` raised."""
    fd = os.open(path, _FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(path, file_kind(info.st_mode))
        if info.st_size > limit:
            raise FileTooLarge(path, limit)
        # The size can change under us (a file still being written); the cap
        # holds whatever fstat said.
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(_CHUNK, remaining))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise FileTooLarge(path, limit)
    return data
