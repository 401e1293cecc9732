"""Qt's own words that its catalogue for a language lacks, from ours.

Qt 6 gave two of its file dialog's labels access keys ("&Look in:"), and the
Russian catalogue kept only the words without them, so the export dialog
said "Look in:" among Russian words. Imported only with a catalogue of Qt's
installed: the English start pays nothing for it.
"""

from __future__ import annotations

from PySide6.QtCore import QTranslator

from coach.core.i18n import N_, _

QT_GAPS = frozenset({
    # Translators: a label in Qt's own file dialog, which Qt's catalogue lacks.
    # "&" comes before the letter Alt takes to the field: one no other label of
    # that dialog uses ("&Имя файла:" has И).
    ("QFileDialog", N_("&Look in:")),
    # Translators: a label in Qt's own file dialog (see "&Look in:").
    ("QFileDialog", N_("Files of &type:")),
})
"""Context and source text, as Qt asks for them."""


class QtGaps(QTranslator):
    """Asked before Qt's catalogue, and answers only for :data:`QT_GAPS`."""

    # None is Qt's null string, "not here, ask the next catalogue"; an empty
    # one would be taken as the translation.
    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        return _(source) if (context, source) in QT_GAPS else None

    def isEmpty(self) -> bool:
        """Qt counts a translator with no file loaded as not installed."""
        return False
