"""Start the GUI: hand over to a running Cramp Coach, or check the platform can
show a window, claim the single instance and start the app.

Qt aborts the whole process with a terse, misleading message when its
platform plugin cannot load or no display answers; checking those first lets
the launch say what is wrong and what to do.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple, Protocol

from coach import instance
from coach.core.i18n import N_
from coach.services import activation, startup_notification

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

    from coach.ui.first_paint import FirstPaint
    from coach.ui.instance_server import InstanceServer


class Claim(Protocol):
    """What waiting for the claim needs of the instance server."""

    name: str

    def claim(self) -> bool: ...

# Translators: keep the commands and package names as they are.
XCB_CURSOR_HELP = N_(
    "Cramp Coach cannot open a window: Qt needs the system library libxcb-cursor0.\n"
    "Install it, then start Cramp Coach again:\n"
    "  Debian/Ubuntu: sudo apt install libxcb-cursor0\n"
    "  Fedora:        sudo dnf install xcb-util-cursor\n"
    "  Arch:          sudo pacman -S xcb-util-cursor\n"
)
# Translators: {library} is a file name, e.g. "libxcb-icccm.so.4"; {package} the
# Debian/Ubuntu package that has it, e.g. "libxcb-icccm4". Keep both, and the
# command, as they are.
XCB_LIBRARY_HELP = N_(
    "Cramp Coach cannot open a window: Qt needs the system library {library}, which is "
    "not installed.\nInstall it, then start Cramp Coach again (on Debian and Ubuntu: "
    "sudo apt install {package}).\n"
)
# Translators: keep DISPLAY, WAYLAND_DISPLAY and the command names as they are.
NO_DISPLAY_HELP = N_(
    "Cramp Coach cannot open a window: no display was found (DISPLAY and "
    "WAYLAND_DISPLAY are unset).\nRun it from a desktop session. The command-line "
    "tasks (validate, reminder, export, autostart) work without one.\n"
)
# Translators: {display} is the value of DISPLAY, e.g. ":0". Keep DISPLAY as it is.
X_SERVER_HELP = N_(
    "Cramp Coach cannot open a window: the X display {display} does not answer.\n"
    "Start Cramp Coach from your desktop session. If DISPLAY was left over from a "
    "session that has ended, unset it.\n"
)
# Translators: {display} is the value of WAYLAND_DISPLAY, e.g. "wayland-0". Keep
# WAYLAND_DISPLAY as it is.
WAYLAND_HELP = N_(
    "Cramp Coach cannot open a window: the Wayland display {display} does not answer.\n"
    "Start Cramp Coach from your desktop session. If WAYLAND_DISPLAY was left over from "
    "a session that has ended, unset it.\n"
)
UNPAINTED_START_MS = 2000
"""A first window that is never painted (hidden from the start by the
window manager) does not hold the app back longer than this."""
CLAIM_POLL_S = 0.05
"""How often a launch that lost the claim looks again for the winner's socket."""


class Problem(NamedTuple):
    """Why a window cannot be shown: a catalogue sentence and its values."""

    message: str
    values: Mapping[str, str] = MappingProxyType({})


def platform_problem(environ: Mapping[str, str] | None = None, platform: str = sys.platform,
                     probes: Probes | None = None) -> Problem | None:
    """Why a window cannot be shown here, or None if it probably can.

    Unless told otherwise, Qt tries Wayland first, then X11 (only X11 in an
    X11 session), and aborts the process (SIGABRT) when none works. So the
    displays are asked before Qt starts: a Wayland socket must accept a
    connection, and an X display must answer (:mod:`coach.services.x11`)
    with the library Qt's X11 plugin needs installed. ``probes`` stand in
    for those checks."""
    env = os.environ if environ is None else environ
    if not platform.startswith("linux"):
        return None
    check = probes or Probes()
    chosen = [name.split(":")[0] for name in env.get("QT_QPA_PLATFORM", "").split(";")
              if name]
    if not chosen and env.get("XDG_SESSION_TYPE") == "x11":
        chosen = ["xcb"]  # as Qt itself decides
    wayland_first = not chosen or chosen[0].startswith("wayland")
    then_x11 = not chosen or "xcb" in chosen
    if chosen and not (wayland_first or then_x11):
        return None  # offscreen, eglfs, vnc…: Qt's to judge
    wayland = env.get("WAYLAND_DISPLAY", "") if wayland_first else ""
    if wayland:
        reason = check.wayland(wayland_socket(env))
        if reason is None:
            return None
        _log_why(reason)
        if not (then_x11 and env.get("DISPLAY")):
            return Problem(WAYLAND_HELP, {"display": wayland})
    if not then_x11:
        return None  # Wayland chosen without WAYLAND_DISPLAY: its default socket
    display = env.get("DISPLAY")
    if not display:
        return Problem(NO_DISPLAY_HELP)
    missing = check.xcb_libraries()
    if missing == "libxcb-cursor.so.0":  # the one most desktops lack: its packages by name
        return Problem(XCB_CURSOR_HELP)
    if missing is not None:
        return Problem(XCB_LIBRARY_HELP, {"library": missing, "package": debian_package(missing)})
    reason = check.x11(display)
    if reason is None:
        return None
    _log_why(reason)
    return Problem(X_SERVER_HELP, {"display": display})


def wayland_socket(environ: Mapping[str, str]) -> str:
    """Where libwayland looks for the compositor ``WAYLAND_DISPLAY`` names."""
    name = environ.get("WAYLAND_DISPLAY", "")
    if os.path.isabs(name):
        return name
    return os.path.join(environ.get("XDG_RUNTIME_DIR", ""), name)


def _wayland_unreachable(path: str) -> str | None:
    import socket  # only here: see coach.instance

    from coach.services.x11 import ANSWER_WITHIN_S  # the same patience as with X11

    with socket.socket(socket.AF_UNIX) as probe:
        probe.settimeout(ANSWER_WITHIN_S)
        try:
            probe.connect(path)
        except OSError as error:
            return f"cannot connect to the Wayland socket {path}: {error.strerror or error}"
    return None


def _x11_unreachable(display: str) -> str | None:
    from coach.services import x11  # only now: a hand-over never needs it

    return x11.unreachable(display)


def _missing_xcb_library() -> str | None:
    """The first system library Qt's X11 plugin cannot find, or None. The
    plugin is loaded as Qt will load it, so the system's loader names the
    library; it stays loaded for Qt, which would load it a moment later, so
    start-up is no slower (``benchmarks/startup.py`` on X11). Outside the
    wheel's layout (a distribution's PySide6), only libxcb-cursor0 is looked
    for, the one most desktops lack."""
    import importlib.util

    spec = importlib.util.find_spec("PySide6")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    plugins = [os.path.join(folder, "Qt", "plugins", "platforms", "libqxcb.so")
               for folder in folders]
    plugin = next((path for path in plugins if os.path.isfile(path)), None)
    return missing_library(plugin or "libxcb-cursor.so.0")


def missing_library(path: str) -> str | None:
    """The library the system's loader could not find to load ``path`` (the
    file itself, when it is missing), or None once it is loaded."""
    import ctypes  # only here: a hand-over never needs it

    try:
        ctypes.CDLL(path)
    except OSError as error:
        # glibc: "libxcb-icccm.so.4: cannot open shared object file: No such file or directory"
        return str(error).split(":", 1)[0].strip() or path
    return None


def debian_package(library: str) -> str:
    """The Debian/Ubuntu package named after ``library`` by Debian's policy:
    libxcb-icccm.so.4 is in libxcb-icccm4, libxkbcommon-x11.so.0 in
    libxkbcommon-x11-0."""
    name, _, version = os.path.basename(library).partition(".so.")
    name = name.lower()
    version = version.split(".")[0]
    return f"{name}-{version}" if name[-1:].isdigit() else f"{name}{version}"


class Probes(NamedTuple):
    """How :func:`platform_problem` checks a display; tests stand in."""

    xcb_libraries: Callable[[], str | None] = _missing_xcb_library
    x11: Callable[[str], str | None] = _x11_unreachable
    wayland: Callable[[str], str | None] = _wayland_unreachable


def _log_why(reason: str) -> None:
    """The person is told in one sentence; why, for a bug report, with --verbose."""
    import logging

    logging.getLogger(__name__).info("No window: %s", reason)


def requested_action(args: argparse.Namespace) -> str:
    if args.emergency:
        return "emergency"
    if args.routine:
        return "routine"
    return "background" if args.background else "show"


def launch(args: argparse.Namespace, becoming_the_app: Callable[[], None],
           speak: Callable[[], None]) -> int:
    """``becoming_the_app`` (logging, tidying) is called once this process is
    to be the app, not before: a launch that hands over never pays for it.
    Nor for its language: ``speak`` sets the command line's, and is called
    only before this launch has something to say."""
    action = requested_action(args)
    # Qt takes the X11 launch id from the environment when it starts, and ends
    # the desktop's busy cursor when it shows a window; a launch that shows
    # none ends it here (see startup_notification).
    startup_id = startup_notification.launch_id()

    def without_window(exit_code: int) -> int:
        startup_notification.finish(startup_id)
        return exit_code

    # Before anything else, and before Qt is imported: if Cramp Coach is
    # already running, it takes the request and this process is done.
    token = activation.launch_token()
    outcome, reason = instance.request(action, args.routine, token=token)
    if outcome is not instance.Outcome.ABSENT:
        return without_window(_handed_over(outcome, reason, speak))
    becoming_the_app()
    problem = platform_problem()
    if problem:
        _say(problem.message, speak, **problem.values)
        return without_window(2)
    from PySide6.QtWidgets import QApplication

    spare_pyside_the_source_reading()
    from coach import APP_NAME
    from coach.ui.instance_server import InstanceServer

    qapp = QApplication(sys.argv[:1])
    qapp.setApplicationName(APP_NAME)
    qapp.setOrganizationName("cramp-coach")
    qapp.setDesktopFileName("cramp-coach")
    try:
        server = InstanceServer(parent=qapp)
        exit_code = claim_or_hand_over(server, action, args.routine, speak, token)
    except OSError as exc:
        # Translators: {reason} is the system's reason, e.g. "Permission denied".
        _say(N_("Cramp Coach cannot make sure only one copy runs, so it will not start: "
                "{reason}\n"), speak, reason=exc)
        return without_window(1)
    if exit_code is not None:
        return without_window(exit_code)
    started: list[QObject] = []  # the app, kept while Qt runs it

    def start(first: FirstPaint | None = None) -> None:
        if started:
            return
        from coach.ui.app import CoachApp

        app = CoachApp(qapp, theme_override=args.theme, language_override=args.lang,
                       first=first)
        started.append(app)
        from coach.core import paths
        from coach.ui import errors

        # An error nobody caught is logged and told once, never a silent crash.
        errors.install(app.notices, paths.log_file())
        server.request.connect(app.handle_request)
        # Not before the paint, and in this order: the socket is how a later
        # launch (and a test) knows the app has settled, so Ctrl+C must already
        # end it as Quit does once the socket is there. Listening first left a
        # moment in which a signal met Python's own handler (a traceback).
        app.settled.connect(lambda: end_on_signals(qapp, app.quit))
        app.settled.connect(lambda: _listen(server))
        if action == "background":
            startup_notification.finish(startup_id)  # to the tray: the launch is over
            app.start_resident()
        else:
            app.handle_request(action, args.routine)
        # Built: from now on the app makes garbage (see coach.cli.main). What
        # the start made stays as long as the app, so the collector is told
        # to leave it out for good: a resident app waiting for bedtime used
        # 7 ms of CPU a minute on passes over it (benchmarks/idle.py).
        gc.freeze()
        gc.enable()

    first = None
    if action == "emergency":  # the place buttons first, the app after them
        from coach.ui.first_paint import paint_first

        first = paint_first(qapp, args.lang, args.theme)
    if first is None:
        start()
    else:
        from PySide6.QtCore import QTimer

        # A zero timer started before the paint would run before it.
        painted = first
        first.window.first_painted.connect(lambda: QTimer.singleShot(0, lambda: start(painted)))
        QTimer.singleShot(UNPAINTED_START_MS, lambda: start(painted))
    return qapp.exec()


def end_on_signals(qapp: QObject, end: Callable[[], None]) -> None:
    """Ctrl+C in the terminal that started the app (SIGINT), or the session
    ending it (SIGTERM), ends it as Quit does. Python runs a signal's
    handler only between bytecodes, and while the app waits Qt holds the
    thread in C: so the signal also writes its number to a socket
    (``set_wakeup_fd``) whose notifier wakes Qt. Nothing polls, so waiting
    stays free (benchmarks/idle.py).

    The ending runs from that notifier, in the event loop, never from the
    handler: Python runs a handler between any two bytecodes, in the middle
    of whatever the app was doing. Ended from there, a second signal during
    the first one's quit (``timeout`` sends two, the session may too) quit
    again inside the settings write, which waited for ever on the lock that
    write held: a hung app that no later launch could reach."""
    import signal
    import socket

    from PySide6.QtCore import QSocketNotifier

    ending = [number for number in (signal.SIGINT, getattr(signal, "SIGTERM", None))
              if number is not None]
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, qapp)

    def woken(*_: object) -> None:
        try:
            numbers = reader.recv(64)
        except BlockingIOError:
            return
        if any(number in numbers for number in ending):
            end()

    def close(*_: object) -> None:
        reader.close()
        writer.close()

    notifier.activated.connect(woken)
    notifier.destroyed.connect(close)
    for number in ending:
        signal.signal(number, _noted)


def _noted(number: int, frame: object) -> None:
    """A signal's Python handler: the wake-up socket has its number already
    (see :func:`end_on_signals`), and Python's default for SIGINT, raising
    KeyboardInterrupt wherever the app happens to be, is what this replaces."""


def spare_pyside_the_source_reading() -> None:
    """PySide6 reads the source file of every module imported after it, to
    see whether it mentions "PySide6" and so may select one of PySide6's
    ``__feature__`` options (snake_case names, true properties). Cramp Coach
    selects none, so the answer changes nothing here, yet the reading costs
    about 11 ms before the first paint (some 100 modules; see
    benchmarks/startup.py). PySide6 publishes its table of answers as
    ``__feature__.pyside_feature_dict``; -1 in it is the answer for a module
    whose attribute lookups PySide6 leaves alone, which is what its C side
    does for a module missing from the table too. Filling that in for every
    module loaded so far, every one of ours and the standard library's (by
    top-level name) spares the reading. With a PySide6 that no longer
    publishes the table this does nothing."""
    table = getattr(sys.modules.get("__feature__"), "pyside_feature_dict", None)
    if not isinstance(table, dict):
        return
    for name in [*sys.modules, *_our_modules(), *sys.stdlib_module_names]:
        table.setdefault(name, -1)


def _our_modules() -> list[str]:
    package = Path(__file__).resolve().parents[1]
    names = []
    for folder, subfolders, files in os.walk(package):
        # Not __pycache__, nor the data a wheel ships in coach/_data.
        subfolders[:] = [name for name in subfolders
                         if name.isidentifier() and not name.startswith("_")]
        prefix = ".".join(Path(folder).relative_to(package.parent).parts)
        names += [prefix, *(f"{prefix}.{name[:-3]}" for name in files
                            if name.endswith(".py") and name != "__init__.py")]
    return names


def _listen(server: InstanceServer) -> None:
    """Once the first screen is painted: a later launch waits for it meanwhile."""
    if not server.listen():
        from coach.core.i18n import _

        # Translators: {name} is a socket's path; {reason} is why it failed.
        sys.stderr.write(_("Cramp Coach could not listen at {name} ({reason}); starting it "
                           "again will not reach this window.\n").format(
            name=server.name, reason=server.error))


def claim_or_hand_over(server: Claim, action: str, routine: str | None,
                       speak: Callable[[], None], token: str | None = None) -> int | None:
    """Become the one instance (None), or hand over to the one that is (an
    exit code). Another process may hold the claim without answering yet: a
    launch started at the same moment, still building its window. So keep
    asking until it answers or its claim frees, within a bound; past it, stop
    rather than run a second copy."""
    deadline = time.monotonic() + instance.TIMEOUT_S
    while not server.claim():
        left = deadline - time.monotonic()
        if left <= 0:
            return _handed_over(instance.Outcome.SILENT, "", speak)
        outcome, reason = instance.request(action, routine, server.name, timeout=left,
                                           token=token)
        if outcome is not instance.Outcome.ABSENT:
            return _handed_over(outcome, reason, speak)
        time.sleep(CLAIM_POLL_S)
    return None


def _handed_over(outcome: instance.Outcome, reason: str, speak: Callable[[], None]) -> int:
    """The exit code of a launch that found Cramp Coach running, saying why
    in one line if the running one did not take the request."""
    if outcome is instance.Outcome.TAKEN:
        return 0
    if outcome is instance.Outcome.REFUSED:
        # Translators: {reason} is the running app's, e.g. "unknown action".
        _say(N_("Cramp Coach is already running and refused this request: {reason}.\n"),
             speak, reason=reason)
    else:
        _say(N_("Cramp Coach is already running but did not answer within {seconds} s; try "
                "again, or end the other copy.\n"), speak, seconds=f"{instance.TIMEOUT_S:g}")
    return 1


def _say(message: str, speak: Callable[[], None], **values: object) -> None:
    """``message`` on stderr in the command line's language, with ``values``."""
    speak()
    from coach.core.i18n import _

    sys.stderr.write(_(message).format(**values))
