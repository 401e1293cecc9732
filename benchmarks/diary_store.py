"""Diary store benchmark: a 10,000-episode diary, timed the way the UI uses it.

The diary is filled through the public API on a RAM disk when there is one
(/dev/shm), because each save waits for the disk (synchronous=FULL) and 10,000
of those would only time the drive; reads come from the page cache either way.
Save latency is then timed separately on the normal temporary folder. Each
timing is repeated and the median and best are printed; the targets are the
history list and the weekly counts staying well under 50 ms.

    python benchmarks/diary_store.py [--episodes 10000] [--runs 20]
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coach.core import insights
from coach.core.countries import contacts
from coach.core.diary import TRIGGERS, Diary, Episode, RoutineSession
from coach.core.export_csv import write_csv

ZONE = ZoneInfo("Europe/London")
START = datetime(2022, 1, 1, 2, 0, tzinfo=timezone.utc)
TARGET_MS = 50.0


def sample_episode(rng: random.Random, n: int) -> Episode:
    steps = tuple(rng.sample(["flex-foot", "stand-lean", "walk", "massage-calf"],
                             rng.randrange(4)))
    return Episode(
        started=START + timedelta(hours=4 * n, minutes=rng.randrange(120)),
        duration_s=rng.uniform(15, 900), place=rng.choice(["calf", "foot", "thigh-back"]),
        side=rng.choice(["left", "right", "both"]), severity=rng.choice([None, *range(11)]),
        steps_used=steps, helped=steps[-1] if steps else None,
        triggers=frozenset(rng.sample(TRIGGERS, rng.randrange(3))),
        symptoms=frozenset(["numbness"]) if rng.random() < 0.02 else frozenset(),
        notes=rng.choice(["", "woke at 3", "Судорога ночью, долго 😖"]))


def fill(path: Path, episodes: int) -> None:
    rng = random.Random(1)
    with Diary.open(path) as diary:
        for n in range(episodes):
            diary.add_episode(sample_episode(rng, n))
            if n % 6 == 0:
                diary.add_routine_session(RoutineSession(
                    started=START + timedelta(hours=4 * n - 5), routine_id="bedtime",
                    routine_title="Bedtime stretch", completed=rng.random() < 0.9,
                    duration_s=300.0))


def timed(label: str, action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    median = statistics.median(times)
    print(f"  {label:<46} median {median:7.2f} ms   best {min(times):7.2f} ms")
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    ram = Path("/dev/shm")
    with tempfile.TemporaryDirectory(dir=ram if ram.is_dir() else None) as fast, \
            tempfile.TemporaryDirectory() as disk:
        path = Path(fast) / "diary.sqlite3"
        began = time.perf_counter()
        fill(path, args.episodes)
        print(f"filled {args.episodes} episodes in {time.perf_counter() - began:.1f} s "
              f"({path.stat().st_size / 1e6:.1f} MB)")

        with Diary.open(Path(disk) / "diary.sqlite3") as on_disk:
            rng = random.Random(2)
            timed("add_episode on disk (one fsync'd transaction)",
                  lambda: on_disk.add_episode(sample_episode(rng, 0)), args.runs)

        timed("Diary.open (quick_check, migrate check)", lambda: Diary.open(path).close(),
              args.runs)
        with Diary.open(path) as diary:
            episodes = diary.episodes()
            sessions = diary.routine_sessions()
            today = (max(e.started for e in episodes) + timedelta(days=1)).date()
            checks = {
                "episodes(): the whole history": timed(
                    "episodes(): the whole history", diary.episodes, args.runs),
                "weekly(): 12 weeks": timed(
                    "weekly(): 12 weeks", lambda: insights.weekly(
                        episodes, sessions, ZONE, today=today, routine_id="bedtime"),
                    args.runs),
            }
            all_weeks = (today - episodes[-1].started.date()).days // 7 + 2
            checks["weekly(): every episode in the chart"] = timed(
                f"weekly(): {all_weeks} weeks, every episode in it", lambda: insights.weekly(
                    episodes, sessions, ZONE, today=today, routine_id="bedtime",
                    weeks=all_weeks), args.runs)
            month = datetime.combine(today - timedelta(days=30), datetime.min.time(), ZONE)
            timed("episodes(since=30 days ago)", lambda: diary.episodes(since=month),
                  args.runs)
            timed("routine_sessions(): all", diary.routine_sessions, args.runs)
            timed("six_week_check()", lambda: insights.six_week_check(
                episodes, sessions, ZONE, today=today, routine_id="bedtime"), args.runs)
            uk = contacts("GB")
            timed("red_flags()", lambda: insights.red_flags(episodes, ZONE, today=today,
                                                              contacts=uk), args.runs)
            timed("write_csv() to memory", lambda: write_csv(
                episodes, io.StringIO(newline=""), ZONE), max(3, args.runs // 4))
    slow = [label for label, median in checks.items() if median >= TARGET_MS]
    print(f"target < {TARGET_MS:.0f} ms (median): " + ("met" if not slow else
                                                        "MISSED by " + ", ".join(slow)))
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
