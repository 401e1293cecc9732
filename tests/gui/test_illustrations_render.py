"""Every shipped illustration and the app icon render with Qt's own SVG
renderer (SVG Tiny 1.2), and actually paint something: a picture that parses
but draws nothing would leave a blank card in front of someone in pain."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from coach import resources

SVGS = [*sorted((resources.assets_dir() / "images").glob("*.svg")), resources.icon_path()]


def test_there_are_illustrations_to_check() -> None:
    assert len(SVGS) >= 30
    assert resources.icon_path().is_file()


@pytest.mark.parametrize("path", SVGS, ids=lambda p: p.name)
def test_illustration_renders(qapp: QApplication, path: Path) -> None:
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid(), path.name
    assert not renderer.viewBoxF().isEmpty(), path.name

    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, 64, 64))
    painter.end()
    pixels = bytes(image.constBits())
    painted = sum(1 for alpha in pixels[3::4] if alpha)
    assert painted > 64 * 64 // 50, f"{path.name} paints almost nothing ({painted} pixels)"
