"""The probe that sees a program's first paint: shared by the start-up
benchmark and by the test that keeps the app's first paint lean.

It imports nothing before the program does: it waits for the program's own
import of ``PySide6.QtWidgets`` and then watches only the windows shown. (An
earlier probe imported PySide6 first and filtered every event of the whole
application in Python, which made PySide6 scan the source of every module
imported after it and wrap every internal widget: about 50 ms charged to the
app that a person never pays.)
"""

from __future__ import annotations

import textwrap

_PROBE = """
import sys, time
from importlib.machinery import PathFinder

def _watch(widgets):
    from PySide6.QtCore import QEvent, QObject

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and not _painted:
                _painted.append(True)
{at_paint}
            return False

    probe = FirstPaint()
    show = widgets.QWidget.show

    def watched_show(self):
        if self.isWindow():
            self.installEventFilter(probe)
        show(self)

    widgets.QWidget.show = watched_show

class _WhenWidgetsLoad:
    def find_spec(self, name, path, target=None):
        if name != "PySide6.QtWidgets":
            return None
        sys.meta_path.remove(self)
        spec = PathFinder.find_spec(name, path)
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            _watch(module)

        spec.loader.exec_module = exec_module
        return spec

_painted = []
sys.meta_path.insert(0, _WhenWidgetsLoad())
"""


def paint_probe(at_paint: str) -> str:
    """Python source to run before a program: ``at_paint`` (statements, with
    ``sys``, ``time`` and ``widgets``, the program's ``PySide6.QtWidgets``,
    at hand) runs once, when a top-level window receives its first paint
    event."""
    return _PROBE.format(at_paint=textwrap.indent(textwrap.dedent(at_paint).strip(), " " * 16))
