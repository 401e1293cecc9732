"""The app's language on the Qt side: our catalogue (through
:mod:`coach.core.i18n`), Qt's own for its standard buttons and dialogs (Yes,
No, Cancel, the file dialog), and the locale Qt formats numbers with."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale

from coach.core import i18n, wording

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication, QTranslator

_GETTEXT_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def desktop_environ() -> dict[str, str]:
    """The environment the desktop's language is read from. Windows and
    macOS set none of the gettext variables: there Qt's system locale says
    what the person chose."""
    environ = dict(os.environ)
    if not any(environ.get(name) for name in _GETTEXT_VARIABLES):
        environ["LANG"] = QLocale.system().name()
    return environ


def speak(setting: str) -> str:
    """Our own words' half of :meth:`Language.apply`, which is all the first
    paint needs (:mod:`coach.ui.first_paint`): the language in effect."""
    i18n.set_current(i18n.resolve(setting, desktop_environ()))
    return i18n.current()


class Language:
    """One translator for Qt's own words per process (there is one language
    per process), so a change of language, or a second app object in the
    tests, replaces it rather than stacking another."""

    _qt: QTranslator | None = None
    _gaps: QTranslator | None = None
    _installed = False

    def __init__(self, app: QCoreApplication) -> None:
        # Here, not at the top: the first paint needs only speak(), and
        # PySide6 builds a class's Python type when it is first imported.
        from PySide6.QtCore import QTranslator

        self._app = app
        if Language._qt is None:
            Language._qt = QTranslator(app)

    def apply(self, setting: str) -> str:
        """Speak ``setting`` ("" for the desktop's language); returns the
        language in effect, English when there is no catalogue for it."""
        language = speak(setting)
        translator = Language._qt
        assert translator is not None
        if Language._installed:
            assert Language._gaps is not None  # installed with it
            self._app.removeTranslator(Language._gaps)
            self._app.removeTranslator(translator)
            Language._installed = False
        from PySide6.QtCore import QLibraryInfo

        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if language != i18n.DEFAULT and translator.load(f"qtbase_{language}", folder):
            if Language._gaps is None:  # only now: English, at 3 a.m. too, never needs it
                from coach.ui.qt_gaps import QtGaps

                Language._gaps = QtGaps(self._app)
            # The last installed is asked first.
            Language._installed = (self._app.installTranslator(translator)
                                   and self._app.installTranslator(Language._gaps))
        # The same language and territory as every date and number the app
        # words itself (British English without a territory).
        QLocale.setDefault(QLocale(wording.locale_name()))
        return language
