"""The bedside card as a one-page PDF in large type.

Laid out as HTML by QTextDocument and printed by QPdfWriter, like the report,
so every word is real text (a screen reader or ``pdftotext`` can read it) and
no PDF library is needed. The drawings are the app's own SVGs, rendered to
images. If the text would not fit one page, it and the drawings are set
smaller until it does: a card that runs onto a second sheet is no use on a
bedside table. Should even the smallest not fit (a long translation, a
long typed service), the card goes on over a second page rather than
losing its last lines; and the numbers to call come first, under the title,
so they are never the part that moves.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Final

from coach import resources
from coach.app.bedside import BedsideCard
from coach.core.export_csv import refuse_to_replace
from coach.render.pdf import ensure_gui_app, pdf_writer, save, text_document

_RESOLUTION_DPI: Final = 300
_MARGIN_MM: Final = 12.0
_IMAGE_SCALE: Final = 3
_SIZES: Final = ((15.0, 150), (14.0, 150), (13.0, 130), (12.0, 120), (11.0, 110),
                 (10.0, 96), (9.0, 84))
"""Body sizes in points, with each drawing's side in the page's CSS pixels
(96 an inch), to try in turn, largest first; headings scale with the body.
At each size the drawings are tried smaller too (:data:`_SMALLER_DRAWING`)
before the type is: the words are what must be read without glasses."""
_SMALLER_DRAWING: Final = 0.65


def write_card(path: Path, card: BedsideCard, paper: str = "A4", *,
               force: bool = False) -> None:
    """Write the card to ``path``; ``paper`` is "A4" or "Letter". Refuses to
    replace a file unless ``force`` (FileExistsError); a failed write is an
    ExportError worded for the user."""
    refuse_to_replace(path, force)
    save(path, _pdf(card, paper))


def _html(card: BedsideCard, body_pt: float, image_px: int) -> str:
    def esc(text: str) -> str:
        return html.escape(text)

    cells = []
    for index, place in enumerate(card.places):
        image = (f'<img src="image:{index}" width="{image_px}" height="{image_px}">'
                 if place.image else "")
        moves = "".join(f"<li>{esc(move)}</li>" for move in place.moves)
        cells.append(f'<td width="50%" valign="top"><h2>{esc(place.title)}</h2>'
                     f'<table><tr><td valign="top">{image}</td>'
                     f'<td valign="top"><ol>{moves}</ol></td></tr></table></td>')
    rows = "".join("<tr>" + "".join(cells[i:i + 2]) + "</tr>" for i in range(0, len(cells), 2))
    heading = body_pt * 1.4
    return (
        f"<html><head><style>"
        f"body {{ font-size: {body_pt}pt; }} h1 {{ font-size: {body_pt * 2}pt; }}"
        f"h2 {{ font-size: {heading}pt; margin-bottom: 4px; }}"
        f"p.call {{ font-size: {heading}pt; font-weight: bold; }}"
        f"li {{ margin-bottom: 4px; }}"
        f"</style></head><body>"
        f"<h1>{esc(card.title)}</h1>"
        f'<p class="call">{esc(card.emergency)}</p><p><b>{esc(card.same_day)}</b></p>'
        f'<table width="100%" cellspacing="10">{rows}</table>'
        f"<h2>{esc(card.clot_title)}</h2><p>{esc(card.clot_question)}</p>"
        f"<p><small>{esc(card.footer)}</small></p>"
        f"</body></html>")


def _pdf(card: BedsideCard, paper: str) -> bytes:
    ensure_gui_app()
    from PySide6.QtCore import QRectF, QSizeF, QUrl
    from PySide6.QtGui import QImage, QPainter, QTextDocument
    from PySide6.QtSvg import QSvgRenderer

    writer, buffer, data = pdf_writer(card.title, paper, _MARGIN_MM, _RESOLUTION_DPI)
    page = writer.pageLayout().paintRectPixels(_RESOLUTION_DPI)

    images = []
    largest = _SIZES[0][1]
    for place in card.places:
        image = QImage(largest * _IMAGE_SCALE, largest * _IMAGE_SCALE,
                       QImage.Format.Format_ARGB32)
        image.fill(0xFFFFFFFF)
        if place.image:
            painter = QPainter(image)
            QSvgRenderer(str(resources.asset(place.image))).render(painter)
            painter.end()
        image.setDevicePixelRatio(_IMAGE_SCALE)
        images.append(image)

    document = QTextDocument()
    tries = [(body_pt, side) for body_pt, image_px in _SIZES
             for side in (image_px, round(image_px * _SMALLER_DRAWING))]
    for body_pt, image_px in tries:
        document = text_document(writer, 12)
        for index, image in enumerate(images):
            document.addResource(QTextDocument.ResourceType.ImageResource,
                                 QUrl(f"image:{index}"), image)
        document.setHtml(_html(card, body_pt, image_px))
        document.setPageSize(QSizeF(page.width(), page.height()))
        if document.pageCount() == 1:
            break
    painter = QPainter(writer)
    painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering)
    for number in range(document.pageCount()):
        if number:
            writer.newPage()
        top = number * page.height()
        painter.save()
        painter.translate(0, -top)
        document.drawContents(painter, QRectF(0, top, page.width(), page.height()))
        painter.restore()
    painter.end()
    buffer.close()
    return bytes(data.data())
