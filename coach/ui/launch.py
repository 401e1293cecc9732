"""Start the GUI: check the platform can show a window, then hand over to the app.

Qt aborts the whole process with a terse message when its platform plugin
cannot load; checking the usual causes first lets us say what to install.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import sys

from coach import instance

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


def requested_action(args: argparse.Namespace) -> str:
    if args.emergency:
        return "emergency"
    if args.routine:
        return "routine"
    return "background" if args.background else "show"


def launch(args: argparse.Namespace) -> int:
    action = requested_action(args)
    # Before anything else, and before Qt is imported: if Cramp Coach is
    # already running, it takes the request and this process is done.
    if instance.hand_over(action, args.routine):
        return 0
    problem = platform_problem()
    if problem:
        sys.stderr.write(problem)
        return 2
    from PySide6.QtWidgets import QApplication

    from coach import APP_NAME
    from coach.ui.app import CoachApp
    from coach.ui.instance_server import InstanceServer

    qapp = QApplication(sys.argv[:1])
    qapp.setApplicationName(APP_NAME)
    qapp.setOrganizationName("cramp-coach")
    qapp.setDesktopFileName("cramp-coach")
    server = InstanceServer(parent=qapp)
    if not server.listen():
        if instance.hand_over(action, args.routine):
            return 0
        sys.stderr.write("Cramp Coach could not claim its single-instance address "
                         f"({server.name}); running anyway.\n")
    app = CoachApp(qapp, theme_override=args.theme)
    server.request.connect(app.handle_request)
    if action == "background":
        app.start_resident()
    else:
        app.handle_request(action, args.routine)
    return qapp.exec()
