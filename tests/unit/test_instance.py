"""The single-instance wire format and the Qt-free client."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from coach import instance


def test_requests_round_trip() -> None:
    assert instance.decode(instance.encode("emergency")) == ("emergency", None)
    assert instance.decode(instance.encode("routine", "bedtime")) == ("routine", "bedtime")


@pytest.mark.parametrize("junk", [b"", b"\xff\xfe", b"[1,2]", b'{"action": "format"}', b"{"])
def test_junk_is_not_a_request(junk: bytes) -> None:
    assert instance.decode(junk) is None


def test_unknown_action_is_refused_on_the_way_out() -> None:
    with pytest.raises(ValueError):
        instance.encode("format-disk")


def test_name_is_per_user_and_in_the_runtime_dir(isolated_home: Path) -> None:
    name = instance.server_name()
    assert name.startswith(str(isolated_home / "run"))
    assert name == instance.server_name()


def test_no_server_means_no_hand_over(tmp_path: Path) -> None:
    assert not instance.hand_over("show", name=str(tmp_path / "absent.sock"))


def test_stale_socket_file_is_not_mistaken_for_a_running_app(tmp_path: Path) -> None:
    path = tmp_path / "stale.sock"
    with socket.socket(socket.AF_UNIX) as dead:
        dead.bind(str(path))  # bound, never listening: what a crash leaves behind
    assert path.exists()
    assert not instance.hand_over("emergency", name=str(path))


def test_hand_over_to_a_listening_server(tmp_path: Path) -> None:
    path = str(tmp_path / "live.sock")
    received: list[bytes] = []
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(path)
        server.listen(1)

        def serve() -> None:
            connection, _ = server.accept()
            with connection:
                received.append(connection.makefile("rb").readline())
                connection.sendall(b"ok\n")

        thread = threading.Thread(target=serve)
        thread.start()
        assert instance.hand_over("routine", "bedtime", name=path)
        thread.join(5)
    assert instance.decode(received[0]) == ("routine", "bedtime")
