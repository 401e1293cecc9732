"""The timers the screens wait on, made by one factory that the app is given.

Tests give it :class:`tests.fakes.timers.FakeTimers`, whose timers fire when a
fake clock is moved past their moment (qutebrowser's ``FakeTimer`` idea), so a
GUI test runs a 30-second hold in no time at all and never waits on a real
timer. Everything the timers drive already reads a :class:`~coach.core.clock.Clock`
for *what* to show; a timer only says *when* to look again.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QTimer

MAX_MS = 2**31 - 1
"""Qt timers take a 32-bit millisecond count."""


class Precision(str, Enum):
    """How exactly a timer must fire: to the millisecond for a countdown, to
    the minute for a clock check that may be batched with other wake-ups."""

    PRECISE = "precise"
    NORMAL = "normal"
    COARSE = "coarse"


class Timer(Protocol):
    def start(self, ms: int) -> None:
        """Fire in ``ms`` milliseconds (again every ``ms`` if repeating),
        replacing any earlier start."""
        ...

    def stop(self) -> None:
        ...

    def is_active(self) -> bool:
        ...


class Timers(Protocol):
    def make(self, parent: QObject, callback: Callable[[], None], *, repeat: bool = False,
             precision: Precision = Precision.NORMAL) -> Timer:
        """A timer that lives as long as ``parent`` and calls ``callback``."""
        ...


_QT_TYPES = {Precision.PRECISE: Qt.TimerType.PreciseTimer,
             Precision.NORMAL: Qt.TimerType.CoarseTimer,
             Precision.COARSE: Qt.TimerType.VeryCoarseTimer}


class QtTimer:
    def __init__(self, parent: QObject, callback: Callable[[], None], repeat: bool,
                 precision: Precision) -> None:
        self._timer = QTimer(parent)
        self._timer.setSingleShot(not repeat)
        self._timer.setTimerType(_QT_TYPES[precision])
        self._timer.timeout.connect(callback)

    def start(self, ms: int) -> None:
        self._timer.start(max(0, min(MAX_MS, ms)))

    def stop(self) -> None:
        self._timer.stop()

    def is_active(self) -> bool:
        return self._timer.isActive()


class QtTimers:
    def make(self, parent: QObject, callback: Callable[[], None], *, repeat: bool = False,
             precision: Precision = Precision.NORMAL) -> Timer:
        return QtTimer(parent, callback, repeat, precision)
