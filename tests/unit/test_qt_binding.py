"""Guard against a Qt binding that corrupts Python's reference counts.

PySide6-Essentials 6.12.0 on Python 3.11 drops a reference to ``None`` on every
call to a method returning void; a resident tray app makes thousands of such
calls and then aborts ("deallocating None"). pyproject.toml excludes that
release; this test fails if whatever binding is installed does the same.
"""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from PySide6.QtCore import QObject
item = QObject()
before = sys.getrefcount(None)
for _ in range(2000):
    item.setObjectName("x")
print(before - sys.getrefcount(None))
"""


def test_void_calls_keep_none_alive() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr[-500:]
    assert abs(int(result.stdout.strip())) < 50
