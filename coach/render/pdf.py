"""What every PDF Cramp Coach writes needs: a GUI application for fonts and
images (made here, offscreen, when the command line has none), and a save
that never leaves half a file or destroys the old one.

Qt is imported inside the functions, so importing this module costs nothing.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from coach.core.atomic import atomic_write_bytes
from coach.core.export_csv import ExportError
from coach.core.i18n import _

if TYPE_CHECKING:
    from PySide6.QtGui import QGuiApplication

# Keeps the QGuiApplication made for a PDF alive for the rest of the process.
_own_app: list[QGuiApplication] = []


def ensure_gui_app() -> None:
    """A report can be written over SSH or from a script with no display:
    ``QT_QPA_PLATFORM`` defaults to offscreen then; a platform named there
    is respected."""
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _own_app.append(QGuiApplication(sys.argv[:1] or ["cramp-coach"]))


def refuse_to_replace(path: Path, force: bool) -> None:
    """FileExistsError unless ``force``, so the caller can ask first."""
    if not force and path.exists():
        raise FileExistsError(errno.EEXIST, _("A file with this name already exists"),
                              str(path))


def save(path: Path, data: bytes) -> None:
    """Atomically; a failure is an :class:`ExportError` worded for the user."""
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise ExportError(_("The disk is full: {path} could not be saved. Free some space "
                                "or choose another drive, and try again.").format(
                path=path)) from exc
        # Translators: {reason} is the system's reason, e.g. "Permission denied".
        raise ExportError(_("{path} could not be saved: {reason}.").format(
            path=path, reason=exc.strerror or exc)) from exc
