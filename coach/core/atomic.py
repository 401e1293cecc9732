"""Replace a file so that a crash, a kill or a power cut leaves either the old
content or the new one, never a half-written file.

The new content goes to a temporary file in the same directory (so the final
``os.replace`` is a same-filesystem rename, which is atomic), is flushed to
disk, and only then renamed over the target. The directory is synced as well,
because on POSIX the rename itself is only durable once the directory entry is.
Nothing of the old file (mode, owner, extended attributes) is carried over.
Errors are raised as :class:`OSError`; turning them into a message is the
caller's job, because only the caller knows what the file was for.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

_TEMP_SUFFIX = ".tmp"


def _temp_prefix(path: Path) -> str:
    # Hidden and named after the target, so leftovers are easy to recognise and
    # can never be mistaken for the real file by anything that reads it.
    return f".{path.name}."


def atomic_write_bytes(path: Path, data: bytes) -> None:
    directory = path.parent
    fd, temp_name = tempfile.mkstemp(dir=directory, prefix=_temp_prefix(path),
                                     suffix=_TEMP_SUFFIX)
    try:
        with open(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_directory(directory)


def atomic_write_text(path: Path, text: str) -> None:
    """UTF-8, with newlines written exactly as given, so the file is the same
    bytes on every platform."""
    atomic_write_bytes(path, text.encode("utf-8"))


def remove_leftovers(path: Path, older_than: datetime) -> None:
    """Best-effort removal of temporary files left by writes that were killed
    before their rename. Only files older than ``older_than`` are touched, so a
    write in progress in another process is never pulled from under it."""
    cutoff = older_than.timestamp()
    prefix = _temp_prefix(path)
    with contextlib.suppress(OSError):
        for candidate in path.parent.iterdir():
            name = candidate.name
            if name.startswith(prefix) and name.endswith(_TEMP_SUFFIX):
                with contextlib.suppress(OSError):
                    if candidate.lstat().st_mtime < cutoff:
                        candidate.unlink()


def _fsync_directory(directory: Path) -> None:
    if os.name == "nt":
        # Windows cannot open a directory for syncing; NTFS journals the rename.
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as error:
        # Some filesystems (certain network and FUSE mounts) refuse to sync a
        # directory at all. The new content is already in place by then, so
        # reporting the save as failed would be false and would recur forever.
        if error.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def aside_path(path: Path, now: datetime) -> Path:
    """A free name to move an unusable file to, ``<name>.corrupt-<UTC stamp>``,
    so it is kept for the user (or a bug report) instead of being overwritten."""
    stamp = now.astimezone(timezone.utc).strftime("%Y%m%d-%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    attempt = 1
    while os.path.lexists(target):
        attempt += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{attempt}")
    return target
