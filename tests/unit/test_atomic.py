"""Atomic replacement: old or new content, never half, and no litter."""

from __future__ import annotations

import ctypes
import errno
import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import coach
from coach.core import atomic
from coach.core.safe_io import NotARegularFile

ROOT = Path(coach.__file__).resolve().parents[1]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of its own: tmp_path also holds the isolated home."""
    path = tmp_path / "folder"
    path.mkdir()
    return path


def test_replaces_the_content_and_leaves_no_temporary_file(folder: Path) -> None:
    target = folder / "file.json"
    target.write_text("old")
    atomic.atomic_write_text(target, "new ✓\n")
    assert target.read_bytes() == "new ✓\n".encode()
    assert [p.name for p in folder.iterdir()] == ["file.json"]


def test_creates_a_missing_file(tmp_path: Path) -> None:
    atomic.atomic_write_bytes(tmp_path / "fresh.bin", b"\x00\x01")
    assert (tmp_path / "fresh.bin").read_bytes() == b"\x00\x01"


def test_a_failed_replace_cleans_up_and_leaves_the_old_file(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = folder / "file.json"
    target.write_text("old")

    def fail(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="No space"):
        atomic.atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in folder.iterdir()] == ["file.json"]


def test_a_missing_directory_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        atomic.atomic_write_text(tmp_path / "absent" / "file.json", "x")


def test_the_file_and_its_directory_are_synced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[tuple[bool, int]] = []
    real_fsync = os.fsync

    def record(fd: int) -> None:
        status = os.fstat(fd)
        synced.append((stat.S_ISDIR(status.st_mode), status.st_size))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", record)
    atomic.atomic_write_text(tmp_path / "file.json", "new")
    # The file first, already holding all its bytes; then (POSIX) its folder.
    expected = [(False, 3)] if os.name == "nt" else [(False, 3), (True, synced[-1][1])]
    assert synced == expected


def test_a_directory_that_cannot_be_synced_does_not_fail_the_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_fsync = os.fsync
    calls = 0

    def refuse_second(fd: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError(errno.EINVAL, "Invalid argument")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", refuse_second)
    atomic.atomic_write_text(tmp_path / "file.json", "new")
    assert (tmp_path / "file.json").read_text() == "new"


def test_only_old_leftovers_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "file.json"
    target.write_text("{}")
    old = tmp_path / ".file.json.abc123.tmp"
    fresh = tmp_path / ".file.json.def456.tmp"
    unrelated = tmp_path / ".other.json.xyz.tmp"
    now = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)
    for leftover, age in ((old, timedelta(days=2)), (fresh, timedelta(0)),
                          (unrelated, timedelta(days=2))):
        leftover.write_text("partial")
        stamp = (now - age).timestamp()
        os.utime(leftover, (stamp, stamp))
    atomic.remove_leftovers(target, now - timedelta(hours=1))
    assert not old.exists()
    assert fresh.exists() and unrelated.exists() and target.exists()


def test_removing_leftovers_in_a_missing_folder_is_harmless(tmp_path: Path) -> None:
    atomic.remove_leftovers(tmp_path / "absent" / "file.json", datetime.now(timezone.utc))


# -- what happens to the file being replaced --------------------------------------


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    real_folder, link_folder = tmp_path / "dotfiles", tmp_path / "config"
    real_folder.mkdir()
    link_folder.mkdir()
    target = real_folder / "settings.json"
    target.write_text("old")
    link = link_folder / "settings.json"
    link.symlink_to(target)

    atomic.atomic_write_text(link, "new")

    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new"
    # The temporary file was made (and renamed) beside the target.
    assert sorted(p.name for p in link_folder.iterdir()) == ["settings.json"]
    assert sorted(p.name for p in real_folder.iterdir()) == ["settings.json"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_link_to_a_pipe_is_refused_and_the_pipe_left_as_it_is(tmp_path: Path) -> None:
    """As root, renaming over a link's target that is a device would have
    put a file where /dev/zero was (the review's case); a FIFO stands in."""
    (folder := tmp_path / "cache").mkdir()
    pipe = folder / "pipe"
    os.mkfifo(pipe)
    link = folder / "content.pickle"
    link.symlink_to(pipe)
    with pytest.raises(NotARegularFile) as refused:
        atomic.atomic_write_bytes(link, b"new")
    assert refused.value.kind == "a pipe"
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode) and link.is_symlink()
    assert sorted(p.name for p in folder.iterdir()) == ["content.pickle", "pipe"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_dangling_symlink_gets_its_target_created(tmp_path: Path) -> None:
    link = tmp_path / "settings.json"
    link.symlink_to(tmp_path / "elsewhere.json")
    atomic.atomic_write_text(link, "new")
    assert link.is_symlink() and (tmp_path / "elsewhere.json").read_text() == "new"


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
@pytest.mark.parametrize("mode", [0o640, 0o604])
def test_the_mode_of_the_replaced_file_is_kept(folder: Path, mode: int) -> None:
    target = folder / "file.json"
    target.write_text("old")
    target.chmod(mode)
    atomic.atomic_write_text(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == mode


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_a_new_file_is_private(folder: Path) -> None:
    atomic.atomic_write_text(folder / "file.json", "new")
    assert stat.S_IMODE((folder / "file.json").stat().st_mode) == 0o600


@pytest.mark.parametrize("mode", [0o444, 0o400])
def test_a_read_only_file_is_not_replaced(folder: Path, mode: int) -> None:
    # Decided by the mode bits, so it holds for root too (root may write anything).
    target = folder / "file.json"
    target.write_text("old")
    target.chmod(mode)
    with pytest.raises(atomic.ReadOnlyFile) as caught:
        atomic.atomic_write_text(target, "new")
    assert isinstance(caught.value, PermissionError)
    assert caught.value.filename == str(target)
    assert target.read_text() == "old"
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert [p.name for p in folder.iterdir()] == ["file.json"]


NOBODY = 65534
AS_ANOTHER_USER = """
import sys
from pathlib import Path
from coach.core import atomic
try:
    atomic.atomic_write_text(Path(sys.argv[1]), "new")
except PermissionError as error:
    print(type(error).__name__)
else:
    print("REPLACED")
"""


def _drop_file_mode_override() -> None:
    """Runs in the child between fork and exec: root without CAP_DAC_OVERRIDE
    and CAP_DAC_READ_SEARCH is bound by file modes like any user. (Becoming
    nobody would not do here: the interpreter lives under /root.)"""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


@pytest.mark.skipif(not sys.platform.startswith("linux") or os.geteuid() != 0,
                    reason="needs root on Linux, to run a child bound by file modes")
def test_a_file_someone_else_owns_is_not_replaced_even_where_the_folder_allows_it(
        tmp_path: Path) -> None:
    # Anyone may rename files in this folder, so os.replace alone would swap
    # out a file this process may not write: the write must refuse first.
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    target = shared / "settings.json"
    target.write_text("nobody's")
    target.chmod(0o644)
    os.chown(target, NOBODY, NOBODY)
    try:
        result = subprocess.run(
            [sys.executable, "-c", AS_ANOTHER_USER, str(target)], capture_output=True,
            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60,
            preexec_fn=_drop_file_mode_override, check=False)
    except subprocess.SubprocessError as error:
        pytest.skip(f"cannot start a child bound by file modes: {error}")
    assert result.stdout.strip() == "ReadOnlyFile", result.stderr
    assert target.read_text() == "nobody's"
    assert target.stat().st_uid == NOBODY
    assert [p.name for p in shared.iterdir()] == ["settings.json"]


# -- the lock and the leftovers -------------------------------------------------------


@pytest.mark.skipif(os.name == "nt", reason="flock is POSIX")
def test_the_lock_excludes_every_other_holder_until_released(folder: Path) -> None:
    import fcntl

    target = folder / "settings.json"
    with atomic.locked(target):
        assert atomic.lock_path(target) == folder / "settings.json.lock"
        # Another open file description: what another process would have.
        with open(atomic.lock_path(target), "rb") as other, pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with open(atomic.lock_path(target), "rb") as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again


class HeldElsewhere:
    """The lock taken through another open file description, as another
    process would hold it; ``sleep`` is the waiting side's, and lets go after
    ``polls`` waits (never, when None), advancing a fake monotonic clock."""

    def __init__(self, target: Path, polls: int | None) -> None:
        import fcntl

        self.other = open(atomic.lock_path(target), "wb")  # noqa: SIM115 (closed in sleep)
        fcntl.flock(self.other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.polls, self.slept, self.now = polls, 0, 100.0

    def sleep(self, seconds: float) -> None:
        self.slept += 1
        self.now += seconds
        if self.slept == self.polls:
            self.other.close()  # closing releases the lock

    def monotonic(self) -> float:
        return self.now


@pytest.mark.skipif(os.name == "nt", reason="flock is POSIX")
def test_a_lock_held_elsewhere_is_waited_for_within_a_bound(folder: Path) -> None:
    """A stuck holder (a hung copy of the app, a frozen network folder) used
    to freeze the window that was saving for ever; now the save gives up."""
    target = folder / "settings.json"
    held = HeldElsewhere(target, polls=None)
    try:
        with pytest.raises(atomic.LockTimeout) as raised, \
                atomic.locked(target, 2.0, held.sleep, held.monotonic):
            pytest.fail("the lock was taken while another held it")
    finally:
        held.other.close()
    assert raised.value.errno == errno.ETIMEDOUT
    assert isinstance(raised.value, OSError)  # so every save's failure path reports it
    assert "over 2 s" in atomic.plain_reason(raised.value)
    assert 102.0 <= held.now < 102.1  # gave up at the bound, not before, not long after


@pytest.mark.skipif(os.name == "nt", reason="flock is POSIX")
def test_a_holder_that_lets_go_in_time_is_waited_for(folder: Path) -> None:
    target = folder / "settings.json"
    held = HeldElsewhere(target, polls=3)
    entered = False
    with atomic.locked(target, 2.0, held.sleep, held.monotonic):
        entered = True
    assert entered and held.slept == 3


@pytest.mark.skipif(os.name == "nt", reason="flock is POSIX")
def test_the_lock_is_not_reentrant_and_says_so_rather_than_hang(folder: Path) -> None:
    target = folder / "settings.json"
    with atomic.locked(target), pytest.raises(atomic.LockTimeout), \
            atomic.locked(target, wait_s=0):
        pytest.fail("the lock was taken twice")


def test_taking_the_lock_in_a_missing_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError), atomic.locked(tmp_path / "absent" / "file.json"):
        pass


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_leftovers_are_looked_for_beside_a_symlinks_target(tmp_path: Path) -> None:
    real_folder = tmp_path / "dotfiles"
    real_folder.mkdir()
    (real_folder / "real.json").write_text("{}")
    link = tmp_path / "settings.json"
    link.symlink_to(real_folder / "real.json")
    leftover = real_folder / ".real.json.abc123.tmp"
    leftover.write_text("partial")
    old = datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp()
    os.utime(leftover, (old, old))
    atomic.remove_leftovers(link, datetime(2026, 1, 5, tzinfo=timezone.utc))
    assert not leftover.exists()


def test_moving_aside_never_replaces_a_file_kept_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two launches setting the same damaged file aside in the same second:
    the second took the name the first had just checked was free, and its
    rename put an empty diary over the damaged original (an audit's race,
    played here by a name taken between the look and the move)."""
    damaged = tmp_path / "diary.sqlite3"
    damaged.write_bytes(b"second launch's file")
    now = datetime(2026, 11, 30, 15, 22, 27, tzinfo=timezone.utc)
    first = atomic.aside_path(damaged, now)
    looked = atomic.aside_path
    answers = iter([first])

    def racing(path: Path, moment: datetime) -> Path:
        name = next(answers, None) or looked(path, moment)
        if name == first and not first.exists():
            first.write_bytes(b"first launch's file")  # taken after the look
        return name

    monkeypatch.setattr(atomic, "aside_path", racing)
    kept = atomic.move_aside(damaged, now)
    assert kept.name == f"{first.name}-2" and not damaged.exists()
    assert first.read_bytes() == b"first launch's file"
    assert kept.read_bytes() == b"second launch's file"


def test_a_folder_is_moved_aside_where_it_cannot_be_linked(tmp_path: Path) -> None:
    folder = tmp_path / "settings.json"
    (folder / "inside").mkdir(parents=True)
    kept = atomic.move_aside(folder, datetime(2026, 11, 30, tzinfo=timezone.utc))
    assert (kept / "inside").is_dir() and not folder.exists()
