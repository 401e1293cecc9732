"""The weekly chart, painted: cramps per week as bars, and under each bar seven dots,
one per night, filled for the nights the bedtime routine was done.

Painted with QPainter, not QtCharts: QtCharts ships in the PySide6-Addons
wheel, which Cramp Coach does not require, and a dozen bars need no chart
library. One function paints both the widget and the chart image in the PDF
report, so the doctor sees the same picture as the person.

The routine is drawn as dots rather than as a second bar series because its
scale is fixed (0 to 7 nights) while cramps can go far higher: dots never need
a second axis and can be counted at a glance. Nothing relies on colour alone:
the two series also differ in shape.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

from coach.core import wording
from coach.core.i18n import N_, _, ngettext
from coach.core.insights import Week

NIGHTS_A_WEEK: Final = 7
# Translators: the weekly chart's legend: the bars.
_CRAMPS_LEGEND: Final = N_("Cramps")
# Translators: the weekly chart's legend: the dots.
_ROUTINE_LEGEND: Final = N_("Nights with the bedtime routine")


day_month = wording.day_month


@dataclass(frozen=True)
class ChartColors:
    """Colours as ``#rrggbb`` text, so the same chart can follow either theme
    or be printed."""

    background: str
    text: str
    grid: str
    cramps: str
    routine: str
    empty_night: str

    @classmethod
    def print(cls) -> ChartColors:
        """Black and greys on white: reads the same on a black-and-white printer."""
        return cls(background="#ffffff", text="#000000", grid="#c8c8c8", cramps="#6e6e6e",
                   routine="#000000", empty_night="#8c8c8c")


def describe(weeks: Sequence[Week]) -> str:
    """The chart's numbers in words, for a screen reader."""
    if not weeks:
        return _("No weeks to show yet.")
    cramps = sum(w.cramps for w in weeks)
    nights = sum(w.routine_nights for w in weeks)
    this = weeks[-1]
    # Translators: {weeks} is e.g. "12 weeks", {cramps} and {cramps_this_week} e.g.
    # "3 cramps", {nights} and {nights_this_week} e.g. "5 nights".
    return _("Last {weeks}: {cramps}; bedtime routine on {nights}; this week "
             "{cramps_this_week} and the routine on {nights_this_week}.").format(
        weeks=_weeks(len(weeks)), cramps=_cramps(cramps), nights=_nights(nights),
        cramps_this_week=_cramps(this.cramps), nights_this_week=_nights(this.routine_nights))


def paint_weekly_chart(painter: QPainter, rect: QRectF, weeks: Sequence[Week],
                       colors: ChartColors) -> None:
    """Paint the chart into ``rect`` with the painter's current font.

    Sizes follow the font, so the chart reads the same on a screen and in a
    high-resolution image for the PDF.
    """
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(rect, QColor(colors.background))
    if weeks:
        _paint(painter, rect, weeks, colors)
    painter.restore()


def _paint(painter: QPainter, rect: QRectF, weeks: Sequence[Week], colors: ChartColors) -> None:
    # Shapes of a kind are collected and drawn in one call each: fewer trips
    # from Python into Qt, which keeps a repaint cheap.
    metrics = QFontMetricsF(painter.font())
    line = metrics.height()
    pad = line * 0.5
    inner = rect.adjusted(pad, pad, -pad, -pad)
    step, top = _scale(max(w.cramps for w in weeks))
    axis = metrics.horizontalAdvance(str(top)) + pad
    left = inner.left() + axis
    column = (inner.right() - left) / len(weeks)
    # One row of seven dots under each bar, or rows of four and three when one
    # row would make them too small to see.
    rows = 1 if column * 0.9 / NIGHTS_A_WEEK >= line * 0.55 else 2
    per_row = math.ceil(NIGHTS_A_WEEK / rows)
    spacing = min(column * 0.9 / per_row, line * 0.75)
    dots_height = rows * spacing + pad
    # Room above the tallest bar for the legend and for the bar's own number.
    plot = QRectF(left, inner.top() + line * 2.4, inner.right() - left,
                  inner.height() - line * 2.4 - dots_height - line * 1.2)
    if plot.height() < line or column < 2:
        return  # too small to draw anything readable
    centre = Qt.AlignmentFlag.AlignCenter
    texts: list[tuple[QRectF, Qt.AlignmentFlag, str]] = []
    grid: list[QLineF] = []
    for value in range(0, top + 1, step):
        y = plot.bottom() - value / top * plot.height()
        grid.append(QLineF(plot.left(), y, plot.right(), y))
        texts.append((QRectF(inner.left(), y - line / 2, axis - pad, line),
                      Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(value)))
    bars: list[QRectF] = []
    done: list[QPointF] = []
    not_done: list[QPointF] = []
    widest = max(metrics.horizontalAdvance(day_month(w.start)) for w in weeks)
    label_every = max(1, math.ceil((widest + pad) / column))
    dots_y = plot.bottom() + pad / 2 + spacing / 2
    for n, week in enumerate(weeks):
        middle = plot.left() + column * (n + 0.5)
        if week.cramps:
            height = week.cramps / top * plot.height()
            bar = QRectF(middle - column * 0.3, plot.bottom() - height, column * 0.6, height)
            bars.append(bar)
            number = str(week.cramps)
            if metrics.horizontalAdvance(number) < column:
                texts.append((QRectF(middle - column / 2, bar.top() - line, column, line),
                              centre, number))
        for night in range(NIGHTS_A_WEEK):
            row, place = divmod(night, per_row)
            in_row = min(per_row, NIGHTS_A_WEEK - row * per_row)
            dot = QPointF(middle + (place - (in_row - 1) / 2) * spacing, dots_y + row * spacing)
            (done if night < week.routine_nights else not_done).append(dot)
        # Count labels from the current week back, so this week is always named.
        if (len(weeks) - 1 - n) % label_every == 0:
            texts.append((QRectF(middle - column * label_every / 2, plot.bottom() + dots_height,
                                 column * label_every, line * 1.2), centre, day_month(week.start)))

    painter.setPen(QPen(QColor(colors.grid), max(1.0, line / 20)))
    painter.drawLines(grid)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colors.cramps))
    painter.drawRects(bars)
    legend = _legend(painter, QPointF(left, inner.top()), line, done)
    _dots(painter, spacing * 0.72, done, not_done, colors)
    painter.setPen(QPen(QColor(colors.text), max(1.0, line / 16)))
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    for box, alignment, text in [*texts, *legend]:
        painter.drawText(box, alignment, text)


def _legend(painter: QPainter, at: QPointF, line: float,
            done: list[QPointF]) -> list[tuple[QRectF, Qt.AlignmentFlag, str]]:
    """Draw the legend's swatch; add its dot to ``done`` and return its texts."""
    metrics = QFontMetricsF(painter.font())
    box = line * 0.7
    left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    x, middle = at.x(), at.y() + line / 2
    painter.drawRect(QRectF(x, middle - box / 2, box, box))  # the bars' brush is still set
    x += box + line * 0.3
    cramps, routine = _(_CRAMPS_LEGEND), _(_ROUTINE_LEGEND)
    texts = [(QRectF(x, at.y(), metrics.horizontalAdvance(cramps) + 1, line), left, cramps)]
    x += metrics.horizontalAdvance(cramps) + line
    done.append(QPointF(x + box / 2, middle))
    x += box + line * 0.3
    texts.append((QRectF(x, at.y(), metrics.horizontalAdvance(routine) + 1, line), left,
                  routine))
    return texts


def _dots(painter: QPainter, size: float, done: list[QPointF], not_done: list[QPointF],
          colors: ChartColors) -> None:
    """Filled dots for nights with the routine, rings for nights without: the
    shape tells them apart, not only the colour. Round pen caps make each
    point a dot, so every kind is one call."""
    pen = QPen(QColor(colors.routine), size)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.drawPoints(done)
    pen.setColor(QColor(colors.empty_night))
    painter.setPen(pen)
    painter.drawPoints(not_done)
    pen.setColor(QColor(colors.background))
    pen.setWidthF(size * 0.62)
    painter.setPen(pen)
    painter.drawPoints(not_done)
    painter.setPen(QColor(colors.text))


def _scale(highest: int) -> tuple[int, int]:
    """A tick step of 1, 2 or 5 times a power of ten giving at most five steps,
    and the axis top; at least 0-4, so a quiet stretch does not look dramatic."""
    highest = max(highest, 4)
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if math.ceil(highest / step) <= 5:
                return step, step * math.ceil(highest / step)
        magnitude *= 10


def _weeks(n: int) -> str:
    return ngettext("{n} week", "{n} weeks", n).format(n=n)


def _cramps(n: int) -> str:
    return ngettext("{n} cramp", "{n} cramps", n).format(n=n)


def _nights(n: int) -> str:
    return ngettext("{n} night", "{n} nights", n).format(n=n)
