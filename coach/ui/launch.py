"""Start the GUI: check the platform can show a window, then hand over to the app.

Qt aborts the whole process with a terse message when its platform plugin
cannot load; checking the usual causes first lets us say what to install.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import sys

XCB_CURSOR_HELP = (
    "Cramp Coach cannot open a window: Qt needs the system library libxcb-cursor0.\n"
    "Install it, then start Cramp Coach again:\n"
    "  Debian/Ubuntu: sudo apt install libxcb-cursor0\n"
    "  Fedora:        sudo dnf install xcb-util-cursor\n"
    "  Arch:          sudo pacman -S xcb-util-cursor\n"
)
NO_DISPLAY_HELP = (
    "Cramp Coach cannot open a window: no display was found (DISPLAY and "
    "WAYLAND_DISPLAY are unset).\nRun it from a desktop session. The command-line "
    "tasks (validate, reminder, export, autostart) work without one.\n"
)


def platform_problem(environ: dict[str, str] | None = None, platform: str = sys.platform,
                     can_load: object = None) -> str | None:
    """Why a window cannot be shown here, or None if it probably can."""
    env = os.environ if environ is None else environ
    if not platform.startswith("linux"):
        return None
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen and not chosen.startswith("xcb"):
        return None
    if not env.get("DISPLAY"):
        if env.get("WAYLAND_DISPLAY") and not chosen:
            return None
        return NO_DISPLAY_HELP
    if env.get("WAYLAND_DISPLAY") and not chosen:
        return None
    loader = can_load if callable(can_load) else _can_load
    return None if loader("libxcb-cursor.so.0") else XCB_CURSOR_HELP


def _can_load(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def launch(args: argparse.Namespace) -> int:
    problem = platform_problem()
    if problem:
        sys.stderr.write(problem)
        return 2
    from PySide6.QtWidgets import QApplication

    from coach import APP_NAME
    from coach.ui.app import CoachApp

    qapp = QApplication(sys.argv[:1])
    qapp.setApplicationName(APP_NAME)
    qapp.setOrganizationName("cramp-coach")
    qapp.setDesktopFileName("cramp-coach")
    app = CoachApp(qapp, theme_override=args.theme)
    if args.emergency:
        app.open_emergency()
    else:
        app.show()
    return qapp.exec()
