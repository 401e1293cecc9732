"""The core must stay importable without Qt: it is what the CLI, the tests and
the benchmarks share, and what keeps business rules out of the widgets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import coach.core

CORE = Path(coach.core.__file__).parent


def test_core_modules_never_import_pyside() -> None:
    modules = sorted(f"coach.core.{p.stem}" for p in CORE.glob("*.py") if p.stem != "__init__")
    assert modules, "no core modules found"
    script = (
        "import sys, importlib\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""
