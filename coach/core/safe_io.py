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

_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
          | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
_CHUNK = 1 << 16


class NotARegularFile(OSError):
    """A FIFO, a device, a socket or a folder where a file was expected."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(errno.EINVAL, f"not a regular file (it is {kind})", str(path))
        self.kind = kind


class FileTooLarge(OSError):
    """More bytes than the caller's cap: refused without reading the rest."""

    def __init__(self, path: Path, limit: int) -> None:
        super().__init__(errno.EFBIG, f"too large (over {_size(limit)})", str(path))
        self.limit = limit


def _size(limit: int) -> str:
    if limit >= 1_000_000:
        return f"{limit / 1_000_000:g} MB"
    if limit >= 1_000:
        return f"{limit / 1_000:g} kB"
    return f"{limit} bytes"


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


def read_regular(path: Path, limit: int) -> bytes:
    """The whole content of the regular file at ``path`` (symlinks followed),
    at most ``limit`` bytes. Raises :class:`NotARegularFile`,
    :class:`FileTooLarge`, or the :class:`OSError` that ``open`` raised."""
    fd = os.open(path, _FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(path, _kind(info.st_mode))
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
