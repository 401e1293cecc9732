"""read_regular refuses what would hang or exhaust memory, and reads the rest."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

from coach.core.safe_io import FileTooLarge, NotARegularFile, read_regular

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX special files")


def test_reads_a_regular_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 1000)
    assert read_regular(path, 1000) == b"x" * 1000


def test_refuses_a_file_over_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"x" * 1001)
    with pytest.raises(FileTooLarge, match="too large"):
        read_regular(path, 1000)


@posix_only
def test_a_fifo_with_no_writer_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "routine.yaml"
    os.mkfifo(fifo)
    with pytest.raises(NotARegularFile, match="a pipe"):
        read_regular(fifo, 1000)


@posix_only
def test_a_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "settings.json"
    link.symlink_to("/dev/zero")
    with pytest.raises(NotARegularFile, match="a device"):
        read_regular(link, 1000)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        read_regular(tmp_path, 1000)


@posix_only
def test_a_socket_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(OSError):
            read_regular(path, 1000)


def test_missing_file_raises_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "nothing", 10)
