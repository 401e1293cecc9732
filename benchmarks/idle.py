"""Idle benchmark: what Cramp Coach costs while it waits in the background for
its bedtime reminder, against bare PySide6 apps measured in the same window.

The promise is that a resident app costs nothing between bedtimes, so three
processes are started side by side on one shared, noisy machine and measured
over the same interval (after a settle period, so start-up work such as the
tray, the reminder and opening the diary is not counted):

- ``cramp-coach --background`` with a reminder set about six hours ahead, so
  nothing fires during the run;
- a bare PySide6 app with a shown ``QSystemTrayIcon`` and ``app.exec()``: the
  baseline the issue quotes ("idles at 0 % and about 49 MB");
- a bare PySide6 app with no tray at all (``--no-bare``: leave it out).

Figures, all read from ``/proc`` from outside so that measuring wakes nothing:

- CPU: ``utime + stime`` from ``/proc/<pid>/stat`` in clock ticks (1/100 s, too
  coarse to tell 0 from 0.015 % over a minute, so the raw ticks are printed),
  and the summed ``sum_exec_runtime`` of every thread from
  ``/proc/<pid>/task/*/schedstat`` in nanoseconds, which decides PASS/FAIL when
  the kernel provides it;
- wakeups: ``voluntary_ctxt_switches`` of all threads, summed, end minus start,
  per second (every sleep that ends is one; a thread that exits inside the
  window takes its count with it, so thread counts are printed too);
- RSS: ``VmRSS``, sampled every second; the largest sample and the last.

Targets (the app only): CPU <= 0.02 % of one core, <= 0.5 wakeups/s, RSS <= 80 MB.
The exit status is 0 whatever the figures: this is a report; FAIL lines say
what missed.

    python benchmarks/idle.py [--seconds 60] [--settle 10] [--platform offscreen|xcb]
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType

from common import ROOT, compile_bytecode, isolated_env

sys.path.insert(0, str(ROOT))

from coach.core.timezones import local_zone

CPU_TARGET_PERCENT = 0.02
WAKEUP_TARGET_PER_S = 0.5
RSS_TARGET_MB = 80.0
REMINDER_AHEAD = timedelta(hours=6)
"""Far enough that neither the reminder nor its lead time fires during a run."""
CLK_TCK = os.sysconf("SC_CLK_TCK")

BARE_TRAY = """
import sys
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

app = QApplication(sys.argv[:1])
app.setQuitOnLastWindowClosed(False)
pixmap = QPixmap(32, 32)
pixmap.fill(QColor("teal"))
tray = QSystemTrayIcon(QIcon(pixmap))
tray.show()
print(f"tray-available {QSystemTrayIcon.isSystemTrayAvailable()}", flush=True)
app.exec()
"""

BARE_NO_TRAY = """
import sys
from PySide6.QtWidgets import QApplication


app = QApplication(sys.argv[:1])
print("ready", flush=True)
app.exec()
"""


# -- reading /proc --------------------------------------------------------------


@dataclass
class Snapshot:
    """One reading of a process. Per-thread counters are kept by thread id so
    that a thread born inside the window is counted from zero and one that
    ended is left out, rather than making the sum go backwards."""

    ticks: int
    runtime_ns: dict[int, int]
    voluntary: dict[int, int]
    names: dict[int, str]
    rss_kb: int


def _status_field(text: str, name: str) -> int:
    for line in text.splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    raise KeyError(name)


def snapshot(pid: int) -> Snapshot:
    """Everything at one moment; raises OSError if the process is gone."""
    with open(f"/proc/{pid}/stat") as stat:
        # The command name may contain spaces and brackets: split after the last ")".
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    with open(f"/proc/{pid}/status") as status:
        rss_kb = _status_field(status.read(), "VmRSS")
    runtime: dict[int, int] = {}
    voluntary: dict[int, int] = {}
    names: dict[int, str] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        tid = int(task.name)
        try:
            voluntary[tid] = _status_field((task / "status").read_text(),
                                           "voluntary_ctxt_switches")
            names[tid] = (task / "comm").read_text().strip()
            with contextlib.suppress(FileNotFoundError):
                runtime[tid] = int((task / "schedstat").read_text().split()[0])
        except FileNotFoundError:
            continue  # the thread ended while we looked
    return Snapshot(ticks, runtime, voluntary, names, rss_kb)


def _delta(start: dict[int, int], end: dict[int, int]) -> int:
    return sum(value - start.get(tid, 0) for tid, value in end.items())


# -- child processes ------------------------------------------------------------


def _die_with_parent() -> None:
    """In the child before exec: be killed if the benchmark itself is killed
    (even with SIGKILL), so no resident app is ever left behind."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class Children:
    """Every process started, killed on the way out whatever happens."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, argv: Sequence[str], env: dict[str, str],
              logs: Path) -> subprocess.Popen[bytes]:
        """Output goes to files, not pipes: a pipe nobody reads could block a
        child, and reading one would wake this process, not the child, but
        still adds noise to a 2-core machine."""
        with open(logs.with_suffix(".out"), "wb") as out, \
                open(logs.with_suffix(".err"), "wb") as err:
            proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=err, preexec_fn=_die_with_parent)
        self.procs.append(proc)
        return proc

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + 3
        for proc in self.procs:
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextlib.contextmanager
def children() -> Iterator[Children]:
    """SIGTERM and SIGHUP become SystemExit so the ``finally`` runs then too."""

    def leave(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = {s: signal.signal(s, leave) for s in (signal.SIGTERM, signal.SIGHUP)}
    group = Children()
    try:
        yield group
    finally:
        group.stop_all()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def set_reminder(env: dict[str, str]) -> str:
    """Set the reminder through the app's own command line; returns HH:MM."""
    at = (datetime.now(local_zone()) + REMINDER_AHEAD).strftime("%H:%M")
    result = subprocess.run([sys.executable, "-m", "coach", "reminder", "set", at],
                            env=env, cwd=ROOT, capture_output=True, text=True,
                            timeout=60, check=False)
    if result.returncode != 0 or "Bedtime reminder: on" not in result.stdout:
        raise RuntimeError(f"'reminder set {at}' failed ({result.returncode}):\n"
                           f"{result.stdout}{result.stderr}")
    return at


def warm_content_cache(env: dict[str, str]) -> None:
    """Build the validated-content cache the way any earlier run would have.
    Without it the measured app would be on its very first start ever, parsing
    every YAML file (and keeping the parser imported), which is not the state
    a resident app is in night after night."""
    subprocess.run([sys.executable, "-c", "from coach.app import content; content.load()"],
                   env=env, cwd=ROOT, check=True, timeout=120)
    cache = Path(env["XDG_CACHE_HOME"]) / "cramp-coach" / "content.pickle"
    if not cache.exists():
        print(f"note: no content cache at {cache}; the app starts cold")


def socket_path(env: dict[str, str]) -> Path:
    """Where the app listens, computed exactly as the app does."""
    saved = os.environ.get("XDG_RUNTIME_DIR")
    os.environ["XDG_RUNTIME_DIR"] = env["XDG_RUNTIME_DIR"]
    try:
        from coach.instance import server_name

        return Path(server_name())
    finally:
        if saved is None:
            del os.environ["XDG_RUNTIME_DIR"]
        else:
            os.environ["XDG_RUNTIME_DIR"] = saved


def wait_until(ready: Path, procs: Sequence[subprocess.Popen[bytes]], what: str,
               timeout: float = 60) -> None:
    """Poll for a file to appear, giving up if a child died first."""
    deadline = time.monotonic() + timeout
    while not ready.exists():
        for proc in procs:
            if proc.poll() is not None:
                raise RuntimeError(f"{proc.args!r} exited with {proc.returncode} "
                                   f"before {what}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.05)


# -- measuring ------------------------------------------------------------------


@dataclass
class Measured:
    """One process over the measured window."""

    name: str
    pid: int
    seconds: float = 0.0
    ticks: int = 0
    runtime_ns: int | None = None
    wakeups: int = 0
    per_thread: dict[str, int] = field(default_factory=dict)
    threads: tuple[int, int] = (0, 0)
    rss_kb: list[int] = field(default_factory=list)
    error: str = ""

    @property
    def cpu_ticks_percent(self) -> float:
        return self.ticks / CLK_TCK / self.seconds * 100

    @property
    def cpu_percent(self) -> float:
        """The precise figure where the kernel keeps schedstat, else ticks."""
        if self.runtime_ns is None:
            return self.cpu_ticks_percent
        return self.runtime_ns / 1e9 / self.seconds * 100

    @property
    def wakeups_per_s(self) -> float:
        return self.wakeups / self.seconds

    @property
    def rss_max_mb(self) -> float:
        return max(self.rss_kb) / 1024

    @property
    def rss_end_mb(self) -> float:
        return self.rss_kb[-1] / 1024


def measure(targets: Sequence[Measured], seconds: float, interval: float) -> None:
    """Read every process at the start, sample RSS while waiting, read again at
    the end. All processes share one window, read back to back."""
    starts: dict[int, Snapshot] = {}
    began = time.monotonic()
    for target in targets:
        starts[target.pid] = first = snapshot(target.pid)
        target.rss_kb.append(first.rss_kb)
    end_at = began + seconds
    while (now := time.monotonic()) < end_at:
        time.sleep(min(interval, end_at - now))
        for target in targets:
            if target.error:
                continue
            try:
                target.rss_kb.append(snapshot(target.pid).rss_kb)
            except OSError:
                target.error = "exited during the measured window"
    ended = time.monotonic()
    for target in targets:
        if target.error:
            continue
        try:
            last = snapshot(target.pid)
        except OSError:
            target.error = "exited during the measured window"
            continue
        first = starts[target.pid]
        target.seconds = ended - began
        target.rss_kb.append(last.rss_kb)
        target.ticks = last.ticks - first.ticks
        if last.runtime_ns:
            target.runtime_ns = _delta(first.runtime_ns, last.runtime_ns)
        target.wakeups = _delta(first.voluntary, last.voluntary)
        target.threads = (len(first.voluntary), len(last.voluntary))
        for tid, count in last.voluntary.items():
            name = f"{last.names.get(tid, '?')}[{tid}]"
            target.per_thread[name] = count - first.voluntary.get(tid, 0)


# -- report ---------------------------------------------------------------------


def _ratio(app: float, base: float) -> str:
    if base == 0:
        return "n/a (baseline 0)" if app else "1.00 (both 0)"
    return f"{app / base:.2f}"


def report(results: Sequence[Measured], platform: str, tray: str, reminder_at: str,
           settle: float, cold: bool) -> None:
    print(f"Qt platform plugin: {platform}; system tray available (asked by the "
          f"bare tray app, same session): {tray}")
    print(f"reminder set for {reminder_at} local ({local_zone()}), about "
          f"{REMINDER_AHEAD.total_seconds() / 3600:.0f} h ahead; settled "
          f"{settle:.0f} s after the app's socket appeared; content cache "
          f"{'cold (first start ever)' if cold else 'built beforehand'}")
    window = max((r.seconds for r in results), default=0.0)
    print(f"measured window: {window:.1f} s, clock tick {1000 / CLK_TCK:.0f} ms, "
          f"{os.cpu_count()} cores\n")
    header = (f"{'process':<34} {'CPU %':>8} {'ticks':>5} {'CPU ms':>7} {'wakeups/s':>9} "
              f"{'RSS max':>8} {'RSS end':>8} {'threads':>7}")
    print(header)
    print("-" * len(header))
    for r in results:
        if r.error:
            print(f"{r.name:<34} {r.error}")
            continue
        cpu_ms = "-" if r.runtime_ns is None else f"{r.runtime_ns / 1e6:.1f}"
        print(f"{r.name:<34} {r.cpu_percent:>8.4f} {r.ticks:>5} {cpu_ms:>7} "
              f"{r.wakeups_per_s:>9.3f} {r.rss_max_mb:>6.1f}MB {r.rss_end_mb:>6.1f}MB "
              f"{r.threads[0]:>3}->{r.threads[1]:<3}")
    print("CPU % from schedstat run time (ns) where available, else from ticks; "
          "'ticks' are utime+stime in 1/100 s, so 0 means < 10 ms, not nothing.\n")

    app, base = results[0], results[1]
    for r in results:
        if not r.error and r.wakeups:
            busy = sorted(r.per_thread.items(), key=lambda item: -item[1])
            print(f"wakeups by thread, {r.name}: "
                  + ", ".join(f"{name} {count}" for name, count in busy if count))
    if app.error:
        print(f"FAIL: the app {app.error}")
        return
    print()
    checks = [
        ("CPU", app.cpu_percent, CPU_TARGET_PERCENT, "% of one core", ".4f"),
        ("wakeups", app.wakeups_per_s, WAKEUP_TARGET_PER_S, "/s", ".3f"),
        ("RSS (max sampled)", app.rss_max_mb, RSS_TARGET_MB, " MB", ".1f"),
    ]
    for label, value, target, unit, fmt in checks:
        verdict = "PASS" if value <= target else "FAIL"
        print(f"{verdict}: app {label} {value:{fmt}}{unit} (target <= {target:g}{unit})")
    if not base.error:
        print(f"\napp / bare tray baseline: CPU {_ratio(app.cpu_percent, base.cpu_percent)}, "
              f"wakeups {_ratio(app.wakeups_per_s, base.wakeups_per_s)}, "
              f"RSS max {_ratio(app.rss_max_mb, base.rss_max_mb)} "
              f"(+{app.rss_max_mb - base.rss_max_mb:.1f} MB)")
    print(f"RSS samples of the app (MB): min {min(app.rss_kb) / 1024:.1f}, median "
          f"{statistics.median(app.rss_kb) / 1024:.1f}, max {app.rss_max_mb:.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0,
                        help="length of the measured window (at least 60 is meaningful)")
    parser.add_argument("--settle", type=float, default=10.0,
                        help="wait this long after start-up before measuring")
    parser.add_argument("--platform", choices=("offscreen", "xcb"), default="offscreen",
                        help="Qt platform plugin; xcb needs DISPLAY")
    parser.add_argument("--interval", type=float, default=1.0, help="RSS sampling period")
    parser.add_argument("--cold", action="store_true",
                        help="do not build the content cache first (the app's first start "
                             "ever: YAML parsed, more memory)")
    parser.add_argument("--no-bare", action="store_true",
                        help="leave out the bare PySide6 app without a tray")
    args = parser.parse_args()
    compile_bytecode()
    if args.platform == "xcb" and not os.environ.get("DISPLAY"):
        parser.error("--platform xcb needs DISPLAY (e.g. Xvfb :99 & DISPLAY=:99)")
    if args.seconds < 60:
        print(f"note: {args.seconds:g} s is shorter than the 60 s the targets are "
              "defined over")

    with tempfile.TemporaryDirectory(prefix="coach-idle-") as temp, children() as group:
        home = Path(temp)
        env = isolated_env(home, args.platform)
        reminder_at = set_reminder(env)
        if not args.cold:
            warm_content_cache(env)
        specs = [("app", "cramp-coach --background",
                  [sys.executable, "-m", "coach", "--background"]),
                 ("tray", "bare PySide6 + tray (baseline)", [sys.executable, "-c", BARE_TRAY])]
        if not args.no_bare:
            specs.append(("bare", "bare PySide6, no tray", [sys.executable, "-c", BARE_NO_TRAY]))
        procs = {key: group.start(argv, env, home / key) for key, _name, argv in specs}
        wait_until(socket_path(env), list(procs.values()), "the app's socket")
        time.sleep(args.settle)
        for key, proc in procs.items():
            if proc.poll() is not None:
                err = (home / f"{key}.err").read_text(errors="replace")
                raise RuntimeError(f"{key} exited with {proc.returncode}:\n{err}")
        results = [Measured(name, procs[key].pid) for key, name, _argv in specs]
        measure(results, args.seconds, args.interval)
        tray_line = (home / "tray.out").read_text().split()
        tray = {"True": "yes", "False": "no"}.get(tray_line[-1] if tray_line else "", "?")
        report(results, args.platform, tray, reminder_at, args.settle, args.cold)
        for key, _name, _argv in specs:
            err = (home / f"{key}.err").read_text(errors="replace").strip()
            if err:
                print(f"\nstderr of {key}:\n  " + "\n  ".join(err.splitlines()[:10]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
