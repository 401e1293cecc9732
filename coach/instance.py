"""One Cramp Coach per user: a second launch hands its request to the first.

The running app listens with ``QLocalServer`` on a per-user address. On POSIX
that is a Unix socket in a folder only this user can enter, so a second launch
can connect with the plain :mod:`socket` module and exit before Qt is even
imported: the hand-over costs a few milliseconds beyond Python's own start-up.
On Windows the address is a named pipe, reached through ``QLocalSocket``.

Trust goes one way only: a launch sends its request to a socket that this user
made (the folder is private, the file is ours and, on Linux, the kernel says
the listener runs as us), and the app answers only this user's launches.

The wire format is one JSON line each way: ``{"action": ...}`` then ``ok``, or
``error: <reason>`` when the app refuses the request. A launch started with a
Wayland activation token passes it on (``"token"``), so that the running app
may bring its window to the front (:mod:`coach.services.activation`).
"""

from __future__ import annotations

import enum
import json
import os
import re
import stat
import struct
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from coach.core import paths
from coach.services import activation

if TYPE_CHECKING:
    import socket

ACTIONS = ("show", "emergency", "routine", "background", "reload")
"""``reload``: settings were changed from the command line; take them up."""
TIMEOUT_S = 5.0
"""How long a launch waits for the running app to answer, or for a launch
starting at the same moment to become that app."""
MAX_REQUEST = 4096
"""Bytes in one request, newline included: a longer one is refused unread."""
MAX_ANSWER = 256
SOCKET_FILE = "cramp-coach.sock"
SUN_PATH_MAX = 107 if sys.platform.startswith("linux") else 103
"""The longest path a Unix socket can be bound to (``sun_path`` less its NUL)."""
_UCRED = struct.Struct("iII")
"""Linux ``struct ucred``: pid, uid, gid."""
_STRING = rb'(?s)"(?:[^"\\]|\\.)*"'
"""A JSON string; compiled on first use, by the app, not by every launch."""


class Outcome(enum.Enum):
    """What came of a request: the launch exits, becomes the app, or says why not."""

    TAKEN = "taken"
    ABSENT = "absent"
    """No app of ours is listening: this launch may become the app."""
    REFUSED = "refused"
    """The running app answered with an error."""
    SILENT = "silent"
    """The request was sent but no answer came in time."""


class NoPrivateFolder(OSError):
    """Nowhere to put the socket that only this user can enter."""


class BadRequest(ValueError):
    """Why a request was refused; the text goes back to the sender, so it never
    quotes the request itself."""


def runtime_dir() -> Path:
    """A folder only this user can enter, the same for every launch in the
    same session: ``$XDG_RUNTIME_DIR`` if it is private, else
    ``$TMPDIR/cramp-coach-<uid>`` (made here, like ``tempfile.mkdtemp``), else
    a folder in the user's cache. A folder someone else made or can write to
    is skipped, never used: whoever owns it could put a socket there and
    receive our requests. So is one whose socket path would be too long to
    bind."""
    if sys.platform == "win32":
        raise NoPrivateFolder("Windows has no runtime folder: the address is a named pipe")
    uid = os.getuid()
    tried: list[str] = []
    for folder, create in _candidates(uid):
        if len(os.fsencode(folder / SOCKET_FILE)) > SUN_PATH_MAX:
            tried.append(f"{folder} (path too long)")
        elif _private(folder, create, uid):
            return folder
        else:
            tried.append(str(folder))
    raise NoPrivateFolder(f"no private folder for the single-instance socket (tried "
                          f"{', '.join(tried)}: missing, not ours or open to others)")


def _candidates(uid: int) -> Iterator[tuple[Path, bool]]:
    """Folders to try, and whether to make it if missing. The session makes
    ``XDG_RUNTIME_DIR``; a relative one is ignored, as the XDG spec says."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if os.path.isabs(runtime):
        yield Path(runtime), False
    yield Path(os.environ.get("TMPDIR") or "/tmp") / f"cramp-coach-{uid}", True
    yield paths.cache_dir() / "run", True


def _private(folder: Path, create: bool, uid: int) -> bool:
    """A real folder (not a link) that ``uid`` owns and nobody else may enter."""
    if create:
        try:
            folder.mkdir(mode=0o700, parents=True)
        except FileExistsError:
            pass
        except OSError:
            return False
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == uid and info.st_mode & 0o077 == 0


def server_name() -> str:
    """The address the running app listens on. On Windows a pipe name, which
    ``QLocalServer`` opens to this user only; the name carries the user so that
    two people on one machine never share one."""
    if sys.platform == "win32":
        import getpass

        tag = re.sub(r"[^A-Za-z0-9_.-]", "_", getpass.getuser())[:40]
        return f"cramp-coach-{tag}"
    return str(runtime_dir() / SOCKET_FILE)


def lock_path(name: str) -> str:
    """The lock that decides which process is the app, beside its socket."""
    return f"{name}.lock"


def peer_uid(sock: socket.socket) -> int | None:
    """The user on the other end of a connected Unix socket, as the kernel
    reports it (Linux ``SO_PEERCRED``: for a client, the user who made the
    listening socket). None where the OS does not say; there the private
    folder and the socket file's owner are the guarantee."""
    if not sys.platform.startswith("linux"):
        return None
    import socket

    credentials = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _UCRED.size)
    return int(_UCRED.unpack(credentials)[1])


UNKNOWN_FIELDS = "request has unknown fields"
"""The refusal of an app from before a field was added (the token)."""


def encode(action: str, routine: str | None = None, token: str | None = None) -> bytes:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    message: dict[str, str] = {"action": action}
    if routine:
        message["routine"] = routine
    if token:
        message["token"] = token
    return (json.dumps(message) + "\n").encode()


def decode(line: bytes) -> tuple[str, str | None, str | None]:
    """A request from another launch; :class:`BadRequest` if it is not one.

    The only valid request is a small flat object, so size and nesting are
    checked before the JSON parser sees it: a deeply nested message would
    otherwise exhaust its recursion."""
    if len(line) > MAX_REQUEST:
        raise BadRequest("request too long")
    shape = re.sub(_STRING, b'""', line)
    if shape.count(b"{") > 1 or b"[" in shape:
        raise BadRequest("request is not a flat object")
    try:
        message = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("request is not JSON") from None
    if not isinstance(message, dict):
        raise BadRequest("request is not an object")
    if message.keys() - {"action", "routine", "token"}:
        raise BadRequest(UNKNOWN_FIELDS)
    action, routine, token = (message.get(key) for key in ("action", "routine", "token"))
    if action not in ACTIONS:
        raise BadRequest("unknown action")
    if routine is not None and not isinstance(routine, str):
        raise BadRequest("routine is not text")
    if token is not None and not activation.valid(token):
        raise BadRequest("token is not an activation token")
    return action, routine, token


def hand_over(action: str, routine: str | None = None, name: str | None = None) -> bool:
    """Give the request to a running instance; False if none took it."""
    return request(action, routine, name)[0] is Outcome.TAKEN


def request(action: str, routine: str | None = None, name: str | None = None,
            timeout: float = TIMEOUT_S, token: str | None = None) -> tuple[Outcome, str]:
    """Send the request to the running app: what came of it, and the app's
    reason if it refused. ``timeout`` bounds the wait for its answer.
    ``token``: this launch's activation token, passed on."""
    outcome = _send(encode(action, routine, token), name, timeout)
    if token and outcome == (Outcome.REFUSED, UNKNOWN_FIELDS):
        # A running app from before tokens (not restarted since an upgrade):
        # it still opens the window, only perhaps behind others.
        outcome = _send(encode(action, routine), name, timeout)
    return outcome


def _send(payload: bytes, name: str | None, timeout: float) -> tuple[Outcome, str]:
    if sys.platform == "win32":
        return _request_qt(name or server_name(), payload, timeout)
    try:
        name = name or server_name()
        info = os.lstat(name)
    except OSError:  # no private folder (so no app of ours), or no socket
        return Outcome.ABSENT, ""
    if not stat.S_ISSOCK(info.st_mode) or info.st_uid != os.getuid():
        return Outcome.ABSENT, ""
    # Only now: with no socket file (no app running) the start of the app
    # need not pay for the module, whose enums alone cost some 3 ms.
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(timeout)
        try:
            client.connect(name)
            if peer_uid(client) not in (None, os.getuid()):
                return Outcome.ABSENT, ""  # never send to someone else's socket
            client.sendall(payload)
            answer = client.makefile("rb").readline(MAX_ANSWER)
        except TimeoutError:
            return Outcome.SILENT, ""
        except OSError:  # refused or reset: a crash's leftover, or an app quitting
            return Outcome.ABSENT, ""
    return _outcome(answer)


def _outcome(answer: bytes) -> tuple[Outcome, str]:
    text = answer.decode("utf-8", "replace").strip()
    if text == "ok":
        return Outcome.TAKEN, ""
    if text.startswith("error"):
        return Outcome.REFUSED, text.removeprefix("error").lstrip(": ") or "no reason given"
    # Closed without a word: the app is quitting, or it is not ours.
    return Outcome.ABSENT, ""


def _request_qt(name: str, payload: bytes, timeout: float) -> tuple[Outcome, str]:
    from PySide6.QtNetwork import QLocalSocket

    wait_ms = int(timeout * 1000)
    client = QLocalSocket()
    client.connectToServer(name)
    if not client.waitForConnected(wait_ms):
        return Outcome.ABSENT, ""
    client.write(payload)
    client.flush()
    if not client.waitForReadyRead(wait_ms):
        connected = client.state() == QLocalSocket.LocalSocketState.ConnectedState
        client.abort()
        return (Outcome.SILENT if connected else Outcome.ABSENT), ""
    answer = bytes(client.readLine(MAX_ANSWER).data())
    client.disconnectFromServer()
    return _outcome(answer)
