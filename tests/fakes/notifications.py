"""A notifier that keeps its notifications in memory."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from coach.services.notifications import Action


@dataclass(frozen=True)
class Shown:
    title: str
    body: str
    actions: tuple[Action, ...]
    failed: Callable[[], None]


class FakeNotifier:
    """Shows nothing when ``available`` is False (a desktop with no server
    offering actions). :meth:`choose` is the person pressing a button;
    :meth:`lose` is the server dropping the notification before that."""

    def __init__(self, available: bool = True) -> None:
        self.available = available
        self.shown: list[Shown] = []
        self.on_screen = False
        self.closed = 0

    def show(self, title: str, body: str, actions: Sequence[Action],
             failed: Callable[[], None]) -> bool:
        if not self.available:
            return False
        self.shown.append(Shown(title, body, tuple(actions), failed))
        self.on_screen = True
        return True

    def close(self) -> None:
        if self.on_screen:
            self.closed += 1
        self.on_screen = False

    def keys(self) -> list[str]:
        return [action.key for action in self.shown[-1].actions]

    def choose(self, key: str) -> None:
        self.on_screen = False
        next(a for a in self.shown[-1].actions if a.key == key).run()

    def lose(self) -> None:
        self.on_screen = False
        self.shown[-1].failed()
