"""The single-instance wire format, the private folder and the Qt-free client."""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach import instance
from tests.instance_peers import IS_ROOT, NOBODY, foreign_listener, needs_root, shared_folder


def test_requests_round_trip() -> None:
    assert instance.decode(instance.encode("emergency")) == ("emergency", None, None)
    assert instance.decode(instance.encode("routine", "bedtime")) == ("routine", "bedtime", None)
    token = "gnome-shell/cramp-coach/1234-5-host_TIME6789"
    assert instance.decode(instance.encode("emergency", token=token)) == (
        "emergency", None, token)


@pytest.mark.parametrize("token", [7, "", "has space", "new\nline", "nul\x00", "é", "x" * 513])
def test_a_token_that_could_not_be_one_is_refused(token: object) -> None:
    """It is put in the app's environment: nothing but a short printable word."""
    line = (json.dumps({"action": "emergency", "token": token}) + "\n").encode()
    with pytest.raises(instance.BadRequest, match="token"):
        instance.decode(line)


@pytest.mark.parametrize("junk", [b"", b"\xff\xfe", b"[1,2]", b'{"action": "format"}', b"{",
                                  b'{"action": "show", "extra": 1}',
                                  b'{"action": "routine", "routine": 7}'])
def test_junk_is_not_a_request(junk: bytes) -> None:
    with pytest.raises(instance.BadRequest):
        instance.decode(junk)


def test_unknown_action_is_refused_on_the_way_out() -> None:
    with pytest.raises(ValueError):
        instance.encode("format-disk")


def test_name_is_per_user_and_in_the_runtime_dir(isolated_home: Path) -> None:
    name = instance.server_name()
    assert name.startswith(str(isolated_home / "run"))
    assert name == instance.server_name()


# -- the private folder ---------------------------------------------------------


@pytest.fixture()
def shared_tmp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The shared temp folder, as TMPDIR, where anyone may make files."""
    with shared_folder() as path:
        monkeypatch.setenv("TMPDIR", str(path))
        yield path


def assert_private(folder: Path) -> None:
    info = os.lstat(folder)
    assert stat.S_ISDIR(info.st_mode)
    assert info.st_uid == os.getuid()
    assert stat.S_IMODE(info.st_mode) == 0o700


def fallback(tmp: Path) -> Path:
    return tmp / f"cramp-coach-{os.getuid()}"


def test_without_a_runtime_dir_a_private_folder_is_made(
        shared_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    name = Path(instance.server_name())
    assert name.parent == fallback(shared_tmp)
    assert_private(name.parent)
    assert instance.server_name() == str(name), "every launch finds the same address"


# How an attacker (or an accident) leaves a folder we must not trust.
UNSAFE = {
    "group-writable": (False, 0o770),
    "world-writable": (False, 0o777),
    "another user's": (True, 0o700),
    "another user's, open": (True, 0o777),
}


def make_unsafe(folder: Path, kind: str) -> None:
    foreign, mode = UNSAFE[kind]
    if foreign and not IS_ROOT:
        pytest.skip("only root can make a folder of another user")
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(mode)
    if foreign:
        os.chown(folder, NOBODY, NOBODY)


@pytest.mark.parametrize("kind", [*UNSAFE, "a symlink"])
def test_a_runtime_dir_that_is_not_private_is_not_trusted(
        kind: str, shared_tmp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runtime = tmp_path / "runtime"
    if kind == "a symlink":
        (tmp_path / "real").mkdir(mode=0o700)
        runtime.symlink_to(tmp_path / "real")
    else:
        make_unsafe(runtime, kind)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    assert Path(instance.server_name()).parent == fallback(shared_tmp)


@pytest.fixture()
def short_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache folder with a short path. The socket's path must fit in
    AF_UNIX's 108 bytes, and pytest's own (/tmp/pytest-of-root/pytest-1001/
    test_a_squatted_fallback_folde0/home/.cache/...) outgrew them once the
    machine had run pytest a thousand times: the app then rightly refused it."""
    with tempfile.TemporaryDirectory(prefix="cc-", dir="/tmp") as folder:
        monkeypatch.setenv("XDG_CACHE_HOME", folder)
        yield Path(folder)


@pytest.mark.parametrize("kind", UNSAFE)
def test_a_squatted_fallback_folder_is_skipped_for_a_private_one(
        kind: str, shared_tmp: Path, short_cache: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    make_unsafe(fallback(shared_tmp), kind)
    name = Path(instance.server_name())
    assert name.parent == short_cache / "cramp-coach" / "run"
    assert_private(name.parent)


def test_with_no_private_folder_at_all_nothing_is_sent(
        shared_tmp: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    make_unsafe(fallback(shared_tmp), "world-writable")
    make_unsafe(isolated_home / ".cache" / "cramp-coach" / "run", "world-writable")
    with pytest.raises(instance.NoPrivateFolder, match="no private folder"):
        instance.server_name()
    assert not instance.hand_over("emergency")


@pytest.mark.parametrize("runtime", ["missing", "too deep"])
def test_an_unusable_runtime_dir_falls_back_to_a_short_private_path(
        runtime: str, shared_tmp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "gone"
    if runtime == "too deep":
        folder = tmp_path / ("d" * 60) / ("e" * 60)
        folder.mkdir(mode=0o700, parents=True)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    name = instance.server_name()
    assert Path(name).parent == fallback(shared_tmp)
    assert len(os.fsencode(name)) <= instance.SUN_PATH_MAX
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(name)


# -- the client -------------------------------------------------------------------


def test_no_server_means_no_hand_over(tmp_path: Path) -> None:
    assert not instance.hand_over("show", name=str(tmp_path / "absent.sock"))


def test_stale_socket_file_is_not_mistaken_for_a_running_app(tmp_path: Path) -> None:
    path = tmp_path / "stale.sock"
    with socket.socket(socket.AF_UNIX) as dead:
        dead.bind(str(path))  # bound, never listening: what a crash leaves behind
    assert path.exists()
    assert not instance.hand_over("emergency", name=str(path))


class Server:
    """A same-user listener on a thread, answering ``ok`` to one connection."""

    def __init__(self, path: str) -> None:
        self.received: list[bytes] = []
        self._socket = socket.socket(socket.AF_UNIX)
        self._socket.bind(path)
        self._socket.listen(1)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        connection, _ = self._socket.accept()
        with connection:
            connection.settimeout(10)
            self.received.append(connection.makefile("rb").readline())
            with contextlib.suppress(OSError):  # gone already if it sent nothing
                connection.sendall(b"ok\n")

    def close(self) -> None:
        self._thread.join(10)
        self._socket.close()


def test_hand_over_to_a_listening_server(tmp_path: Path) -> None:
    server = Server(str(tmp_path / "live.sock"))
    assert instance.hand_over("routine", "bedtime", name=str(tmp_path / "live.sock"))
    server.close()
    assert instance.decode(server.received[0]) == ("routine", "bedtime", None)


def test_a_launch_passes_its_activation_token_on(tmp_path: Path) -> None:
    """Given by the launcher, needed by the app that shows the window."""
    path = str(tmp_path / "live.sock")
    server = Server(path)
    assert instance.request("emergency", name=path, token="abc-123") == (
        instance.Outcome.TAKEN, "")
    server.close()
    assert instance.decode(server.received[0]) == ("emergency", None, "abc-123")


def test_an_app_from_before_tokens_is_asked_again_without_one(tmp_path: Path) -> None:
    """Running since before an upgrade, it refuses the unknown field: the
    window must still open, if perhaps behind others."""
    path = str(tmp_path / "older.sock")
    received: list[bytes] = []
    with socket.socket(socket.AF_UNIX) as older:
        older.bind(path)
        older.listen(2)

        def serve() -> None:
            for _ in range(2):
                connection, _address = older.accept()
                with connection:
                    line = connection.makefile("rb").readline()
                    received.append(line)
                    connection.sendall(b"error: " + instance.UNKNOWN_FIELDS.encode() + b"\n"
                                       if b'"token"' in line else b"ok\n")

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        outcome = instance.request("emergency", name=path, token="abc-123")
        thread.join(10)
    assert outcome == (instance.Outcome.TAKEN, "")
    assert [instance.decode(line) for line in received] == [
        ("emergency", None, "abc-123"), ("emergency", None, None)]


def test_a_server_that_never_answers_is_reported_silent(tmp_path: Path) -> None:
    path = str(tmp_path / "mute.sock")
    with socket.socket(socket.AF_UNIX) as mute:
        mute.bind(path)
        mute.listen(1)  # accepted by the kernel, never answered
        assert instance.request("show", name=path, timeout=0.2) == (instance.Outcome.SILENT, "")


@needs_root
def test_a_socket_of_another_user_never_gets_the_request(
        shared_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a runtime dir, another user binds every name a launch could pick
    in the shared temp folder first: the request must go nowhere."""
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    traps = [fallback(shared_tmp) / instance.SOCKET_FILE,
             shared_tmp / f"cramp-coach-{getpass.getuser()}.sock"]  # the name before
    with foreign_listener(traps) as received:
        assert not instance.hand_over("emergency")
    assert received == []


@pytest.mark.parametrize("peer", ["a real process of another user", "simulated"])
def test_the_listener_must_be_this_user_before_anything_is_sent(
        peer: str, isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A socket file of ours, in our folder, whose listener is someone else:
    the kernel's word on the peer decides."""
    name = instance.server_name()
    if peer == "simulated":
        server = Server(name)
        monkeypatch.setattr(instance, "peer_uid", lambda _sock: os.getuid() + 1)
        assert not instance.hand_over("emergency")
        server.close()
        assert server.received == [b""], "connected, then left without a word"
        return
    if not IS_ROOT:
        pytest.skip("only root can act as another user")
    with shared_folder() as shared:
        bound_by_nobody = shared / "trap" / "s.sock"
        with foreign_listener([bound_by_nobody]) as received:
            os.rename(bound_by_nobody, name)
            os.lchown(name, os.getuid(), os.getgid())
            assert not instance.hand_over("emergency")
        assert received == []
