"""When the file is damaged, busy or read-only, or the app is killed mid-write.

Read-only cases need the kernel to refuse a write. As root it never does,
because CAP_DAC_OVERRIDE bypasses file modes, so those cases run the diary in
a child process: when the tests run as root, the child drops CAP_DAC_OVERRIDE
and CAP_DAC_READ_SEARCH from its bounding set before exec, which leaves a root
process bound by file modes like any user. Opening SQLite with ``mode=ro``
would not test the same thing: it skips the path the app takes when the file
or folder itself cannot be written. The child first checks that it really
cannot write, and the test is skipped if it can (e.g. no CAP_SETPCAP).
"""

from __future__ import annotations

import ctypes
import os
import random
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import coach
from coach.core.diary import LATEST_VERSION, Diary, DiaryError, Episode, migrate
from tests.fakes.clock import FakeClock

ROOT = Path(coach.__file__).resolve().parent.parent
T0 = datetime(2026, 1, 5, 2, 30, tzinfo=timezone.utc)
CLOCK_STAMP = "20260105-120000Z"  # FakeClock's default wall time, in UTC


def episode(n: int, notes: str = "") -> Episode:
    return Episode(started=T0 + timedelta(minutes=n), duration_s=60.0 + n, place="calf",
                   side="right", notes=notes or f"entry {n} ✓")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


def filled(path: Path, count: int, notes: str = "") -> list[Episode]:
    with Diary.open(path) as opened:
        return [opened.add_episode(episode(n, notes)) for n in range(count)]


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}


# -- damaged files ----------------------------------------------------------


def random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(20_000))


def truncated(path: Path) -> None:
    filled(path, 40, notes="x" * 3000)
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def bad_freelist_count(path: Path) -> None:
    """Opens and reads, but ``quick_check`` reports a problem instead of raising."""
    filled(path, 3)
    with path.open("r+b") as handle:
        handle.seek(36)
        handle.write((7).to_bytes(4, "big"))


@pytest.mark.parametrize("damage", [random_bytes, truncated, bad_freelist_count])
def test_a_damaged_diary_is_moved_aside_and_a_fresh_one_started(
        folder: Path, damage: Callable[[Path], object]) -> None:
    path = folder / "diary.sqlite3"
    damage(path)
    damaged = path.read_bytes()

    with Diary.open(path, clock=FakeClock()) as opened:
        kept = folder / f"diary.sqlite3.corrupt-{CLOCK_STAMP}"
        assert opened.notice is not None
        assert "damaged" in opened.notice
        assert str(kept) in opened.notice
        assert kept.read_bytes() == damaged
        assert opened.episodes() == []
        stored = opened.add_episode(episode(1))

    with Diary.open(path) as reopened:
        assert reopened.notice is None
        assert reopened.episodes() == [stored]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    conn.close()


def test_damaged_files_moved_aside_in_the_same_second_keep_distinct_names(
        folder: Path) -> None:
    path = folder / "diary.sqlite3"
    for round_number in (1, 2):
        path.write_bytes(b"not a diary %d" % round_number * 100)
        with Diary.open(path, clock=FakeClock()) as opened:
            assert opened.notice is not None
    first = folder / f"diary.sqlite3.corrupt-{CLOCK_STAMP}"
    second = folder / f"diary.sqlite3.corrupt-{CLOCK_STAMP}-2"
    assert first.read_bytes() == b"not a diary 1" * 100
    assert second.read_bytes() == b"not a diary 2" * 100
    assert str(second) in (opened.notice or "")


# -- locked -----------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("through_a_link", [False, True], ids=["in place", "linked"])
def test_a_pipe_or_folder_in_place_of_the_diary_is_named_and_left(
        folder: Path, tmp_path: Path, through_a_link: bool) -> None:
    """SQLite said only "disk I/O error", and beside a link to /dev/zero it
    made /dev/zero-journal (an audit's case, as root)."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    pipe = (elsewhere if through_a_link else folder) / "diary.sqlite3"
    os.mkfifo(pipe)
    if through_a_link:
        (folder / "diary.sqlite3").symlink_to(pipe)
    before = sorted(p.name for p in elsewhere.iterdir()), sorted(p.name for p in folder.iterdir())
    with pytest.raises(DiaryError) as refused:
        Diary.open(folder / "diary.sqlite3")
    assert "is a pipe, not a regular file" in str(refused.value)
    assert (sorted(p.name for p in elsewhere.iterdir()),
            sorted(p.name for p in folder.iterdir())) == before


def test_opening_while_another_program_holds_the_write_lock_fails_clearly(
        folder: Path) -> None:
    path = folder / "diary.sqlite3"
    stored = filled(path, 2)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DiaryError, match="in use by another program"):
            Diary.open(path, busy_timeout_s=0)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [p.name for p in folder.iterdir() if ".corrupt-" in p.name] == []
    with Diary.open(path) as opened:
        assert opened.episodes() == stored[::-1]


def test_a_rollback_journal_diary_locked_for_reading_is_not_taken_for_damaged(
        folder: Path) -> None:
    # Before WAL (e.g. a diary built by an old version), an exclusive lock
    # stops even reads; that must not look like a damaged file.
    path = folder / "diary.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, 1)
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("INSERT INTO routine_sessions (started, routine_id, routine_title, completed, "
                 "duration_s) VALUES ('2026-01-05T21:00:00.000000+00:00', 'b', 'B', 1, 1)")
    try:
        with pytest.raises(DiaryError, match="in use by another program"):
            Diary.open(path, busy_timeout_s=0)
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    assert [p.name for p in folder.iterdir()] == ["diary.sqlite3"]


def test_saving_while_another_program_holds_the_write_lock_fails_clearly(
        folder: Path) -> None:
    path = folder / "diary.sqlite3"
    with Diary.open(path, busy_timeout_s=0) as opened:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(DiaryError, match="in use by another program"):
                opened.add_episode(episode(1))
            assert opened.episodes() == []  # WAL: reading still works
        finally:
            other.execute("ROLLBACK")
            other.close()
        stored = opened.add_episode(episode(2))
        assert opened.episodes() == [stored]


# -- read-only --------------------------------------------------------------

READ_ONLY_CHILD = """
import os, sys, tempfile
from pathlib import Path
from coach.core.diary import Diary, DiaryError
path, locked = Path(sys.argv[1]), Path(sys.argv[2])
try:
    if locked.is_dir():
        tempfile.TemporaryFile(dir=locked).close()
    else:
        open(locked, "r+b").close()
except OSError:
    pass
else:
    print("CAN-WRITE")
    sys.exit()
try:
    Diary.open(path, busy_timeout_s=0).close()
except DiaryError as error:
    print("DiaryError:", error)
else:
    print("OPENED")
"""


def _drop_file_mode_override() -> None:
    """Runs in the child between fork and exec (root only)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def open_without_write_access(path: Path, locked: Path) -> str:
    as_root = os.geteuid() == 0
    try:
        result = subprocess.run(
            [sys.executable, "-c", READ_ONLY_CHILD, str(path), str(locked)], capture_output=True,
            text=True, env=child_env(), timeout=60,
            preexec_fn=_drop_file_mode_override if as_root else None)
    except subprocess.SubprocessError as error:
        pytest.skip(f"cannot start a child without write access: {error}")
    output = result.stdout.strip()
    if output == "CAN-WRITE":
        pytest.skip("file modes do not stop this process from writing")
    assert result.returncode == 0, result.stderr
    return output


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX file modes")
@pytest.mark.parametrize("case", ["read-only file", "read-only folder, no diary yet",
                                  "read-only folder, existing diary"])
def test_a_read_only_diary_or_folder_gives_a_clear_error(folder: Path, case: str) -> None:
    path = folder / "diary.sqlite3"
    if case != "read-only folder, no diary yet":
        stored = filled(path, 2)
    locked = path if case == "read-only file" else folder
    mode = locked.stat().st_mode
    locked.chmod(0o444 if locked == path else 0o555)
    try:
        output = open_without_write_access(path, locked)
    finally:
        locked.chmod(mode)
    assert output.startswith("DiaryError: Cramp Coach can't save your diary because the file "
                             "or its folder is read-only"), output
    assert str(path) in output
    if case != "read-only folder, no diary yet":
        with Diary.open(path) as opened:
            assert opened.episodes() == stored[::-1]


# -- killed mid-write -------------------------------------------------------

WRITER_CHILD = """
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from coach.core.diary import Diary, Episode
diary = Diary.open(Path(sys.argv[1]))
start = datetime(2026, 1, 1, 3, tzinfo=timezone.utc)
for n in range(1000):
    stored = diary.add_episode(Episode(started=start + timedelta(minutes=n), duration_s=n,
                                       place="calf", side="left", notes=f"entry {n} ✓"))
    print(stored.id, flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_every_save_reported_before_kill_9_is_still_there(folder: Path) -> None:
    path = folder / "diary.sqlite3"
    child = subprocess.Popen([sys.executable, "-c", WRITER_CHILD, str(path)], text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env())
    assert child.stdout is not None
    reported: list[int] = []
    for line in child.stdout:
        reported.append(int(line))
        if len(reported) == 200:
            break
    os.kill(child.pid, signal.SIGKILL)
    rest, errors = child.communicate(timeout=60)
    assert len(reported) == 200, errors
    assert child.returncode == -signal.SIGKILL, "the writer finished before it was killed"
    # Only whole lines: the kill may cut the last one short.
    reported += [int(line) for line in rest.split("\n")[:-1]]

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    with Diary.open(path) as opened:
        saved = {e.id: e for e in opened.episodes()}
    assert set(reported) <= set(saved)
    for number, episode_id in enumerate(reported):
        assert saved[episode_id].notes == f"entry {number} ✓"
