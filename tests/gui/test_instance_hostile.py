"""Peers that are not a well-behaved later launch: the running app answers
each with one line or drops it, and stays up for the next real request."""

from __future__ import annotations

import os
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from coach import instance
from coach.ui.instance_server import InstanceServer
from tests.instance_peers import CLIENT, IS_ROOT, as_nobody, shared_folder

ONE_ERROR_LINE = re.compile(rb"error: [^\n]+\n")


class Served:
    """A listening server and the requests it let through."""

    def __init__(self, server: InstanceServer) -> None:
        self.server = server
        self.requests: list[tuple[str, object]] = []
        server.request.connect(lambda action, routine: self.requests.append((action, routine)))


@pytest.fixture()
def served(qtbot: QtBot, tmp_path: Path) -> Iterator[Served]:
    server = InstanceServer(str(tmp_path / "cc.sock"), request_wait_ms=300)
    assert server.listen()
    yield Served(server)
    server.close()


class RawPeer:
    """A hand-written client, read without blocking so that this thread's
    event loop goes on serving it."""

    def __init__(self, name: str) -> None:
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(10)
        self.sock.connect(name)
        self.received = b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def hung_up(self) -> bool:
        """Reads what has come; True once the server closed the connection."""
        self.sock.setblocking(False)
        try:
            chunk = self.sock.recv(4096)
        except BlockingIOError:
            return False
        except ConnectionResetError:  # closed with our surplus unread
            return True
        self.received += chunk
        return not chunk


def answer_to(qtbot: QtBot, served: Served, data: bytes) -> bytes:
    peer = RawPeer(served.server.name)
    peer.send(data)
    qtbot.waitUntil(peer.hung_up, timeout=5000)
    peer.sock.close()
    return peer.received


def assert_still_serving(qtbot: QtBot, served: Served) -> None:
    results: list[bool] = []
    thread = threading.Thread(target=lambda: results.append(
        instance.hand_over("emergency", name=served.server.name)), daemon=True)
    thread.start()
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    thread.join(5)
    assert results == [True]
    assert served.requests == [("emergency", None)]


HOSTILE = {
    # Deeper than Python's recursion limit, yet under the size cap.
    "deeply nested": b'{"action": ' + b"[" * 2000 + b"]" * 2000 + b"}\n",
    "nested objects": b'{"action": ' * 600 + b'"show"' + b"}" * 600 + b"\n",
    "oversized, no newline": b"x" * 65536,
    "oversized line": b'{"action": "routine", "routine": "' + b"a" * 8000 + b'"}\n',
    "not JSON": b"hello\n",
    "unknown field": b'{"action": "show", "then": "format"}\n',
}


@pytest.mark.parametrize("message", HOSTILE)
def test_a_bad_message_gets_one_error_line_and_the_server_stays_up(
        message: str, qtbot: QtBot, served: Served) -> None:
    answer = answer_to(qtbot, served, HOSTILE[message])
    assert ONE_ERROR_LINE.fullmatch(answer), answer
    assert served.requests == []
    assert_still_serving(qtbot, served)


@pytest.mark.parametrize("sends", [b"", b'{"action": "sh'])
def test_a_client_that_sends_no_whole_request_is_dropped(
        sends: bytes, qtbot: QtBot, served: Served) -> None:
    assert answer_to(qtbot, served, sends) == b""
    assert served.requests == []
    assert_still_serving(qtbot, served)


@pytest.mark.parametrize("peer", ["a real process of another user", "simulated"])
def test_a_client_of_another_user_is_refused(
        peer: str, qtbot: QtBot, served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    """The socket is closed to others by its folder and its mode; this is the
    check behind those, for when they are not (here: opened on purpose)."""
    if peer == "simulated":
        monkeypatch.setattr(instance, "peer_uid", lambda _sock: os.getuid() + 1)
        answer = answer_to(qtbot, served, instance.encode("emergency"))
        monkeypatch.undo()
    else:
        if not IS_ROOT:
            pytest.skip("only root can act as another user")
        with shared_folder() as shared:
            folder = shared / "open"
            folder.mkdir(mode=0o755)
            server = InstanceServer(str(folder / "cc.sock"))
            assert server.listen()
            os.chmod(server.name, 0o777)
            requests: list[str] = []
            server.request.connect(lambda action, _routine: requests.append(action))
            intruder = as_nobody(CLIENT, server.name)
            qtbot.waitUntil(lambda: intruder.poll() is not None, timeout=10000)
            server.close()
            assert intruder.stdout is not None
            answer = intruder.stdout.read().encode()
            assert requests == []
    assert b"error: " in answer and b"ok" not in answer, answer
    assert served.requests == []
    assert_still_serving(qtbot, served)
