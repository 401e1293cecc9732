"""The listening side of the single-instance hand-over (see :mod:`coach.instance`)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from coach import instance


class InstanceServer(QObject):
    """Emits ``request(action, routine)`` for each request from a later launch."""

    request = Signal(str, object)

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or instance.server_name()
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        lock_path = (Path(tempfile.gettempdir()) / f"{self.name}.lock"
                     if sys.platform == "win32" else Path(f"{self.name}.lock"))
        self._lock = QLockFile(str(lock_path))
        # Never stale by age, only when its owner process is gone: an app that
        # has been resident for a week still owns its lock.
        self._lock.setStaleLockTime(0)

    def listen(self) -> bool:
        """Claim the address; False if another instance holds it.

        Qt's ``listen`` replaces an existing Unix socket file, so the lock file
        is what decides ownership. It names its owner's PID, so a lock left by
        a crash is taken over, and the leftover socket with it.
        """
        if not self._lock.tryLock(0):
            return False
        QLocalServer.removeServer(self.name)
        if self._server.listen(self.name):
            return True
        self._lock.unlock()
        return False

    def close(self) -> None:
        self._server.close()
        self._lock.unlock()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            client = self._server.nextPendingConnection()
            client.readyRead.connect(self._read)
            client.disconnected.connect(client.deleteLater)

    def _read(self) -> None:
        client = self.sender()
        if not isinstance(client, QLocalSocket) or not client.canReadLine():
            return
        request = instance.decode(bytes(client.readLine().data()))
        client.write(b"ok\n" if request else b"error\n")
        client.flush()
        client.disconnectFromServer()
        if request:
            self.request.emit(*request)
