"""Start-up benchmark: launch to emergency screen painted, against a bare
PySide6 window measured the same way in the same run.

Both children record when a top-level window receives its first paint event,
so the comparison includes the interpreter, the imports, and everything the
app does before the place buttons are visible. Runs alternate to spread noise
from a shared machine evenly. Prints medians and the ratio (target <= 1.3).

    python benchmarks/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from common import compile_bytecode  # noqa: E402

PAINT_PROBE = """
import sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj, QWidget) and obj.isWindow():
            print(f"painted {time.time():.6f}", flush=True)
            QApplication.instance().quit()
        return False

_probe = FirstPaint()
_original_init = QApplication.__init__

def _init(self, *args):
    _original_init(self, *args)
    self.installEventFilter(_probe)

QApplication.__init__ = _init
"""

BARE = PAINT_PROBE + """
app = QApplication(sys.argv[:1])
window = QWidget()
window.setWindowTitle("bare")
window.resize(960, 680)
window.show()
app.exec()
"""

APP = PAINT_PROBE + """
sys.argv = ["cramp-coach", "--emergency"]
from coach.cli import main
main(sys.argv[1:])
"""


def run_once(code: str, env: dict[str, str]) -> float:
    start = time.time()
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=False)
    for line in result.stdout.splitlines():
        if line.startswith("painted "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"no paint reported:\n{result.stdout}\n{result.stderr}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    compile_bytecode()
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen" if not env.get("DISPLAY") else "xcb")
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[name] = str(Path(home) / name.lower())
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        run_once(BARE, env)  # warm the OS file cache for both
        run_once(APP, env)
        bare, app = [], []
        for _ in range(args.runs):
            bare.append(run_once(BARE, env))
            app.append(run_once(APP, env))
    bare_median, app_median = statistics.median(bare), statistics.median(app)
    print(f"platform: {env['QT_QPA_PLATFORM']}, runs: {args.runs} each, alternating")
    print(f"bare PySide6 window  median {bare_median * 1000:7.1f} ms  "
          f"(min {min(bare) * 1000:.1f})")
    print(f"cramp-coach --emergency median {app_median * 1000:7.1f} ms  "
          f"(min {min(app) * 1000:.1f})")
    print(f"ratio (app / bare): {app_median / bare_median:.2f}   target <= 1.30")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
