"""The weekly chart on screen: the painting is :mod:`coach.render.chart`'s,
shared with the PDF report; this widget adds the theme's colours, keyboard
focus and the spoken description."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from coach.core.i18n import _
from coach.core.insights import Week
from coach.render.chart import ChartColors, describe, paint_weekly_chart
from coach.ui import theme


def colors_of(p: theme.Palette) -> ChartColors:
    """The theme's accent for the bars and its text colour for the dots:
    both stay warm at night (no blue) and contrast with the background."""
    return ChartColors(background=p.window, text=p.text, grid=p.border, cramps=p.accent,
                       routine=p.text, empty_night=p.muted)


def _current_palette() -> theme.Palette:
    """The palette the app applied (it records its name on the application)."""
    app = QApplication.instance()
    name = app.property("theme") if app is not None else None
    return theme.NIGHT if name == theme.NIGHT.name else theme.DAY


class WeeklyChart(QWidget):
    """The chart on screen. It takes keyboard focus so that a screen-reader
    user can reach it and hear its description, which carries the same numbers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._weeks: tuple[Week, ...] = ()
        self.setAccessibleName(_("Weekly chart"))
        self.setAccessibleDescription(describe(()))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(320, 180)

    def set_weeks(self, weeks: Sequence[Week]) -> None:
        self._weeks = tuple(weeks)
        summary = describe(self._weeks)
        self.setAccessibleDescription(summary)
        self.setToolTip(summary)
        self.update()

    def weeks(self) -> tuple[Week, ...]:
        return self._weeks

    def sizeHint(self) -> QSize:
        return QSize(560, 240)

    def paintEvent(self, _event: QPaintEvent) -> None:
        palette = _current_palette()
        painter = QPainter(self)
        font = QFont(self.font())
        font.setPointSizeF(max(9.0, font.pointSizeF() * 0.8))
        painter.setFont(font)
        area = QRectF(self.rect())
        paint_weekly_chart(painter, area, self._weeks, colors_of(palette))
        if self.hasFocus():
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor(palette.accent), 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(area.adjusted(1.5, 1.5, -1.5, -1.5), 8, 8)
        painter.end()
