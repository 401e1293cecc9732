"""Replace a file so that a crash, a kill or a power cut leaves either the old
content or the new one, never a half-written file.

The new content goes to a temporary file in the same directory (so the final
``os.replace`` is a same-filesystem rename, which is atomic), is flushed to
disk, and only then renamed over the target. The directory is synced as well,
because on POSIX the rename itself is only durable once the directory entry is.

What happens to the file being replaced, and why:

* **Symlinks are written through.** If the path is a symlink (say a
  ``settings.json`` kept in a dotfiles repository), the link is resolved, the
  temporary file is made beside the link's target and renamed over the target,
  so the link stays a link and the target gets the new content. Renaming over
  the link itself would silently turn it into a regular file and cut it off
  from the file the user meant.
* **The mode is kept.** The replacement gets the permission bits of the file
  it replaces; a new file is private to its owner (0600, from ``mkstemp``),
  since these files hold health notes. Owner, group and extended attributes
  are not carried over.
* **Only a regular file is replaced.** A symlink may lead to a FIFO or a
  device (``/dev/zero``); renaming over it would put a file where the system
  keeps a device, and as root it would succeed. Such a target raises
  :class:`~coach.core.safe_io.NotARegularFile` and is left as it is, as
  reading it is refused (:func:`coach.core.safe_io.read_regular`).
* **A read-only file is not replaced.** A rename needs only write access to
  the folder, so it would quietly override a file that the user (or an
  administrator) made read-only, by ``chmod a-w`` or because it belongs to
  someone else. Such a file raises :class:`ReadOnlyFile` (a
  :class:`PermissionError`, the error a plain write would give) and is left
  as it is: someone chose to freeze it, and only they know why. "Read-only"
  means no write bit at all, or no write access for this process, so the rule
  holds for root too.

Temporary files are named ``.<name>.<random>.tmp``; :func:`remove_leftovers`
clears those a killed write left behind. :func:`locked` serialises
read-modify-write cycles between processes with an advisory lock on a
``<name>.lock`` file beside the path (never deleted: removing a lock file while
another process waits on it would let two writers in at once).

Errors are raised as :class:`OSError`; turning them into a message is the
caller's job, because only the caller knows what the file was for.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

from coach.core.i18n import _
from coach.core.safe_io import NotARegularFile, file_kind

_TEMP_SUFFIX = ".tmp"
LOCK_WAIT_S = 5.0
"""How long a save waits for another of our processes to finish with the
file. Ours hold it for milliseconds, so a holder past this is stuck (a hung
copy, a frozen network folder), and the save gives up and says so rather
than freeze the window that asked for it."""
_LOCK_POLL_S = 0.05
STALE_TEMP_AGE = timedelta(hours=1)
"""Temporary files older than this are leftovers of a killed write, not a
write still in progress in another process."""


class ReadOnlyFile(PermissionError):
    """The file exists and is read-only, so it was not replaced."""

    def __init__(self, path: Path) -> None:
        super().__init__(errno.EACCES, _("the file is read-only"), str(path))


def _temp_prefix(path: Path) -> str:
    # Hidden and named after the target, so leftovers are easy to recognise and
    # can never be mistaken for the real file by anything that reads it.
    return f".{path.name}."


def _resolved(path: Path) -> Path:
    """The file a write to ``path`` lands in: symlinks followed, even a
    dangling one (the write then creates its target)."""
    return Path(os.path.realpath(path))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    target = _resolved(path)
    try:
        found = os.stat(target).st_mode
    except FileNotFoundError:
        mode: int | None = None
    else:
        if not stat.S_ISREG(found):
            raise NotARegularFile(path, file_kind(found))
        mode = stat.S_IMODE(found)
    if mode is not None and (not mode & 0o222 or not os.access(target, os.W_OK)):
        raise ReadOnlyFile(path)
    directory = target.parent
    fd, temp_name = tempfile.mkstemp(dir=directory, prefix=_temp_prefix(target),
                                     suffix=_TEMP_SUFFIX)
    try:
        with open(fd, "wb") as stream:
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(stream.fileno(), mode)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, target)
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
    before their rename (beside the symlink's target, where they are made).
    Only files older than ``older_than`` are touched, so a write in progress in
    another process is never pulled from under it."""
    cutoff = older_than.timestamp()
    target = _resolved(path)
    prefix = _temp_prefix(target)
    with contextlib.suppress(OSError):
        for candidate in target.parent.iterdir():
            name = candidate.name
            if name.startswith(prefix) and name.endswith(_TEMP_SUFFIX):
                with contextlib.suppress(OSError):
                    if candidate.lstat().st_mtime < cutoff:
                        candidate.unlink()


def lock_path(path: Path) -> Path:
    return path.with_name(f"{path.name}.lock")


class LockTimeout(TimeoutError):
    """Another process held the lock for longer than a save waits."""

    def __init__(self, path: Path, waited_s: float) -> None:
        # Translators: why a file could not be saved; {seconds} is a number.
        super().__init__(errno.ETIMEDOUT, _("another Cramp Coach kept it locked for over "
                                            "{seconds} s").format(seconds=f"{waited_s:g}"),
                         str(path))


@contextlib.contextmanager
def locked(path: Path, wait_s: float = LOCK_WAIT_S,
           sleep: Callable[[float], None] = time.sleep,
           monotonic: Callable[[], float] = time.monotonic) -> Iterator[None]:
    """Hold the exclusive lock for ``path`` while the caller re-reads,
    changes and rewrites it, waiting up to ``wait_s`` for another holder.
    Advisory: it orders our own processes, which is all it has to do. The
    lock is released when the block ends, or by the kernel when a killed
    process's descriptor closes. Not re-entrant: a second ``locked`` on the
    same path in the same process waits for the first, so it ends in
    :class:`LockTimeout` rather than for ever.

    Raises :class:`OSError`: :class:`LockTimeout`, or the lock file could
    not be opened (no folder, a read-only folder; a write there would fail
    the same way)."""
    fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        deadline = monotonic() + wait_s
        while not _try_lock(fd):
            if monotonic() >= deadline:
                raise LockTimeout(lock_path(path), wait_s)
            sleep(_LOCK_POLL_S)
        yield
    finally:
        os.close(fd)  # closing releases the lock


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # one byte, without waiting
        except OSError as error:
            if error.errno in (errno.EACCES, errno.EDEADLK):  # another process holds it
                return False
            raise
        return True
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


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


def move_aside(path: Path, now: datetime) -> Path:
    """Move an unusable file to a free :func:`aside_path` name, and return
    that name. A file kept before is never replaced: two processes setting
    the same file aside in the same second (two launches at once) each get
    a name of their own, where a rename after looking could put the second
    over the first. A hard link claims the name; where there are none (a
    folder, or a FAT drive), a plain rename does."""
    while True:
        target = aside_path(path, now)
        try:
            os.link(path, target, follow_symlinks=False)
        except FileExistsError:
            continue  # taken since aside_path looked
        except OSError:
            os.rename(path, target)
            return target
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass  # the other process moved it too: both names hold it
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(target)
            raise
        return target


def plain_reason(error: OSError) -> str:
    """Why a write failed, in plain words: the system's reason, except that a
    file standing where a folder belongs is named, since the culprit is then
    not the file being written. The messages built on this already name that
    file, so a temporary file's name would only confuse."""
    if isinstance(error, (FileExistsError, NotADirectoryError)) and error.filename:
        path = Path(os.fsdecode(error.filename))
        blocker = next((p for p in (path, *path.parents) if p.exists() and not p.is_dir()),
                       path)
        return _("a file is in the way where a folder is needed: {path}").format(path=blocker)
    return error.strerror or str(error)
