"""Ending the desktop's launch feedback on X11 (freedesktop startup
notification), for a launch that will not show a window of its own.

Our menu entry says ``StartupNotify=true``, so an X11 launcher (Xfce's menu,
MATE's, Cinnamon's, GNOME on Xorg) shows a busy cursor from the click until
the started program says its launch is over, naming the ``DESKTOP_STARTUP_ID``
it was given. Qt says so itself when it shows the process's first window. A
launch that hands over to the Cramp Coach already waiting in the tray never
shows one, so without this the busy cursor spun on for the launcher's whole
timeout (up to 30 s) over a window that was already up: at 3 a.m. that reads
as "it is still loading".

:func:`finish` sends the spec's ``remove`` message, as libstartup-notification
does: from a throwaway window of its own, in 20-byte client messages to the
root window. It speaks X through ``libxcb``, which every X11 desktop has and
Qt's X11 plugin needs anyway, so a launch that hands over still never loads
Qt. It never raises: at worst the busy cursor times out, as before.
"""

from __future__ import annotations

import ctypes
import os
import struct
from collections.abc import Iterator, Mapping

from coach.services.activation import valid

VARIABLE = "DESKTOP_STARTUP_ID"
CHUNK = 20
"""Bytes of message in each client message (format 8)."""
ANSWER_WITHIN_S = 1.0
"""A local X server answers in a millisecond; one that has not in this long
is not going to, and a launch must not hang on it."""
_CLIENT_MESSAGE = 33
_PROPERTY_CHANGE_MASK = 1 << 22
_INPUT_ONLY = 2
_CW_OVERRIDE_REDIRECT = 1 << 9


def launch_id(environ: Mapping[str, str] = os.environ) -> str | None:
    """The startup id this process was launched with, if it is one we can
    send back (the same rule as an activation token: short, printable)."""
    startup_id = environ.get(VARIABLE)
    return startup_id if valid(startup_id) else None


def remove_message(startup_id: str) -> bytes:
    """The spec's message ending the sequence: its id escaped as
    libstartup-notification escapes values, and the closing NUL byte."""
    escaped = "".join(f"\\{c}" if c in ' "\\' else c for c in startup_id)
    return f"remove: ID={escaped}".encode() + b"\0"


def chunks(message: bytes) -> Iterator[bytes]:
    """``message`` cut into client-message payloads, the last padded."""
    for start in range(0, len(message), CHUNK):
        yield message[start:start + CHUNK].ljust(CHUNK, b"\0")


def finish(startup_id: str | None, display: str | None = None,
           within_s: float = ANSWER_WITHIN_S) -> str | None:
    """Tell the desktop the launch ``startup_id`` is over: None once the X
    server has the message, else why it could not be sent. Nobody is told:
    the launch is ending, and its busy cursor times out in the end anyway.

    An X server that does not answer (hung, or ``DISPLAY`` naming a host
    that never replies) is left talking to a daemon thread: the launch goes
    on, or ends, after ``within_s`` seconds whatever happens."""
    display = os.environ.get("DISPLAY") if display is None else display
    if startup_id is None:
        return "this launch has no startup id"
    if not display:
        return "there is no X display"
    import threading

    outcome: list[str | None] = []

    def send() -> None:
        try:
            _Xcb(display).broadcast(remove_message(startup_id))
        except OSError as error:
            outcome.append(str(error))
        else:
            outcome.append(None)

    sender = threading.Thread(target=send, name="startup notification", daemon=True)
    sender.start()
    sender.join(within_s)
    if not outcome:
        return f"the X display {display} did not answer within {within_s:g} s"
    return outcome[0]


class _Cookie(ctypes.Structure):
    _fields_ = [("sequence", ctypes.c_uint)]


class _ScreenIterator(ctypes.Structure):
    _fields_ = [("data", ctypes.POINTER(ctypes.c_uint32)), ("rem", ctypes.c_int),
                ("index", ctypes.c_int)]


class _Xcb:
    """The few libxcb calls a broadcast needs, on a connection of its own."""

    def __init__(self, display: str) -> None:
        try:
            self._lib = lib = ctypes.CDLL("libxcb.so.1")
            self._libc = ctypes.CDLL(None)
        except OSError as error:
            raise OSError(f"libxcb is not available ({error})") from error
        connection = ctypes.c_void_p
        lib.xcb_connect.restype = connection
        lib.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
        lib.xcb_connection_has_error.argtypes = [connection]
        lib.xcb_disconnect.argtypes = [connection]
        lib.xcb_get_setup.restype = ctypes.c_void_p
        lib.xcb_get_setup.argtypes = [connection]
        lib.xcb_setup_roots_iterator.restype = _ScreenIterator
        lib.xcb_setup_roots_iterator.argtypes = [ctypes.c_void_p]
        lib.xcb_screen_next.argtypes = [ctypes.POINTER(_ScreenIterator)]
        lib.xcb_generate_id.restype = ctypes.c_uint32
        lib.xcb_generate_id.argtypes = [connection]
        lib.xcb_create_window.restype = _Cookie
        lib.xcb_create_window.argtypes = [
            connection, ctypes.c_uint8, ctypes.c_uint32, ctypes.c_uint32, ctypes.c_int16,
            ctypes.c_int16, ctypes.c_uint16, ctypes.c_uint16, ctypes.c_uint16,
            ctypes.c_uint16, ctypes.c_uint32, ctypes.c_uint32,
            ctypes.POINTER(ctypes.c_uint32)]
        lib.xcb_destroy_window_checked.restype = _Cookie
        lib.xcb_destroy_window_checked.argtypes = [connection, ctypes.c_uint32]
        lib.xcb_request_check.restype = ctypes.c_void_p
        lib.xcb_request_check.argtypes = [connection, _Cookie]
        lib.xcb_intern_atom.restype = _Cookie
        lib.xcb_intern_atom.argtypes = [connection, ctypes.c_uint8, ctypes.c_uint16,
                                        ctypes.c_char_p]
        lib.xcb_intern_atom_reply.restype = ctypes.POINTER(ctypes.c_uint32)
        lib.xcb_intern_atom_reply.argtypes = [connection, _Cookie, ctypes.c_void_p]
        lib.xcb_send_event.restype = _Cookie
        lib.xcb_send_event.argtypes = [connection, ctypes.c_uint8, ctypes.c_uint32,
                                       ctypes.c_uint32, ctypes.c_char_p]
        self._libc.free.argtypes = [ctypes.c_void_p]
        self._display = display

    def broadcast(self, message: bytes) -> None:
        lib = self._lib
        screen = ctypes.c_int(0)
        connection = lib.xcb_connect(self._display.encode(), ctypes.byref(screen))
        try:
            if not connection or lib.xcb_connection_has_error(connection):
                raise OSError(f"cannot connect to the X display {self._display}")
            roots = lib.xcb_setup_roots_iterator(lib.xcb_get_setup(connection))
            for _ in range(min(screen.value, roots.rem - 1)):
                lib.xcb_screen_next(ctypes.byref(roots))
            root = roots.data[0]  # xcb_screen_t begins with its root window
            first = self._atom(connection, b"_NET_STARTUP_INFO_BEGIN")
            rest = self._atom(connection, b"_NET_STARTUP_INFO")
            # Receivers put a message together by the window it came from, so
            # it comes from one no other message uses.
            window = lib.xcb_generate_id(connection)
            override = ctypes.c_uint32(1)  # never managed, never shown
            lib.xcb_create_window(connection, 0, window, root, -100, -100, 1, 1, 0,
                                  _INPUT_ONLY, 0, _CW_OVERRIDE_REDIRECT,
                                  ctypes.byref(override))
            for index, payload in enumerate(chunks(message)):
                event = struct.pack("=BBHII", _CLIENT_MESSAGE, 8, 0, window,
                                    first if index == 0 else rest) + payload
                lib.xcb_send_event(connection, 0, root, _PROPERTY_CHANGE_MASK, event)
            # Waiting for the server to answer this last request (as Xlib's
            # XCloseDisplay does) means it has acted on all before it: a
            # connection closed at once may lose what it has not read yet.
            error = lib.xcb_request_check(
                connection, lib.xcb_destroy_window_checked(connection, window))
            if error:
                self._libc.free(error)
            if lib.xcb_connection_has_error(connection):
                raise OSError(f"the X display {self._display} closed the connection")
        finally:
            if connection:
                lib.xcb_disconnect(connection)

    def _atom(self, connection: int, name: bytes) -> int:
        cookie = self._lib.xcb_intern_atom(connection, 0, len(name), name)
        reply = self._lib.xcb_intern_atom_reply(connection, cookie, None)
        if not reply:
            raise OSError(f"the X display {self._display} did not name {name.decode()}")
        try:
            return int(reply[2])  # response type, pad, sequence (one word); length; atom
        finally:
            self._libc.free(reply)
