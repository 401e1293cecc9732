"""The listening side of the single-instance hand-over (see :mod:`coach.instance`).

The claim (a lock) is taken before the window is built; the socket is opened
only once the first screen is painted, so Qt's network module is not loaded
before it. A launch in between keeps asking until it is answered."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from coach import instance

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

REQUEST_WAIT_MS = 2000
"""A launch sends its request as soon as it connects; a connection that has
sent no whole request by then is dropped, so silent peers cannot pile up."""
WAIT_TIMER = "request-wait"

if sys.platform == "win32":
    from PySide6.QtCore import QDir, QLockFile

    class _Lock:
        """Windows has no ``flock``; ``QLockFile`` with its PID check is the
        best there. Never stale by age: an app resident for a week owns it."""

        def __init__(self, name: str) -> None:
            self._lock = QLockFile(str(Path(QDir.tempPath()) / instance.lock_path(name)))
            self._lock.setStaleLockTime(0)

        def acquire(self) -> bool:
            return self._lock.isLocked() or self._lock.tryLock(0)

        def release(self) -> None:
            self._lock.unlock()

else:
    import fcntl

    class _Lock:
        """``flock`` on a file beside the socket, in the private folder. The
        kernel drops it when the holder exits, however it exits, and nothing
        else can pass for the holder: a PID written in a file can name an
        unrelated process that was given the same number."""

        def __init__(self, name: str) -> None:
            self.path = instance.lock_path(name)
            self._fd: int | None = None

        def acquire(self) -> bool:
            if self._fd is not None:
                return True
            flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
            fd = os.open(self.path, flags, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
            except BaseException:
                os.close(fd)
                raise
            self._fd = fd
            return True

        def release(self) -> None:
            # The file stays: were it unlinked, one launch could lock the old
            # file (opened just before) and another a new one, both owners.
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


class InstanceServer(QObject):
    """Emits ``request(action, routine, token)`` for each request from a later
    launch; ``token`` is its activation token, or None.

    The lock decides which process is the app (``claim``); the socket only
    carries requests to it. Qt's ``listen`` replaces an existing socket file,
    live or not, so it is called only with the lock held."""

    request = Signal(str, object, object)

    def __init__(self, name: str | None = None, parent: QObject | None = None,
                 request_wait_ms: int = REQUEST_WAIT_MS) -> None:
        """``name`` defaults to the per-user address; finding its private
        folder may raise :class:`coach.instance.NoPrivateFolder`."""
        super().__init__(parent)
        self.name = name or instance.server_name()
        self._wait_ms = request_wait_ms
        self._server: QLocalServer | None = None
        self._lock = _Lock(self.name)

    def claim(self) -> bool:
        """Become the one instance; False while another process is it. Held
        until :meth:`close` or this process ends. OSError if the lock file
        cannot be opened."""
        return self._lock.acquire()

    def listen(self) -> bool:
        """Claim, then take the address: False if another instance holds the
        claim, or if the address could not be taken (see :attr:`error`)."""
        if not self.claim():
            return False
        if self._server is None:
            from PySide6.QtNetwork import QLocalServer

            self._server = QLocalServer(self)
            self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
            self._server.newConnection.connect(self._accept)
        if self._server.isListening():
            return True
        self._server.removeServer(self.name)  # a crashed instance's leftover
        return self._server.listen(self.name)

    @property
    def error(self) -> str:
        return "" if self._server is None else self._server.errorString()

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
        self._lock.release()

    # The slots find their connection through sender(), not through a
    # partial: a Python callable holding the socket's wrapper in one of the
    # socket's own connections crashed in its deferred delete.

    def _accept(self) -> None:
        server = self._server
        assert server is not None  # its own signal
        while server.hasPendingConnections():
            client = server.nextPendingConnection()
            client.disconnected.connect(client.deleteLater)
            if not _same_user(client):
                _answer(client, b"error: not this user's Cramp Coach\n")
                continue
            client.setReadBufferSize(instance.MAX_REQUEST)
            timer = QTimer(client)
            timer.setObjectName(WAIT_TIMER)
            timer.setSingleShot(True)
            timer.timeout.connect(self._drop)
            timer.start(self._wait_ms)
            client.readyRead.connect(self._read)

    def _drop(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

        client = self.sender().parent()
        if isinstance(client, QLocalSocket):
            client.abort()
            client.deleteLater()

    def _read(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

        client = self.sender()
        if not isinstance(client, QLocalSocket):
            return
        timer = client.findChild(QTimer, WAIT_TIMER)
        if timer is None or not timer.isActive():  # answered or dropped already
            return
        head = bytes(client.peek(instance.MAX_REQUEST).data())
        end = head.find(b"\n")
        if end < 0:
            if len(head) >= instance.MAX_REQUEST:
                timer.stop()
                _answer(client, b"error: request too long\n")
            return
        timer.stop()
        try:
            action, routine, token = instance.decode(head[:end + 1])
        except instance.BadRequest as exc:
            _answer(client, f"error: {exc}\n".encode())
            return
        _answer(client, b"ok\n")
        self.request.emit(action, routine, token)


def _same_user(client: QLocalSocket) -> bool:
    """Whether the peer runs as this user. Windows: the pipe admits no one
    else (UserAccessOption). Elsewhere the kernel is asked, through a copy of
    Qt's descriptor so that closing it leaves Qt's connection open."""
    if sys.platform == "win32":
        return True
    import socket  # only here: see coach.instance

    try:
        with socket.socket(fileno=os.dup(int(client.socketDescriptor()))) as peer:
            uid = instance.peer_uid(peer)
    except OSError:
        return False
    return uid is None or uid == os.getuid()


def _answer(client: QLocalSocket, line: bytes) -> None:
    """One line, then hang up: one request per connection."""
    client.write(line)
    client.flush()
    client.disconnectFromServer()
