"""The message that ends a launch's busy cursor on X11, as bytes, and when it
cannot be sent: no id, no display, a server that never answers. That a real
desktop reads it so is checked against libstartup-notification itself, on a
real X server, in tests/gui/test_launch_feedback.py."""

from __future__ import annotations

import socket
import time

import pytest

from coach.services import startup_notification
from coach.services.startup_notification import CHUNK, chunks, finish, launch_id, remove_message


def test_the_remove_message_escapes_what_would_end_the_id_early() -> None:
    assert remove_message('app/x"y\\z_TIME9') == b'remove: ID=app/x\\"y\\\\z_TIME9\0'
    assert remove_message("a b") == b"remove: ID=a\\ b\0"


@pytest.mark.parametrize("length", [1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK])
def test_a_message_goes_in_whole_padded_chunks(length: int) -> None:
    message = b"x" * length
    parts = list(chunks(message))
    assert all(len(part) == CHUNK for part in parts)
    assert len(parts) == -(-length // CHUNK)
    assert b"".join(parts).rstrip(b"\0") == message


@pytest.mark.parametrize(("value", "kept"), [
    ("xfce4-panel/cramp-coach/1234-0-host_TIME5678", True),
    ("", False),
    ("has space_TIME1", False),
    ("ünïcode_TIME1", False),
    ("x" * 513, False),
])
def test_only_an_id_that_can_be_sent_back_is_taken(value: str, kept: bool) -> None:
    assert launch_id({startup_notification.VARIABLE: value}) == (value if kept else None)


def test_without_an_id_or_a_display_nothing_is_sent() -> None:
    assert launch_id({}) is None
    assert finish(None, ":0") == "this launch has no startup id"
    assert finish("app_TIME1", "") == "there is no X display"


def test_a_display_that_is_not_there_is_a_reason_not_an_error() -> None:
    assert finish("app_TIME1", ":4711") == "cannot connect to the X display :4711"


def test_an_x_server_that_never_answers_does_not_hold_the_launch() -> None:
    """It accepts the connection and then says nothing, as a hung one does."""
    silent = socket.socket()
    for number in range(50, 100):  # an X display on TCP port 6000 + its number
        try:
            silent.bind(("127.0.0.1", 6000 + number))
            break
        except OSError:
            continue
    else:
        pytest.skip("no free port for a stand-in X server")
    with silent:
        silent.listen(1)
        started = time.monotonic()
        reason = finish("app_TIME1", f"127.0.0.1:{number}", within_s=0.2)
        assert time.monotonic() - started < 5
    assert reason == f"the X display 127.0.0.1:{number} did not answer within 0.2 s"
