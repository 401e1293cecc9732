"""Unexpected errors in the running app: written to the log with their
traceback, said once in the window, and never the end of the app.

PySide6 hands an exception raised in a slot (a button, a timer, a signal from
a worker) to :data:`sys.excepthook` and then carries on with the event loop.
The default hook prints the traceback to a terminal that nobody is looking
at, and the person in the middle of a 3 a.m. cramp sees a button that did
nothing. With :func:`install`, the traceback goes to the log file, the window
says where it is, and the app keeps running: a broken diary chart must never
take emergency mode down with it. Exceptions in background threads take the
same path. Qt's own warnings go to :mod:`logging` too, so they reach the log
file instead of only a terminal.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from coach.core.i18n import _
from coach.core.notices import Notices

_LOG = logging.getLogger(__name__)
_QT_LOG = logging.getLogger("qt")
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def install(notices: Notices, log_path: Path) -> None:
    """Route uncaught exceptions and Qt's messages to :mod:`logging`, and post
    "Something went wrong" to ``notices`` once per distinct error (same type,
    raised at the same line). Call once, after the QApplication and the
    notices exist. ``log_path`` is the file the log is written to (the CLI's
    logging set-up, :func:`coach.cli.configure_logging`, writes to
    :func:`coach.core.paths.log_file`); it is only named in the notice.

    KeyboardInterrupt and SystemExit are not errors of the app: they keep
    going to the hooks that were there before.
    """
    previous_hook = sys.excepthook
    previous_thread_hook = threading.excepthook

    def report(kind: type[BaseException], error: BaseException,
               trace: TracebackType | None) -> None:
        _LOG.error("Unexpected error: %s", error or kind.__name__,
                   exc_info=(kind, error, trace))
        notices.post("error", lambda: _("Something went wrong; the details are in {path}.")
                     .format(path=log_path),
                     key=f"unexpected:{kind.__module__}.{kind.__qualname__}:{_where(trace)}")

    def hook(kind: type[BaseException], error: BaseException,
             trace: TracebackType | None) -> None:
        if issubclass(kind, Exception):
            report(kind, error, trace)
        else:
            previous_hook(kind, error, trace)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None and isinstance(args.exc_value, Exception):
            report(args.exc_type, args.exc_value, args.exc_traceback)
        else:
            previous_thread_hook(args)

    sys.excepthook = hook
    threading.excepthook = thread_hook
    qInstallMessageHandler(_qt_message)


def _where(trace: TracebackType | None) -> str:
    """The line that raised, so that the same fault repeating (a timer firing
    every second) is said once, while a different one is still said."""
    frames = traceback.extract_tb(trace)
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    category = context.category or ""
    prefix = "" if category in ("", "default") else f"{category}: "
    _QT_LOG.log(_QT_LEVELS.get(kind, logging.WARNING), "%s%s", prefix, message)
