"""What a launch spends before the first paint: PySide6 is spared reading the
source of every module imported after it, and nothing it needs only when
something goes wrong is imported on the way (see benchmarks/startup.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Imports PySide6 as a launch does, optionally spares it the reading, then
# imports the modules of the first screen and lists the ones PySide6 read.
READ_AFTER_PYSIDE = """
import json, sys
from PySide6.QtWidgets import QApplication
from coach.ui import launch
feature = sys.modules["__feature__"]
read = []
def reading(module, scan=feature._mod_uses_pyside):
    read.append(module.__name__)
    return scan(module)
feature._mod_uses_pyside = reading
loaded = sorted(sys.modules)
if sys.argv[1] == "spared":
    launch.spare_pyside_the_source_reading()
from coach.ui.app import CoachApp
from coach.ui.instance_server import InstanceServer
print(json.dumps([read, loaded]))
"""


def modules_read(how: str) -> tuple[set[str], set[str]]:
    """The modules PySide6 read, and those loaded before the sparing."""
    result = subprocess.run([sys.executable, "-c", READ_AFTER_PYSIDE, how], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=True)
    read, loaded = json.loads(result.stdout)
    return set(read), set(loaded)


def ours(names: set[str]) -> set[str]:
    return {name for name in names if name.split(".")[0] == "coach"}


def test_pyside_reads_no_source_of_ours_nor_of_what_was_loaded_before() -> None:
    plain, loaded = modules_read("plain")
    spared, _ = modules_read("spared")
    # Without the sparing PySide6 reads the first screen's modules, and the
    # already loaded ones they name (functools, logging, ...).
    assert {"coach.ui.app", "coach.core.model", "coach.ui.instance_server"} <= plain
    assert len(plain & loaded) > 10
    assert not ours(spared) and not spared & loaded
    # The standard library's, by top-level name (html.entities is still read).
    assert {"pickle", "html"} <= plain and not spared & sys.stdlib_module_names
    assert len(spared) < len(plain) / 3


def test_the_table_that_spares_it_is_still_published() -> None:
    """A PySide6 upgrade that stops publishing the table would make the
    sparing do nothing, silently; this says so instead."""
    from PySide6 import QtCore  # noqa: F401  (loads the feature machinery)

    assert isinstance(sys.modules["__feature__"].pyside_feature_dict, dict)


def test_a_hand_over_imports_neither_qt_nor_ctypes() -> None:
    """``coach.ui.launch`` is imported by every launch, including the
    second one that only hands over to the running app."""
    code = ("import sys; import coach.cli, coach.ui.launch; "
            "print([m for m in ('ctypes', 'PySide6') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"
