"""What every PDF Cramp Coach writes needs: a GUI application for fonts and
images (made here, offscreen, when the command line has none), and a save
that never leaves half a file or destroys the old one.

Qt is imported inside the functions, so importing this module costs nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from coach.core.atomic import atomic_write_bytes
from coach.core.export_csv import save_failed

if TYPE_CHECKING:
    from PySide6.QtCore import QBuffer, QByteArray
    from PySide6.QtGui import QGuiApplication, QPdfWriter, QTextDocument

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


def pdf_writer(title: str, paper: str, margin_mm: float, dpi: int
               ) -> tuple[QPdfWriter, QBuffer, QByteArray]:
    """A writer into memory (saved whole by :func:`save` afterwards), on "A4"
    or "Letter"; keep the buffer and its bytes alive while writing."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(dpi)
    size = QPageSize.PageSizeId.Letter if paper == "Letter" else QPageSize.PageSizeId.A4
    writer.setPageSize(QPageSize(size))
    writer.setPageMargins(QMarginsF(margin_mm, margin_mm, margin_mm, margin_mm),
                          QPageLayout.Unit.Millimeter)
    writer.setTitle(title)
    writer.setCreator("Cramp Coach")
    return writer, buffer, data


def text_document(writer: QPdfWriter, points: float) -> QTextDocument:
    """A document laid out for ``writer`` in the system's font without
    ligatures: "fi" drawn as one glyph would come back out of the PDF as "ﬁ",
    and a search for "first" would miss it."""
    from PySide6.QtGui import QFont, QTextDocument

    font = QFont(QFont().family(), round(points))
    font.setFeature(QFont.Tag("liga"), 0)
    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    return document


def save(path: Path, data: bytes) -> None:
    """Atomically; a failure is an :class:`ExportError` worded for the user."""
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise save_failed(path, exc) from exc
