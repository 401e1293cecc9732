"""Diary screen and report benchmark: a 10,000-episode diary, timed the way
the person meets it.

(a) Opening the history view: reading the diary (episodes and routine
    sessions), ``HistoryScreen.show_data`` and the first paint of the screen,
    on the offscreen platform with the night theme's stylesheet. "First open"
    also builds the screen; "again" re-fills and re-shows one already built,
    as the app does on every later visit. Target: 150 ms.
(b) The PDF report of the whole diary, as ``cramp-coach export report.pdf``
    writes it (open the diary, read it and the settings, lay out, write).
    Target: 1 s.

Each is repeated and the median and best are printed, with a baseline from
the same run (an empty HistoryScreen's first paint) so the figures can be
read as ratios on a noisy machine. The diary is filled through the public API
on a RAM disk when there is one (/dev/shm), since each save waits for the disk.

    python benchmarks/diary.py [--episodes 10000] [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

from coach.app.diary import insights_for
from coach.core import paths
from coach.core.diary import TRIGGERS, Diary, Episode, RoutineSession
from coach.core.reminders import BEDTIME_ROUTINE
from coach.core.settings import Settings
from coach.core.timezones import local_zone
from coach.export_cli import export_file
from coach.ui import theme
from coach.ui.history_screen import HistoryScreen

OPEN_TARGET_MS = 150.0
PDF_TARGET_MS = 1000.0
SIZE = (1100, 760)
NOTES = ("", "", "woke at 3", "after a long walk", "Судорога ночью, долго 😖",
         "Crampe au mollet — très forte")


def sample_episode(rng: random.Random, started: datetime) -> Episode:
    long = rng.random() < 0.01
    return Episode(
        started=started, duration_s=rng.uniform(660, 900) if long else rng.uniform(15, 240),
        place=rng.choice(["calf", "calf", "foot", "thigh-back"]),
        side=rng.choice(["left", "right", "both", "unknown"]),
        severity=rng.choice([None, *range(11)]),
        triggers=frozenset(rng.sample(TRIGGERS, rng.randrange(3))),
        symptoms=frozenset(["numbness"]) if rng.random() < 0.01 else frozenset(),
        notes=rng.choice(NOTES))


def fill(path: Path, episodes: int, now: datetime) -> None:
    """Episodes every five hours or so back from yesterday (years of them),
    and a bedtime routine on most of the last 60 evenings."""
    rng = random.Random(1)
    with Diary.open(path) as diary:
        for n in range(episodes):
            diary.add_episode(sample_episode(
                rng, now - timedelta(days=1, hours=5 * n, minutes=rng.randrange(120))))
        for day in range(60):
            diary.add_routine_session(RoutineSession(
                started=now - timedelta(days=day, hours=2), routine_id=BEDTIME_ROUTINE,
                routine_title="Bedtime stretch", completed=rng.random() < 0.85,
                duration_s=300.0))


class Painted(QObject):
    """Notes a paint event on one widget."""

    def __init__(self, target: QWidget) -> None:
        super().__init__()
        self.seen = False
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.seen = True
        return False


def show_and_paint(app: QApplication, screen: QWidget) -> None:
    """Show the screen and return once the event loop has drawn it: the paint
    is seen on the list's viewport, and processEvents returns only after the
    whole window's repaint has been done."""
    watcher = Painted(screen.table.viewport() if isinstance(screen, HistoryScreen)
                      and screen.model.rowCount() else screen)
    screen.show()
    while not watcher.seen:
        app.processEvents()


def timed(label: str, action: Callable[[], object], runs: int,
          target_ms: float | None = None, baseline_ms: float | None = None,
          prepare: Callable[[], object] | None = None) -> float:
    """Time ``action`` (not ``prepare``, which runs before each timing)."""
    times = []
    for _ in range(runs):
        if prepare is not None:
            prepare()
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    median = statistics.median(times)
    line = f"  {label:<44} median {median:8.1f} ms   best {min(times):8.1f} ms"
    if baseline_ms:
        line += f"   {median / baseline_ms:5.1f}x baseline"
    if target_ms is not None:
        line += f"   target <= {target_ms:.0f} ms: {'PASS' if median <= target_ms else 'FAIL'}"
    print(line, flush=True)
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    ram = Path("/dev/shm")
    with tempfile.TemporaryDirectory(dir=ram if ram.is_dir() else None) as home:
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            os.environ[name] = str(Path(home) / name.lower())
        now = datetime.now(timezone.utc)
        began = time.perf_counter()
        fill(paths.diary_file(), args.episodes, now)
        print(f"{args.episodes} episodes and 60 routine sessions saved in "
              f"{time.perf_counter() - began:.1f} s ({paths.diary_file().parent})")

        app = QApplication(sys.argv[:1])
        app.setStyleSheet(theme.stylesheet(theme.NIGHT))
        app.setProperty("theme", theme.NIGHT.name)
        zone = local_zone()
        today = now.astimezone(zone).date()
        diary = Diary.open(paths.diary_file())
        screens: list[HistoryScreen] = []

        def fill_screen(screen: HistoryScreen) -> None:
            episodes = diary.episodes()
            sessions = diary.routine_sessions()
            findings = insights_for(episodes, sessions, zone=zone, today=today,
                                    settings=Settings())
            screen.show_data(episodes, findings, zone=zone, seen_flags=frozenset())

        def new_screen() -> HistoryScreen:
            screen = HistoryScreen()
            screen.resize(*SIZE)
            screens.append(screen)
            return screen

        def empty_first_paint() -> None:
            show_and_paint(app, new_screen())

        def first_open() -> None:
            screen = new_screen()
            fill_screen(screen)
            show_and_paint(app, screen)

        kept = new_screen()
        fill_screen(kept)
        show_and_paint(app, kept)

        def hide_kept() -> None:
            kept.hide()
            app.processEvents()

        def open_again() -> None:
            fill_screen(kept)
            show_and_paint(app, kept)

        def read_only() -> None:
            diary.episodes()
            diary.routine_sessions()

        def tidy() -> None:
            for screen in screens[1:]:
                screen.close()
                screen.deleteLater()
            del screens[1:]
            app.processEvents()

        print(f"\n(a) opening the history view, {args.runs} runs each, window {SIZE[0]}x{SIZE[1]}")
        baseline = timed("baseline: empty HistoryScreen, first paint", empty_first_paint,
                         args.runs)
        tidy()
        timed("reading the diary only", read_only, args.runs, baseline_ms=baseline)
        timed("first open: build, read, fill, paint", first_open, args.runs, OPEN_TARGET_MS,
              baseline)
        tidy()
        timed("again: read, fill, paint (screen built)", open_again, args.runs,
              OPEN_TARGET_MS, baseline, prepare=hide_kept)
        diary.close()

        report = Path(home) / "report.pdf"
        count = export_file(report, force=True)
        print(f"\n(b) the PDF report ({count} episodes in its 12 weeks, "
              f"{report.stat().st_size // 1024} KiB), {args.runs} runs")
        timed("PDF export: open, read, lay out, write", lambda: export_file(report, force=True),
              args.runs, PDF_TARGET_MS, baseline)
        timed("for comparison: CSV export of every episode",
              lambda: export_file(Path(home) / "diary.csv", force=True), args.runs)
        kept.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
