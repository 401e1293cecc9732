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
root window. It speaks X through :mod:`coach.services.x11`, so a launch
that hands over still never loads Qt. It never raises, and never waits
long: at worst the busy cursor times out, as before.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from coach.services.activation import valid

if TYPE_CHECKING:
    from coach.services.x11 import Connection

VARIABLE = "DESKTOP_STARTUP_ID"
CHUNK = 20
"""Bytes of message in each client message (format 8)."""
_CLIENT_MESSAGE = 33
PROPERTY_CHANGE_MASK = 1 << 22
"""Who listens on the root window for property changes hears launch messages."""


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
           within_s: float | None = None) -> str | None:
    """Tell the desktop the launch ``startup_id`` is over: None once the X
    server has the message, else why it could not be sent (within
    ``within_s``, by default :data:`coach.services.x11.ANSWER_WITHIN_S`).
    Nobody is told: the launch is ending, and its busy cursor times out in
    the end anyway."""
    display = os.environ.get("DISPLAY") if display is None else display
    if startup_id is None:
        return "this launch has no startup id"
    if not display:
        return "there is no X display"
    from coach.services import x11  # only now: most launches have no startup id

    return x11.bounded(lambda connection: _broadcast(connection, remove_message(startup_id)),
                       display, x11.ANSWER_WITHIN_S if within_s is None else within_s)


def _broadcast(connection: Connection, message: bytes) -> None:
    first = connection.atom(b"_NET_STARTUP_INFO_BEGIN")
    rest = connection.atom(b"_NET_STARTUP_INFO")
    # Receivers put a message together by the window it came from, so it
    # comes from one no other message uses.
    window = connection.hidden_window()
    for index, payload in enumerate(chunks(message)):
        connection.send_to_root(struct.pack("=BBHII", _CLIENT_MESSAGE, 8, 0, window,
                                            first if index == 0 else rest) + payload,
                                PROPERTY_CHANGE_MASK)
    connection.destroy_and_wait(window)
