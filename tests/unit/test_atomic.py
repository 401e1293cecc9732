"""Atomic replacement: old or new content, never half, and no litter."""

from __future__ import annotations

import errno
import os
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach.core import atomic


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
