"""The app's language on the Qt side: our catalogue (through
:mod:`coach.core.i18n`), Qt's own for its standard buttons and dialogs (Yes,
No, Cancel, the file dialog), and the locale Qt formats numbers with."""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from coach.core import i18n, wording
from coach.core.i18n import N_, _

_GETTEXT_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
QT_GAPS = frozenset({
    # Translators: a label in Qt's own file dialog, which Qt's catalogue lacks.
    # "&" comes before the letter Alt takes to the field: one no other label of
    # that dialog uses ("&Имя файла:" has И).
    ("QFileDialog", N_("&Look in:")),
    # Translators: a label in Qt's own file dialog (see "&Look in:").
    ("QFileDialog", N_("Files of &type:")),
})
"""Qt's own words that its catalogue for a language may lack: Qt 6 gave two
of its file dialog's labels access keys, and the Russian catalogue kept only
the words without them, so the dialog said "Look in:" among Russian words.
Ours says them, context and source text as Qt asks for them."""


class _QtGaps(QTranslator):
    """Asked before Qt's catalogue, and answers only for :data:`QT_GAPS`."""

    # None is Qt's null string, "not here, ask the next catalogue"; an empty
    # one would be taken as the translation.
    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        return _(source) if (context, source) in QT_GAPS else None

    def isEmpty(self) -> bool:
        """Qt counts a translator with no file loaded as not installed."""
        return False


def desktop_environ() -> dict[str, str]:
    """The environment the desktop's language is read from. Windows and
    macOS set none of the gettext variables: there Qt's system locale says
    what the person chose."""
    environ = dict(os.environ)
    if not any(environ.get(name) for name in _GETTEXT_VARIABLES):
        environ["LANG"] = QLocale.system().name()
    return environ


class Language:
    """One translator for Qt's own words per process (there is one language
    per process), so a change of language, or a second app object in the
    tests, replaces it rather than stacking another."""

    _qt: QTranslator | None = None
    _gaps: QTranslator | None = None
    _installed = False

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        if Language._qt is None:
            Language._qt = QTranslator(app)
            Language._gaps = _QtGaps(app)

    def apply(self, setting: str) -> str:
        """Speak ``setting`` ("" for the desktop's language); returns the
        language in effect, English when there is no catalogue for it."""
        i18n.set_current(i18n.resolve(setting, desktop_environ()))
        language = i18n.current()
        translator, gaps = Language._qt, Language._gaps
        assert translator is not None and gaps is not None
        if Language._installed:
            self._app.removeTranslator(gaps)
            self._app.removeTranslator(translator)
            Language._installed = False
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if language != i18n.DEFAULT and translator.load(f"qtbase_{language}", folder):
            # The last installed is asked first.
            Language._installed = (self._app.installTranslator(translator)
                                   and self._app.installTranslator(gaps))
        # The same language and territory as every date and number the app
        # words itself (British English without a territory).
        QLocale.setDefault(QLocale(wording.locale_name()))
        return language
