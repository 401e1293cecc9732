"""What every file the app keeps has in common: leftovers of killed writes are
cleared at start, and a pipe or a device in a file's place is left alone
instead of hanging the app or filling its memory."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import coach
from coach.core.atomic import STALE_TEMP_AGE
from coach.core.notices import Notices
from coach.core.reminders import ReminderStateStore
from coach.core.schedule import NightState
from coach.core.settings import Settings, SettingsStore
from tests.fakes.clock import FakeClock

ROOT = Path(coach.__file__).resolve().parents[1]
NOW = FakeClock().wall()




def age(path: Path, by: timedelta, now: datetime = NOW) -> Path:
    stamp = (now - by).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def leftovers(target: Path, now: datetime = NOW) -> tuple[Path, Path]:
    """An old temporary file (a killed write) and a fresh one (possibly another
    process's write in progress), named as atomic writes name them."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.parent / f".{target.name}.k1ll3d.tmp"
    fresh = target.parent / f".{target.name}.w0rk1n.tmp"
    for path in (old, fresh):
        path.write_text("partial")
    age(old, STALE_TEMP_AGE + timedelta(minutes=1), now)
    age(fresh, timedelta(minutes=1), now)
    return old, fresh


# -- stale temporary files ---------------------------------------------------------


def test_the_settings_store_clears_old_leftovers_when_it_loads(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    old, fresh = leftovers(target)
    unrelated = tmp_path / ".other.json.k1ll3d.tmp"
    unrelated.touch()
    age(unrelated, timedelta(days=2))
    assert SettingsStore(target, Notices(), FakeClock()).load() == Settings()
    assert not old.exists()
    assert fresh.exists() and unrelated.exists()


def test_the_reminder_store_clears_old_leftovers_when_it_loads(tmp_path: Path) -> None:
    target = tmp_path / "reminders.json"
    old, fresh = leftovers(target)
    assert ReminderStateStore(target, Notices(), FakeClock()).load() == NightState()
    assert not old.exists() and fresh.exists()


# -- a pipe or a device where the file should be ----------------------------------

SPECIAL_CHILD = """
import json, sys
from pathlib import Path
from tests.fakes.clock import FakeClock
from coach.core.notices import Notices
from coach.core.reminders import ReminderStateStore
from coach.core.schedule import NightState
from coach.core.settings import Settings, SettingsStore

kind, path = sys.argv[1], Path(sys.argv[2])
notices = Notices()
if kind == "settings":
    store = SettingsStore(path, notices, FakeClock())
    loaded = store.load() == Settings()
    saved = [store.save(Settings(theme="day")), store.update(voice=True).voice is True]
else:
    store = ReminderStateStore(path, notices, FakeClock())
    loaded = store.load() == NightState()
    saved = [store.save(NightState())]
print(json.dumps({"defaults": loaded, "read_only": store.read_only, "saved": saved,
                  "notices": [n.text for n in notices.pending()]}))
"""


def _bounded() -> None:
    """In the child: a read that never ends fails fast instead of taking the
    machine's memory or the suite's time."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (512 * 2**20, 512 * 2**20))
    resource.setrlimit(resource.RLIMIT_CPU, (20, 20))


def fifo(path: Path) -> None:
    os.mkfifo(path)


def dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"),
                    reason="needs POSIX pipes and /dev/zero")
@pytest.mark.parametrize("kind", ["settings", "reminders"])
@pytest.mark.parametrize("make", [fifo, dev_zero], ids=["fifo", "symlink-to-dev-zero"])
def test_a_special_file_is_refused_and_left_alone(tmp_path: Path, kind: str,
                                                  make: object) -> None:
    folder = tmp_path / "state"
    folder.mkdir()
    path = folder / f"{kind}.json"
    assert callable(make)
    make(path)
    before = os.lstat(path)
    result = subprocess.run(
        [sys.executable, "-c", SPECIAL_CHILD, kind, str(path)], capture_output=True,
        text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=30,
        preexec_fn=_bounded, check=False)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["defaults"] and report["read_only"]
    assert not any(report["saved"][:1])
    assert len(report["notices"]) == 1, report["notices"]
    assert "not a regular file" in report["notices"][0] and str(path) in report["notices"][0]
    after = os.lstat(path)
    assert (after.st_ino, after.st_mode, after.st_mtime_ns) == (
        before.st_ino, before.st_mode, before.st_mtime_ns)
    assert stat.S_ISFIFO(after.st_mode) or os.readlink(path) == "/dev/zero"
    assert sorted(p.name for p in folder.iterdir()
                  if not p.name.endswith(".lock")) == [path.name]
