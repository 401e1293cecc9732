"""Hostile content benchmark: `cramp-coach validate` on files made to hurt,
against validating a one-line routine in the same run.

Each file is validated in a fresh process (as a user runs it), several times
in turn;
the median wall time and the largest peak RSS (VmHWM, so Linux only) are
printed, with what each adds to the baseline. The target is that any file is refused or
loaded within 1 s and 100 MB more than the baseline. The files:

* the alias bomb: nine lines of `&a [*a, *a, ...]`, a billion values expanded
  (before the caps: past 3 GB in 20 s);
* 1 MB of one-character values (some 500,000), refused by counting parser
  events before any node is built;
* the largest routine under both caps (99,990 items in 0.9 MB): refused,
  since it would take far over two hours (timetable.MAX_PLAN_S);
* 400 kB that would unroll into 40 million segments once planned: 99,000
  items of one exercise held 1 s, 100 times, each side (an audit's file,
  which used to load, and then froze the routines screen until memory ran
  out);
* the same with every item an unknown exercise (100,000 problems found, the
  first 100 listed);
* 6,200 valid exercises (99,200 values in mappings, the slowest shape found);
* a 50 MB routine of 2 million items (before the caps: 13 s and 1.5 GB),
  refused from its size;
* the shipped content (the `exercises/` folder).

    python benchmarks/hostile_content.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, isolated_env

TARGET_S = 1.0
TARGET_MB = 100.0
ITEMS_UNDER_CAPS = 99_990  # the routine's own mapping brings it to 99,997 values
EXERCISES_UNDER_CAPS = 6_200  # 16 values each: the slowest shape found (many mappings)


def alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    return "\n".join(lines) + "\n"


def routine(items: list[str]) -> str:
    return "routines:\n  - id: long\n    title: Long\n    items: [" + ",".join(items) + "]\n"


def write_files(folder: Path) -> dict[str, Path]:
    files = {
        "baseline: a one-line routine": routine(["bicycle"]),
        "alias bomb (9 levels, 406 bytes)": alias_bomb(),
        "1 MB of one-character values": routine(["b"] * 499_900),
        f"routine of {ITEMS_UNDER_CAPS:,} items": routine(["bicycle"] * ITEMS_UNDER_CAPS),
        "99,000 items of 100 one-second holds a side": (
            "exercises:\n  - {id: big, title: Big, steps: [Hold.], hold: 1, reps: 100, "
            "sides: each, image: images/place_calf.svg, evidence: expert, source: s}\n"
            "routines:\n  - id: huge\n    title: Huge\n    rest: 0\n    items: ["
            + ", ".join(["big"] * 99_000) + "]\n"),
        f"{ITEMS_UNDER_CAPS:,} unknown exercises": routine(
            [f"x{n}" for n in range(ITEMS_UNDER_CAPS)]),
        f"valid exercises, {EXERCISES_UNDER_CAPS:,}": "exercises:\n" + "".join(
            f"  - {{id: e{n}, title: T, steps: [S], hold: 5, image: images/place_calf.svg, "
            "evidence: mixed, source: s}\n" for n in range(EXERCISES_UNDER_CAPS)),
    }
    paths = {}
    for number, (label, text) in enumerate(files.items()):
        paths[label] = folder / f"{number}.yaml"
        paths[label].write_text(text, encoding="utf-8")
    huge = folder / "huge.yaml"
    with huge.open("w", encoding="utf-8") as out:
        out.write("routines:\n  - id: huge\n    title: Huge\n    items:\n")
        out.writelines(["      - wall-calf-stretch\n"] * 2_000_000)
    paths["50 MB, 2 million items"] = huge
    paths["shipped content (exercises/)"] = ROOT / "exercises"
    return paths


# The child reports its own peak RSS (VmHWM): the ru_maxrss that wait4 gives
# starts from the parent's size at fork, which would hide small children.
CHILD = """
import atexit, runpy, sys

def peak():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                print("peak-rss-kB", line.split()[1], file=sys.stderr)

atexit.register(peak)
sys.argv = ["cramp-coach", *sys.argv[1:]]
runpy.run_module("coach", run_name="__main__", alter_sys=True)
"""


def validate_once(path: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB, and the first line the child printed."""
    began = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", CHILD, "validate", str(path)], env=env,
                            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    wall = time.perf_counter() - began
    lines = (result.stdout + result.stderr).splitlines()
    peaks = [int(line.split()[1]) for line in lines if line.startswith("peak-rss-kB ")]
    if not peaks:
        raise RuntimeError(f"no peak reported:\n{result.stdout}\n{result.stderr}")
    return wall, peaks[0] / 1024, lines[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = isolated_env(Path(home), "offscreen")
        folder = Path(home) / "files"
        folder.mkdir()
        paths = write_files(folder)
        for path in paths.values():
            validate_once(path, env)  # warm the OS file cache
        runs: dict[str, list[tuple[float, float, str]]] = {label: [] for label in paths}
        for _ in range(args.runs):  # in turn, to spread a shared machine's noise evenly
            for label, path in paths.items():
                runs[label].append(validate_once(path, env))
        results = {label: (statistics.median(run[0] for run in each),
                           max(run[1] for run in each), each[0][2])
                   for label, each in runs.items()}
    base_s, base_mb, _ = next(iter(results.values()))
    print(f"runs: {args.runs} each; time is the median, memory the peak RSS")
    print(f"{'file':<36} {'wall':>8} {'extra':>8} {'RSS':>8} {'extra':>8}")
    missed = []
    for label, (wall, mb, first) in results.items():
        extra_s, extra_mb = wall - base_s, mb - base_mb
        print(f"{label:<36} {wall * 1000:6.0f}ms {extra_s * 1000:6.0f}ms "
              f"{mb:6.1f}MB {extra_mb:6.1f}MB")
        if first and label != "shipped content (exercises/)":
            print(f"    {first[:110]}")
        if extra_s > TARGET_S or extra_mb > TARGET_MB:
            missed.append(label)
    print(f"target: each within {TARGET_S:.0f} s and {TARGET_MB:.0f} MB of the baseline: "
          + ("met" if not missed else "MISSED by " + ", ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
