"""A launch that finds the claim held keeps asking until the holder answers
or lets go, within a bound (see also tests/gui/test_instance_race.py)."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from coach.ui import launch


class HeldClaim:
    """Stands in for an InstanceServer whose lock another process holds for
    its first ``held_for`` tries."""

    def __init__(self, name: str, held_for: int) -> None:
        self.name = name
        self.held_for = held_for
        self.tries = 0

    def claim(self) -> bool:
        self.tries += 1
        return self.tries > self.held_for


def test_the_claim_freeing_while_waiting_makes_this_launch_the_app(tmp_path: Path) -> None:
    """The holder died before it could answer: nobody to hand over to."""
    server = HeldClaim(str(tmp_path / "cc.sock"), held_for=3)
    assert launch._claim(server, "emergency", None) is None
    assert server.tries == 4


def test_a_refusal_is_reported_in_one_line(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """A running app of another version that does not know the request."""
    name = str(tmp_path / "cc.sock")
    with socket.socket(socket.AF_UNIX) as older:
        older.bind(name)
        older.listen(1)

        def refuse() -> None:
            connection, _ = older.accept()
            with connection:
                connection.makefile("rb").readline()
                connection.sendall(b"error: unknown action\n")

        thread = threading.Thread(target=refuse, daemon=True)
        thread.start()
        assert launch._claim(HeldClaim(name, held_for=10**6), "reload", None) == 1
        thread.join(10)
    err = capsys.readouterr().err
    assert err == "Cramp Coach is already running and refused this request: unknown action.\n"
