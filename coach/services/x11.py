"""X11 without Qt, through libxcb, for the two moments Qt cannot be used.

- Before Qt starts: is the display there at all? Qt's X11 plugin aborts the
  whole process (SIGABRT, and "reinstalling the application may fix this
  problem") when it cannot connect: a ``DISPLAY`` left over from a session
  that has ended, a server not up yet when the tray starts at login, a
  refused cookie. :func:`unreachable` asks first, so the launch can say what
  is wrong instead.
- In a launch that hands over to the running app without loading Qt, to end
  the desktop's launch feedback (:mod:`coach.services.startup_notification`).

libxcb is on every X11 desktop, and Qt's X11 plugin needs it anyway. Every
call is bounded: an X server that never answers (hung, or a ``DISPLAY``
naming a host that stays silent) holds the caller at most
:data:`ANSWER_WITHIN_S`, its connection left to a daemon thread.
"""

from __future__ import annotations

import ctypes
import functools
import threading
from collections.abc import Callable
from types import TracebackType

ANSWER_WITHIN_S = 5.0
"""A local X server answers in a millisecond, but not always on a loaded
machine: at login, with the session starting everything at once (the tray
starts then), or just after it started; a server that has not answered in
this long is not going to, and a launch must not hang on it. (One second
proved too short once, on a test machine's new Xvfb under load: the app
refused to start, saying the display did not answer.)"""
_INPUT_ONLY = 2
_CW_OVERRIDE_REDIRECT = 1 << 9


def unreachable(display: str, within_s: float = ANSWER_WITHIN_S) -> str | None:
    """Why ``display`` cannot be used, or None when it answered."""
    return bounded(lambda _connection: None, display, within_s)


def bounded(work: Callable[[Connection], None], display: str,
            within_s: float = ANSWER_WITHIN_S) -> str | None:
    """Do ``work`` on a connection of its own to ``display``: None once it is
    done, else why it could not be (a sentence for a log or a person)."""
    outcome: list[str | None] = []

    def run() -> None:
        try:
            with Connection(display) as connection:
                work(connection)
        except OSError as error:
            outcome.append(str(error))
        else:
            outcome.append(None)

    worker = threading.Thread(target=run, name="X11", daemon=True)
    worker.start()
    worker.join(within_s)
    if not outcome:
        return f"the X display {display} did not answer within {within_s:g} s"
    return outcome[0]


class _Cookie(ctypes.Structure):
    _fields_ = [("sequence", ctypes.c_uint)]


class _ScreenIterator(ctypes.Structure):
    _fields_ = [("data", ctypes.POINTER(ctypes.c_uint32)), ("rem", ctypes.c_int),
                ("index", ctypes.c_int)]


@functools.cache
def _libraries() -> tuple[ctypes.CDLL, ctypes.CDLL]:
    """libxcb with the prototypes used here, and libc for ``free``."""
    try:
        lib, libc = ctypes.CDLL("libxcb.so.1"), ctypes.CDLL(None)
    except OSError as error:
        raise OSError(f"libxcb is not available ({error})") from error
    connection, u8, u16, u32 = ctypes.c_void_p, ctypes.c_uint8, ctypes.c_uint16, ctypes.c_uint32
    prototypes: dict[str, tuple[object, list[object]]] = {
        "xcb_connect": (connection, [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]),
        "xcb_connection_has_error": (ctypes.c_int, [connection]),
        "xcb_disconnect": (None, [connection]),
        "xcb_get_setup": (ctypes.c_void_p, [connection]),
        "xcb_setup_roots_iterator": (_ScreenIterator, [ctypes.c_void_p]),
        "xcb_screen_next": (None, [ctypes.POINTER(_ScreenIterator)]),
        "xcb_generate_id": (u32, [connection]),
        "xcb_create_window": (_Cookie, [connection, u8, u32, u32, ctypes.c_int16,
                                        ctypes.c_int16, u16, u16, u16, u16, u32, u32,
                                        ctypes.POINTER(u32)]),
        "xcb_destroy_window_checked": (_Cookie, [connection, u32]),
        "xcb_request_check": (ctypes.c_void_p, [connection, _Cookie]),
        "xcb_intern_atom": (_Cookie, [connection, u8, u16, ctypes.c_char_p]),
        "xcb_intern_atom_reply": (ctypes.POINTER(u32), [connection, _Cookie, ctypes.c_void_p]),
        "xcb_send_event": (_Cookie, [connection, u8, u32, u32, ctypes.c_char_p]),
    }
    for name, (result, arguments) in prototypes.items():
        function = getattr(lib, name)
        function.restype, function.argtypes = result, arguments
    libc.free.argtypes = [ctypes.c_void_p]
    return lib, libc


class Connection:
    """A connection to one X display and the few requests made on it."""

    def __init__(self, display: str) -> None:
        self.display = display
        self._lib, self._libc = _libraries()
        screen = ctypes.c_int(0)
        self._connection = self._lib.xcb_connect(display.encode(), ctypes.byref(screen))
        if not self._connection or self._lib.xcb_connection_has_error(self._connection):
            self.close()
            raise OSError(f"cannot connect to the X display {display}")
        roots = self._lib.xcb_setup_roots_iterator(self._lib.xcb_get_setup(self._connection))
        for _ in range(min(screen.value, roots.rem - 1)):
            self._lib.xcb_screen_next(ctypes.byref(roots))
        self.root = int(roots.data[0])  # xcb_screen_t begins with its root window

    def atom(self, name: bytes) -> int:
        cookie = self._lib.xcb_intern_atom(self._connection, 0, len(name), name)
        reply = self._lib.xcb_intern_atom_reply(self._connection, cookie, None)
        if not reply:
            raise OSError(f"the X display {self.display} did not name {name.decode()}")
        try:
            return int(reply[2])  # response type, pad, sequence (one word); length; atom
        finally:
            self._libc.free(reply)

    def hidden_window(self) -> int:
        """A window of this connection's own that is never managed or shown."""
        window = int(self._lib.xcb_generate_id(self._connection))
        override = ctypes.c_uint32(1)
        self._lib.xcb_create_window(self._connection, 0, window, self.root, -100, -100, 1, 1,
                                    0, _INPUT_ONLY, 0, _CW_OVERRIDE_REDIRECT,
                                    ctypes.byref(override))
        return window

    def send_to_root(self, event: bytes, mask: int) -> None:
        """``event`` (32 bytes, as on the wire) to whoever listens on the root
        window for ``mask``."""
        self._lib.xcb_send_event(self._connection, 0, self.root, mask, event)

    def destroy_and_wait(self, window: int) -> None:
        """Waiting for the server to answer this last request (as Xlib's
        XCloseDisplay does) means it has acted on every one before it: a
        connection closed at once may lose what the server has not read."""
        error = self._lib.xcb_request_check(
            self._connection, self._lib.xcb_destroy_window_checked(self._connection, window))
        if error:
            self._libc.free(error)
        if self._lib.xcb_connection_has_error(self._connection):
            raise OSError(f"the X display {self.display} closed the connection")

    def close(self) -> None:
        if self._connection:
            self._lib.xcb_disconnect(self._connection)
            self._connection = None

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
