"""One Cramp Coach per user: a second launch hands its request to the first.

The running app listens with ``QLocalServer`` on a per-user address. On POSIX
that is a Unix socket in the user's runtime folder, so a second launch can
connect with the plain :mod:`socket` module and exit before Qt is even
imported: the hand-over costs a few milliseconds beyond Python's own start-up.
On Windows the address is a named pipe, reached through ``QLocalSocket``.

The wire format is one JSON line each way: ``{"action": ...}`` then ``ok``.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import socket
import sys
import tempfile
from pathlib import Path

ACTIONS = ("show", "emergency", "routine", "background", "reload")
"""``reload``: settings were changed from the command line; take them up."""
TIMEOUT_S = 2.0


def server_name() -> str:
    """Per user: the runtime folder is private to the user where it exists; the
    name also carries the user so a shared temp folder never mixes two people.
    (No hash of the name: hashlib would load OpenSSL, several MB in a process
    that is meant to cost nothing while it waits.)"""
    tag = re.sub(r"[^A-Za-z0-9_.-]", "_", getpass.getuser())[:40]
    if sys.platform == "win32":
        return f"cramp-coach-{tag}"
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    return str(Path(base) / f"cramp-coach-{tag}.sock")


def encode(action: str, routine: str | None = None) -> bytes:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    message: dict[str, str] = {"action": action}
    if routine:
        message["routine"] = routine
    return (json.dumps(message) + "\n").encode()


def decode(line: bytes) -> tuple[str, str | None] | None:
    """A request from another launch, or None if it is not one we understand."""
    try:
        message = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(message, dict) or message.get("action") not in ACTIONS:
        return None
    routine = message.get("routine")
    return message["action"], routine if isinstance(routine, str) else None


def hand_over(action: str, routine: str | None = None, name: str | None = None) -> bool:
    """Give the request to a running instance. False means none is running (or
    it did not answer), so this process should become the app."""
    name = name or server_name()
    if sys.platform == "win32":
        return _hand_over_qt(name, encode(action, routine))
    if not Path(name).exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(TIMEOUT_S)
            client.connect(name)
            client.sendall(encode(action, routine))
            return client.makefile("rb").readline().strip() == b"ok"
    except OSError:
        return False


def _hand_over_qt(name: str, payload: bytes) -> bool:
    from PySide6.QtNetwork import QLocalSocket

    client = QLocalSocket()
    client.connectToServer(name)
    if not client.waitForConnected(int(TIMEOUT_S * 1000)):
        return False
    client.write(payload)
    client.flush()
    answered = client.waitForReadyRead(int(TIMEOUT_S * 1000))
    ok = answered and bytes(client.readLine().data()).strip() == b"ok"
    client.disconnectFromServer()
    return ok
